import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';

/** The Redis tests use: `PROCTOR_TEST_REDIS_URL`, by default the machine's own at 127.0.0.1:6379. */
export const TEST_REDIS_URL = process.env.PROCTOR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test uses; its keys are deleted when the test ends. */
export function testPrefix(t: TestContext): string {
  const prefix = `proctorkit-test-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  t.after(async () => {
    const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
    try {
      await redis.connect();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  });
  return prefix;
}
