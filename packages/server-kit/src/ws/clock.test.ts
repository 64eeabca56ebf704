import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clockEndsAt, clockRemainingMs, parse, ServerMessageSchema } from '@proctorkit/core/protocol';
import { START, TestServer, commands, delay, within } from '../test-helpers.js';

const feedState = (feed: string, state: string) => ({ v: 1, type: 'feed.state', feed, state });

/** A 300 ms exam, so expiry is seen within a test. */
const SHORT_EXAM = { examDurationMinutes: 0.005 };
const SHORT_MS = 300;

describe('session.start', () => {
  test('starts the clock and tells the candidate and its supervisors', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.candidate('ada');
    assert.equal(ada.session.clock.startedAt, null, 'the clock waits for the start');
    const before = Date.now();
    ada.client.send(START);

    const updated = await supervisor.client.next('session.updated', (m) => m.session.clock.startedAt !== null);
    const startedAt = updated.session.clock.startedAt!;
    assert.ok(startedAt >= before && startedAt <= Date.now());
    assert.equal(updated.session.clock.durationMs, 60 * 60_000);
    const event = await supervisor.client.nextEvent('session.started');
    assert.deepEqual(event, { seq: updated.session.lastSeq, at: startedAt, type: 'session.started', source: 'candidate', data: { durationMs: 60 * 60_000 } });

    const own = await ada.client.next('session.updated', (m) => m.session.clock.startedAt !== null);
    assert.deepEqual(own.session, updated.session, 'the candidate sees the same clock');
    assert.deepEqual(await ada.client.nextEvent('session.started'), event);
  });

  test('starts only once: a second start changes nothing and tells nobody', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.started('ada');
    await supervisor.client.nextEvent('session.started');
    await delay(5);
    ada.client.send(START);
    ada.client.send(START);
    await ada.client.sync();
    await supervisor.client.sync();
    assert.equal(supervisor.client.sessionEvents().filter((e) => e.type === 'session.started').length, 1);
    assert.equal(ada.client.all('error').length, 1, 'only the sync was refused');
    const session = await server.kit.sessions.get(ada.session.sessionId);
    assert.equal(session?.clock.startedAt, ada.session.clock.startedAt);
  });

  test('keeps the start when the candidate reconnects', async (t) => {
    const server = await TestServer.start(t);
    const first = await server.started('ada');
    await first.client.close();
    const again = await server.candidate('ada');
    assert.equal(again.session.clock.startedAt, first.session.clock.startedAt);
    again.client.send(START);
    await again.client.sync();
    assert.equal((await server.kit.sessions.get(again.session.sessionId))?.clock.startedAt, first.session.clock.startedAt);
  });

  test("takes the exam length from the candidate's token, else from the kit", async (t) => {
    const server = await TestServer.start(t, { examDurationMinutes: 45 });
    const ada = await server.candidate('ada');
    const bob = await server.candidate('bob', { durationMinutes: 90 });
    assert.equal(ada.session.clock.durationMs, 45 * 60_000);
    assert.equal(bob.session.clock.durationMs, 90 * 60_000);
    assert.equal(clockRemainingMs(bob.session.clock, Date.now()), 90 * 60_000, 'the whole length is left before the start');
  });

  test('keeps the length the session was created with when a later token names another', async (t) => {
    const server = await TestServer.start(t);
    await server.candidate('ada', { durationMinutes: 30 });
    const again = await server.candidate('ada', { durationMinutes: 120 });
    assert.equal(again.session.clock.durationMs, 30 * 60_000);
  });

  test('accepts a fractional examDurationMinutes and keeps the clock in whole milliseconds', async (t) => {
    // 0.017 × 60000 is 1020.0000000000001 in floating point.
    const server = await TestServer.start(t, { examDurationMinutes: 0.017 });
    const ada = await server.candidate('ada');
    assert.equal(ada.session.clock.durationMs, 1020);
    assert.equal(parse(ServerMessageSchema, ada.welcome).ok, true);
  });

  test('refuses a start after the session ended, as a conflict', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    await server.kit.sessions.terminate(ada.session.sessionId, 'Left the room.');
    ada.client.send(START);
    const error = await ada.client.error('session.start');
    assert.equal(error.code, 'conflict');
    assert.match(error.message, /ended/);
    const session = await server.kit.sessions.get(ada.session.sessionId);
    assert.equal(session?.clock.startedAt, null);
    assert.equal(session?.status, 'ended');
  });

  test('refuses feed changes after the session ended, as a conflict', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.started('ada');
    await server.kit.sessions.terminate(ada.session.sessionId, 'Left the room.');
    ada.client.send(feedState('webcam', 'live'));
    assert.equal((await ada.client.error('feed.state')).code, 'conflict');
    const session = await server.kit.sessions.get(ada.session.sessionId);
    assert.equal(session?.feeds.webcam, 'off');
    assert.equal(session?.status, 'ended');
  });
});

