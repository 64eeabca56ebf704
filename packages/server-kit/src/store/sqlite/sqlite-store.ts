import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { SessionEvent } from '@proctorkit/core/protocol';
import { KitError } from '../../errors.js';
import { holdsMedia } from '../holds-media.js';
import { deliveryId } from '../delivery-id.js';
import { DELIVERY_COLUMNS, attemptValues, toDelivery, type DeliveryRow } from '../delivery-row.js';
import type { Committed, DisabledEndpoint, KitStore, SessionChanger, StoredDelivery, StoredPairing } from '../kit-store.js';
import type { SessionRecord } from '../session-store.js';
import { MIGRATIONS } from './migrations.js';

/** Where {@link sqliteStore} keeps its database when given no path, relative to the working directory. */
export const DEFAULT_SQLITE_PATH = 'proctorkit-data/proctorkit.db';

/** Options of {@link sqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file, created with its directory (readable by this user only). Default: `proctorkit-data/proctorkit.db`. */
  path?: string;
  /**
   * How far a commit is flushed before the kit acknowledges it. `'normal'`: to the operating system
   * (WAL): everything acknowledged survives a crash or `kill -9` of the process; a power loss or an
   * OS crash can lose the last commits. `'full'`: to the disk: survives a power loss too, at the cost
   * of one flush per commit (the figures of both are in docs/guide/deployment.md). Default: `'normal'`.
   */
  synchronous?: 'normal' | 'full';
}

/**
 * The embedded durable store: everything in one SQLite file (WAL), for one kit process. Loads the
 * `better-sqlite3` driver only when called.
 */
