/**
 * The tests every {@link KitBus} passes unchanged (local, Redis), as the store conformance suite
 * does for stores: two buses of one suite are two instances of one deployment.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test, type TestContext } from 'node:test';
import type { KitBus } from './kit-bus.js';

/** Opens `count` buses connected to each other and to nothing else; the suite closes them. */
export type OpenBuses = (t: TestContext, count: number) => Promise<KitBus[]>;

/** Subscribes `bus` to `topic`; `messages` resolves with the first `count` it receives. */
export async function collect(bus: KitBus, topic: string, count: number, timeoutMs = 3000): Promise<{ messages: Promise<string[]> }> {
  const received: string[] = [];
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  await bus.subscribe(topic, (message) => {
    received.push(message);
    if (received.length === count) done();
  });
  const timeout = sleep(timeoutMs, undefined, { ref: false }).then(() => {
    throw new Error(`got ${received.length} of ${count} messages on ${topic}`);
  });
  return { messages: Promise.race([all, timeout]).then(() => received) };
}

export function describeBus(name: string, open: OpenBuses): void {
  describe(`${name} bus (conformance)`, () => {
    test('a message reaches every subscriber, the publisher too, in the order published', async (t) => {
      const [a, b] = await open(t, 2);
      const atA = await collect(a!, 'changes', 200);
      const atB = await collect(b!, 'changes', 200);
      const sent = Array.from({ length: 200 }, (_, i) => JSON.stringify({ n: i }));
      await Promise.all(sent.map((message) => a!.publish('changes', message)));
      assert.deepEqual(await atB.messages, sent);
      assert.deepEqual(await atA.messages, sent);
    });

    test('topics are apart: a subscriber hears only its own', async (t) => {
      const [a, b] = await open(t, 2);
      const other: string[] = [];
      await b!.subscribe('instance.x', (message) => other.push(message));
      const mine = await collect(b!, 'instance.y', 1);
      await a!.publish('instance.y', 'for y');
      assert.deepEqual(await mine.messages, ['for y']);
      await sleep(50);
      assert.deepEqual(other, []);
    });

    test('a message is delivered after publish returns, never inside it', async (t) => {
      const [a] = await open(t, 1);
      let inside = true;
      let heardInside: boolean | undefined;
      await a!.subscribe('t', () => (heardInside = inside));
      const publishing = a!.publish('t', 'm');
      inside = false;
      await publishing;
      for (let i = 0; i < 100 && heardInside === undefined; i++) await sleep(10);
      assert.equal(heardInside, false);
    });

    test('a closed bus hears nothing more', async (t) => {
      const [a, b] = await open(t, 2);
      const heard: string[] = [];
      await b!.subscribe('t', (message) => heard.push(message));
      await b!.close();
      await a!.publish('t', 'after close');
      await sleep(100);
      assert.deepEqual(heard, []);
    });

    test('a bucket is shared by every instance: what one spent, the others cannot', async (t) => {
      const [a, b] = await open(t, 2);
      const key = `budget-${Math.random()}`;
      for (const bus of [a, b, a, b, a]) assert.equal(await bus!.take(key, 1, 5, 1), 0);
      const wait = await b!.take(key, 1, 5, 1);
      assert.ok(wait > 0 && wait <= 1000, `waits ${wait} ms for one token at 1/s`);
      assert.ok((await a!.take(key, 1, 5, 1)) > 0, 'refused on the other instance too');
      // Another key is untouched.
      assert.equal(await a!.take(`${key}-other`, 5, 5, 1), 0);
    });

    test('a refused take spends nothing, and the bucket refills at its rate', async (t) => {
      const [a, b] = await open(t, 2);
      const key = `refill-${Math.random()}`;
      assert.equal(await a!.take(key, 4, 4, 20), 0);
      const wait = await b!.take(key, 2, 4, 20);
      assert.ok(wait > 0 && wait <= 100, `waits ${wait} ms for two tokens at 20/s`);
      await sleep(wait + 30);
      assert.equal(await b!.take(key, 2, 4, 20), 0, 'refilled after the wait it named');
    });

    test('a cost of 0 spends nothing and tells whether one token is there', async (t) => {
      const [a, b] = await open(t, 2);
      const key = `peek-${Math.random()}`;
      assert.equal(await a!.take(key, 0, 2, 1), 0);
      assert.equal(await a!.take(key, 0, 2, 1), 0, 'a peek spent nothing');
      assert.equal(await a!.take(key, 2, 2, 1), 0);
      const wait = await b!.take(key, 0, 2, 1);
      assert.ok(wait > 0 && wait <= 1000, `an empty bucket: waits ${wait} ms`);
    });

    test('a cost above the capacity never fits: it waits a whole refill', async (t) => {
      const [a] = await open(t, 1);
      const wait = await a!.take(`big-${Math.random()}`, 11, 10, 5);
      assert.equal(wait, 2000);
    });
  });
}
