/**
 * Two kit instances serving one exam, as two processes behind a load balancer would: a shared
 * store and a bus between them. Every test runs twice: in one process (memory store, local bus),
 * and against the real servers (PostgreSQL, Redis), as a deployment runs.
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { CloseCode, PROTOCOL_VERSION } from '@proctorkit/core/protocol';
import { localBus, LocalBusNetwork } from '../bus/local/local-bus.js';
import { redisBus } from '../bus/redis/redis-bus.js';
import { TEST_REDIS_URL, testPrefix } from '../bus/redis/redis-test-support.js';
import type { ProctorKitOptions } from '../kit.js';
import { memoryStore } from '../store/memory/memory-store.js';
import { postgresStore } from '../store/postgres/postgres-store.js';
import { TEST_DATABASE_URL, testSchema } from '../store/postgres/postgres-test-support.js';
import { EXAM, TestServer, candidateEvents, commands, delay, logAppend, within } from '../test-helpers.js';

/** Options for instance `n` of a deployment made for one test. */
type Deployment = (t: TestContext) => Promise<(n: number) => Partial<ProctorKitOptions>>;

const fast = { beatMs: 200, lostAfterMs: 700 };

const inOneProcess: Deployment = async () => {
  const store = memoryStore();
  const network = new LocalBusNetwork();
  return () => ({ store, bus: localBus({ network }), timings: fast });
};

const onRealServers: Deployment = async (t) => {
  const schema = await testSchema(t);
  const prefix = testPrefix(t);
  return () => ({
    store: postgresStore({ connectionString: TEST_DATABASE_URL, schema }),
    bus: redisBus({ url: TEST_REDIS_URL, prefix }),
    timings: fast,
  });
};

/** Two instances of one deployment, once each has heard the other. */
async function twoInstances(t: TestContext, deployment: Deployment): Promise<[TestServer, TestServer]> {
  const options = await deployment(t);
  const a = await TestServer.start(t, options(0));
  const b = await TestServer.start(t, options(1));
  // The second announced itself on start; the first answered. A beat later, both know.
  await delay(fast.beatMs * 2);
  return [a, b];
}

