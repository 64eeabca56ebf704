import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import pg from 'pg';

/** The PostgreSQL the tests use: this machine kind's own, unless the environment names another. */
export const TEST_DATABASE_URL = process.env.PROCTOR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A schema of the test's own, dropped after it. */
export async function testSchema(t: TestContext): Promise<string> {
  const schema = `proctorkit_test_${randomBytes(6).toString('hex')}`;
  t.after(async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });
  return schema;
}
