import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { describeStore } from '../store-conformance.js';
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

  test('refuses a synchronous setting it does not know', () => {
    assert.throws(() => sqliteStore({ path: ':memory:', synchronous: 'off' as never }), /synchronous/);
  });
});
