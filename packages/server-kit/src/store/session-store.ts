import type { ClockState, FeedStates, IdentityPhoto, IdentityStatus } from '@proctorkit/core/protocol';

/** What the kit keeps about one session. */
export interface SessionRecord {
  sessionId: string;
  examId: string;
  candidateId: string;
  name: string;
  /** Whether the candidate's page holds a control connection right now. */
  connected: boolean;
  feeds: FeedStates;
  /** When the session was first joined (ms since epoch). */
  joinedAt: number;
  /** The exam clock, kept by the server. */
  clock: ClockState;
  /** Set while the media provider prepares the session's media (e.g. creates its Chime meeting). */
  preparing?: boolean;
  /** The identity check, once the candidate sent a photo: its status, current photos and rejection reason. */
  identity?: { status: IdentityStatus; photos: IdentityPhoto[]; reason?: string };
  /** Set while the candidate's page asked to start but the clock waits for an identity approval. */
  startRequested?: boolean;
  /** The latest phone pairing redeemed: only a phone token of this pairing may publish the `phone` feed. */
  phone?: { pairingId: string; pairedAt: number };
}
