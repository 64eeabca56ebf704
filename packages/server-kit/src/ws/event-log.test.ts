import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CloseCode, MAX_MESSAGE_BYTES, type SessionEvent } from '@proctorkit/core/protocol';
import { OTHER_EXAM, TestServer, candidateEvents, clientEventId, logAppend } from '../test-helpers.js';

/** Asserts that `events` are numbered `from`, `from + 1`, … without a gap. */
function assertConsecutive(events: SessionEvent[], from = 1): void {
  assert.deepEqual(
    events.map((e) => e.seq),
    events.map((_e, i) => from + i),
  );
}

describe('log.append', () => {
  test('records signals, log lines and acknowledgements, and acknowledges every id', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.candidate('ada');
    const occurred = Date.now() - 60_000;
    const signal = candidateEvents.signal('page-hidden', { visibleMs: 1200 }, clientEventId(), occurred);
    const line = candidateEvents.log('question.opened', { question: 3 }, clientEventId(), occurred + 1);
    const ack = candidateEvents.ack('msg-000001', clientEventId(), occurred + 2);
    const before = Date.now();
    ada.client.send(logAppend(signal, line, ack));
    const acked = await ada.client.next('log.ack');
    assert.deepEqual(acked, { v: 1, type: 'log.ack', ids: [signal.id, line.id, ack.id] });

    const { events } = await ada.client.fetchEvents(ada.session.sessionId, ada.session.lastSeq);
    assert.equal(events.length, 3);
    assertConsecutive(events, ada.session.lastSeq + 1);
    const [first, second, third] = events;
    assert.deepEqual(
      events.map(({ type, source, data, occurredAt }) => ({ type, source, data, occurredAt })),
      [
        { type: 'signal.page-hidden', source: 'candidate', data: { visibleMs: 1200 }, occurredAt: occurred },
        { type: 'log.question.opened', source: 'candidate', data: { question: 3 }, occurredAt: occurred + 1 },
        { type: 'message.acked', source: 'candidate', data: { messageId: 'msg-000001' }, occurredAt: occurred + 2 },
      ],
    );
    for (const event of events) {
      assert.ok(event.at >= before && event.at <= Date.now(), 'at is when the server recorded it');
      assert.equal(event.by, undefined);
    }

    for (const event of [first, second, third]) {
      assert.deepEqual((await supervisor.client.next('session.event', (m) => m.event.seq === event!.seq)).event, event);
    }
    assert.deepEqual(ada.client.sessionEvents().slice(-3), events, 'the candidate sees its own events too');
  });

  test('records a resent id once, and acknowledges it again', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.candidate('ada');
    const sessionId = ada.session.sessionId;
    const first = [candidateEvents.signal('copy'), candidateEvents.log('answer.saved', { question: 1 })];
    ada.client.send(logAppend(...first));
    await ada.client.next('log.ack');
    const recorded = (await ada.client.fetchEvents(sessionId)).events;

    ada.client.send(logAppend(...first));
    assert.deepEqual((await ada.client.next('log.ack')).ids, first.map((e) => e.id));
    const fresh = candidateEvents.signal('paste');
    ada.client.send(logAppend(first[1]!, fresh, first[0]!));
    assert.deepEqual((await ada.client.next('log.ack')).ids, [first[1]!.id, fresh.id, first[0]!.id]);

    const { events } = await ada.client.fetchEvents(sessionId);
    assert.deepEqual(events.slice(0, recorded.length), recorded, 'nothing recorded before changed');
    assert.deepEqual(events.slice(recorded.length).map((e) => e.type), ['signal.paste'], 'only the new id was recorded');
    assertConsecutive(events);
    await supervisor.client.sync();
    assert.deepEqual(
      supervisor.client.sessionEvents().filter((e) => e.source === 'candidate').map((e) => e.type),
      ['signal.copy', 'log.answer.saved', 'signal.paste'],
      'supervisors hear of each event once',
    );
    assert.equal((await server.kit.sessions.get(sessionId))?.lastSeq, events.at(-1)!.seq);
  });

  test('records an id sent twice in one batch once', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const signal = candidateEvents.signal('window-blur');
    ada.client.send(logAppend(signal, signal));
    await ada.client.next('log.ack');
    const { events } = await ada.client.fetchEvents(ada.session.sessionId);
    assert.equal(events.filter((e) => e.type === 'signal.window-blur').length, 1);
  });

  test("keeps each session's ids apart: the same id in another session is recorded there", async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const bob = await server.candidate('bob');
    const signal = candidateEvents.signal('page-hidden');
    ada.client.send(logAppend(signal));
    bob.client.send(logAppend(signal));
    await ada.client.next('log.ack');
    await bob.client.next('log.ack');
    for (const { client, session } of [ada, bob]) {
      const { events } = await client.fetchEvents(session.sessionId);
      assert.equal(events.filter((e) => e.type === 'signal.page-hidden').length, 1);
    }
  });

  test('still records after the session ended, for events the page held while offline', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.started('ada');
    await server.kit.sessions.terminate(ada.session.sessionId, 'Over.');
    const signal = candidateEvents.signal('page-hidden', {}, clientEventId(), Date.now() - 5000);
    ada.client.send(logAppend(signal));
    assert.deepEqual((await ada.client.next('log.ack')).ids, [signal.id]);
    assert.equal((await ada.client.fetchEvents(ada.session.sessionId)).events.at(-1)?.type, 'signal.page-hidden');
  });

  const invalid: [string, object[]][] = [
    ['an unknown signal code', [candidateEvents.signal('page-hidden'), candidateEvents.signal('mind-reading')]],
    ['a bad log name', [candidateEvents.log('question.opened'), candidateEvents.log('Question Opened')]],
    ['data over 2 KB', [candidateEvents.log('answer.saved', { text: 'x'.repeat(2100) })]],
    ['more than 50 events', Array.from({ length: 51 }, () => candidateEvents.signal('copy'))],
    ['no event', []],
    ['an event without an id', [{ kind: 'signal', code: 'copy', data: {}, at: 1 }]],
  ];
  for (const [what, events] of invalid) {
    test(`refuses a batch with ${what} as bad-message, recording nothing of it`, async (t) => {
      const server = await TestServer.start(t);
      const supervisor = await server.supervisor(['ada']);
      const ada = await server.candidate('ada');
      ada.client.send(logAppend(...events));
      const error = await ada.client.error('log.append');
      assert.equal(error.code, 'bad-message');
      assert.match(error.message, /^log\.append: events/);
      await ada.client.sync();
      assert.deepEqual(ada.client.all('log.ack'), [], 'nothing acknowledged');
      const { events: log } = await ada.client.fetchEvents(ada.session.sessionId);
      assert.deepEqual(log.map((e) => e.type), ['session.joined'], 'nothing recorded');
      await supervisor.client.sync();
      assert.equal(supervisor.client.sessionEvents().some((e) => e.source === 'candidate'), false);
    });
  }

  test('accepts 50 events, and events with 2 KB of data each, within a 64 KB message', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const pad = 'x'.repeat(2048 - JSON.stringify({ pad: '' }).length);
    const big = Array.from({ length: 25 }, () => candidateEvents.log('answer.saved', { pad }));
    assert.ok(JSON.stringify(logAppend(...big)).length < MAX_MESSAGE_BYTES);
    ada.client.send(logAppend(...big));
    assert.equal((await ada.client.next('log.ack')).ids.length, 25);
    ada.client.send(logAppend(...Array.from({ length: 50 }, () => candidateEvents.signal('copy'))));
    assert.equal((await ada.client.next('log.ack')).ids.length, 50);
    assert.equal((await ada.client.fetchEvents(ada.session.sessionId)).events.length, 76);
  });

  test('closes the connection (1009) for a batch the schema allows but that is over 64 KB', async (t) => {
    // 50 events × 2 KB of data is valid per event and per count, yet too big for one message:
    // a page must cap its batches by size too, or it is closed with a terminal code.
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const pad = 'x'.repeat(2048 - JSON.stringify({ pad: '' }).length);
    const events = Array.from({ length: 50 }, () => candidateEvents.log('answer.saved', { pad }));
    ada.client.send(logAppend(...events));
    assert.equal((await ada.client.closeEvent()).code, CloseCode.tooBig);
    assert.equal((await server.kit.sessions.events(ada.session.sessionId)).some((e) => e.type === 'log.answer.saved'), false);
  });

  test('is refused from a supervisor as forbidden', async (t) => {
    const server = await TestServer.start(t);
    await server.candidate('ada');
    const { client } = await server.supervisor('*');
    client.send(logAppend(candidateEvents.signal('copy')));
    assert.equal((await client.error('log.append')).code, 'forbidden');
  });
});

