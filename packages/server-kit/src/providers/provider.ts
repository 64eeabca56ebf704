import type { ProviderInfo } from '@proctorkit/core/protocol';
import type { Logger } from '../logger.js';
import type { SessionRecord } from '../store/session-store.js';

/** The server half of a media provider: tells each client how to reach the media. */
export interface MediaProvider {
  readonly name: ProviderInfo['name'];
  /**
   * Join info for a candidate's session, or for a supervisor (no session). A provider that needs
   * time (creating a meeting) answers at once with what it has and delivers the rest through
   * {@link ProviderHost.mediaReady}.
   */
  joinInfo(session?: SessionRecord): Promise<ProviderInfo>;
  /** Called once by the kit that uses this provider, before any other call. */
  attach?(host: ProviderHost): void;
  /**
   * A supervisor's join info for one session it subscribes to, for providers with media per
   * session (Chime: a receive-only attendee of the session's meeting); `undefined` while the
   * session has no media. The kit sends it as `session.media`.
   */
  viewInfo?(session: SessionRecord, supervisorId: string): Promise<ProviderInfo | undefined>;
  /** The session ended: release its media (Chime: DeleteMeeting). */
  sessionEnded?(session: SessionRef): Promise<void>;
  /** The kit is closing: stop timers and give up queued work. */
  close?(): Promise<void>;
}

/** What names a session to a provider. */
export type SessionRef = Pick<SessionRecord, 'sessionId' | 'examId' | 'candidateId'>;

/** What a provider keeps of each session (a Chime meeting and its attendees), in the kit's store: JSON values. */
export interface ProviderRecords {
  get(sessionId: string): Promise<unknown>;
  put(sessionId: string, record: unknown): Promise<void>;
  delete(sessionId: string): Promise<void>;
}

/** What the kit offers a provider that prepares media in the background. */
export interface ProviderHost {
  readonly logger: Logger;
  /** The provider's records of sessions, kept where the kit keeps sessions (durable and shared as the store is). */
  readonly records: ProviderRecords;
  /**
   * The supervisors to give access when a session's media is created: those connected now whose
   * token names the candidate, and those subscribed to the session.
   */
  supervisorsOf(session: SessionRef): string[];
  /**
   * A rate every kit instance on the bus spends from, e.g. an account's request quota: the
   * returned function spends one and resolves with 0, or the milliseconds to wait.
   */
  sharedRate(name: string, perSecond: number): () => Promise<number>;
  /** The session's media is being prepared (`true`) or no longer (`false`): supervisors see status `preparing`. */
  setPreparing(sessionId: string, preparing: boolean): void;
  /** `ahead` requests wait before the session's own: its candidate is told (`session.preparing`). */
  progress(sessionId: string, ahead: number): void;
  /**
   * The session's media is ready, or changed (recreated): its candidate gets `info` and each
   * subscribed supervisor its own view (`session.media`).
   */
  mediaReady(sessionId: string, info: ProviderInfo): void;
  /** Preparing the session's media failed for good: its candidate is told (`error`). */
  mediaFailed(sessionId: string, message: string): void;
}
