import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CloseCode, PROTOCOL_VERSION } from '@proctorkit/core/protocol';
import { createProctorKit } from '../kit.js';
import { SECRET, TestServer, candidateEvents, commands, delay, logAppend, within } from '../test-helpers.js';
import { DEFAULT_LIMITS } from './limits.js';

const batch = (size: number, note = 'x') => logAppend(...Array.from({ length: size }, () => candidateEvents.log('flood.line', { note })));

describe('rate limits on the control channel', () => {
  test("one candidate's flood is refused past its events per minute, never reaches the supervisors, and is closed with 4429", async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor('*');
    const ada = await server.candidate('ada');
    for (let i = 0; i < 100; i++) ada.client.send(batch(50));
    const closed = await within(ada.client.closed, 'the flooding page to be closed', 5000);
    assert.equal(closed.code, CloseCode.rateLimited);

    const acked = ada.client.all('log.ack').flatMap((m) => m.ids).length;
    assert.ok(acked <= DEFAULT_LIMITS.eventsPerMinute, `${acked} events accepted`);
    const refused = ada.client.all('error');
    assert.ok(refused.length > 0 && refused.every((m) => m.code === 'rate-limited' && m.ref === 'log.append' && (m.retryAfterMs ?? 0) > 0));
    await supervisor.client.sync();
    const seen = supervisor.client.sessionEvents().filter((e) => e.type === 'log.flood.line').length;
    assert.equal(seen, acked, 'supervisors saw only what the kit accepted');
    assert.ok(seen <= DEFAULT_LIMITS.eventsPerMinute);
  });

  test('a page within its rate loses nothing: a refused batch sent again after retryAfterMs is recorded', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    for (let i = 0; i < DEFAULT_LIMITS.eventsPerMinute / 50; i++) {
      ada.client.send(batch(50));
      await ada.client.next('log.ack');
    }
    const again = batch(20);
    ada.client.send(again);
    const refused = await ada.client.error('log.append');
    assert.equal(refused.code, 'rate-limited');
    assert.ok(refused.retryAfterMs! > 0 && refused.retryAfterMs! <= 2_000, `retry after ${refused.retryAfterMs} ms`);
    await delay(refused.retryAfterMs!);
    ada.client.send(again);
    assert.equal((await ada.client.next('log.ack')).ids.length, 20);
  });

  test('messages past the connection rate are refused, then the connection is closed with 4429', async (t) => {
    const server = await TestServer.start(t, { limits: { messageBurst: 20, messagesPerSecond: 5, refusalsBeforeClose: 10 } });
    const { client } = await server.candidate('ada');
    for (let i = 0; i < 100; i++) client.send({ v: PROTOCOL_VERSION, type: 'clock.ping', id: i });
    const closed = await client.closeEvent();
    assert.equal(closed.code, CloseCode.rateLimited);
    assert.ok(client.all('clock.pong').length <= 21, 'no more than the burst was served');
    const refusals = client.all('error').filter((m) => m.code === 'rate-limited');
    assert.equal(refusals.length, 10);
  });

  test('a reconnect storm is refused past connectionsPerMinute and adds no joins to the log', async (t) => {
    const server = await TestServer.start(t, { limits: { connectionsPerMinute: 5 } });
    const token = await server.candidateToken('ada');
    const closes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const client = await server.hello(token);
      const first = await Promise.race([client.next('session.welcome').then(() => 'welcome'), client.closed.then(() => 'closed')]);
      if (first === 'closed') closes.push((await client.closed).code);
    }
    assert.deepEqual(closes, Array(7).fill(CloseCode.rateLimited));
    const sessionId = (await server.kit.sessions.list('exam-1'))[0]!.sessionId;
    const joins = (await server.kit.sessions.events(sessionId)).filter((e) => e.type === 'session.joined');
    assert.equal(joins.length, 5);
  });

  test("a session's log stops taking its pages' events at the cap; supervisors' commands are still logged", async (t) => {
    const server = await TestServer.start(t, { limits: { maxEventsPerSession: 30 } });
    const supervisor = await server.supervisor('*');
    const ada = await server.started('ada');
    ada.client.send(batch(25));
    await ada.client.next('log.ack');
    ada.client.send(batch(10));
    const refused = await ada.client.error('log.append');
    assert.equal(refused.code, 'too-large');
    assert.match(refused.message, /log is full/);
    const done = await supervisor.client.command(commands.pause(ada.session.sessionId));
    assert.deepEqual(done.sessionIds, [ada.session.sessionId]);
    const types = (await server.kit.sessions.events(ada.session.sessionId)).map((e) => e.type);
    assert.equal(types.at(-1), 'session.paused');
  });

  test('limits that are not positive numbers are refused when the kit is created', () => {
    assert.throws(() => createProctorKit({ secret: SECRET, guardProcess: false, limits: { eventsPerMinute: 0 } }), /limits.eventsPerMinute/);
    assert.throws(() => createProctorKit({ secret: SECRET, guardProcess: false, limits: { typo: 1 } as never }), /unknown limit/);
  });
});

describe('rate limits on the REST API', () => {
  test("a person past requestsPerMinute gets 429 with Retry-After; another person's requests go on", async (t) => {
    const server = await TestServer.start(t, { limits: { requestsPerMinute: 5 } });
    const ada = await server.candidate('ada');
    const token = await server.candidateToken('ada');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await server.get(`/sessions/${ada.session.sessionId}`, token)).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
    const refused = await server.get(`/sessions/${ada.session.sessionId}`, token);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal((await server.get('/sessions', await server.supervisorToken('*'))).status, 200);
  });
});
