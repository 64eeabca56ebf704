import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test, type TestContext } from 'node:test';
import pg from 'pg';
import { newClock, noFeeds } from '@proctorkit/core/protocol';
import { describeStore } from '../store-conformance.js';
import { postgresStore } from './postgres-store.js';

/** The PostgreSQL the tests use: this machine kind's own, unless the environment names another. */
const TEST_DATABASE_URL = process.env.PROCTOR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A schema of the test's own, dropped after it. */
async function testSchema(t: TestContext): Promise<string> {
  const schema = `proctorkit_test_${randomBytes(6).toString('hex')}`;
  t.after(async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });
  return schema;
}

describeStore('postgresStore', async (t) => {
  const schema = await testSchema(t);
  const store = postgresStore({ connectionString: TEST_DATABASE_URL, schema });
  t.after(() => store.close().catch(() => {}));
  return { store, reopen: async () => postgresStore({ connectionString: TEST_DATABASE_URL, schema }) };
});

describe('postgresStore', () => {
  test('two stores on one database (two instances) never give out the same seq nor lose an update, whatever their interleaving', async (t) => {
    const schema = await testSchema(t);
    const a = postgresStore({ connectionString: TEST_DATABASE_URL, schema });
    const b = postgresStore({ connectionString: TEST_DATABASE_URL, schema });
    t.after(() => Promise.all([a.close(), b.close()]));
    const session = await a.createSession({
      sessionId: 'shared-session',
      examId: 'exam-1',
      candidateId: 'ada',
      name: 'Ada',
      connected: false,
      feeds: noFeeds(),
      joinedAt: 1,
      clock: newClock(60_000),
    });
    const draft = (i: number) => ({ draft: { type: `log.step-${i}`, at: i, source: 'server' as const, data: {} } });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).update(session.sessionId, (stored) => ({ record: { ...stored, joinedAt: stored.joinedAt + 1 }, events: [draft(i)] })),
      ),
    );
    const events = await a.listEvents(session.sessionId, 0, 100);
    assert.deepEqual(events.map((e) => e.seq), Array.from({ length: 40 }, (_, i) => i + 1));
    assert.equal(new Set(events.map((e) => e.type)).size, 40, 'every update is in the log once');
    assert.equal((await b.getSession(session.sessionId))?.joinedAt, 41, 'no update overwrote another');
  });

  test('refuses settings that are not a postgres URL or a schema name', () => {
    assert.throws(() => postgresStore({ connectionString: 'mysql://x' }), /postgres:\/\//);
    assert.throws(() => postgresStore({ connectionString: TEST_DATABASE_URL, schema: 'x; DROP TABLE y' }), /schema/);
  });
});
