import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import express from 'express';
import { CloseCode, PROTOCOL_VERSION, type PhonePairing, type PhoneRedeemed } from '@proctorkit/core/protocol';
import { createProctorKit } from '../kit.js';
import { memoryStore } from '../store/memory/memory-store.js';
import { sqliteStore } from '../store/sqlite/sqlite-store.js';
import { SECRET, TestServer, assertError, commands } from '../test-helpers.js';
import { PhonePairings } from './pairings.js';

async function pair(server: TestServer, sessionId: string, token: string): Promise<PhonePairing> {
  const response = await fetch(`${server.origin}/proctor/sessions/${sessionId}/phone/pairings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as PhonePairing;
}

function redeem(server: TestServer, body: unknown): Promise<Response> {
  return fetch(`${server.origin}/proctor/phone/redeem`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function pairedPhone(t: TestContext) {
  const server = await TestServer.start(t, { phonePageUrl: '/exam/phone' });
  const candidateToken = await server.candidateToken('ada');
  const ada = await server.candidate('ada');
  const sessionId = ada.session.sessionId;
  const pairing = await pair(server, sessionId, candidateToken);
  const secret = new URL(pairing.url).searchParams.get('pairing')!;
  const response = await redeem(server, { pairing: secret });
  assert.equal(response.status, 200);
  const { token } = (await response.json()) as PhoneRedeemed;
  const phone = await server.hello(token);
  const welcome = await phone.next('session.welcome');
  return { server, ada, sessionId, candidateToken, pairing, secret, token, phone, welcome };
}

describe('phone pairing', () => {
  test('a pairing is a link to the host phone page, its QR code and a short code', async (t) => {
    const server = await TestServer.start(t, { phonePageUrl: '/exam/phone' });
    const token = await server.candidateToken('ada');
    const ada = await server.candidate('ada');
    const pairing = await pair(server, ada.session.sessionId, token);
    const url = new URL(pairing.url);
    assert.equal(url.origin, server.origin);
    assert.equal(url.pathname, '/exam/phone');
    assert.match(url.searchParams.get('pairing')!, /^[\w-]{32}$/);
    assert.match(pairing.code, /^[A-HJ-KMNP-Z2-9]{4}-[A-HJ-KMNP-Z2-9]{4}$/);
    assert.match(pairing.qrSvg, /^<svg[\s\S]*<\/svg>\s*$/);
    assert.ok(pairing.expiresAt > Date.now() + 4 * 60_000 && pairing.expiresAt <= Date.now() + 5 * 60_000);
  });

  test('the phone joins the session, publishes only the phone feed, and the supervisor sees it live', async (t) => {
    const { server, sessionId, phone, welcome } = await pairedPhone(t);
    assert.equal(welcome.role, 'phone');
    assert.equal(welcome.session?.sessionId, sessionId);
    assert.equal(welcome.name, 'Candidate ada');
    const supervisor = await server.supervisor(['ada']);
    phone.send({ v: PROTOCOL_VERSION, type: 'feed.state', feed: 'phone', state: 'live' });
    await supervisor.client.next('session.updated', (m) => m.session.feeds.phone === 'live');

    phone.send({ v: PROTOCOL_VERSION, type: 'feed.state', feed: 'webcam', state: 'live' });
    assert.equal((await phone.next('error')).code, 'forbidden');
    phone.send({ v: PROTOCOL_VERSION, type: 'session.start' });
    assert.equal((await phone.next('error')).code, 'forbidden');

    // The supervisor's subscription reaches the phone for the phone feed; the answer comes back to it.
    supervisor.client.send({ v: PROTOCOL_VERSION, type: 'feed.subscribe', sessionId, feeds: ['webcam', 'phone'], quality: 'thumbnail' });
    const subscribe = await phone.next('feed.subscribe');
    assert.deepEqual(subscribe.feeds, ['phone']);
    const pcId = crypto.randomUUID();
    phone.send({ v: PROTOCOL_VERSION, type: 'rtc.offer', peer: subscribe.peer, pcId, sdp: 'v=0 phone', feeds: { '0': 'phone' } });
    const offer = await supervisor.client.next('rtc.offer');
    assert.equal(offer.peer, sessionId);
    assert.equal(offer.source, 'phone');
    supervisor.client.send({ v: PROTOCOL_VERSION, type: 'rtc.answer', peer: sessionId, source: 'phone', pcId, sdp: 'v=0 answer' });
    const answer = await phone.next('rtc.answer');
    assert.equal(answer.sdp, 'v=0 answer');
    assert.equal(answer.peer, subscribe.peer);

    // A phone gone is a lost feed for the supervisor.
    await phone.close();
    await supervisor.client.next('session.updated', (m) => m.session.feeds.phone === 'lost');
  });

  test('the phone keeps its feed while the candidate page reloads', async (t) => {
    const { server, ada, phone } = await pairedPhone(t);
    phone.send({ v: PROTOCOL_VERSION, type: 'feed.state', feed: 'phone', state: 'live' });
    await ada.client.next('session.updated', (m) => m.session.feeds.phone === 'live');
    await ada.client.close();
    const again = await server.candidate('ada');
    assert.equal(again.session.feeds.phone, 'live');
    assert.equal(again.session.feeds.webcam, 'off');
  });

  test('a pairing link or code works once; pairing again replaces the old phone', async (t) => {
    const { server, sessionId, candidateToken, pairing, secret, phone } = await pairedPhone(t);
    const used = await redeem(server, { pairing: secret });
    assert.equal(used.status, 409);
    assert.match(((await used.json()) as { error: { message: string } }).error.message, /already used/);
    const usedCode = await redeem(server, { code: pairing.code });
    assert.equal(usedCode.status, 409);

    const second = await pair(server, sessionId, candidateToken);
    const redeemed = await redeem(server, { code: second.code.toLowerCase() });
    assert.equal(redeemed.status, 200);
    const { token: newToken } = (await redeemed.json()) as PhoneRedeemed;
    assert.equal((await phone.closed).code, CloseCode.unauthorized);

    const newPhone = await server.hello(newToken);
    assert.equal((await newPhone.next('session.welcome')).role, 'phone');
    const events = (await newPhone.fetchEvents(sessionId)).events.filter((e) => e.type === 'phone.paired');
    assert.deepEqual(events.map((e) => e.data.replaced), [false, true]);
  });

  test("the replaced phone's token is refused on reconnect", async (t) => {
    const { server, sessionId, candidateToken, token } = await pairedPhone(t);
    const second = await pair(server, sessionId, candidateToken);
    assert.equal((await redeem(server, { code: second.code })).status, 200);
    const stale = await server.hello(token);
    assert.equal((await stale.closed).code, CloseCode.unauthorized);
  });

  test('bad redeem bodies answer 400 and pair nothing', async (t) => {
    const { server, sessionId } = await pairedPhone(t);
    for (const body of ['{not json', { code: 'short' }, { code: 'OOOOOO' }, { pairing: 'x' }, { pairing: 'a'.repeat(30), code: 'ABCDEFGH' }, [], 'null']) {
      const response = await redeem(server, body);
      assert.equal(response.status, 400, JSON.stringify(body));
    }
    assert.equal((await redeem(server, { code: 'ABCDEFGH' })).status, 404);
    const paired = (await server.kit.sessions.events(sessionId)).filter((e) => e.type === 'phone.paired');
    assert.equal(paired.length, 1);
  });

  test('only the candidate of the session may ask for a pairing', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const path = `/sessions/${ada.session.sessionId}/phone/pairings`;
    const post = (token?: string) =>
      fetch(`${server.origin}/proctor${path}`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
    assert.equal((await post()).status, 401);
    assert.equal((await post(await server.candidateToken('bob'))).status, 404);
    assert.equal((await post(await server.supervisorToken('*'))).status, 403);
  });

  test('room scan: the supervisor asks, the phone and the log see it; refused without a phone', async (t) => {
    const { server, sessionId, phone } = await pairedPhone(t);
    const supervisor = await server.supervisor(['ada']);
    const scan = { v: PROTOCOL_VERSION, type: 'command.room-scan', id: commands.pause(sessionId).id, target: sessionId };
    await supervisor.client.command(scan);
    const event = await phone.nextEvent('phone.room-scan-requested');
    assert.equal(event.by, 'Supervisor');

    const bob = await server.candidate('bob');
    const refused = await supervisor.client.commandError({ ...scan, id: crypto.randomUUID(), target: bob.session.sessionId } as typeof scan);
    assert.equal(refused.code, 'not-found');
    const watcher = await server.supervisor(['bob']);
    const noPhone = await watcher.client.commandError({ ...scan, id: crypto.randomUUID(), target: bob.session.sessionId } as typeof scan);
    assert.equal(noPhone.code, 'conflict');
  });
});

/** POST of a pairing with a `Host` header of the test's choosing (fetch would not send a bad one). */
function pairWithHost(server: TestServer, sessionId: string, token: string, host: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, method: 'POST', path: `/proctor/sessions/${sessionId}/phone/pairings`, headers: { host, authorization: `Bearer ${token}` } },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, body }));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

describe('phone pairing under attack', () => {
  test('guessing codes from one address is throttled: 429 with Retry-After', async (t) => {
    const server = await TestServer.start(t);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await redeem(server, { code: `ABCD${String(2222 + i).replace(/[01]/g, '2')}` })).status);
    assert.deepEqual(statuses, [...Array(10).fill(404), 429, 429]);
    const refused = await redeem(server, { code: 'ABCDEFGH' });
    await assertError(refused, 429, 'rate-limited', /QR code/);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  });

  test('wrong codes are throttled for the whole kit, whatever the address; a link still pairs', async (t) => {
    const server = await TestServer.start(t, { limits: { pairingAttemptsPerMinute: 1000, pairingFailuresPerMinute: 5 } });
    const token = await server.candidateToken('ada');
    const ada = await server.candidate('ada');
    for (let i = 0; i < 5; i++) assert.equal((await redeem(server, { code: `WRNGCQD${'ABCDE'[i]}` })).status, 404);
    const pairing = await pair(server, ada.session.sessionId, token);
    await assertError(await redeem(server, { code: pairing.code }), 429, 'rate-limited');
    const secret = new URL(pairing.url).searchParams.get('pairing')!;
    assert.equal((await redeem(server, { pairing: secret })).status, 200);
  });

  test("a body the host's own express.json() parsed is bounded the same: deep JSON is a 400, not a crash", async (t) => {
    const kit = createProctorKit({ secret: SECRET, logger: 'silent', store: memoryStore() });
    const app = express();
    app.use(express.json({ limit: '1mb' }));
    app.use('/proctor', kit.router);
    const server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(async () => {
      await kit.close();
      server.closeAllConnections();
      server.close();
    });
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/proctor/phone/redeem`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: deep,
    });
    await assertError(response, 400, 'bad-message', /deeper than 32/);
  });

  test('a redeem body over 1 KB is a 413', async (t) => {
    const server = await TestServer.start(t);
    await assertError(await redeem(server, { pairing: 'x'.repeat(2000) }), 413, 'too-large');
  });

  test("a replaced phone's token is refused over HTTP too", async (t) => {
    const { server, sessionId, candidateToken, token } = await pairedPhone(t);
    assert.equal((await server.get(`/sessions/${sessionId}`, token)).status, 200);
    const second = await pair(server, sessionId, candidateToken);
    assert.equal((await redeem(server, { code: second.code })).status, 200);
    await assertError(await server.get(`/sessions/${sessionId}`, token), 401, 'unauthorized', /replaced/);
    await assertError(await server.get(`/sessions/${sessionId}/events`, token), 401, 'unauthorized');
  });

  test("the candidate's page cannot pose as its phone", async (t) => {
    const { server, ada, sessionId } = await pairedPhone(t);
    const supervisor = await server.supervisor(['ada']);
    supervisor.client.send({ v: PROTOCOL_VERSION, type: 'feed.subscribe', sessionId, feeds: ['webcam', 'phone'], quality: 'thumbnail' });
    const { peer } = await ada.client.next('feed.subscribe');
    const pcId = crypto.randomUUID();
    const posing = [
      { v: PROTOCOL_VERSION, type: 'feed.state', feed: 'phone', state: 'lost' },
      { v: PROTOCOL_VERSION, type: 'rtc.offer', peer, source: 'phone', pcId, sdp: 'v=0 fake phone', feeds: { '0': 'phone' } },
      { v: PROTOCOL_VERSION, type: 'rtc.offer', peer, pcId, sdp: 'v=0 fake phone', feeds: { '0': 'webcam', '1': 'phone' } },
      { v: PROTOCOL_VERSION, type: 'rtc.ice', peer, source: 'phone', pcId, candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host' } },
    ];
    for (const message of posing) {
      ada.client.send(message);
      assert.equal((await ada.client.error(message.type)).code, 'forbidden', JSON.stringify(message));
    }
    await supervisor.client.sync();
    assert.deepEqual(supervisor.client.all('rtc.offer'), []);
    assert.deepEqual(supervisor.client.all('rtc.ice'), []);
    assert.equal(supervisor.client.all('session.updated').filter((m) => m.session.feeds.phone === 'lost').length, 0);
  });

  test('a malformed Host header is a 400, and a configured absolute phone page never echoes Host', async (t) => {
    const server = await TestServer.start(t);
    const token = await server.candidateToken('ada');
    const ada = await server.candidate('ada');
    for (const host of ['exam.example/evil', 'a b', '[nope', 'exam.example:99999x', '127.0.0.1:65536', '[a0]', 'user@exam.example']) {
      const answer = await pairWithHost(server, ada.session.sessionId, token, host);
      assert.equal(answer.status, 400, host);
      assert.deepEqual(Object.keys(JSON.parse(answer.body) as object), ['error']);
    }
    const good = await pairWithHost(server, ada.session.sessionId, token, 'exam.example:8443');
    assert.equal(new URL((JSON.parse(good.body) as PhonePairing).url).host, 'exam.example:8443');

    const configured = await TestServer.start(t, { phonePageUrl: 'https://exam.example.org/phone' });
    const bobToken = await configured.candidateToken('bob');
    const bob = await configured.candidate('bob');
    const answer = await pairWithHost(configured, bob.session.sessionId, bobToken, 'attacker.example');
    assert.equal(answer.status, 201);
    assert.equal(new URL((JSON.parse(answer.body) as PhonePairing).url).origin, 'https://exam.example.org');
  });
});

describe('PhonePairings', () => {
  test('expired pairings say so; a new pairing of the session voids the previous one', async () => {
    const pairings = new PhonePairings(memoryStore(), 1000);
    const first = await pairings.create('s1', 0);
    const second = await pairings.create('s1', 10);
    await assert.rejects(pairings.redeem({ pairing: first.secret }, 20), /already used/);
    await assert.rejects(pairings.redeem({ code: second.code }, 2000), /expired/);
    const third = await pairings.create('s1', 3000);
    assert.equal((await pairings.redeem({ code: third.code }, 3500)).pairingId, third.pairingId);
  });

  test('a pairing made before a restart redeems after it', async (t) => {
    const directory = await mkdtemp(join(tmpdir(), 'proctorkit-pairing-'));
    t.after(() => rm(directory, { recursive: true, force: true }));
    const path = join(directory, 'proctorkit.db');
    const before = sqliteStore({ path });
    const pending = await new PhonePairings(before).create('s1');
    await before.close();
    const after = sqliteStore({ path });
    t.after(() => after.close());
    assert.equal((await new PhonePairings(after).redeem({ code: pending.code })).pairingId, pending.pairingId);
  });
});
