import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clockEndsAt } from '@proctorkit/core/protocol';
import { KitError } from './errors.js';
import { createProctorKit } from './kit.js';
import { EXAM, OTHER_EXAM, SECRET, TestServer, candidateEvents, logAppend } from './test-helpers.js';

const feedState = (feed: string, state: string) => ({ v: 1, type: 'feed.state', feed, state });

describe('kit.sessions', () => {
  test('gets a session by id, as supervisors see it', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    assert.deepEqual(await server.kit.sessions.get(ada.session.sessionId), ada.session);
    ada.client.send(feedState('webcam', 'live'));
    await ada.client.sync();
    assert.equal((await server.kit.sessions.get(ada.session.sessionId))?.status, 'live');
    const supervisor = await server.supervisor(['ada']);
    await ada.client.close();
    await supervisor.client.next('session.updated', (m) => m.session.status === 'offline');
    // joined, feed.live, left
    assert.deepEqual(await server.kit.sessions.get(ada.session.sessionId), { ...ada.session, status: 'offline', lastSeq: 3 });
  });

  test('gets undefined for an unknown id and throws bad-message for a malformed one', async (t) => {
    const server = await TestServer.start(t);
    assert.equal(await server.kit.sessions.get('no-such-session'), undefined);
    await assert.rejects(server.kit.sessions.get('a/b'), { name: 'KitError', code: 'bad-message', message: /^sessionId / });
  });

  test('lists every session of an exam, whoever supervises it', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const bob = await server.candidate('bob');
    const elsewhere = await server.candidate('carol', { examId: OTHER_EXAM });
    const sessions = await server.kit.sessions.list(EXAM);
    assert.deepEqual(
      sessions.map((s) => s.sessionId).sort(),
      [ada.session.sessionId, bob.session.sessionId].sort(),
    );
    assert.deepEqual(await server.kit.sessions.list(OTHER_EXAM), [elsewhere.session]);
    assert.deepEqual(await server.kit.sessions.list('exam-nobody'), []);
  });
});

