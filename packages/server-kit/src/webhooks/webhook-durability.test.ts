import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { createProctorKit, type ProctorKit, type ProctorKitOptions } from '../kit.js';
import { postgresStore } from '../store/postgres/postgres-store.js';
import { TEST_DATABASE_URL, testSchema } from '../store/postgres/postgres-test-support.js';
import { sqliteStore } from '../store/sqlite/sqlite-store.js';
import { EXAM, SECRET, START, TestClient, delay, serveKit } from '../test-helpers.js';
import type { KitStore } from '../store/kit-store.js';
import { WebhookReceiver, logWhen } from './webhook-test-support.js';

/** A kit on `store` that delivers to `receiver`, served on 127.0.0.1; `stop` closes it and its clients. */
async function openKit(t: TestContext, store: KitStore, receiver: WebhookReceiver, options: Partial<ProctorKitOptions> = {}) {
  const kit = createProctorKit({
    secret: SECRET,
    logger: 'silent',
    store,
    webhooks: [{ url: receiver.url, secret: receiver.secret }],
    webhookRetrySchedule: [100, 200, 300, 400, 500, 600, 700, 800],
    ...options,
    timings: { helloTimeoutMs: 300, heartbeatMs: 60_000, webhookPollMs: 20 },
  });
  const { server, origin } = await serveKit(kit);
  const clients: TestClient[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const client of clients) client.socket.terminate();
    await kit.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  t.after(stop);
  /** A candidate who starts, then the host ends the exam: `session.started` and `session.ended`. */
  const startAndEnd = async (candidateId: string): Promise<string> => {
    const client = await TestClient.open(`${origin.replace('http', 'ws')}/proctor/ws`);
    clients.push(client);
    client.hello(await kit.issueToken({ role: 'candidate', examId: EXAM, candidateId, name: candidateId }));
    await client.next('session.welcome');
    client.send(START);
    const { session } = await client.next('session.updated', (m) => m.session.clock.startedAt !== null);
    await kit.sessions.terminate(session.sessionId, 'Done.');
    return session.sessionId;
  };
  return { kit, stop, startAndEnd };
}

const everyDelivered = (kit: ProctorKit, count: number) =>
  logWhen(kit, {}, (log) => log.length === count && log.every((d) => d.state === 'delivered'));

describe('webhooks across restarts and instances', () => {
  test('a kit closed with deliveries pending: the next kit on the same SQLite file delivers each once', async (t) => {
    const directory = await mkdtemp(join(tmpdir(), 'proctorkit-webhooks-'));
    t.after(() => rm(directory, { recursive: true, force: true }));
    const path = join(directory, 'proctorkit.db');
    const receiver = await WebhookReceiver.start(t);
    await receiver.down();

    const first = await openKit(t, sqliteStore({ path }), receiver);
    const sessionId = await first.startAndEnd('ada');
    await logWhen(first.kit, { sessionId }, (log) => log.length === 2 && log.every((d) => d.state === 'pending' && d.attempts >= 1));
    await first.stop();

    await receiver.up();
    const second = await openKit(t, sqliteStore({ path }), receiver);
    await receiver.waitForDelivered(2);
    const log = await everyDelivered(second.kit, 2);
    await delay(300);
    // After retries, the order of arrival is the order they came due again: receivers order by `data.seq`.
    assert.deepEqual(receiver.received.map((r) => r.id).sort(), log.map((d) => d.webhookId).sort(), 'each event once');
    assert.deepEqual(receiver.received.map((r) => r.payload.type).sort(), ['session.ended', 'session.started']);
    assert.ok(log.every((d) => d.attempts >= 2), "the first kit's attempts count");
  });

  test('two kits sharing one PostgreSQL store deliver each event once', async (t) => {
    const schema = await testSchema(t);
    const receiver = await WebhookReceiver.start(t);
    const a = await openKit(t, postgresStore({ connectionString: TEST_DATABASE_URL, schema }), receiver);
    const b = await openKit(t, postgresStore({ connectionString: TEST_DATABASE_URL, schema }), receiver);
    await Promise.all(['ada', 'bob', 'cy', 'dee', 'eve', 'fay'].map((candidate, i) => (i % 2 ? a : b).startAndEnd(candidate)));
    await receiver.waitForDelivered(12);
    await everyDelivered(a.kit, 12);
    await delay(300);
    const ids = receiver.received.map((r) => r.id);
    assert.equal(ids.length, 12);
    assert.equal(new Set(ids).size, 12, 'no event twice');
  });

  test('an endpoint disabled by a 410 stays disabled across restarts until its configuration changes; then what waited is sent', async (t) => {
    const directory = await mkdtemp(join(tmpdir(), 'proctorkit-webhooks-'));
    t.after(() => rm(directory, { recursive: true, force: true }));
    const path = join(directory, 'proctorkit.db');
    const receiver = await WebhookReceiver.start(t);
    receiver.answer = () => ({ status: 410 });

    const first = await openKit(t, sqliteStore({ path }), receiver);
    const sessionId = await first.startAndEnd('ada');
    await logWhen(first.kit, { sessionId }, (log) => log[0]?.state === 'failed');
    await first.stop();
    receiver.answer = () => ({ status: 200 });

    const unchanged = await openKit(t, sqliteStore({ path }), receiver);
    await delay(300);
    assert.equal(receiver.received.length, 1, 'the same configuration: still disabled');
    await unchanged.stop();

    const changed = await openKit(t, sqliteStore({ path }), receiver, {
      webhooks: [{ url: receiver.url, secret: receiver.secret, events: ['session.started', 'session.ended'] }],
    });
    await receiver.waitForDelivered(1);
    const log = await logWhen(changed.kit, { sessionId }, (entries) => entries[1]?.state === 'delivered');
    assert.deepEqual(log.map((d) => [d.state, d.lastStatus]), [['failed', 410], ['delivered', 200]]);
    assert.equal(receiver.delivered[0]!.payload.type, 'session.ended');
  });

  test('a kit closing while an endpoint has not answered stops at once; the next kit sends the event again, with the same id', async (t) => {
    const directory = await mkdtemp(join(tmpdir(), 'proctorkit-webhooks-'));
    t.after(() => rm(directory, { recursive: true, force: true }));
    const path = join(directory, 'proctorkit.db');
    const receiver = await WebhookReceiver.start(t);
    let answered = () => {};
    receiver.answer = (n) => (n === 1 ? new Promise((resolve) => (answered = () => resolve({ status: 200 }))) : { status: 200 });
    t.after(() => answered());

    const first = await openKit(t, sqliteStore({ path }), receiver, { webhooks: [{ url: receiver.url, secret: receiver.secret, events: ['session.started'] }] });
    const sessionId = await first.startAndEnd('ada');
    await receiver.waitForRequests(1);
    const closing = Date.now();
    await first.stop();
    assert.ok(Date.now() - closing < 2000, `closed in ${Date.now() - closing} ms`);

    const second = await openKit(t, sqliteStore({ path }), receiver, { webhooks: [{ url: receiver.url, secret: receiver.secret, events: ['session.started'] }] });
    await receiver.waitForDelivered(1);
    const [entry] = await logWhen(second.kit, { sessionId }, (log) => log[0]?.state === 'delivered');
    assert.equal(receiver.received[1]!.id, receiver.received[0]!.id, 'the receiver deduplicates by webhook-id');
    assert.equal(entry!.attempts, 2);
  });
});
