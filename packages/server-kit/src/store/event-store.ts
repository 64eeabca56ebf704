import type { SessionEvent } from '@proctorkit/core/protocol';

/** An event about to be appended: the store gives it its `seq`. */
export type EventDraft = Omit<SessionEvent, 'seq'>;

/**
 * Where sessions' logs are kept: append-only, sequence-numbered per session, and idempotent per
 * client event id so a page that resends an event gets it recorded once.
 */
export interface EventStore {
  /**
   * Appends `draft` with the session's next sequence number. With a `clientEventId` already
   * recorded for the session, appends nothing and returns `undefined`.
   */
  append(sessionId: string, draft: EventDraft, clientEventId?: string): Promise<SessionEvent | undefined>;
  /** Up to `limit` events with `seq > afterSeq`, in order. */
  list(sessionId: string, afterSeq: number, limit: number): Promise<SessionEvent[]>;
  /** The latest sequence number, 0 when the log is empty. */
  lastSeq(sessionId: string): Promise<number>;
}
