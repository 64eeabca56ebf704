import type { SessionEvent } from '@proctorkit/core/protocol';
import type { SessionRecord } from './session-store.js';

/** An event about to be appended: the store gives it its `seq`. */
export type EventDraft = Omit<SessionEvent, 'seq'>;

/** An event to append, with the page's own id when it came from one (a resend is recorded once). */
export interface EventToAppend {
  draft: EventDraft;
  clientEventId?: string;
  /**
   * The webhook endpoints to tell about this event: one delivery per endpoint, queued in the same
   * commit as the event, due at the event's `at`. None for a resend.
   */
  notify?: readonly string[];
}

/** What a change of a session writes: its record as it is now (`undefined`: unchanged), and events. */
export interface SessionUpdate {
  record?: SessionRecord;
  events: readonly EventToAppend[];
}

/**
 * Reads a session's stored record (the change's own copy) and its latest `seq`, and says what to
 * write. It runs once, alone for its session; throwing in it writes nothing.
 */
export type SessionChanger = (record: SessionRecord, lastSeq: number) => SessionUpdate;

/**
 * A phone pairing waiting for its phone, as a store keeps it: the link's secret and the short code
 * only as hashes (SHA-256), so a copy of the database redeems nothing.
 */
export interface StoredPairing {
  pairingId: string;
  sessionId: string;
  linkHash: string;
  codeHash: string;
  /** Server time (ms) after which neither redeems. */
  expiresAt: number;
}

/** What an update wrote: the session as stored now, the events appended (resends left out), and its latest `seq`. */
export interface Committed {
  record: SessionRecord;
  events: SessionEvent[];
  lastSeq: number;
}

/** Where a webhook delivery is: waiting for its next attempt, received by the endpoint, or given up. */
export type DeliveryState = 'pending' | 'delivered' | 'failed';

/** One event's delivery to one webhook endpoint, as the outbox keeps it. */
export interface StoredDelivery {
  /** Stable for the (event, endpoint) pair. */
  deliveryId: string;
  endpointId: string;
  sessionId: string;
  /** The event's `seq` in its session's log: the payload is built from it when sent. */
  seq: number;
  state: DeliveryState;
  /** Attempts made since it was queued or last replayed. */
  attempts: number;
  /** When it is due (ms): its next attempt while pending, or the end of the lease of the instance sending it. */
  nextAttemptAt: number;
  /** When it was queued (ms): the event's `at`. */
  createdAt: number;
  lastAttemptAt?: number;
  /** The HTTP status of the last attempt, when the endpoint answered. */
  lastStatus?: number;
  lastError?: string;
}

/** What one attempt of a delivery came to. */
export type AttemptOutcome = { at: number; status?: number; error?: string } & (
  | { state: 'delivered' }
  | { state: 'pending'; retryAt: number }
  | { state: 'failed' }
);

/** Which deliveries to list: of one session, in one state; at most `limit`, in the order they were queued. */
export interface DeliveryFilter {
  sessionId?: string;
  state?: DeliveryState;
  limit: number;
}

/** A webhook endpoint that answered 410 Gone while it had the configuration `config` (a fingerprint). */
export interface DisabledEndpoint {
  endpointId: string;
  config: string;
  at: number;
}

/**
 * Everything the kit keeps about sessions, durable where the adapter is: each session's record and
 * its append-only log, numbered per session from 1 without gaps. One interface for every adapter
 * (memory, SQLite); the kit's logic never asks which one it holds.
 */