describe('events.fetch', () => {
  test("gives a candidate its own session's events, numbered from 1 without gaps, in order", async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.started('ada');
    ada.client.send(logAppend(candidateEvents.signal('copy'), candidateEvents.signal('paste')));
    await ada.client.next('log.ack');
    await server.kit.log(ada.session.sessionId, 'question.opened', { question: 1 });
    const batch = await ada.client.fetchEvents(ada.session.sessionId);
    assert.equal(batch.sessionId, ada.session.sessionId);
    assert.equal(batch.more, false);
    assert.deepEqual(batch.events.map((e) => e.type), ['session.joined', 'session.started', 'signal.copy', 'signal.paste', 'log.question.opened']);
    assertConsecutive(batch.events);
    const times = batch.events.map((e) => e.at);
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'in the order they happened');
  });

  test('gives only the events after afterSeq', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.started('ada');
    const all = (await ada.client.fetchEvents(ada.session.sessionId)).events;
    assert.deepEqual((await ada.client.fetchEvents(ada.session.sessionId, 1)).events, all.slice(1));
    assert.deepEqual(await ada.client.fetchEvents(ada.session.sessionId, all.length), {
      v: 1,
      type: 'events.batch',
      sessionId: ada.session.sessionId,
      events: [],
      more: false,
    });
    assert.deepEqual((await ada.client.fetchEvents(ada.session.sessionId, 1_000_000)).events, []);
  });

  test("refuses a candidate another session's events as not-found", async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const bob = await server.candidate('bob');
    const elsewhere = await server.candidate('ada', { examId: OTHER_EXAM });
    for (const sessionId of [bob.session.sessionId, elsewhere.session.sessionId, 'no-such-session']) {
      ada.client.send({ v: 1, type: 'events.fetch', sessionId, afterSeq: 0 });
      assert.equal((await ada.client.error('events.fetch')).code, 'not-found');
    }
    assert.deepEqual(ada.client.all('events.batch'), []);
  });

  test('gives a supervisor the sessions it watches only', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.started('ada');
    const bob = await server.started('bob');
    const elsewhere = await server.started('ada', { examId: OTHER_EXAM });
    const { client } = await server.supervisor(['ada']);
    const batch = await client.fetchEvents(ada.session.sessionId);
    assert.deepEqual(batch.events.map((e) => e.type), ['session.joined', 'session.started']);
    for (const sessionId of [bob.session.sessionId, elsewhere.session.sessionId, 'no-such-session']) {
      client.send({ v: 1, type: 'events.fetch', sessionId, afterSeq: 0 });
      const error = await client.error('events.fetch');
      assert.equal(error.code, 'not-found');
    }
    assert.equal(client.all('events.batch').length, 1);
  });

  test('pages at 500 events, saying when more follow', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const sessionId = ada.session.sessionId;
    for (let i = 0; i < 11; i++) {
      ada.client.send(logAppend(...Array.from({ length: 50 }, (_v, n) => candidateEvents.log('answer.saved', { i, n }))));
      await ada.client.next('log.ack');
    }
    const total = 1 + 550;
    const first = await ada.client.fetchEvents(sessionId);
    assert.equal(first.events.length, 500);
    assert.equal(first.more, true);
    assertConsecutive(first.events, 1);
    const second = await ada.client.fetchEvents(sessionId, first.events.at(-1)!.seq);
    assert.equal(second.events.length, total - 500);
    assert.equal(second.more, false);
    assertConsecutive(second.events, 501);
    const exact = await ada.client.fetchEvents(sessionId, total - 500);
    assert.equal(exact.events.length, 500);
    assert.equal(exact.more, false, 'exactly 500 left is the last page');
    const almost = await ada.client.fetchEvents(sessionId, total - 501);
    assert.equal(almost.more, true);
  });
});

