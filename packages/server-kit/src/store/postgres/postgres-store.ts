import { createRequire } from 'node:module';
import type * as Pg from 'pg';
import type { SessionEvent } from '@proctorkit/core/protocol';
import { KitError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { holdsMedia } from '../holds-media.js';
import { deliveryId } from '../delivery-id.js';
import { DELIVERY_COLUMNS, attemptValues, toDelivery, type DeliveryRow } from '../delivery-row.js';
import type { Committed, KitStore, SessionChanger, StoredPairing } from '../kit-store.js';
import type { SessionRecord } from '../session-store.js';
import { MIGRATIONS } from './migrations.js';

/** Options of {@link postgresStore}. */
export interface PostgresStoreOptions {
  /** e.g. `postgres://user:password@db.internal:5432/exams`. */
  connectionString: string;
  /** The schema the kit's tables live in, created when missing. Default: `'proctorkit'`. */
  schema?: string;
  /** Connections in the pool. Default: 10. */
  maxConnections?: number;
  /** Where a connection's failure is reported (the pool replaces it). Default: the console. */
  logger?: Logger;
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;
/** One advisory lock key for the kit's migrations, whatever the schema. */
const MIGRATION_LOCK = 0x70726f63;

/**
 * The shared durable store for several kit instances: PostgreSQL through `pg` (loaded only when
 * called). Each commit is one transaction holding the session's row, so the next `seq` is taken
 * there and no two instances can give out the same one.
 */
export function postgresStore(options: PostgresStoreOptions): KitStore {
  if (typeof options.connectionString !== 'string' || !/^postgres(ql)?:\/\//.test(options.connectionString)) {
    throw new KitError('bad-message', 'postgresStore: `connectionString` must be a postgres:// URL.');
  }
  const schema = options.schema ?? 'proctorkit';
  if (!SCHEMA.test(schema)) throw new KitError('bad-message', 'postgresStore: `schema` must be a lowercase SQL name.');
  const { Pool } = createRequire(import.meta.url)('pg') as typeof Pg;
  const pool = new Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10, options: `-c search_path=${schema}` });
  // A connection that dies while idle (the server restarted) must not end the process: the pool makes a new one.
  pool.on('error', (error) => (options.logger ?? console).warn(`postgresStore: a connection failed: ${error.message}`));
  const ready = migrate(pool, schema);
  ready.catch(() => {});

  const query = async <R extends Pg.QueryResultRow>(text: string, values: unknown[] = []) => {
    await ready;
    return (await pool.query<R>(text, values)).rows;
  };
  const records = (rows: { record: SessionRecord }[]) => rows.map((row) => row.record);
  /** The columns a record's state is queried by: open, ended_at, holds_media. */
  const indexed = (record: SessionRecord) => [record.clock.endedAt === null, record.clock.endedAt, holdsMedia(record)] as const;
  const findSession = async (examId: string, candidateId: string) =>
    records(await query('SELECT record FROM sessions WHERE exam_id = $1 AND candidate_id = $2', [examId, candidateId]))[0];

  async function transaction<T>(work: (client: Pg.PoolClient) => Promise<T>): Promise<T> {
    await ready;
    return inTransaction(pool, work);
  }

  return {
    async getSession(sessionId) {
      return records(await query('SELECT record FROM sessions WHERE session_id = $1', [sessionId]))[0];
    },
    findSession,
    async listSessions(examId) {
      return records(await query('SELECT record FROM sessions WHERE exam_id = $1 ORDER BY created', [examId]));
    },
    async listOpenSessions() {
      return records(await query('SELECT record FROM sessions WHERE open'));
    },
    async listEndedWithMedia(endedBefore, limit) {
      return records(
        await query('SELECT record FROM sessions WHERE holds_media AND ended_at IS NOT NULL AND ended_at < $1 ORDER BY ended_at, created LIMIT $2', [endedBefore, limit]),
      );
    },
    async createSession(record) {
      const inserted = await query<{ record: SessionRecord }>(
        `INSERT INTO sessions (session_id, exam_id, candidate_id, open, ended_at, holds_media, record) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (exam_id, candidate_id) DO NOTHING RETURNING record`,
        [record.sessionId, record.examId, record.candidateId, ...indexed(record), record],
      );
      return inserted[0]?.record ?? (await findSession(record.examId, record.candidateId))!;
    },
    update(sessionId, change: SessionChanger): Promise<Committed> {
      return transaction(async (client) => {
        // The row stays locked until the commit: another instance's update of the session waits here.
        const held = await client.query<{ last_seq: string; record: SessionRecord }>('SELECT last_seq, record FROM sessions WHERE session_id = $1 FOR UPDATE', [sessionId]);
        if (held.rowCount === 0) throw new KitError('not-found', `Session ${sessionId} does not exist.`);
        const stored = held.rows[0]!.record;
        let seq = Number(held.rows[0]!.last_seq);
        const { record, events: toAppend } = change(structuredClone(stored), seq);
        const appended: SessionEvent[] = [];
        for (const { draft, clientEventId, notify = [] } of toAppend) {
          const event: SessionEvent = { ...draft, seq: seq + 1 };
          const { rowCount } = await client.query(
            `INSERT INTO events (session_id, seq, client_event_id, event) VALUES ($1, $2, $3, $4)
             ON CONFLICT (session_id, client_event_id) WHERE client_event_id IS NOT NULL DO NOTHING`,
            [sessionId, event.seq, clientEventId ?? null, event],
          );
          if (rowCount === 0) continue;
          seq = event.seq;
          appended.push(event);
          for (const endpointId of notify) {
            await client.query(
              `INSERT INTO webhook_deliveries (delivery_id, endpoint_id, session_id, seq, state, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, 'pending', $5, $5)`,
              [deliveryId(endpointId, sessionId, seq), endpointId, sessionId, seq, draft.at],
            );
          }
        }
        if (record) {
          await client.query('UPDATE sessions SET open = $2, ended_at = $3, holds_media = $4, record = $5, last_seq = $6 WHERE session_id = $1', [sessionId, ...indexed(record), record, seq]);
        } else if (appended.length > 0) {
          await client.query('UPDATE sessions SET last_seq = $2 WHERE session_id = $1', [sessionId, seq]);
        }
        return { record: record ?? stored, events: appended, lastSeq: seq };
      });
    },
    async listEvents(sessionId, afterSeq, limit) {
      const rows = await query<{ event: SessionEvent }>('SELECT event FROM events WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [sessionId, afterSeq, limit]);
      return rows.map((row) => row.event);
    },
    async lastSeq(sessionId) {
      const rows = await query<{ last_seq: string }>('SELECT last_seq FROM sessions WHERE session_id = $1', [sessionId]);
      return rows[0] ? Number(rows[0].last_seq) : 0;
    },
    putPairing(pairing, now, usedUntil) {
      return transaction(async (client) => {
        await client.query('DELETE FROM pairings WHERE COALESCE(used_until, expires_at) <= $1', [now]);
        const taken = await client.query('SELECT 1 FROM pairings WHERE key_hash = ANY($1) FOR UPDATE', [[pairing.linkHash, pairing.codeHash]]);
        if (taken.rowCount) return false;
        await client.query('UPDATE pairings SET used_until = $1 WHERE session_id = $2 AND used_until IS NULL', [usedUntil, pairing.sessionId]);
        for (const key of [pairing.linkHash, pairing.codeHash]) {
          await client.query(
            'INSERT INTO pairings (key_hash, pairing_id, session_id, link_hash, code_hash, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
            [key, pairing.pairingId, pairing.sessionId, pairing.linkHash, pairing.codeHash, pairing.expiresAt],
          );
        }
        return true;
      });
    },
    takePairing(keyHash, now, usedUntil) {
      return transaction(async (client) => {
        // Locks both keys' rows: a redeem of the same pairing by its other key, on another instance, waits and then sees it used.
        const rows = (
          await client.query<{ pairing_id: string; session_id: string; link_hash: string; code_hash: string; expires_at: string; used_until: string | null }>(
            'SELECT * FROM pairings WHERE pairing_id IN (SELECT pairing_id FROM pairings WHERE key_hash = $1) FOR UPDATE',
            [keyHash],
          )
        ).rows;
        const row = rows[0];
        if (!row) return undefined;
        if (row.used_until !== null) return Number(row.used_until) > now ? ('used' as const) : undefined;
        const pairing: StoredPairing = { pairingId: row.pairing_id, sessionId: row.session_id, linkHash: row.link_hash, codeHash: row.code_hash, expiresAt: Number(row.expires_at) };
        if (pairing.expiresAt <= now) return undefined;
        await client.query('UPDATE pairings SET used_until = $1 WHERE pairing_id = $2', [usedUntil, pairing.pairingId]);
        return pairing;
      });
    },
    async getProviderRecord(sessionId) {
      return (await query<{ record: unknown }>('SELECT record FROM provider_records WHERE session_id = $1', [sessionId]))[0]?.record;
    },
    async putProviderRecord(sessionId, record) {
      await query(
        'INSERT INTO provider_records (session_id, record) VALUES ($1, $2) ON CONFLICT (session_id) DO UPDATE SET record = excluded.record',
        [sessionId, JSON.stringify(record)],
      );
    },
    async deleteProviderRecord(sessionId) {
      await query('DELETE FROM provider_records WHERE session_id = $1', [sessionId]);
    },
    async putRevocation(personKey, at) {
      await query(
        'INSERT INTO revocations (person_key, revoked_at) VALUES ($1, $2) ON CONFLICT (person_key) DO UPDATE SET revoked_at = excluded.revoked_at',
        [personKey, at],
      );
    },
    async listRevocations(since) {
      const rows = await query<{ person_key: string; revoked_at: string }>('SELECT person_key, revoked_at FROM revocations WHERE revoked_at >= $1', [since]);
      return rows.map((row) => ({ personKey: row.person_key, at: Number(row.revoked_at) }));
    },
    async claimDeliveries(endpointIds, now, leaseMs, limit) {
      // SKIP LOCKED: another instance claiming at the same moment takes other rows, never these.
      const rows = await query<DeliveryRow & { due_at: string; queued: string }>(
        `WITH due AS (
           SELECT delivery_id AS claimed_id, next_attempt_at AS due_at, created AS queued FROM webhook_deliveries
           WHERE state = 'pending' AND next_attempt_at <= $2 AND endpoint_id = ANY($1)
           ORDER BY next_attempt_at, created LIMIT $4 FOR UPDATE SKIP LOCKED
         )
         UPDATE webhook_deliveries SET next_attempt_at = $3 FROM due WHERE delivery_id = claimed_id
         RETURNING ${DELIVERY_COLUMNS}, due_at, queued`,
        [endpointIds, now, now + leaseMs, limit],
      );
      // RETURNING keeps no order: the oldest due first, as claimed.
      return rows.sort((a, b) => Number(a.due_at) - Number(b.due_at) || Number(a.queued) - Number(b.queued)).map(toDelivery);
    },
    async recordAttempt({ deliveryId: id, nextAttemptAt }, outcome) {
      const rows = await query(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, state = $1, next_attempt_at = $2, last_attempt_at = $3, last_status = $4, last_error = $5
         WHERE delivery_id = $6 AND state = 'pending' AND next_attempt_at = $7 RETURNING 1`,
        [...attemptValues(outcome), id, nextAttemptAt],
      );
      return rows.length === 1;
    },
    async releaseDelivery({ deliveryId: id, nextAttemptAt }, now) {
      await query("UPDATE webhook_deliveries SET next_attempt_at = $1 WHERE delivery_id = $2 AND state = 'pending' AND next_attempt_at = $3", [now, id, nextAttemptAt]);
    },
    async listDeliveries({ sessionId, state, limit }) {
      const rows = await query<DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE ($1::text IS NULL OR session_id = $1) AND ($2::text IS NULL OR state = $2) ORDER BY created LIMIT $3`,
        [sessionId ?? null, state ?? null, limit],
      );
      return rows.map(toDelivery);
    },
    async replayDelivery(id, now) {
      const rows = await query<DeliveryRow>(
        `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = $1 WHERE delivery_id = $2 RETURNING ${DELIVERY_COLUMNS}`,
        [now, id],
      );
      return rows[0] && toDelivery(rows[0]);
    },
    async disableEndpoint({ endpointId, config, at }) {
      await query(
        `INSERT INTO webhook_disabled_endpoints (endpoint_id, config, disabled_at) VALUES ($1, $2, $3)
         ON CONFLICT (endpoint_id) DO UPDATE SET config = excluded.config, disabled_at = excluded.disabled_at`,
        [endpointId, config, at],
      );
    },
    async listDisabledEndpoints() {
      const rows = await query<{ endpoint_id: string; config: string; disabled_at: string }>('SELECT endpoint_id, config, disabled_at FROM webhook_disabled_endpoints');
      return rows.map((row) => ({ endpointId: row.endpoint_id, config: row.config, at: Number(row.disabled_at) }));
    },
    async close() {
      await ready.catch(() => {});
      await pool.end();
    },
  };
}

/** Runs `work` in one transaction on a connection of the pool: committed if it resolves, rolled back if it throws. */
async function inTransaction<T>(pool: Pg.Pool, work: (client: Pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A connection lost mid-transaction is also emitted as an 'error' event: with no listener it
  // would end the process. The query that failed carries it to the caller.
  let lost: Error | undefined;
  const onError = (error: Error) => (lost = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (!lost) await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.off('error', onError);
    // A lost connection goes back destroyed, not to be handed out again.
    client.release(lost);
  }
}

function migrate(pool: Pg.Pool, schema: string): Promise<void> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query('CREATE TABLE IF NOT EXISTS proctorkit_schema (version integer NOT NULL)');
    const rows = (await client.query<{ version: number }>('SELECT version FROM proctorkit_schema')).rows;
    const current = rows[0]?.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new KitError('internal', `postgresStore: the database is of a newer Proctorkit (schema ${current}; this one knows ${MIGRATIONS.length}).`);
    }
    for (let version = current; version < MIGRATIONS.length; version++) await client.query(MIGRATIONS[version]!);
    if (rows.length === 0) await client.query('INSERT INTO proctorkit_schema (version) VALUES ($1)', [MIGRATIONS.length]);
    else await client.query('UPDATE proctorkit_schema SET version = $1', [MIGRATIONS.length]);
  });
}
