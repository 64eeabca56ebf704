import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import pg from 'pg';

/** The PostgreSQL the tests and benches use: this machine kind's own, unless the environment names another. */
export const TEST_DATABASE_URL = process.env.PROCTOR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A schema name of its own, so runs never see each other's sessions. */
export function testSchemaName(): string {
  return `proctorkit_test_${randomBytes(6).toString('hex')}`;
}

/** Removes a schema and everything in it. */
export async function dropSchema(schema: string, url = TEST_DATABASE_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** A schema of the test's own, dropped after it. */
export async function testSchema(t: TestContext): Promise<string> {
  const schema = testSchemaName();
  t.after(() => dropSchema(schema));
  return schema;
}