describe('lastSeq and catching up', () => {
  test('summaries in the welcome, the list and updates carry the latest sequence number', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.started('ada');
    const sessionId = ada.session.sessionId;
    assert.equal(ada.welcome.session?.lastSeq, 1, 'the join is the first event');
    assert.equal(ada.session.lastSeq, 2, 'the start is the second');
    ada.client.send(logAppend(candidateEvents.signal('copy'), candidateEvents.signal('paste')));
    await ada.client.next('log.ack');
    const { list } = await server.supervisor(['ada']);
    const log = (await ada.client.fetchEvents(sessionId)).events;
    assert.equal(list.sessions[0]?.lastSeq, log.at(-1)!.seq);
    assert.equal(list.sessions[0]?.lastSeq, 4);
    assert.equal((await server.kit.sessions.get(sessionId))?.lastSeq, 4);
    ada.client.send({ v: 1, type: 'feed.state', feed: 'webcam', state: 'live' });
    const { session } = await ada.client.next('session.updated', (m) => m.session.status === 'live');
    assert.equal(session.lastSeq, 5, 'the feed.live event');
  });

  test('a supervisor who missed events gets exactly those with afterSeq', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.started('ada');
    const sessionId = ada.session.sessionId;
    const first = await server.supervisor(['ada']);
    const seen = first.list.sessions[0]!.lastSeq;
    await first.client.close();

    await server.kit.log(sessionId, 'question.opened', { question: 1 });
    ada.client.send(logAppend(candidateEvents.signal('page-hidden')));
    await ada.client.next('log.ack');
    await server.kit.log(sessionId, 'answer.saved', { question: 1 });

    const again = await server.supervisor(['ada']);
    const lastSeq = again.list.sessions[0]!.lastSeq;
    assert.equal(lastSeq, seen + 3);
    const batch = await again.client.fetchEvents(sessionId, seen);
    assert.deepEqual(batch.events.map((e) => e.type), ['log.question.opened', 'signal.page-hidden', 'log.answer.saved']);
    assertConsecutive(batch.events, seen + 1);
    assert.equal(batch.more, false);
  });

  test('a candidate who reconnects gets what it missed, including its own leaving and joining', async (t) => {
    const server = await TestServer.start(t);
    const first = await server.started('ada');
    const sessionId = first.session.sessionId;
    const seen = first.client.sessionEvents().at(-1)!.seq;
    await first.client.close();
    const watcher = await server.supervisor(['ada']);
    await server.kit.log(sessionId, 'note.added', { text: 'Came back?' });
    await watcher.client.nextEvent('log.note.added');

    const again = await server.candidate('ada');
    assert.equal(again.session.lastSeq, seen + 3);
    const batch = await again.client.fetchEvents(sessionId, seen);
    assert.deepEqual(batch.events.map((e) => e.type), ['session.left', 'log.note.added', 'session.joined']);
    assertConsecutive(batch.events, seen + 1);
  });

  test('a supervisor who watched from the start received the same log that a fetch returns', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.started('ada');
    const sessionId = ada.session.sessionId;
    ada.client.send({ v: 1, type: 'feed.state', feed: 'webcam', state: 'live' });
    ada.client.send(logAppend(candidateEvents.signal('copy')));
    await server.kit.log(sessionId, 'question.opened');
    await server.kit.sessions.message(sessionId, 'Hello');
    ada.client.send({ v: 1, type: 'feed.state', feed: 'webcam', state: 'lost' });
    await ada.client.sync();
    await server.kit.sessions.terminate(sessionId, 'Done.');
    await supervisor.client.nextEvent('session.ended');
    const { events } = await supervisor.client.fetchEvents(sessionId);
    assert.deepEqual(supervisor.client.sessionEvents(sessionId), events);
    assertConsecutive(events);
  });
});
