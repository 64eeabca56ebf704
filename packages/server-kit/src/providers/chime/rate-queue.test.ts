import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { localBus, LocalBusNetwork } from '../../bus/local/local-bus.js';
import { redisBus } from '../../bus/redis/redis-bus.js';
import { TEST_REDIS_URL } from '../../bus/redis/redis-test-support.js';
import { sharedRate } from '../../limits/shared-rate-limit.js';
import { QueueCancelledError, RateQueue, type Failure } from './rate-queue.js';

class Throttled extends Error {}
class Transient extends Error {}

const classify = (error: unknown): Failure =>
  error instanceof Throttled ? 'throttled' : error instanceof Transient ? 'transient' : 'final';

/** A queue whose tasks log when they start. */
function recording(options: Partial<ConstructorParameters<typeof RateQueue>[0]> = {}) {
  const queue = new RateQueue({ ratePerSecond: 100, classify, backoffBaseMs: 40, random: () => 0.5, ...options });
  const starts: { name: string; at: number }[] = [];
  const t0 = performance.now();
  const task =
    (name: string, ...failures: Error[]) =>
    async () => {
      starts.push({ name, at: performance.now() - t0 });
      const failure = failures.shift();
      if (failure) throw failure;
      return name;
    };
  return { queue, starts, task };
}

describe('RateQueue', () => {
  test('starts requests first come first served, no faster than the rate', async () => {
    const { queue, starts, task } = recording({ ratePerSecond: 50 });
    const names = Array.from({ length: 10 }, (_, i) => `r${i}`);
    assert.deepEqual(await Promise.all(names.map((name) => queue.run(name, task(name)))), names);
    assert.deepEqual(
      starts.map((s) => s.name),
      names,
    );
    // 10 requests at 50/s: the first at once, then one every 20 ms, never ahead of that schedule.
    for (let i = 1; i < starts.length; i++) {
      const since = starts[i]!.at - starts[0]!.at;
      assert.ok(since >= i * 20 - 1, `request ${i} started ${since.toFixed(1)} ms after the first`);
    }
    assert.equal(queue.stats.started, 10);
    assert.equal(queue.stats.waitsMs.length, 10);
  });

  test('retries a throttled request in its own place, after pausing every request', async () => {
    const { queue, starts, task } = recording();
    const results = await Promise.all([
      queue.run('a', task('a', new Throttled(), new Throttled())),
      queue.run('b', task('b')),
      queue.run('c', task('c')),
    ]);
    assert.deepEqual(results, ['a', 'b', 'c']);
    assert.deepEqual(
      starts.map((s) => s.name),
      ['a', 'a', 'a', 'b', 'c'],
    );
    // Equal jitter with random 0.5: 3/4 of 40 ms, then of 80 ms as the failures run on.
    assert.ok(starts[1]!.at - starts[0]!.at >= 29, `first pause ${starts[1]!.at - starts[0]!.at} ms`);
    assert.ok(starts[2]!.at - starts[1]!.at >= 59, `second pause ${starts[2]!.at - starts[1]!.at} ms`);
    assert.equal(queue.stats.throttled, 2);
    assert.equal(queue.stats.failed, 0);
  });

  test('never gives up on throttling, and caps the pause', async () => {
    const { queue, starts, task } = recording({ backoffBaseMs: 5, backoffCapMs: 20 });
    const throttles = Array.from({ length: 12 }, () => new Throttled());
    assert.equal(await queue.run('a', task('a', ...throttles)), 'a');
    assert.equal(starts.length, 13);
    const pauses = starts.slice(1).map((s, i) => s.at - starts[i]!.at);
    // Uncapped, the twelfth pause would be 5 × 2^11 ms, about 10 s.
    assert.ok(Math.max(...pauses) < 500, `pauses ${pauses.map(Math.round).join(', ')} ms stay near the 20 ms cap`);
  });

  test('retries transient failures a few times, then fails; final failures fail at once', async () => {
    const { queue, task } = recording({ maxTransientAttempts: 3, backoffBaseMs: 2 });
    assert.equal(await queue.run('a', task('a', new Transient(), new Transient())), 'a');
    await assert.rejects(queue.run('b', task('b', new Transient(), new Transient(), new Transient())), Transient);
    await assert.rejects(queue.run('c', task('c', new Error('refused'))), /refused/);
    assert.deepEqual(
      { transient: queue.stats.transient, failed: queue.stats.failed, succeeded: queue.stats.succeeded },
      { transient: 5, failed: 2, succeeded: 1 },
    );
  });

  test('tells how many requests come before a key: waiting, or in flight and earlier', async () => {
    const { queue, task } = recording({ ratePerSecond: 10 });
    let answer = () => {};
    const slow = new Promise<string>((resolve) => (answer = () => resolve('a0')));
    const done = [queue.run('a', () => slow), ...['b', 'c', 'b'].map((key, i) => queue.run(key, task(`${key}${i + 1}`)))];
    // 'a' is in flight; b, c and b wait.
    assert.equal(queue.waiting, 3);
    assert.equal(queue.ahead('a'), undefined);
    assert.equal(queue.ahead('b'), 1);
    assert.equal(queue.ahead('c'), 2);
    assert.deepEqual([...queue.positions()], [
      ['b', 1],
      ['c', 2],
    ]);
    answer();
    await Promise.all(done);
    assert.equal(queue.waiting, 0);
    assert.equal(queue.ahead('b'), undefined);
  });

  test('starts housekeeping only when nobody waits for an answer', async () => {
    const { queue, starts, task } = recording();
    const done = [
      queue.run('x', task('later-1'), 'later'),
      queue.run('a', task('now-1')),
      queue.run('y', task('later-2'), 'later'),
      queue.run('b', task('now-2')),
    ];
    // The first request is in flight before the others arrive; housekeeping waits behind 'now'.
    assert.equal(queue.ahead('y'), 3);
    await Promise.all(done);
    assert.deepEqual(
      starts.map((s) => s.name),
      ['later-1', 'now-1', 'now-2', 'later-2'],
    );
  });

  test('refuses the waiting requests of a cancelled key, and everything once closed', async () => {
    const { queue, starts, task } = recording({ ratePerSecond: 5 });
    const first = queue.run('a', task('a0'));
    const cancelled = queue.run('b', task('b1'));
    const kept = queue.run('c', task('c2'));
    queue.cancel('b', 'The session ended.');
    await assert.rejects(cancelled, QueueCancelledError);
    assert.equal(await first, 'a0');
    assert.equal(await kept, 'c2');
    const pending = queue.run('d', task('d3'));
    queue.close();
    await assert.rejects(pending, QueueCancelledError);
    await assert.rejects(queue.run('e', task('e4')), QueueCancelledError);
    assert.deepEqual(
      starts.map((s) => s.name),
      ['a0', 'c2'],
    );
  });

  test('refuses a rate that is not a positive number', () => {
    assert.throws(() => new RateQueue({ ratePerSecond: 0, classify }), RangeError);
    assert.throws(() => new RateQueue({ ratePerSecond: Number.NaN, classify }), RangeError);
  });
});