export function sqliteStore(options: SqliteStoreOptions = {}): KitStore {
  const path = resolve(options.path ?? DEFAULT_SQLITE_PATH);
  const synchronous = options.synchronous ?? 'normal';
  if (synchronous !== 'normal' && synchronous !== 'full') {
    throw new KitError('bad-message', "sqliteStore: `synchronous` must be 'normal' or 'full'.");
  }
  const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
  db.pragma('foreign_keys = ON');
  // Another connection (a backup) may hold the file for a moment.
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const session = db.prepare<[string], { record: string }>('SELECT record FROM sessions WHERE session_id = ?');
  const byCandidate = db.prepare<[string, string], { record: string }>('SELECT record FROM sessions WHERE exam_id = ? AND candidate_id = ?');
  const byExam = db.prepare<[string], { record: string }>('SELECT record FROM sessions WHERE exam_id = ? ORDER BY rowid');
  const openSessions = db.prepare<[], { record: string }>('SELECT record FROM sessions WHERE open = 1');
  // The index holds rowid after ended_at, so this order needs no sort.
  const endedWithMedia = db.prepare<[number, number], { record: string }>(
    'SELECT record FROM sessions WHERE holds_media = 1 AND ended_at IS NOT NULL AND ended_at < ? ORDER BY ended_at, rowid LIMIT ?',
  );
  const insertSession = db.prepare(
    `INSERT INTO sessions (session_id, exam_id, candidate_id, open, ended_at, holds_media, record) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (exam_id, candidate_id) DO NOTHING`,
  );
  const updateSession = db.prepare('UPDATE sessions SET open = ?, ended_at = ?, holds_media = ?, record = ? WHERE session_id = ?');
  const lastSeq = db.prepare<[string], { seq: number }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM events WHERE session_id = ?');
  const insertEvent = db.prepare(
    `INSERT INTO events (session_id, seq, client_event_id, event) VALUES (?, ?, ?, ?)
     ON CONFLICT (session_id, client_event_id) WHERE client_event_id IS NOT NULL DO NOTHING`,
  );
  const putRevocation = db.prepare('INSERT INTO revocations (person_key, revoked_at) VALUES (?, ?) ON CONFLICT (person_key) DO UPDATE SET revoked_at = excluded.revoked_at');
  const revocationsSince = db.prepare<[number], { personKey: string; at: number }>('SELECT person_key AS personKey, revoked_at AS at FROM revocations WHERE revoked_at >= ?');
  const dropStalePairings = db.prepare('DELETE FROM pairings WHERE COALESCE(used_until, expires_at) <= ?');
  const pairingKeyTaken = db.prepare<[string, string], { n: number }>('SELECT COUNT(*) AS n FROM pairings WHERE key_hash IN (?, ?)');
  const voidPairings = db.prepare('UPDATE pairings SET used_until = ? WHERE session_id = ? AND used_until IS NULL');
  const insertPairingKey = db.prepare('INSERT INTO pairings (key_hash, pairing_id, session_id, link_hash, code_hash, expires_at) VALUES (?, ?, ?, ?, ?, ?)');
  const pairingByKey = db.prepare<[string], PairingRow>(
    'SELECT pairing_id AS pairingId, session_id AS sessionId, link_hash AS linkHash, code_hash AS codeHash, expires_at AS expiresAt, used_until AS usedUntil FROM pairings WHERE key_hash = ?',
  );
  const usePairing = db.prepare('UPDATE pairings SET used_until = ? WHERE pairing_id = ?');
  const putPairing = db.transaction((pairing: StoredPairing, now: number, usedUntil: number): boolean => {
    dropStalePairings.run(now);
    if (pairingKeyTaken.get(pairing.linkHash, pairing.codeHash)!.n > 0) return false;
    voidPairings.run(usedUntil, pairing.sessionId);
    for (const key of [pairing.linkHash, pairing.codeHash]) insertPairingKey.run(key, pairing.pairingId, pairing.sessionId, pairing.linkHash, pairing.codeHash, pairing.expiresAt);
    return true;
  });
  const takePairing = db.transaction((keyHash: string, now: number, usedUntil: number): StoredPairing | 'used' | undefined => {
    const row = pairingByKey.get(keyHash);
    if (!row) return undefined;
    const { usedUntil: used, ...pairing } = row;
    if (used !== null) return used > now ? 'used' : undefined;
    if (pairing.expiresAt <= now) return undefined;
    usePairing.run(usedUntil, pairing.pairingId);
    return pairing;
  });
  const providerRecord = db.prepare<[string], { record: string }>('SELECT record FROM provider_records WHERE session_id = ?');
  const putProviderRecord = db.prepare('INSERT INTO provider_records (session_id, record) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET record = excluded.record');
  const deleteProviderRecord = db.prepare('DELETE FROM provider_records WHERE session_id = ?');
  const insertDelivery = db.prepare(
    `INSERT INTO webhook_deliveries (delivery_id, endpoint_id, session_id, seq, state, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
  );
  const dueDeliveries = db.prepare<[string, number, number], DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE endpoint_id IN (SELECT value FROM json_each(?))
       AND state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, rowid LIMIT ?`,
  );
  const leaseDelivery = db.prepare('UPDATE webhook_deliveries SET next_attempt_at = ? WHERE delivery_id = ?');
  const recordAttempt = db.prepare(
    `UPDATE webhook_deliveries SET attempts = attempts + 1, state = ?, next_attempt_at = ?, last_attempt_at = ?, last_status = ?, last_error = ?
     WHERE delivery_id = ? AND state = 'pending' AND next_attempt_at = ?`,
  );
  const releaseDelivery = db.prepare("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE delivery_id = ? AND state = 'pending' AND next_attempt_at = ?");
  const listDeliveries = db.prepare<[{ sessionId: string | null; state: string | null; limit: number }], DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE (@sessionId IS NULL OR session_id = @sessionId) AND (@state IS NULL OR state = @state)
     ORDER BY rowid LIMIT @limit`,
  );
  const replayDelivery = db.prepare<[number, string], DeliveryRow>(
    `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE delivery_id = ? RETURNING ${DELIVERY_COLUMNS}`,
  );
  const disableEndpoint = db.prepare(
    `INSERT INTO webhook_disabled_endpoints (endpoint_id, config, disabled_at) VALUES (?, ?, ?)
     ON CONFLICT (endpoint_id) DO UPDATE SET config = excluded.config, disabled_at = excluded.disabled_at`,
  );
  const disabledEndpoints = db.prepare<[], DisabledEndpoint>('SELECT endpoint_id AS endpointId, config, disabled_at AS at FROM webhook_disabled_endpoints');
  const claimDeliveries = db.transaction((endpointIds: readonly string[], now: number, leaseMs: number, limit: number): StoredDelivery[] => {
    const due = dueDeliveries.all(JSON.stringify(endpointIds), now, limit).map(toDelivery);
    for (const delivery of due) leaseDelivery.run((delivery.nextAttemptAt = now + leaseMs), delivery.deliveryId);
    return due;
  });
  const events = db.prepare<[string, number, number], { event: string }>('SELECT event FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?');

  const read = (row: { record: string } | undefined) => (row ? (JSON.parse(row.record) as SessionRecord) : undefined);
  /** The columns a record's state is queried by: open, ended_at, holds_media. */
  const indexed = (record: SessionRecord) => [record.clock.endedAt === null ? 1 : 0, record.clock.endedAt, holdsMedia(record) ? 1 : 0] as const;

  const create = db.transaction((record: SessionRecord): SessionRecord => {
    const { changes } = insertSession.run(record.sessionId, record.examId, record.candidateId, ...indexed(record), JSON.stringify(record));
    return changes === 1 ? record : read(byCandidate.get(record.examId, record.candidateId))!;
  });

  // better-sqlite3 runs a transaction synchronously: nothing else of this process, and no other writer, runs meanwhile.
  const update = db.transaction((sessionId: string, change: SessionChanger): Committed => {
    const stored = read(session.get(sessionId));
    if (!stored) throw new KitError('not-found', `Session ${sessionId} does not exist.`);
    let seq = lastSeq.get(sessionId)!.seq;
    const { record, events: toAppend } = change(stored, seq);
    if (record) updateSession.run(...indexed(record), JSON.stringify(record), sessionId);
    const appended: SessionEvent[] = [];
    for (const { draft, clientEventId, notify = [] } of toAppend) {
      const event: SessionEvent = { ...draft, seq: seq + 1 };
      const { changes } = insertEvent.run(sessionId, event.seq, clientEventId ?? null, JSON.stringify(event));
      if (changes === 0) continue;
      seq = event.seq;
      appended.push(event);
      for (const endpointId of notify) insertDelivery.run(deliveryId(endpointId, sessionId, seq), endpointId, sessionId, seq, draft.at, draft.at);
    }
    return { record: structuredClone(record ?? stored), events: appended, lastSeq: seq };
  });

  return {
    async getSession(sessionId) {
      return read(session.get(sessionId));
    },
    async findSession(examId, candidateId) {
      return read(byCandidate.get(examId, candidateId));
    },
    async listSessions(examId) {
      return byExam.all(examId).map((row) => read(row)!);
    },
    async listOpenSessions() {
      return openSessions.all().map((row) => read(row)!);
    },
    async listEndedWithMedia(endedBefore, limit) {
      return endedWithMedia.all(endedBefore, limit).map((row) => read(row)!);
    },
    async createSession(record) {
      return structuredClone(create(record));
    },
    async update(sessionId, change) {
      return update(sessionId, change);
    },
    async listEvents(sessionId, afterSeq, limit) {
      return events.all(sessionId, afterSeq, limit).map((row) => JSON.parse(row.event) as SessionEvent);
    },
    async lastSeq(sessionId) {
      return lastSeq.get(sessionId)!.seq;
    },
    async putPairing(pairing, now, usedUntil) {
      return putPairing(pairing, now, usedUntil);
    },
    async takePairing(keyHash, now, usedUntil) {
      return takePairing(keyHash, now, usedUntil);
    },
    async getProviderRecord(sessionId) {
      const row = providerRecord.get(sessionId);
      return row ? (JSON.parse(row.record) as unknown) : undefined;
    },
    async putProviderRecord(sessionId, record) {
      putProviderRecord.run(sessionId, JSON.stringify(record));
    },
    async deleteProviderRecord(sessionId) {
      deleteProviderRecord.run(sessionId);
    },
    async putRevocation(personKey, at) {
      putRevocation.run(personKey, at);
    },
    async listRevocations(since) {
      return revocationsSince.all(since);
    },
    async claimDeliveries(endpointIds, now, leaseMs, limit) {
      return claimDeliveries(endpointIds, now, leaseMs, limit);
    },
    async recordAttempt({ deliveryId: id, nextAttemptAt }, outcome) {
      return recordAttempt.run(...attemptValues(outcome), id, nextAttemptAt).changes === 1;
    },
    async releaseDelivery({ deliveryId: id, nextAttemptAt }, now) {
      releaseDelivery.run(now, id, nextAttemptAt);
    },
    async listDeliveries({ sessionId, state, limit }) {
      return listDeliveries.all({ sessionId: sessionId ?? null, state: state ?? null, limit }).map(toDelivery);
    },
    async replayDelivery(id, now) {
      const row = replayDelivery.get(now, id);
      return row && toDelivery(row);
    },
    async disableEndpoint({ endpointId, config, at }) {
      disableEndpoint.run(endpointId, config, at);
    },
    async listDisabledEndpoints() {
      return disabledEndpoints.all();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

type PairingRow = StoredPairing & { usedUntil: number | null };

function migrate(db: BetterSqlite3.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new KitError('internal', `sqliteStore: the database is of a newer Proctorkit (schema ${current}; this one knows ${MIGRATIONS.length}).`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