export interface KitStore {
  getSession(sessionId: string): Promise<SessionRecord | undefined>;
  findSession(examId: string, candidateId: string): Promise<SessionRecord | undefined>;
  listSessions(examId: string): Promise<SessionRecord[]>;
  /** Sessions whose exam has not ended, of every exam: the kit re-arms their clocks when it starts. */
  listOpenSessions(): Promise<SessionRecord[]>;
  /**
   * Up to `limit` sessions whose exam ended before `endedBefore` (ms) and that still hold media —
   * recording runs (`record.recordings` non-empty) or identity photos (`record.identity.photos`
   * non-empty) — oldest end first (then in order of creation): what a retention sweep deletes.
   */
  listEndedWithMedia(endedBefore: number, limit: number): Promise<SessionRecord[]>;
  /**
   * Stores a new session. When the exam already holds one for the candidate (another page created
   * it first), stores nothing and returns that one.
   */
  createSession(record: SessionRecord): Promise<SessionRecord>;
  /**
   * One change of a session, all or nothing, and alone: while `change` reads and decides, no other
   * update of the session runs, in this process or any other sharing the store. Its events get the
   * next sequence numbers; one whose client id the session already recorded is skipped. Rejects
   * with `not-found` for an unknown session. When it resolves, what it wrote is as durable as the
   * adapter promises.
   */
  update(sessionId: string, change: SessionChanger): Promise<Committed>;
  /** Up to `limit` events with `seq > afterSeq`, in order. */
  listEvents(sessionId: string, afterSeq: number, limit: number): Promise<SessionEvent[]>;
  /** The latest sequence number, 0 when the log is empty. */
  lastSeq(sessionId: string): Promise<number>;
  /**
   * Stores a session's new pairing and voids its pending one (whose link and code then answer
   * "used" until `usedUntil`); drops what expired before `now`. Resolves `false`, storing nothing,
   * when the code's hash is taken by another pairing: the caller draws another code.
   */
  putPairing(pairing: StoredPairing, now: number, usedUntil: number): Promise<boolean>;
  /**
   * Redeems a pending pairing by its link's or its code's hash, once, across every process sharing
   * the store; both of its keys answer "used" until `usedUntil`. `'used'` for a key redeemed or
   * voided before; `undefined` for one unknown or expired.
   */
  takePairing(keyHash: string, now: number, usedUntil: number): Promise<StoredPairing | 'used' | undefined>;
  /** The media provider's record of a session (e.g. its Chime meeting), as JSON; `undefined` when none. */
  getProviderRecord(sessionId: string): Promise<unknown>;
  /** Stores the provider's record of a session, replacing the one before. */
  putProviderRecord(sessionId: string, record: unknown): Promise<void>;
  deleteProviderRecord(sessionId: string): Promise<void>;
  /** Records that the person of `personKey` had their access revoked at `at` (ms); a later revocation replaces it. */
  putRevocation(personKey: string, at: number): Promise<void>;
  /** Revocations made at or after `since` (ms), e.g. those a token could still be affected by. */
  listRevocations(since: number): Promise<{ personKey: string; at: number }[]>;
  /**
   * Takes up to `limit` pending deliveries to `endpointIds` due at `now`, oldest first, and leases
   * them until `now + leaseMs` (they are not due again before): of several instances sharing the
   * store, exactly one takes each. An instance that ends mid-attempt leaves it to be taken again
   * once the lease ran out.
   */
  claimDeliveries(endpointIds: readonly string[], now: number, leaseMs: number, limit: number): Promise<StoredDelivery[]>;
  /**
   * Records an attempt of a claimed delivery: one more attempt, its status or error, and its new
   * state — only while the delivery is still pending under the lease its claim gave
   * (`claimed.nextAttemptAt`). Resolves `false`, recording nothing, for an attempt that a replay
   * overtook or whose lease ran out (another instance may have taken it).
   */
  recordAttempt(claimed: Pick<StoredDelivery, 'deliveryId' | 'nextAttemptAt'>, outcome: AttemptOutcome): Promise<boolean>;
  /** Gives back a claimed delivery that was not attempted: due again at `now`, its attempts as they were (while its claim's lease holds). */
  releaseDelivery(claimed: Pick<StoredDelivery, 'deliveryId' | 'nextAttemptAt'>, now: number): Promise<void>;
  /** The delivery log. */
  listDeliveries(filter: DeliveryFilter): Promise<StoredDelivery[]>;
  /** Queues a delivery again, whatever its state: pending, due at `now`, its attempts counted from 0. `undefined` when unknown. */
  replayDelivery(deliveryId: string, now: number): Promise<StoredDelivery | undefined>;
  /** Records that an endpoint answered 410 Gone while configured as `config`; a later one replaces it. */
  disableEndpoint(endpoint: DisabledEndpoint): Promise<void>;
  listDisabledEndpoints(): Promise<DisabledEndpoint[]>;
  /** Releases the store's connection or file. */
  close(): Promise<void>;
}
