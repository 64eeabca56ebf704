import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { GeneratedIdSchema, clockEndsAt, clockRemainingMs, parse } from '@proctorkit/core/protocol';
import { OTHER_EXAM, TestServer, candidateEvents, commands, delay, logAppend } from '../test-helpers.js';

const MINUTE = 60_000;

/** Ada and Bob started their exam; a supervisor watches both. */
async function room(t: TestContext) {
  const server = await TestServer.start(t);
  const ada = await server.started('ada');
  const bob = await server.started('bob');
  const supervisor = await server.supervisor(['ada', 'bob']);
  return { server, ada, bob, supervisor, adaId: ada.session.sessionId, bobId: bob.session.sessionId };
}

describe('command.pause and command.resume', () => {
  test("pause the candidate's clock, tell the candidate and the supervisors, and answer command.done", async (t) => {
    const { server, ada, bob, supervisor, adaId } = await room(t);
    const other = await server.supervisor(['ada']);
    const pause = commands.pause(adaId);
    const before = Date.now();
    const done = await supervisor.client.command(pause);
    assert.deepEqual(done, { v: 1, type: 'command.done', id: pause.id, sessionIds: [adaId] });

    const { session } = await ada.client.next('session.updated', (m) => m.session.clock.pausedAt !== null);
    assert.ok(session.clock.pausedAt! >= before && session.clock.pausedAt! <= Date.now());
    const event = await ada.client.nextEvent('session.paused');
    assert.deepEqual(event, { seq: session.lastSeq, at: session.clock.pausedAt, type: 'session.paused', source: 'supervisor', by: 'Supervisor', data: {} });
    for (const watcher of [supervisor, other]) {
      assert.deepEqual(await watcher.client.nextEvent('session.paused', adaId), event);
      await watcher.client.next('session.updated', (m) => m.session.sessionId === adaId && m.session.clock.pausedAt !== null);
    }

    await bob.client.sync();
    assert.equal(bob.client.sessionEvents().some((e) => e.type === 'session.paused'), false, 'Bob is not paused');
    assert.equal((await server.kit.sessions.get(bob.session.sessionId))?.clock.pausedAt, null);
  });

  test('resume the clock where it stopped', async (t) => {
    const { ada, supervisor, adaId } = await room(t);
    await supervisor.client.command(commands.pause(adaId));
    const { session: paused } = await ada.client.next('session.updated', (m) => m.session.clock.pausedAt !== null);
    await delay(20);
    const done = await supervisor.client.command(commands.resume(adaId));
    assert.deepEqual(done.sessionIds, [adaId]);
    const { session: resumed } = await ada.client.next('session.updated', (m) => m.session.clock.pausedAt === null && m.session.clock.pausedMs > 0);
    const event = await ada.client.nextEvent('session.resumed');
    assert.equal(event.source, 'supervisor');
    assert.equal(event.data.pausedForMs, resumed.clock.pausedMs);
    assert.ok(resumed.clock.pausedMs >= 20);
    const left = clockRemainingMs(paused.clock, paused.clock.pausedAt!);
    assert.equal(clockRemainingMs(resumed.clock, event.at), left, 'the time left is what it was at the pause');
    assert.deepEqual(await supervisor.client.nextEvent('session.resumed'), event);
  });

  test('pausing twice or resuming a running clock records nothing more, and still answers done', async (t) => {
    const { ada, supervisor, adaId } = await room(t);
    await supervisor.client.command(commands.pause(adaId));
    const { session: paused } = await ada.client.next('session.updated', (m) => m.session.clock.pausedAt !== null);
    assert.deepEqual((await supervisor.client.command(commands.pause(adaId))).sessionIds, [adaId]);
    await supervisor.client.command(commands.resume(adaId));
    assert.deepEqual((await supervisor.client.command(commands.resume(adaId))).sessionIds, [adaId]);
    await ada.client.sync();
    const types = ada.client.sessionEvents().map((e) => e.type);
    assert.deepEqual(types.filter((type) => type === 'session.paused' || type === 'session.resumed'), ['session.paused', 'session.resumed']);
    assert.ok(paused.clock.pausedAt);
  });
});

