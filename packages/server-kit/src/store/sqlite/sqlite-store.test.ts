import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { describeStore } from '../store-conformance.js';
import { photo, run, session } from '../store-test-records.js';
import { MIGRATIONS } from './migrations.js';
import { sqliteStore } from './sqlite-store.js';

async function temporaryPath(t: TestContext): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'proctorkit-sqlite-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  return join(directory, 'data', 'proctorkit.db');
}

describeStore('sqliteStore', async (t) => {
  const path = await temporaryPath(t);
  const store = sqliteStore({ path });
  t.after(() => store.close());
  return { store, reopen: async () => sqliteStore({ path }) };
});

describe('sqliteStore', () => {
  test('brings a database up to the newest schema, and refuses one of a newer Proctorkit', async (t) => {
    const path = await temporaryPath(t);
    await sqliteStore({ path }).close();
    const db = new BetterSqlite3(path);
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    assert.throws(() => sqliteStore({ path }), /newer Proctorkit/);
  });

  test('upgrades a database of schema 4 with sessions: a retention sweep then finds those that ended with media', async (t) => {
    const path = await temporaryPath(t);
    await mkdir(dirname(path), { recursive: true });
    const db = new BetterSqlite3(path);
    db.exec(MIGRATIONS.slice(0, 4).join(';'));
    db.pragma('user_version = 4');
    const sessions = [
      { ...session('with-run', 2000), recordings: [run('run-1')] },
      { ...session('with-photo', 1000), identity: { status: 'approved' as const, photos: [photo] } },
      session('without-media', 500),
      { ...session('still-open', null), recordings: [run('run-1')] },
    ];
    const insert = db.prepare('INSERT INTO sessions (session_id, exam_id, candidate_id, open, record) VALUES (?, ?, ?, ?, ?)');
    for (const s of sessions) insert.run(s.sessionId, s.examId, s.candidateId, s.clock.endedAt === null ? 1 : 0, JSON.stringify(s));
    db.close();

    const store = sqliteStore({ path });
    t.after(() => store.close());
    assert.deepEqual(await store.listEndedWithMedia(10_000, 10), [sessions[1], sessions[0]]);
  });

  test('refuses a synchronous setting it does not know', () => {
    assert.throws(() => sqliteStore({ path: ':memory:', synchronous: 'off' as never }), /synchronous/);
  });
});