describe('kit.sessions commands', () => {
  test('pause and resume a session, live for the candidate and its supervisors, logged as the host', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.started('ada');
    const id = ada.session.sessionId;

    const paused = await server.kit.sessions.pause(id);
    assert.notEqual(paused.clock.pausedAt, null);
    assert.deepEqual(paused, await server.kit.sessions.get(id), 'resolves with the session as it is now');
    const event = await ada.client.nextEvent('session.paused');
    assert.equal(event.source, 'host');
    assert.equal(event.by, undefined, 'no supervisor name: the host acted');
    assert.equal(event.seq, paused.lastSeq);
    assert.deepEqual((await ada.client.next('session.updated', (m) => m.session.clock.pausedAt !== null)).session, paused);
    assert.deepEqual(await supervisor.client.nextEvent('session.paused'), event);
    await supervisor.client.next('session.updated', (m) => m.session.clock.pausedAt !== null);

    const resumed = await server.kit.sessions.resume(id);
    assert.equal(resumed.clock.pausedAt, null);
    assert.equal((await supervisor.client.nextEvent('session.resumed')).source, 'host');
    await ada.client.nextEvent('session.resumed');
  });

  test('extend a session by whole minutes', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.started('ada');
    const id = ada.session.sessionId;
    const extended = await server.kit.sessions.extend(id, 30);
    assert.equal(extended.clock.extendedMs, 30 * 60_000);
    assert.equal(clockEndsAt(extended.clock, Date.now()), ada.session.clock.startedAt! + 90 * 60_000);
    const event = await ada.client.nextEvent('session.extended');
    assert.deepEqual(event.data, { minutes: 30, endsAt: ada.session.clock.startedAt! + 90 * 60_000 });
    for (const minutes of [0, 601, 1.5, Number.NaN]) {
      await assert.rejects(server.kit.sessions.extend(id, minutes), { name: 'KitError', code: 'bad-message', message: /minutes/ });
    }
    assert.equal((await server.kit.sessions.get(id))?.clock.extendedMs, 30 * 60_000);
  });

  test('message a candidate, resolving with the id its acknowledgement names', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.started('ada');
    const messageId = await server.kit.sessions.message(ada.session.sessionId, '  The fire alarm is a drill.  ');
    const sent = await ada.client.nextEvent('message.sent');
    assert.deepEqual(sent.data, { messageId, text: 'The fire alarm is a drill.' });
    assert.equal(sent.source, 'host');
    ada.client.send(logAppend(candidateEvents.ack(messageId)));
    assert.deepEqual((await supervisor.client.nextEvent('message.acked')).data, { messageId });
    for (const text of ['', '   ', 'x'.repeat(1001)]) {
      await assert.rejects(server.kit.sessions.message(ada.session.sessionId, text), { name: 'KitError', code: 'bad-message' });
    }
  });

  test('terminate a session with a reason the candidate sees', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.started('ada');
    const ended = await server.kit.sessions.terminate(ada.session.sessionId, 'Identity check failed.');
    assert.equal(ended.status, 'ended');
    assert.equal(ended.clock.endReason, 'terminated');
    const event = await ada.client.nextEvent('session.ended');
    assert.deepEqual(event.data, { reason: 'terminated', message: 'Identity check failed.' });
    assert.equal(event.source, 'host');
    await supervisor.client.next('session.updated', (m) => m.session.status === 'ended');
    await assert.rejects(server.kit.sessions.terminate(ada.session.sessionId, ' '), { name: 'KitError', code: 'bad-message' });
  });

  test('refuse a session that ended as conflict, and an unknown one as not-found', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.started('ada');
    const id = ada.session.sessionId;
    await server.kit.sessions.terminate(id, 'Over.');
    await assert.rejects(server.kit.sessions.pause(id), { name: 'KitError', code: 'conflict' });
    await assert.rejects(server.kit.sessions.resume(id), { name: 'KitError', code: 'conflict' });
    await assert.rejects(server.kit.sessions.extend(id, 5), { name: 'KitError', code: 'conflict' });
    await assert.rejects(server.kit.sessions.message(id, 'Hi'), { name: 'KitError', code: 'conflict' });
    assert.equal((await server.kit.sessions.terminate(id, 'Again.')).clock.endReason, 'terminated', 'ending twice changes nothing');
    for (const call of [
      server.kit.sessions.pause('no-such-session'),
      server.kit.sessions.resume('no-such-session'),
      server.kit.sessions.extend('no-such-session', 5),
      server.kit.sessions.message('no-such-session', 'Hi'),
      server.kit.sessions.terminate('no-such-session', 'Bye'),
    ]) {
      await assert.rejects(call, { name: 'KitError', code: 'not-found', message: /no-such-session/ });
    }
    await assert.rejects(server.kit.sessions.pause('a/b'), { name: 'KitError', code: 'bad-message', message: /^sessionId / });
  });

  test('work on a session whose candidate is offline', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.started('ada');
    await ada.client.close();
    await supervisor.client.next('session.updated', (m) => m.session.status === 'offline');
    const extended = await server.kit.sessions.extend(ada.session.sessionId, 10);
    assert.equal(extended.status, 'offline');
    assert.equal((await supervisor.client.nextEvent('session.extended')).data.minutes, 10);
  });
});

describe('kit.sessions.events', () => {
  test("returns the session's whole log in order, past the 500-event page", async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const id = ada.session.sessionId;
    for (let i = 0; i < 600; i++) await server.kit.log(id, 'step', { i });
    const events = await server.kit.sessions.events(id);
    assert.equal(events.length, 601);
    assert.deepEqual(events.map((e) => e.seq), Array.from({ length: 601 }, (_v, i) => i + 1));
    assert.deepEqual(events[0]?.type, 'session.joined');
    assert.deepEqual(events.at(-1)?.data, { i: 599 });
  });

  test('returns nothing for an unknown session and refuses a malformed id', async (t) => {
    const server = await TestServer.start(t);
    assert.deepEqual(await server.kit.sessions.events('no-such-session'), []);
    await assert.rejects(server.kit.sessions.events('a/b'), { name: 'KitError', code: 'bad-message' });
  });
});

