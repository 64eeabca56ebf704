import type { ClockState, Feed, FeedStates, IdentityPhoto, IdentityStatus, RecordingState, RunEndReason, ScreenshotType, Verdict } from '@proctorkit/core/protocol';

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
  /** The session's recording runs, in the order they started. */
  recordings?: StoredRun[];
  /** How much of each feed's recording waits on its page to upload (ms), as the page last reported it. */
  recordingBacklog?: Partial<Record<Feed, number>>;
  /** The latest signed verdict (the log holds every one): the summary's `verdict`, and what a revision chains to. */
  verdict?: { verdictId: string; verdict: Verdict; reason?: string; signedAt: number; signature: string };
  /** The screenshots whose images are stored (the log says who took each); emptied when the session's media is erased. */
  screenshots?: { screenshotId: string; contentType: ScreenshotType }[];
  /** The integrity signals (by `seq`) a person confirmed as a flag or dismissed: each is judged once. */
  judgedSignals?: number[];
}

/** One recording run as the kit keeps it; its chunks and its finished file are in the recording store. */
export interface StoredRun {
  feed: Feed;
  runId: string;
  mimeType: string;
  /** Server time the recorder started, as the page estimated it. */
  startedAt: number;
  state: RecordingState;
  /** Set once the page ended the run: when, why, and how many chunks it recorded. */
  endedAt?: number;
  endReason?: RunEndReason;
  chunks?: number;
  /** Set once the run is finished into one file: its key in the recording store, size and length. */
  file?: { key: string; bytes: number; durationMs: number };
  /** Why the run is `incomplete`. */
  problem?: string;
}