describe('command.extend', () => {
  test('adds minutes to the exam and tells the new end', async (t) => {
    const { server, ada, supervisor, adaId } = await room(t);
    const done = await supervisor.client.command(commands.extend(adaId, 10));
    assert.deepEqual(done.sessionIds, [adaId]);
    const { session } = await ada.client.next('session.updated', (m) => m.session.clock.extendedMs > 0);
    assert.equal(session.clock.extendedMs, 10 * MINUTE);
    const startedAt = ada.session.clock.startedAt!;
    const event = await ada.client.nextEvent('session.extended');
    assert.deepEqual(event.data, { minutes: 10, endsAt: startedAt + 70 * MINUTE });
    assert.equal(event.by, 'Supervisor');
    assert.deepEqual(await supervisor.client.nextEvent('session.extended'), event);

    await supervisor.client.command(commands.extend(adaId, 5));
    const again = await ada.client.nextEvent('session.extended');
    assert.deepEqual(again.data, { minutes: 5, endsAt: startedAt + 75 * MINUTE }, 'extensions add up');
    const stored = await server.kit.sessions.get(adaId);
    assert.equal(clockEndsAt(stored!.clock, Date.now()), startedAt + 75 * MINUTE);
  });

  test('refuses minutes out of 1 to 600 as bad-message, naming the command id', async (t) => {
    const { ada, supervisor, adaId } = await room(t);
    for (const minutes of [0, 601, 2.5]) {
      const error = await supervisor.client.commandError(commands.extend(adaId, minutes));
      assert.equal(error.code, 'bad-message');
      assert.match(error.message, /minutes/);
    }
    await ada.client.sync();
    assert.equal(ada.client.sessionEvents().some((e) => e.type === 'session.extended'), false);
  });
});

describe('command.message', () => {
  test('shows the candidate the text with a message id it can acknowledge', async (t) => {
    const { ada, bob, supervisor, adaId } = await room(t);
    const done = await supervisor.client.command(commands.message(adaId, '  Please face the camera.  '));
    assert.deepEqual(done.sessionIds, [adaId]);
    const sent = await ada.client.nextEvent('message.sent');
    assert.equal(sent.data.text, 'Please face the camera.', 'trimmed');
    const messageId = sent.data.messageId as string;
    assert.equal(parse(GeneratedIdSchema, messageId).ok, true, `a valid id: ${messageId}`);
    assert.equal(sent.source, 'supervisor');
    assert.equal(sent.by, 'Supervisor');
    assert.deepEqual(await supervisor.client.nextEvent('message.sent'), sent);

    ada.client.send(logAppend(candidateEvents.ack(messageId)));
    const acked = await supervisor.client.nextEvent('message.acked');
    assert.deepEqual(acked.data, { messageId });
    assert.equal(acked.source, 'candidate');

    await bob.client.sync();
    assert.equal(bob.client.sessionEvents().some((e) => e.type === 'message.sent'), false, 'Bob sees nothing');
  });

  test('changes nothing supervisors see of the session but its last sequence number', async (t) => {
    const { ada, supervisor, adaId } = await room(t);
    await supervisor.client.command(commands.message(adaId, 'Hello'));
    const sent = await supervisor.client.nextEvent('message.sent');
    await supervisor.client.sync();
    await ada.client.sync();
    assert.deepEqual(supervisor.client.all('session.updated'), [], 'no session.updated for a message');
    assert.equal(sent.seq, (await ada.client.fetchEvents(adaId)).events.at(-1)?.seq);
  });
});

describe('command.terminate', () => {
  test("ends the candidate's exam with the reason, and tells the candidate and the supervisors", async (t) => {
    const { server, ada, bob, supervisor, adaId } = await room(t);
    const done = await supervisor.client.command(commands.terminate(adaId, 'Phone in use.'));
    assert.deepEqual(done.sessionIds, [adaId]);
    const ended = await ada.client.nextEvent('session.ended');
    assert.deepEqual(ended.data, { reason: 'terminated', message: 'Phone in use.' });
    assert.equal(ended.source, 'supervisor');
    assert.equal(ended.by, 'Supervisor');
    const { session } = await ada.client.next('session.updated', (m) => m.session.status === 'ended');
    assert.equal(session.clock.endReason, 'terminated');
    assert.equal(session.clock.endedAt, ended.at);
    assert.deepEqual(await supervisor.client.nextEvent('session.ended'), ended);
    await supervisor.client.next('session.updated', (m) => m.session.sessionId === adaId && m.session.status === 'ended');

    assert.ok(ada.client.isOpen, 'the candidate stays connected to see why');
    assert.equal((await server.kit.sessions.get(adaId))?.status, 'ended');
    assert.notEqual((await server.kit.sessions.get(bob.session.sessionId))?.status, 'ended');
  });

  test('ends a session that never started', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const supervisor = await server.supervisor(['ada']);
    await supervisor.client.command(commands.terminate(ada.session.sessionId, 'No show.'));
    const { session } = await ada.client.next('session.updated', (m) => m.session.status === 'ended');
    assert.equal(session.clock.startedAt, null);
    assert.equal(session.clock.endReason, 'terminated');
  });

  test('refuses "*" as a target, ending nobody', async (t) => {
    const { server, supervisor, adaId, bobId } = await room(t);
    const error = await supervisor.client.commandError(commands.terminate('*', 'Everyone out.'));
    assert.equal(error.code, 'bad-message');
    assert.match(error.message, /target/);
    assert.equal(supervisor.client.all('command.done').length, 0);
    for (const id of [adaId, bobId]) assert.notEqual((await server.kit.sessions.get(id))?.status, 'ended');
  });
});