function describeInstances(name: string, deployment: Deployment): void {
  describe(`two instances (${name})`, () => {
    test('a supervisor on one instance sees a candidate on the other join, online, and its events live', async (t) => {
      const [a, b] = await twoInstances(t, deployment);
      const supervisor = await b.supervisor('*');
      const { client: candidate, session } = await a.started('ada');
      const joined = await supervisor.client.next('session.updated', (m) => m.session.sessionId === session.sessionId && m.session.clock.startedAt !== null);
      assert.notEqual(joined.session.status, 'offline', 'online as the other instance says');

      candidate.send(logAppend(candidateEvents.log('question.opened', { question: 3 })));
      const event = await supervisor.client.nextEvent('log.question.opened', session.sessionId);
      assert.equal(event.source, 'candidate');

      // A supervisor joining later, on either instance, lists it as online.
      for (const server of [a, b]) {
        const { list } = await server.supervisor('*', { supervisorId: `late-${server === a ? 'a' : 'b'}` });
        assert.notEqual(list.sessions.find((s) => s.sessionId === session.sessionId)?.status, 'offline');
      }
    });

    test("a supervisor's commands reach the candidate on the other instance, and its message acknowledgement comes back", async (t) => {
      const [a, b] = await twoInstances(t, deployment);
      const { client: candidate, session } = await a.started('ada');
      const { client: supervisor } = await b.supervisor('*');
      const done = await supervisor.command(commands.extend(session.sessionId, 7));
      assert.deepEqual(done.sessionIds, [session.sessionId]);
      const extended = await candidate.next('session.updated', (m) => m.session.clock.extendedMs === 7 * 60_000);
      assert.equal(extended.session.sessionId, session.sessionId);

      await supervisor.command(commands.message(session.sessionId, 'Five minutes left'));
      const message = await candidate.nextEvent('message.sent', session.sessionId);
      assert.equal(message.data.text, 'Five minutes left');
      // The candidate's acknowledgement, appended on its instance, reaches the supervisor on the other.
      candidate.send(logAppend(candidateEvents.ack(message.data.messageId as string)));
      const ack = await supervisor.nextEvent('message.acked', session.sessionId);
      assert.equal(ack.data.messageId, message.data.messageId);
    });

    test('WebRTC signaling crosses instances both ways, and a subscription ends on the candidate when the supervisor leaves', async (t) => {
      const [a, b] = await twoInstances(t, deployment);
      const { client: candidate, session } = await a.started('ada');
      const { client: supervisor, welcome } = await b.supervisor('*');
      const peer = welcome.connectionId;
      supervisor.send({ v: PROTOCOL_VERSION, type: 'feed.subscribe', sessionId: session.sessionId, feeds: ['webcam', 'screen'], quality: 'thumbnail' });
      const subscribe = await candidate.next('feed.subscribe');
      assert.deepEqual({ peer: subscribe.peer, feeds: subscribe.feeds }, { peer, feeds: ['webcam', 'screen'] });

      candidate.send({ v: PROTOCOL_VERSION, type: 'rtc.offer', peer, pcId: 'pc-000001', sdp: 'v=0 offer', feeds: { '0': 'webcam' } });
      const offer = await supervisor.next('rtc.offer');
      assert.deepEqual({ peer: offer.peer, sdp: offer.sdp }, { peer: session.sessionId, sdp: 'v=0 offer' });
      supervisor.send({ v: PROTOCOL_VERSION, type: 'rtc.answer', peer: session.sessionId, pcId: 'pc-000001', sdp: 'v=0 answer' });
      const answer = await candidate.next('rtc.answer');
      assert.deepEqual({ peer: answer.peer, sdp: answer.sdp }, { peer, sdp: 'v=0 answer' });

      supervisor.send({ v: PROTOCOL_VERSION, type: 'feed.quality', sessionId: session.sessionId, quality: 'full' });
      assert.equal((await candidate.next('feed.quality')).quality, 'full');
      await supervisor.close();
      assert.equal((await candidate.next('feed.unsubscribe')).peer, peer);
    });

    test('a candidate connecting after the subscription is welcomed with the subscriber held by the other instance', async (t) => {
      const [a, b] = await twoInstances(t, deployment);
      const first = await a.candidate('ada');
      await first.client.close();
      const { client: supervisor, welcome } = await b.supervisor('*');
      supervisor.send({ v: PROTOCOL_VERSION, type: 'feed.subscribe', sessionId: first.session.sessionId, feeds: ['webcam'], quality: 'full' });
      await delay(100);
      const again = await a.candidate('ada');
      assert.equal(again.session.sessionId, first.session.sessionId);
      assert.deepEqual(again.welcome.subscribers, [{ peer: welcome.connectionId, feeds: ['webcam'], quality: 'full' }]);
    });

    test('the candidate opening the exam on the other instance replaces its first page, and stays online', async (t) => {
      const [a, b] = await twoInstances(t, deployment);
      const first = await a.candidate('ada');
      const { client: supervisor } = await b.supervisor('*');
      const second = await b.candidate('ada');
      assert.equal(second.session.sessionId, first.session.sessionId);
      const closed = await first.client.closeEvent();
      assert.equal(closed.code, CloseCode.replaced);
      await delay(200);
      const { list } = await a.supervisor('*', { supervisorId: 'sup-2' });
      assert.equal(list.sessions[0]!.status !== 'offline', true, 'the second page keeps the session online');
      void supervisor;
    });

    test('a person revoked on one instance is closed on the other, and their old token is refused there', async (t) => {
      const [a, b] = await twoInstances(t, deployment);
      const token = await b.supervisorToken('*');
      const supervisor = await b.hello(token);
      await supervisor.next('session.list');
      await a.kit.revoke({ examId: EXAM, supervisorId: 'sup-1' });
      assert.equal((await supervisor.closeEvent()).code, CloseCode.unauthorized);
      const again = await b.hello(token);
      assert.equal((await again.closeEvent()).code, CloseCode.unauthorized);
    });

    test('an instance that falls silent is taken for lost: its candidate shows offline, its supervisors stop receiving', async (t) => {
      const options = await deployment(t);
      const aOptions = options(0);
      const a = await TestServer.start(t, aOptions);
      const b = await TestServer.start(t, options(1));
      await delay(fast.beatMs * 2);
      const { session } = await a.started('ada');
      const { client: watcher } = await b.supervisor('*');
      const bob = await b.started('bob');
      const { client: remoteSupervisor, welcome } = await a.supervisor('*', { supervisorId: 'sup-2' });
      remoteSupervisor.send({ v: PROTOCOL_VERSION, type: 'feed.subscribe', sessionId: bob.session.sessionId, feeds: ['webcam'], quality: 'full' });
      await bob.client.next('feed.subscribe');

      // As a crash would: no goodbye, just silence on the bus.
      await aOptions.bus!.close();
      const offline = await within(
        watcher.next('session.updated', (m) => m.session.sessionId === session.sessionId && m.session.status === 'offline'),
        'the lost instance\'s candidate to show offline',
        5000,
      );
      assert.equal(offline.session.sessionId, session.sessionId);
      assert.equal((await within(bob.client.next('feed.unsubscribe'), 'the lost supervisor to unsubscribe', 5000)).peer, welcome.connectionId);
    });

    test("one person's limits are spent across instances: N instances allow what one would", async (t) => {
      const options = await deployment(t);
      const limits = { connectionsPerMinute: 3, requestsPerMinute: 4 };
      const a = await TestServer.start(t, { ...options(0), limits });
      const b = await TestServer.start(t, { ...options(1), limits });
      const token = await a.supervisorToken('*');
      const statuses = [];
      for (const server of [a, b, a, b, a]) statuses.push((await server.get(`/sessions?examId=${EXAM}`, token)).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 429]);

      for (const server of [a, b, a]) {
        const client = await server.hello(token);
        await client.next('session.list');
      }
      const fourth = await b.hello(token);
      assert.equal((await fourth.closeEvent()).code, CloseCode.rateLimited);
    });

    test('an exam reaching zero ends once, though every instance armed its expiry', async (t) => {
      const options = await deployment(t);
      const a = await TestServer.start(t, { ...options(0), examDurationMinutes: 0.02 });
      const b = await TestServer.start(t, { ...options(1), examDurationMinutes: 0.02 });
      await delay(fast.beatMs * 2);
      const { client: candidate, session } = await a.started('ada');
      const { client: supervisor } = await b.supervisor('*');
      await within(candidate.next('session.updated', (m) => m.session.clock.endedAt !== null), 'the exam to end', 5000);
      await delay(500);
      const { events } = await supervisor.fetchEvents(session.sessionId);
      assert.deepEqual(events.filter((e) => e.type === 'session.ended').map((e) => e.data.reason), ['expired']);
    });
  });
}

describeInstances('one process', inOneProcess);
describeInstances('PostgreSQL and Redis', onRealServers);
