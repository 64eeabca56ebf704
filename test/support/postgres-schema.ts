import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the end-to-end tests use: the machine's, unless `PROCTOR_TEST_DATABASE_URL` says otherwise. */
export const TEST_DATABASE_URL = process.env.PROCTOR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A schema name of the test's own, so runs never see each other's sessions. */
export function testSchemaName(): string {
  return `proctorkit_e2e_${randomBytes(6).toString('hex')}`;
}

/** Removes a test's schema and everything in it. */
export async function dropSchema(schema: string, url = TEST_DATABASE_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