describe('RateQueue shared by several processes', () => {
  for (const [name, buses] of [
    ['local bus', () => { const network = new LocalBusNetwork(); return [localBus({ network }), localBus({ network })]; }],
    ['Redis', () => { const prefix = `proctorkit-test-rate-${process.pid}-${Math.random().toString(36).slice(2)}`; return [redisBus({ url: TEST_REDIS_URL, prefix }), redisBus({ url: TEST_REDIS_URL, prefix })]; }],
  ] as const) {
    test(`two queues on one shared rate (${name}) start no more than the rate together`, async (t) => {
      const [a, b] = buses();
      t.after(() => Promise.all([a!.close(), b!.close()]));
      const quiet = { debug() {}, info() {}, warn() {}, error() {} };
      const starts: number[] = [];
      const queues = [a!, b!].map((bus) => {
        const queue = new RateQueue({ ratePerSecond: 40, classify });
        queue.share(sharedRate(bus, 'chime-test', 40, quiet));
        return queue;
      });
      t.after(() => queues.forEach((queue) => queue.close()));
      const began = performance.now();
      await Promise.all(queues.flatMap((queue) => Array.from({ length: 30 }, () => queue.run('k', async () => void starts.push(performance.now())))));
      const elapsed = performance.now() - began;
      // 60 starts at 40/s together take ~1.45 s (2 at once, then one per 25 ms); each queue alone would take 0.75 s.
      assert.ok(elapsed >= 1300, `60 starts took ${Math.round(elapsed)} ms: the rate was not shared`);
      for (const at of starts) {
        const inASecond = starts.filter((other) => other >= at && other < at + 1000).length;
        assert.ok(inASecond <= 40 + 3, `${inASecond} starts within one second`);
      }
    });
  }
});