describe('pause before the start', () => {
  test('does nothing: the clock still waits with its whole length', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.candidate('ada');
    const done = await supervisor.client.command(commands.pause(ada.session.sessionId));
    assert.deepEqual(done.sessionIds, [ada.session.sessionId], 'reported as carried out (nothing to pause)');
    await server.kit.sessions.pause(ada.session.sessionId);
    await ada.client.sync();
    assert.deepEqual(ada.client.sessionEvents().map((e) => e.type), ['session.joined']);
    const session = await server.kit.sessions.get(ada.session.sessionId);
    assert.equal(session?.clock.pausedAt, null);
    ada.client.send(START);
    const { session: started } = await ada.client.next('session.updated', (m) => m.session.clock.startedAt !== null);
    assert.equal(started.clock.pausedAt, null, 'the clock runs once started');
  });
});

describe('clock.ping', () => {
  for (const role of ['candidate', 'supervisor'] as const) {
    test(`answers a ${role} with clock.pong: the same id and the server's time`, async (t) => {
      const server = await TestServer.start(t);
      const { client } = role === 'candidate' ? await server.candidate('ada') : await server.supervisor('*');
      for (const id of [0, 1, 2 ** 40]) {
        const before = Date.now();
        client.send({ v: 1, type: 'clock.ping', id });
        const pong = await client.next('clock.pong');
        assert.equal(pong.id, id);
        assert.ok(pong.serverTime >= before && pong.serverTime <= Date.now(), 'the server time at the answer');
      }
    });
  }

  test('refuses a ping without a valid id', async (t) => {
    const server = await TestServer.start(t);
    const { client } = await server.candidate('ada');
    client.send({ v: 1, type: 'clock.ping', id: -1 });
    const error = await client.error('clock.ping');
    assert.equal(error.code, 'bad-message');
    assert.equal(error.id, undefined);
  });
});

