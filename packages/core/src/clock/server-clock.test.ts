import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import type { ControlChannel, PingSample } from '../channel/control-channel.js';
import { ServerClock } from './server-clock.js';

const realDateNow = Date.now;
const SKEW_MS = 7 * 60_000;

/** The server's true time: this machine's real clock plus a skew. */
const trueServerTime = () => realDateNow() + SKEW_MS;

/** A channel whose pings take `rttMs` and answer with the server's true time at mid-trip. */
function fakeChannel(rttMs: () => number) {
  let welcome: ((detail: { serverTime: number }) => void) | undefined;
  const channel = {
    onEvent: (_type: string, handler: (detail: { serverTime: number }) => void) => {
      welcome = handler;
      return () => undefined;
    },
    async ping(): Promise<PingSample> {
      const sentAt = performance.now();
      const rtt = rttMs();
      await new Promise((resolve) => setTimeout(resolve, rtt / 2));
      const serverTime = trueServerTime();
      await new Promise((resolve) => setTimeout(resolve, rtt / 2));
      return { sentAt, receivedAt: performance.now(), serverTime };
    },
  };
  return { channel: channel as unknown as ControlChannel, welcome: () => welcome!({ serverTime: trueServerTime() }) };
}

afterEach(() => {
  Date.now = realDateNow;
});

test('estimates the server time within a few milliseconds on a steady link', async () => {
  const { channel } = fakeChannel(() => 20);
  const clock = new ServerClock(channel, { resyncMs: 60_000 });
  await clock.sync();
  assert.ok(Math.abs(clock.now() - trueServerTime()) < 15, `off by ${clock.now() - trueServerTime()} ms`);
  clock.close();
});

test('a slow sample does not throw the estimate off: the median wins', async () => {
  const rtts = [10, 10, 900, 10, 10];
  const { channel } = fakeChannel(() => rtts.shift() ?? 10);
  const clock = new ServerClock(channel, { samples: 5, resyncMs: 60_000 });
  await clock.sync();
  assert.ok(Math.abs(clock.now() - trueServerTime()) < 15, `off by ${clock.now() - trueServerTime()} ms`);
  clock.close();
});

test('moving the computer clock does not move the exam clock', async () => {
  const { channel } = fakeChannel(() => 10);
  const clock = new ServerClock(channel, { resyncMs: 60_000 });
  await clock.sync();
  Date.now = () => realDateNow() + 3_600_000;
  assert.ok(Math.abs(clock.now() - trueServerTime()) < 1_000, `off by ${clock.now() - trueServerTime()} ms`);
  await clock.sync();
  assert.ok(Math.abs(clock.now() - trueServerTime()) < 1_000, `off by ${clock.now() - trueServerTime()} ms after a resync`);
  clock.close();
});

test('the welcome gives a first estimate before any sample comes back', () => {
  const { channel, welcome } = fakeChannel(() => 10);
  const clock = new ServerClock(channel, { resyncMs: 60_000 });
  assert.equal(clock.ready, false);
  welcome();
  assert.equal(clock.ready, true);
  assert.ok(Math.abs(clock.now() - trueServerTime()) < 50);
  clock.close();
});
