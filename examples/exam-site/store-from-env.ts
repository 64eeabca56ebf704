import { postgresStore, sqliteStore, type KitStore } from '@proctorkit/server-kit';
import type { DataDir } from './data-dir.js';
import { withoutPassword } from './without-password.js';

/** The store the environment asks for, and a line saying which it is; or why it cannot be had. */
export type StoreChoice = { ok: true; store: KitStore; summary: string } | { ok: false; message: string };

/**
 * Reads the demo site's store from the environment:
 *
 * - `PROCTOR_DATABASE_URL`: a `postgres://` URL puts sessions in PostgreSQL (for several instances);
 *   `PROCTOR_SECRET` is then required, since every instance must sign alike. Without it, SQLite in
 *   the data directory.
 * - `PROCTOR_DATABASE_SCHEMA`: the schema in that database. Default: `proctorkit`.
 */
export function storeFromEnv(env: NodeJS.ProcessEnv, data: DataDir): StoreChoice {
  const url = env.PROCTOR_DATABASE_URL?.trim();
  if (!url) return { ok: true, store: sqliteStore({ path: data.database }), summary: `SQLite in ${data.database}` };
  if (!/^postgres(ql)?:\/\/[^\s/]+/.test(url)) {
    return { ok: false, message: 'PROCTOR_DATABASE_URL must be a postgres:// URL such as postgres://user@127.0.0.1:5432/exams.' };
  }
  if ((env.PROCTOR_SECRET ?? '').length < 32) {
    return { ok: false, message: 'PROCTOR_SECRET (at least 32 characters) is required with PROCTOR_DATABASE_URL: every instance must sign tokens alike.' };
  }
  const schema = env.PROCTOR_DATABASE_SCHEMA?.trim() || 'proctorkit';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) return { ok: false, message: 'PROCTOR_DATABASE_SCHEMA must be a lowercase SQL name such as proctorkit.' };
  return { ok: true, store: postgresStore({ connectionString: url, schema }), summary: `PostgreSQL, schema ${schema} (${withoutPassword(url, 'postgres://…')})` };
}
