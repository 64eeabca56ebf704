import type { SessionEvent } from '@proctorkit/core/protocol';
import type { SessionRecord } from './session-store.js';

/** An event about to be appended: the store gives it its `seq`. */
export type EventDraft = Omit<SessionEvent, 'seq'>;

/** An event to append, with the page's own id when it came from one (a resend is recorded once). */
export interface EventToAppend {
  draft: EventDraft;
  clientEventId?: string;
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
  /** Releases the store's connection or file. */
  close(): Promise<void>;
}