describe('commands to every watched session ("*")', () => {
  test('pause only the sessions the token names, in its exam', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.started('ada');
    const bob = await server.started('bob');
    const carol = await server.started('carol');
    const elsewhere = await server.started('ada', { examId: OTHER_EXAM });
    const supervisor = await server.supervisor(['ada', 'bob']);
    const done = await supervisor.client.command(commands.pause('*'));
    assert.deepEqual(done.sessionIds.sort(), [ada.session.sessionId, bob.session.sessionId].sort());
    await ada.client.nextEvent('session.paused');
    await bob.client.nextEvent('session.paused');
    for (const untouched of [carol, elsewhere]) {
      await untouched.client.sync();
      assert.equal(untouched.client.sessionEvents().some((e) => e.type === 'session.paused'), false);
      assert.equal((await server.kit.sessions.get(untouched.session.sessionId))?.clock.pausedAt, null);
    }
  });

  test('skip ended sessions, without an error', async (t) => {
    const { server, ada, bob, supervisor, adaId, bobId } = await room(t);
    await server.kit.sessions.terminate(bobId, 'Finished early.');
    const done = await supervisor.client.command(commands.extend('*', 15));
    assert.deepEqual(done.sessionIds, [adaId]);
    assert.equal((await ada.client.nextEvent('session.extended')).data.minutes, 15);
    await bob.client.sync();
    assert.equal(bob.client.sessionEvents().some((e) => e.type === 'session.extended'), false);
    assert.equal(supervisor.client.all('error').length, 0);
    assert.equal((await server.kit.sessions.get(bobId))?.clock.extendedMs, 0);
  });

  test('resume and message every watched session', async (t) => {
    const { ada, bob, supervisor, adaId, bobId } = await room(t);
    await supervisor.client.command(commands.pause('*'));
    const resumed = await supervisor.client.command(commands.resume('*'));
    assert.deepEqual(resumed.sessionIds.sort(), [adaId, bobId].sort());
    await ada.client.nextEvent('session.resumed');
    await bob.client.nextEvent('session.resumed');
    await supervisor.client.command(commands.message('*', 'Ten minutes left.'));
    const toAda = await ada.client.nextEvent('message.sent');
    const toBob = await bob.client.nextEvent('message.sent');
    assert.equal(toAda.data.text, 'Ten minutes left.');
    assert.equal(toBob.data.text, 'Ten minutes left.');
    assert.notEqual(toAda.data.messageId, toBob.data.messageId, 'each candidate acknowledges its own message');
  });

  test('answer done with no sessions when the supervisor watches none', async (t) => {
    const server = await TestServer.start(t);
    await server.started('ada');
    const supervisor = await server.supervisor(['nobody']);
    assert.deepEqual((await supervisor.client.command(commands.pause('*'))).sessionIds, []);
  });
});

