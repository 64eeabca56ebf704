import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ADA, photoServer, submit, upload, uploaded } from '../http/identity-test-support.js';
import type { ProctorKitOptions } from '../kit.js';
import { TestServer, delay } from '../test-helpers.js';
import { WebhookReceiver, logWhen } from './webhook-test-support.js';

/** A kit that reads its outbox every 20 ms and retries after 200 ms, 400 ms, 800 ms (±20%). */
function kitOptions(receivers: WebhookReceiver[], options: Partial<ProctorKitOptions> = {}): Partial<ProctorKitOptions> {
  return {
    webhooks: receivers.map((r) => ({ url: r.url, secret: r.secret })),
    webhookRetrySchedule: [200, 400, 800],
    ...options,
    timings: { webhookPollMs: 20, ...options.timings },
  };
}

/** A candidate who starts, then the host ends the exam: `session.started` and `session.ended`. */
async function startAndEnd(server: TestServer, candidateId = 'ada'): Promise<string> {
  const { session } = await server.started(candidateId);
  await server.kit.sessions.terminate(session.sessionId, 'Done.');
  return session.sessionId;
}

describe('webhooks', () => {
  test('a session started and ended reaches the endpoint signed, in order, one id per event, with the session and the logged event', async (t) => {
    const receiver = await WebhookReceiver.start(t);
    const server = await TestServer.start(t, kitOptions([receiver]));
    const sessionId = await startAndEnd(server);
    const [started, ended] = await receiver.waitForDelivered(2);
    const log = await server.kit.sessions.events(sessionId);
    const startedEvent = log.find((e) => e.type === 'session.started')!;
    const endedEvent = log.find((e) => e.type === 'session.ended')!;
    assert.deepEqual(started!.payload, {
      type: 'session.started',
      timestamp: new Date(startedEvent.at).toISOString(),
      data: { sessionId, examId: 'exam-1', candidateId: 'ada', seq: startedEvent.seq, event: startedEvent },
    });
    assert.equal(started!.id, `evt_${sessionId}_${startedEvent.seq}`);
    assert.equal(ended!.payload.type, 'session.ended');
    assert.deepEqual(ended!.payload.data.event, endedEvent);
    assert.equal(ended!.id, `evt_${sessionId}_${endedEvent.seq}`);

    const deliveries = await logWhen(server.kit, { sessionId }, (log) => log.every((d) => d.state !== 'pending'));
    assert.deepEqual(
      deliveries.map((d) => [d.webhookId, d.state, d.attempts, d.lastStatus, d.url]),
      [
        [started!.id, 'delivered', 1, 200, receiver.url],
        [ended!.id, 'delivered', 1, 200, receiver.url],
      ],
    );
    await delay(200);
    assert.equal(receiver.received.length, 2, 'nothing sent twice');
  });

  test('an endpoint subscribed to some types gets only those; a failed attempt is retried with the same id', async (t) => {
    const all = await WebhookReceiver.start(t);
    const endsOnly = await WebhookReceiver.start(t);
    all.answer = (n) => ({ status: n === 1 ? 500 : 204 });
    const server = await TestServer.start(t, {
      ...kitOptions([all]),
      webhooks: [
        { url: all.url, secret: all.secret },
        { url: endsOnly.url, secret: endsOnly.secret, events: ['session.ended'] },
      ],
    });
    const sessionId = await startAndEnd(server);
    await all.waitForDelivered(2);
    await endsOnly.waitForDelivered(1);
    assert.deepEqual(endsOnly.received.map((r) => r.payload.type), ['session.ended']);
    const [failed, ...rest] = all.received;
    assert.equal(failed!.status, 500);
    assert.equal(failed!.payload.type, 'session.started');
    assert.deepEqual(
      all.delivered.map((r) => r.id).sort(),
      [failed!.id, endsOnly.received[0]!.id].sort(),
      'the retry carries the id of the attempt that failed',
    );
    assert.equal(rest.length, 2);
    const log = await logWhen(server.kit, { sessionId }, (entries) => entries.length === 3 && entries.every((d) => d.state === 'delivered'));
    const retried = log.find((d) => d.webhookId === failed!.id && d.url === all.url);
    assert.deepEqual([retried?.state, retried?.attempts, retried?.lastStatus], ['delivered', 2, 204]);
  });

  test('a receiver down, then failing, gets every event once it is back; the delivery log shows the attempts meanwhile', async (t) => {
    const receiver = await WebhookReceiver.start(t);
    await receiver.down();
    const server = await TestServer.start(t, kitOptions([receiver], { webhookRetrySchedule: [200, 300, 400, 500, 600, 700] }));
    const sessionId = await startAndEnd(server);
    await delay(700);
    const meanwhile = await server.kit.webhooks.deliveries({ sessionId });
    assert.deepEqual(meanwhile.map((d) => d.state), ['pending', 'pending']);
    assert.ok(meanwhile.every((d) => d.attempts >= 2 && /ECONNREFUSED/.test(d.lastError ?? '')), JSON.stringify(meanwhile));

    receiver.answer = (n) => ({ status: n <= 2 ? 503 : 200 });
    await receiver.up();
    await receiver.waitForDelivered(2);
    assert.deepEqual(receiver.received.slice(0, 2).map((r) => r.status), [503, 503]);
    assert.deepEqual(new Set(receiver.delivered.map((r) => r.payload.type)), new Set(['session.started', 'session.ended']));
    const after = await logWhen(server.kit, { sessionId }, (log) => log.every((d) => d.state === 'delivered'));
    assert.ok(after.every((d) => d.attempts >= 3));
  });

  test("a 503's Retry-After is waited at least, longer than the schedule's wait", async (t) => {
    const receiver = await WebhookReceiver.start(t);
    receiver.answer = (n) => (n === 1 ? { status: 503, headers: { 'retry-after': '2' } } : { status: 200 });
    const server = await TestServer.start(t, kitOptions([receiver]));
    const { session } = await server.started('ada');
    await receiver.waitForDelivered(1);
    const [refused, delivered] = receiver.received;
    assert.equal(refused!.id, delivered!.id);
    const waited = delivered!.at - refused!.at;
    assert.ok(waited >= 2000 && waited < 3000, `waited ${waited} ms`);
    const [entry] = await logWhen(server.kit, { sessionId: session.sessionId }, (log) => log[0]?.state === 'delivered');
    assert.equal(entry?.attempts, 2);
  });

  test('410 Gone disables the endpoint: the delivery log says so and later events wait in the outbox', async (t) => {
    const gone = await WebhookReceiver.start(t);
    const other = await WebhookReceiver.start(t);
    gone.answer = () => ({ status: 410 });
    const server = await TestServer.start(t, {
      ...kitOptions([gone]),
      webhooks: [
        { url: gone.url, secret: gone.secret },
        { url: other.url, secret: other.secret },
      ],
    });
    const { session } = await server.started('ada');
    await gone.waitForRequests(1);
    await server.kit.sessions.terminate(session.sessionId, 'Done.');
    await other.waitForDelivered(2);
    await delay(300);
    assert.equal(gone.received.length, 1, 'one request, then none');
    const log = await logWhen(server.kit, { sessionId: session.sessionId }, (entries) => entries.every((d) => d.url !== other.url || d.state === 'delivered'));
    const toGone = log.filter((d) => d.url === gone.url);
    assert.deepEqual(toGone.map((d) => [d.state, d.lastStatus]), [['failed', 410], ['pending', undefined]]);
    assert.match(toGone[0]!.lastError!, /410 Gone.*no more deliveries until its configuration changes/);
    assert.deepEqual((await server.kit.webhooks.deliveries({ state: 'failed' })).map((d) => d.deliveryId), [toGone[0]!.deliveryId]);
  });

  test('a replay sends a delivered event again with the same id', async (t) => {
    const receiver = await WebhookReceiver.start(t);
    const server = await TestServer.start(t, kitOptions([receiver]));
    const { session } = await server.started('ada');
    const [first] = await receiver.waitForDelivered(1);
    const [delivery] = await logWhen(server.kit, { sessionId: session.sessionId }, (log) => log[0]?.state === 'delivered');
    const replayed = await server.kit.webhooks.replay(delivery!.deliveryId);
    assert.deepEqual([replayed.state, replayed.attempts], ['pending', 0]);
    const [, again] = await receiver.waitForDelivered(2);
    assert.equal(again!.id, first!.id);
    assert.deepEqual(again!.payload, first!.payload);
    await assert.rejects(server.kit.webhooks.replay('dlv_nothing'), { name: 'KitError', code: 'not-found' });
    await assert.rejects(server.kit.webhooks.replay('../etc'), { name: 'KitError', code: 'bad-message' });
    await assert.rejects(server.kit.webhooks.deliveries({ limit: 0 }), { name: 'KitError', code: 'bad-message' });
  });

  test("an identity verdict is sent as identity.verified; the logged event says which", async (t) => {
    const receiver = await WebhookReceiver.start(t);
    const { server, ada } = await photoServer(t, kitOptions([receiver], { webhooks: [{ url: receiver.url, secret: receiver.secret, events: ['identity.verified'] }] }));
    for (const kind of ['document', 'face']) await uploaded(await upload(server, ada, kind));
    assert.equal((await submit(server, ada)).status, 200);
    await server.kit.sessions.verifyIdentity(ADA, 'rejected', 'The photo is blurred.');
    await server.kit.sessions.verifyIdentity(ADA, 'approved');
    const [rejected, approved] = await receiver.waitForDelivered(2);
    assert.deepEqual([rejected!.payload.type, rejected!.payload.data.event.type, rejected!.payload.data.event.data], ['identity.verified', 'identity.rejected', { reason: 'The photo is blurred.' }]);
    assert.deepEqual([approved!.payload.type, approved!.payload.data.event.type], ['identity.verified', 'identity.approved']);
    assert.deepEqual([approved!.payload.data.sessionId, approved!.payload.data.candidateId], [ADA, 'ada']);
  });
});