describe('kit.log', () => {
  test('appends a host log line that reaches the candidate and its supervisors', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    const bystander = await server.supervisor(['bob']);
    const ada = await server.started('ada');
    const before = Date.now();
    const event = await server.kit.log(ada.session.sessionId, 'answer.graded', { question: 3, correct: true });
    assert.deepEqual(
      { ...event, at: 0 },
      { seq: 3, at: 0, type: 'log.answer.graded', source: 'host', data: { question: 3, correct: true } },
    );
    assert.ok(event.at >= before && event.at <= Date.now());
    assert.deepEqual(await ada.client.nextEvent('log.answer.graded'), event);
    assert.deepEqual(await supervisor.client.nextEvent('log.answer.graded'), event);
    await bystander.client.sync();
    assert.deepEqual(bystander.client.sessionEvents(), []);
    assert.equal((await server.kit.sessions.get(ada.session.sessionId))?.lastSeq, 3);
  });

  test('stores the data as the JSON clients receive', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const event = await server.kit.log(ada.session.sessionId, 'question.opened', { when: new Date(0), skipped: undefined, n: 1 });
    assert.deepEqual(event.data, { when: '1970-01-01T00:00:00.000Z', n: 1 });
    assert.deepEqual((await ada.client.nextEvent('log.question.opened')).data, event.data);
    assert.deepEqual((await server.kit.sessions.events(ada.session.sessionId)).at(-1), event);
  });

  test('defaults the data to an empty object, and works on an ended session', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.started('ada');
    await server.kit.sessions.terminate(ada.session.sessionId, 'Time.');
    const event = await server.kit.log(ada.session.sessionId, 'report.generated');
    assert.deepEqual(event.data, {});
    assert.equal(event.type, 'log.report.generated');
  });

  test('refuses a bad name or data over 2 KB as bad-message, and an unknown session as not-found, recording nothing', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const id = ada.session.sessionId;
    for (const name of ['Answer.Graded', 'has space', '', '.x', 'a'.repeat(64), 'a/b']) {
      await assert.rejects(server.kit.log(id, name), { name: 'KitError', code: 'bad-message', message: /^log: name / }, JSON.stringify(name));
    }
    await assert.rejects(server.kit.log(id, 'big', { text: 'x'.repeat(2048) }), { name: 'KitError', code: 'bad-message', message: /2 KB/ });
    for (const data of [{ ['k'.repeat(65)]: 1 }, { n: 10n }, null, 'text']) {
      await assert.rejects(server.kit.log(id, 'bad.data', data as never), { name: 'KitError', code: 'bad-message', message: /^log: data / });
    }
    await assert.rejects(server.kit.log('no-such-session', 'x'), { name: 'KitError', code: 'not-found' });
    await assert.rejects(server.kit.log('a/b', 'x'), { name: 'KitError', code: 'bad-message', message: /^sessionId / });
    assert.deepEqual((await server.kit.sessions.events(id)).map((e) => e.type), ['session.joined']);
    await ada.client.sync();
    assert.deepEqual(ada.client.sessionEvents().map((e) => e.type), ['session.joined']);
  });
});

describe('createProctorKit options', () => {
  test('refuses an exam length that is not a positive number', () => {
    for (const examDurationMinutes of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => createProctorKit({ secret: SECRET, examDurationMinutes }), (error: unknown) => {
        assert.ok(error instanceof KitError);
        assert.equal(error.code, 'bad-message');
        assert.match(error.message, /examDurationMinutes/);
        return true;
      });
    }
  });
});