describe('commands that are refused', () => {
  const all = (target: string) => [
    commands.pause(target),
    commands.resume(target),
    commands.extend(target, 5),
    commands.message(target, 'Hello'),
    commands.terminate(target, 'Bye'),
  ];

  test('from a candidate, as forbidden, naming the command id', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.started('ada');
    const supervisor = await server.supervisor(['ada']);
    for (const message of all(ada.session.sessionId)) {
      const error = await ada.client.commandError(message);
      assert.equal(error.code, 'forbidden', message.type);
      assert.match(error.message, /candidate may not send/);
    }
    await supervisor.client.sync();
    assert.deepEqual(supervisor.client.sessionEvents(), [], 'nothing happened');
    assert.equal((await server.kit.sessions.get(ada.session.sessionId))?.clock.pausedAt, null);
  });

  test('for a candidate the token does not name, as not-found, naming the command id', async (t) => {
    const server = await TestServer.start(t);
    const bob = await server.started('bob');
    const supervisor = await server.supervisor(['ada']);
    for (const message of all(bob.session.sessionId)) {
      const error = await supervisor.client.commandError(message);
      assert.equal(error.code, 'not-found', message.type);
      assert.match(error.message, new RegExp(bob.session.sessionId));
    }
    await bob.client.sync();
    assert.deepEqual(bob.client.sessionEvents().map((e) => e.type), ['session.joined', 'session.started'], 'Bob was not touched');
    assert.equal((await server.kit.sessions.get(bob.session.sessionId))?.status, 'connecting');
  });

  test('for a session of another exam, or one that does not exist, as not-found', async (t) => {
    const server = await TestServer.start(t);
    const elsewhere = await server.started('ada', { examId: OTHER_EXAM });
    const supervisor = await server.supervisor('*');
    for (const target of [elsewhere.session.sessionId, 'no-such-session']) {
      const message = commands.pause(target);
      assert.equal((await supervisor.client.commandError(message)).code, 'not-found');
    }
    await elsewhere.client.sync();
    assert.equal(elsewhere.client.sessionEvents().some((e) => e.type === 'session.paused'), false);
  });

  test('after the session ended, as conflict, naming the command id', async (t) => {
    const { server, ada, supervisor, adaId } = await room(t);
    await supervisor.client.command(commands.terminate(adaId, 'Caught.'));
    await ada.client.nextEvent('session.ended');
    for (const message of [commands.pause(adaId), commands.resume(adaId), commands.extend(adaId, 5), commands.message(adaId, 'Hi')]) {
      const error = await supervisor.client.commandError(message);
      assert.equal(error.code, 'conflict', message.type);
      assert.match(error.message, /ended/);
    }
    await ada.client.sync();
    const after = ada.client.sessionEvents().map((e) => e.type);
    assert.equal(after.at(-1), 'session.ended', `nothing after the end: ${after.join(', ')}`);
    const session = await server.kit.sessions.get(adaId);
    assert.equal(session?.clock.extendedMs, 0);
    assert.equal(session?.clock.pausedAt, null);
  });

  test('terminating an ended session again changes nothing and answers done', async (t) => {
    const { server, ada, supervisor, adaId } = await room(t);
    await supervisor.client.command(commands.terminate(adaId, 'First reason.'));
    const done = await supervisor.client.command(commands.terminate(adaId, 'Second reason.'));
    assert.deepEqual(done.sessionIds, [adaId]);
    await ada.client.sync();
    const ended = ada.client.sessionEvents().filter((e) => e.type === 'session.ended');
    assert.deepEqual(ended.map((e) => e.data.message), ['First reason.']);
    assert.equal((await server.kit.sessions.get(adaId))?.clock.endReason, 'terminated');
  });
});

describe('malformed commands', () => {
  test('are refused as bad-message, naming the command id when it is a valid id', async (t) => {
    const { supervisor, adaId } = await room(t);
    const tooLong = await supervisor.client.commandError(commands.message(adaId, 'x'.repeat(1001)));
    assert.match(tooLong.message, /^command\.message: text: /);
    supervisor.client.send({ ...commands.pause(adaId), id: 'no' });
    const badId = await supervisor.client.error('command.pause');
    assert.equal(badId.code, 'bad-message');
    assert.equal(badId.id, undefined, 'an id that is not an id is not echoed');
    supervisor.client.send({ ...commands.pause(adaId), id: 42 });
    assert.equal((await supervisor.client.error('command.pause')).id, undefined);
  });
});

describe('commands in the log', () => {
  test('are recorded in order with the supervisor as author', async (t) => {
    const { ada, supervisor, adaId } = await room(t);
    await supervisor.client.command(commands.pause(adaId));
    await supervisor.client.command(commands.extend(adaId, 3));
    await supervisor.client.command(commands.resume(adaId));
    await supervisor.client.command(commands.message(adaId, 'Go on.'));
    await supervisor.client.command(commands.terminate(adaId, 'Time.'));
    const { events, more } = await supervisor.client.fetchEvents(adaId);
    assert.equal(more, false);
    assert.deepEqual(
      events.map((e) => [e.type, e.source, e.by]),
      [
        ['session.joined', 'server', undefined],
        ['session.started', 'candidate', undefined],
        ['session.paused', 'supervisor', 'Supervisor'],
        ['session.extended', 'supervisor', 'Supervisor'],
        ['session.resumed', 'supervisor', 'Supervisor'],
        ['message.sent', 'supervisor', 'Supervisor'],
        ['session.ended', 'supervisor', 'Supervisor'],
      ],
    );
    await ada.client.sync();
    assert.deepEqual(ada.client.sessionEvents(), events, 'the candidate received each as it happened');
  });
});
