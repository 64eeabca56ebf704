import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { collect, describeBus } from '../bus-conformance.js';
import { redisBus } from './redis-bus.js';
import { TEST_REDIS_URL, testPrefix } from './redis-test-support.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describeBus('redis', async (t, count) => {
  const prefix = testPrefix(t);
  const buses = Array.from({ length: count }, () => redisBus({ url: TEST_REDIS_URL, prefix, logger: quiet }));
  t.after(() => Promise.all(buses.map((bus) => bus.close())));
  return buses;
});

test('redis bus: a listener cut off by Redis subscribes again and says so, then hears new messages', async (t) => {
  const prefix = testPrefix(t);
  const [a, b] = [redisBus({ url: TEST_REDIS_URL, prefix, logger: quiet }), redisBus({ url: TEST_REDIS_URL, prefix, logger: quiet })];
  t.after(() => Promise.all([a.close(), b.close()]));
  const before = await collect(b, 'changes', 1);
  await a.publish('changes', 'before');
  assert.deepEqual(await before.messages, ['before']);

  let reconnects = 0;
  b.onReconnect(() => reconnects++);
  const admin = new Redis(TEST_REDIS_URL);
  t.after(() => admin.disconnect());
  // What a Redis restart does to every subscriber.
  await admin.client('KILL', 'TYPE', 'pubsub');
  for (let i = 0; i < 100 && reconnects === 0; i++) await sleep(50);
  assert.equal(reconnects, 1, 'onReconnect called once');

  const after = await collect(b, 'changes', 1);
  await a.publish('changes', 'after');
  assert.deepEqual(await after.messages, ['after']);
});

test('redis bus: against a Redis that does not answer, publish and take fail within the command timeout', async (t) => {
  const bus = redisBus({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 300, logger: quiet, redis: { retryStrategy: () => 200 } });
  t.after(() => bus.close());
  const started = Date.now();
  await assert.rejects(bus.publish('t', 'm'));
  await assert.rejects(bus.take('k', 1, 1, 1));
  assert.ok(Date.now() - started < 2000, `failed in ${Date.now() - started} ms`);
});
