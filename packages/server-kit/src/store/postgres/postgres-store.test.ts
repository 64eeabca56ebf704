import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newClock, noFeeds } from '@proctorkit/core/protocol';
import { describeStore } from '../store-conformance.js';
import { postgresStore } from './postgres-store.js';
import { TEST_DATABASE_URL, testSchema } from './postgres-test-support.js';

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