// These tests mostly wait for timers, so they run side by side.
describe('expiry', { concurrency: true }, () => {
  test('ends a started session when its time is up, and tells the candidate and its supervisors', async (t) => {
    const server = await TestServer.start(t, SHORT_EXAM);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.started('ada');
    const startedAt = ada.session.clock.startedAt!;

    const ended = await ada.client.nextEvent('session.ended');
    assert.deepEqual(ended.data, { reason: 'expired' });
    assert.equal(ended.source, 'server');
    assert.ok(ended.at >= startedAt + SHORT_MS, `not before the time is up (${ended.at - startedAt} ms)`);
    assert.ok(ended.at < startedAt + SHORT_MS + 1000, `promptly (${ended.at - startedAt} ms)`);
    const { session } = await ada.client.next('session.updated', (m) => m.session.status === 'ended');
    assert.equal(session.clock.endReason, 'expired');
    assert.equal(session.clock.endedAt, ended.at);
    assert.equal(clockRemainingMs(session.clock, Date.now()), 0);

    assert.deepEqual(await supervisor.client.nextEvent('session.ended'), ended);
    await supervisor.client.next('session.updated', (m) => m.session.status === 'ended');
    assert.equal((await server.kit.sessions.get(ada.session.sessionId))?.status, 'ended');
  });

  test('does not end a session that never started', async (t) => {
    const server = await TestServer.start(t, SHORT_EXAM);
    const ada = await server.candidate('ada');
    await delay(SHORT_MS + 200);
    await ada.client.sync();
    assert.deepEqual(ada.client.sessionEvents().map((e) => e.type), ['session.joined']);
    assert.equal((await server.kit.sessions.get(ada.session.sessionId))?.status, 'connecting');
  });

  test('ends a session whose candidate went offline, and shows it ended rather than offline', async (t) => {
    const server = await TestServer.start(t, SHORT_EXAM);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.started('ada');
    await ada.client.close();
    await supervisor.client.next('session.updated', (m) => m.session.status === 'offline');
    const ended = await supervisor.client.nextEvent('session.ended');
    assert.deepEqual(ended.data, { reason: 'expired' });
    await supervisor.client.next('session.updated', (m) => m.session.status === 'ended');
    const back = await server.candidate('ada');
    assert.equal(back.session.status, 'ended', 'a candidate who comes back finds the exam over');
    assert.equal(back.session.clock.endReason, 'expired');
  });

  test('does not end a paused session while it stays paused', async (t) => {
    const server = await TestServer.start(t, SHORT_EXAM);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.started('ada');
    await supervisor.client.command(commands.pause(ada.session.sessionId));
    const { session: paused } = await ada.client.next('session.updated', (m) => m.session.clock.pausedAt !== null);
    await delay(SHORT_MS + 300);
    await ada.client.sync();
    assert.equal(ada.client.sessionEvents().some((e) => e.type === 'session.ended'), false);
    const session = await server.kit.sessions.get(ada.session.sessionId);
    assert.notEqual(session?.status, 'ended');
    assert.equal(clockRemainingMs(session!.clock, Date.now()), clockRemainingMs(paused.clock, paused.clock.pausedAt!), 'the time left is frozen');
  });

  test('ends a resumed session once the time left at the pause has run', async (t) => {
    const server = await TestServer.start(t, SHORT_EXAM);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.started('ada');
    await delay(50);
    await supervisor.client.command(commands.pause(ada.session.sessionId));
    const { session: paused } = await ada.client.next('session.updated', (m) => m.session.clock.pausedAt !== null);
    const leftAtPause = clockRemainingMs(paused.clock, paused.clock.pausedAt!);
    assert.ok(leftAtPause > 0 && leftAtPause <= SHORT_MS - 50, `left at the pause: ${leftAtPause} ms`);
    await delay(SHORT_MS);

    await supervisor.client.command(commands.resume(ada.session.sessionId));
    const { session: resumed } = await ada.client.next('session.updated', (m) => m.session.clock.pausedAt === null && m.session.clock.pausedMs > 0);
    assert.ok(resumed.clock.pausedMs >= SHORT_MS, `paused for ${resumed.clock.pausedMs} ms`);
    const resumedEvent = await ada.client.nextEvent('session.resumed');
    assert.equal(resumedEvent.data.pausedForMs, resumed.clock.pausedMs);

    const ended = await ada.client.nextEvent('session.ended');
    assert.deepEqual(ended.data, { reason: 'expired' });
    const endsAt = clockEndsAt(resumed.clock, resumedEvent.at)!;
    assert.ok(ended.at >= endsAt, `not before the time left ran out (${endsAt - ended.at} ms early)`);
    assert.ok(ended.at - resumedEvent.at >= leftAtPause, 'the candidate got the whole time left');
    assert.ok(ended.at - endsAt < 1000, `promptly (${ended.at - endsAt} ms late)`);
  });

  test('an extension pushes the end back', async (t) => {
    const server = await TestServer.start(t, SHORT_EXAM);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.started('ada');
    await supervisor.client.command(commands.extend(ada.session.sessionId, 1));
    const extended = await ada.client.nextEvent('session.extended');
    const startedAt = ada.session.clock.startedAt!;
    assert.deepEqual(extended.data, { minutes: 1, endsAt: startedAt + SHORT_MS + 60_000 });
    await delay(SHORT_MS + 300);
    await ada.client.sync();
    assert.equal(ada.client.sessionEvents().some((e) => e.type === 'session.ended'), false, 'not ended at the original time');
    const session = await server.kit.sessions.get(ada.session.sessionId);
    assert.equal(session?.status, 'connecting');
    assert.equal(clockEndsAt(session!.clock, Date.now()), startedAt + SHORT_MS + 60_000);
  });

  test('a termination before the time is up is not followed by an expiry', async (t) => {
    const server = await TestServer.start(t, SHORT_EXAM);
    const ada = await server.started('ada');
    await server.kit.sessions.terminate(ada.session.sessionId, 'Done early.');
    const ended = await ada.client.nextEvent('session.ended');
    assert.equal(ended.data.reason, 'terminated');
    await delay(SHORT_MS + 100);
    await ada.client.sync();
    assert.equal(ada.client.sessionEvents().filter((e) => e.type === 'session.ended').length, 1);
    assert.equal((await server.kit.sessions.get(ada.session.sessionId))?.clock.endReason, 'terminated');
  });

  test('expires each session on its own clock', async (t) => {
    const server = await TestServer.start(t, SHORT_EXAM);
    const supervisor = await server.supervisor('*');
    const ada = await server.started('ada');
    const bob = await server.started('bob', { durationMinutes: 60 });
    const ended = await within(
      supervisor.client.next('session.event', (m) => m.event.type === 'session.ended'),
      'ada to expire',
    );
    assert.equal(ended.sessionId, ada.session.sessionId);
    await delay(100);
    await bob.client.sync();
    assert.equal(bob.client.sessionEvents().some((e) => e.type === 'session.ended'), false);
  });
});
