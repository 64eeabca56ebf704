import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { newClock, noFeeds } from '@proctorkit/core/protocol';
import { describeStore } from '../store-conformance.js';
import { photo, run, session } from '../store-test-records.js';
import { MIGRATIONS } from './migrations.js';
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

  test('two stores on one database (two instances) claiming webhook deliveries at once never take the same one', async (t) => {
    const schema = await testSchema(t);
    const a = postgresStore({ connectionString: TEST_DATABASE_URL, schema });
    const b = postgresStore({ connectionString: TEST_DATABASE_URL, schema });
    t.after(() => Promise.all([a.close(), b.close()]));
    const shared = await a.createSession({ ...session('ada', null), sessionId: 'shared-session' });
    const events = Array.from({ length: 60 }, (_, i) => ({ draft: { type: 'session.ended', at: i, source: 'server' as const, data: {} }, notify: ['ep-1'] }));
    await a.update(shared.sessionId, () => ({ events }));
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).claimDeliveries(['ep-1'], 100, 60_000, 7)));
    const seqs = claims.flat().map((d) => d.seq);
    assert.equal(seqs.length, 60, 'every due delivery was claimed');
    assert.equal(new Set(seqs).size, 60, 'none twice');
  });

  test('upgrades a database of schema 4 with sessions: a retention sweep then finds those that ended with media', async (t) => {
    const schema = await testSchema(t);
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    const sessions = [
      { ...session('with-run', 2000), recordings: [run('run-1')] },
      { ...session('with-photo', 1000), identity: { status: 'approved' as const, photos: [photo] } },
      session('without-media', 500),
      { ...session('still-open', null), recordings: [run('run-2')] },
    ];
    try {
      await client.query(`CREATE SCHEMA ${schema}; SET search_path = ${schema}`);
      await client.query(MIGRATIONS.slice(0, 4).join(';'));
      await client.query('CREATE TABLE proctorkit_schema (version integer NOT NULL); INSERT INTO proctorkit_schema VALUES (4)');
      for (const s of sessions) {
        await client.query('INSERT INTO sessions (session_id, exam_id, candidate_id, open, record) VALUES ($1, $2, $3, $4, $5)', [
          s.sessionId,
          s.examId,
          s.candidateId,
          s.clock.endedAt === null,
          s,
        ]);
      }
    } finally {
      await client.end();
    }

    const store = postgresStore({ connectionString: TEST_DATABASE_URL, schema });
    t.after(() => store.close());
    assert.deepEqual(await store.listEndedWithMedia(10_000, 10), [sessions[1], sessions[0]]);
  });

  test('refuses settings that are not a postgres URL or a schema name', () => {
    assert.throws(() => postgresStore({ connectionString: 'mysql://x' }), /postgres:\/\//);
    assert.throws(() => postgresStore({ connectionString: TEST_DATABASE_URL, schema: 'x; DROP TABLE y' }), /schema/);
  });
});
