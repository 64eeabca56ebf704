import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { describe, test } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { CloseCode, MAX_MESSAGE_BYTES, newClock, noFeeds, type ProviderInfo } from '@proctorkit/core/protocol';
import type { MediaProvider } from '../providers/provider.js';
import { localProvider } from '../providers/local.js';
import type { SessionRecord } from '../store/session-store.js';
import {
  EXAM,
  OTHER_EXAM,
  OTHER_SECRET,
  TestServer,
  delay,
  signRaw,
  supervisorClaims,
  unsignedToken,
  within,
} from '../test-helpers.js';
import { TokenIssuer } from '../tokens.js';

const feedState = (feed: string, state: string) => ({ v: 1, type: 'feed.state', feed, state });
const subscribe = (sessionId: string, feeds: string[] = ['webcam'], quality = 'thumbnail') => ({
  v: 1,
  type: 'feed.subscribe',
  sessionId,
  feeds,
  quality,
});
const offer = (peer: string) => ({ v: 1, type: 'rtc.offer', peer, pcId: 'pc-000001', sdp: 'v=0 offer', feeds: { '0': 'webcam' } });
const answer = (peer: string) => ({ v: 1, type: 'rtc.answer', peer, pcId: 'pc-000001', sdp: 'v=0 answer' });
const ice = (peer: string) => ({
  v: 1,
  type: 'rtc.ice',
  peer,
  pcId: 'pc-000001',
  candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 },
});

/** A provider whose join info waits until the test releases it, to interleave other clients. */
function gatedProvider(gate: (session?: SessionRecord) => boolean) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let reached!: () => void;
  const reachedGate = new Promise<void>((resolve) => (reached = resolve));
  const provider: MediaProvider = {
    name: 'local',
    async joinInfo(session) {
      if (gate(session)) {
        reached();
        await released;
      }
      return { name: 'local', iceServers: [] };
    },
  };
  return { provider, reachedGate, release };
}

describe('session.hello', () => {
  test('welcomes a candidate with its session and the local provider', async (t) => {
    const server = await TestServer.start(t);
    const before = Date.now();
    const { welcome } = await server.candidate('ada');
    assert.equal(welcome.role, 'candidate');
    assert.equal(welcome.examId, EXAM);
    assert.equal(welcome.name, 'Candidate ada');
    assert.match(welcome.connectionId, /^[\w-]{6,64}$/);
    assert.deepEqual(welcome.provider, { name: 'local', iceServers: [] });
    assert.ok(welcome.serverTime >= before && welcome.serverTime <= Date.now());
    const { sessionId, joinedAt, ...rest } = welcome.session!;
    assert.match(sessionId, /^[\w-]{6,64}$/);
    assert.ok(joinedAt >= before && joinedAt <= Date.now());
    assert.deepEqual(rest, {
      examId: EXAM,
      candidateId: 'ada',
      name: 'Candidate ada',
      status: 'connecting',
      feeds: noFeeds(),
      clock: newClock(60 * 60_000),
      lastSeq: 1,
    });
  });

  test('hands the configured ICE servers to candidates and supervisors', async (t) => {
    const iceServers = [
      { urls: 'stun:stun.example.org:3478' },
      { urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'], username: 'u', credential: 'p' },
    ];
    const server = await TestServer.start(t, { provider: localProvider({ iceServers }) });
    const candidate = await server.candidate('ada');
    const supervisor = await server.supervisor('*');
    assert.deepEqual(candidate.welcome.provider, { name: 'local', iceServers });
    assert.deepEqual(supervisor.welcome.provider, { name: 'local', iceServers });
  });

  test('gives a reconnecting candidate the same session and closes the old page with 4409', async (t) => {
    const server = await TestServer.start(t);
    const first = await server.candidate('ada');
    const second = await server.candidate('ada');
    assert.equal(second.session.sessionId, first.session.sessionId);
    assert.equal(second.session.joinedAt, first.session.joinedAt);
    assert.notEqual(second.welcome.connectionId, first.welcome.connectionId);
    const closed = await first.client.closeEvent();
    assert.equal(closed.code, CloseCode.replaced);
    assert.match(closed.reason, /another page/);
    await second.client.sync();
    assert.ok(second.client.isOpen, 'the new page keeps its connection');
  });

  test('keeps the session online when a second tab replaces the first', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    const first = await server.candidate('ada');
    first.client.send(feedState('webcam', 'live'));
    await supervisor.client.next('session.updated', (m) => m.session.status === 'live');
    const second = await server.candidate('ada');
    await first.client.closeEvent();
    second.client.send(feedState('webcam', 'live'));
    await supervisor.client.next('session.updated', (m) => m.session.status === 'live');
    await second.client.sync();
    await supervisor.client.sync();
    const statuses = supervisor.client.all('session.updated').map((m) => m.session.status);
    assert.equal(statuses.includes('offline'), false, `never offline, saw ${statuses.join(', ')}`);
    assert.equal((await server.kit.sessions.get(second.session.sessionId))?.status, 'live');
  });

  test('keeps one session per exam for the same candidate id', async (t) => {
    const server = await TestServer.start(t);
    const inFirst = await server.candidate('ada');
    const inSecond = await server.candidate('ada', { examId: OTHER_EXAM });
    assert.notEqual(inSecond.session.sessionId, inFirst.session.sessionId);
    assert.equal(inSecond.session.examId, OTHER_EXAM);
    await inFirst.client.sync();
    assert.ok(inFirst.client.isOpen, 'a session in another exam does not replace this one');
  });

  test('updates the name a reconnecting candidate brings', async (t) => {
    const server = await TestServer.start(t);
    await server.candidate('ada', { name: 'Ada' });
    const again = await server.candidate('ada', { name: 'Ada Lovelace' });
    assert.equal(again.session.name, 'Ada Lovelace');
    assert.equal((await server.kit.sessions.get(again.session.sessionId))?.name, 'Ada Lovelace');
  });

  test('welcomes a supervisor and lists only the candidates its token names, in its exam', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    await server.candidate('bob');
    await server.candidate('ada', { examId: OTHER_EXAM });
    const { welcome, list } = await server.supervisor(['ada', 'carol']);
    assert.equal(welcome.role, 'supervisor');
    assert.equal(welcome.examId, EXAM);
    assert.equal(welcome.name, 'Supervisor');
    assert.equal(welcome.session, undefined);
    assert.deepEqual(welcome.provider, { name: 'local', iceServers: [] });
    assert.deepEqual(list.sessions, [{ ...ada.session, status: 'connecting' }]);
  });

  test('lists every candidate of its exam to a supervisor with "*"', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const bob = await server.candidate('bob');
    await server.candidate('carol', { examId: OTHER_EXAM });
    const { list } = await server.supervisor('*');
    assert.deepEqual(list.sessions.map((s) => s.sessionId).sort(), [ada.session.sessionId, bob.session.sessionId].sort());
  });

  test('lists a candidate who left as offline', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const watching = await server.supervisor(['ada']);
    await ada.client.close();
    await watching.client.next('session.updated', (m) => m.session.status === 'offline');
    const { list } = await server.supervisor(['ada']);
    assert.deepEqual(list.sessions.map((s) => s.status), ['offline']);
  });

  test('sends a supervisor its welcome before any update', async (t) => {
    const { provider, reachedGate, release } = gatedProvider((session) => session === undefined);
    const server = await TestServer.start(t, { provider });
    const supervisor = await server.hello(await server.supervisorToken('*'));
    await within(reachedGate, 'the supervisor join to ask the provider');
    const ada = await server.candidate('ada');
    release();
    const { sessions } = await supervisor.next('session.list');
    assert.equal(supervisor.received[0]?.type, 'session.welcome', `received ${supervisor.received.map((m) => m.type).join(', ')}`);
    assert.deepEqual(sessions, [ada.session], 'the list, sent after any earlier update, is current');
  });

  test('sends a candidate its welcome before any feed.subscribe', async (t) => {
    const { provider, reachedGate, release } = gatedProvider((session) => session !== undefined);
    const server = await TestServer.start(t, { provider });
    const supervisor = await server.supervisor('*');
    const candidate = await server.hello(await server.candidateToken('ada'));
    await within(reachedGate, 'the candidate join to ask the provider');
    const { session } = await supervisor.client.next('session.updated');
    supervisor.client.send(subscribe(session.sessionId));
    await supervisor.client.sync();
    release();
    const welcome = await candidate.next('session.welcome');
    await candidate.sync();
    assert.equal(candidate.received[0]?.type, 'session.welcome', `received ${candidate.received.map((m) => m.type).join(', ')}`);
    const peer = supervisor.welcome.connectionId;
    const told = [...(welcome.subscribers ?? []), ...candidate.all('feed.subscribe')].map((m) => m.peer);
    assert.ok(told.includes(peer), 'the candidate learns of the subscription');
  });
});

describe('refused connections', () => {
  test('closes with 4401 when the token is forged', async (t) => {
    const server = await TestServer.start(t);
    const client = await server.hello(await new TokenIssuer(OTHER_SECRET, '1h').issue(supervisorClaims('*')));
    assert.deepEqual(await client.closeEvent(), { code: CloseCode.unauthorized, reason: 'Token signature is invalid.' });
    assert.deepEqual(client.received, []);
  });

  test('closes with 4401 when the token has expired', async (t) => {
    const server = await TestServer.start(t);
    const client = await server.hello(await signRaw(supervisorClaims('*'), { exp: Math.floor(Date.now() / 1000) - 1 }));
    assert.deepEqual(await client.closeEvent(), { code: CloseCode.unauthorized, reason: 'Token has expired.' });
  });

  test('closes with 4401 when the token is garbage', async (t) => {
    const server = await TestServer.start(t);
    for (const token of ['garbage', 'a.b.c', unsignedToken(supervisorClaims('*'))]) {
      const client = await server.connect();
      client.hello(token);
      assert.deepEqual(await client.closeEvent(), { code: CloseCode.unauthorized, reason: 'Token is malformed.' }, token);
    }
  });

  test('closes with 4401 when the token claims are invalid', async (t) => {
    const server = await TestServer.start(t);
    const client = await server.hello(await signRaw({ role: 'candidate', examId: EXAM, candidateId: 'ada/webcam', name: 'Ada' }));
    const { code, reason } = await client.closeEvent();
    assert.equal(code, CloseCode.unauthorized);
    assert.match(reason, /candidateId/);
  });

  test('closes with 4400 when the first message is not a hello', async (t) => {
    const server = await TestServer.start(t);
    const client = await server.connect();
    client.send(feedState('webcam', 'live'));
    const { code, reason } = await client.closeEvent();
    assert.equal(code, CloseCode.badHello);
    assert.match(reason, /^Expected session\.hello: type: /);
    assert.ok(Buffer.byteLength(reason) <= 123, 'the reason fits a close frame');
  });

  test('closes with 4400 when the first message is not JSON, is binary, or has no token', async (t) => {
    const server = await TestServer.start(t);
    const cases: [object | string | Buffer, RegExp][] = [
      ['{"v":1,"type":"session.hello"', /not valid JSON/],
      [Buffer.from(JSON.stringify({ v: 1, type: 'session.hello', token: 'x' })), /not binary/],
      [{ v: 1, type: 'session.hello' }, /token/],
      [{ v: 2, type: 'session.hello', token: 'a.b.c' }, /^Expected session\.hello: v: /],
      // A reason cut to the protocol's 123 bytes through a 4-byte character must still close cleanly.
      [{ v: '𐀀'.repeat(1000), type: 'session.hello', token: 'a.b.c' }, /^Expected session\.hello: v: .*\.\.\.$/],
    ];
    for (const [message, reason] of cases) {
      const client = await server.connect();
      client.send(message);
      const closed = await client.closeEvent();
      assert.equal(closed.code, CloseCode.badHello);
      assert.match(closed.reason, reason);
    }
  });

  test('closes with 4408 when no hello arrives in time', async (t) => {
    const server = await TestServer.start(t);
    const started = Date.now();
    const client = await server.connect();
    const closed = await client.closeEvent();
    assert.equal(closed.code, CloseCode.helloTimeout);
    assert.ok(Date.now() - started >= 250, 'waits for the hello timeout first');
  });

  test('does not time out a connection that said hello', async (t) => {
    const server = await TestServer.start(t);
    const { client } = await server.candidate('ada');
    await delay(400);
    await client.sync();
    assert.ok(client.isOpen);
  });

  test('handles messages sent right after the hello, in order', async (t) => {
    const server = await TestServer.start(t);
    const client = await server.hello(await server.candidateToken('ada'));
    client.send(feedState('webcam', 'live'));
    client.send(feedState('screen', 'live'));
    const welcome = await client.next('session.welcome');
    await client.sync();
    assert.equal(client.all('error').length, 1, 'only the sync was refused');
    const session = await server.kit.sessions.get(welcome.session!.sessionId);
    assert.deepEqual(session?.feeds, { webcam: 'live', screen: 'live', phone: 'off' });
  });

  test('closes with 1009 when a message is larger than 64 KB', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    const { client } = await server.candidate('ada');
    client.send(JSON.stringify({ v: 1, type: 'feed.state', feed: 'webcam', state: 'live', pad: 'x'.repeat(MAX_MESSAGE_BYTES) }));
    assert.equal((await client.closeEvent()).code, CloseCode.tooBig);
    await supervisor.client.next('session.updated', (m) => m.session.status === 'offline');
  });

  test('closes with 1009 when a hello is larger than 64 KB', async (t) => {
    const server = await TestServer.start(t);
    const client = await server.connect();
    client.hello('x'.repeat(MAX_MESSAGE_BYTES + 1));
    assert.equal((await client.closeEvent()).code, CloseCode.tooBig);
  });

  test('accepts a message of exactly 64 KB', async (t) => {
    const server = await TestServer.start(t);
    const { client } = await server.candidate('ada');
    const empty = JSON.stringify({ v: 1, type: 'test.big', pad: '' });
    const message = JSON.stringify({ v: 1, type: 'test.big', pad: 'x'.repeat(MAX_MESSAGE_BYTES - empty.length) });
    assert.equal(Buffer.byteLength(message), MAX_MESSAGE_BYTES);
    client.send(message);
    assert.equal((await client.error('test.big')).code, 'unknown-type');
  });

  test('leaves upgrades at other paths to the host\'s other handlers', async (t) => {
    const server = await TestServer.start(t);
    const other = new WebSocketServer({ noServer: true });
    server.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (request.url !== '/live-chat') return;
      other.handleUpgrade(request, socket, head, (ws) => ws.send('hello from the host'));
    });
    const socket = new WebSocket(`${server.origin.replace('http', 'ws')}/live-chat`);
    try {
      const [data] = (await within(once(socket, 'message'), 'the host handler to greet')) as [Buffer];
      assert.equal(data.toString(), 'hello from the host');
    } finally {
      socket.terminate();
      other.close();
    }
  });
});

/** Sends a raw upgrade request for `path`; resolves with what the server wrote once it closed the socket. */
async function rawUpgrade(origin: string, path: string): Promise<string> {
  const { port } = new URL(origin);
  const socket = connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  await within(once(socket, 'close'), `the server to close the upgrade of ${path}`);
  return answer;
}

function openConnections(server: TestServer): Promise<number> {
  return new Promise((resolve, reject) => server.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

describe('upgrades at other paths', () => {
  test('are refused with 404 and closed when nothing else serves them, leaving no socket behind', async (t) => {
    const server = await TestServer.start(t);
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => rawUpgrade(server.origin, `/not-the-kit/${i}`)));
    for (const answer of answers) assert.match(answer, /^HTTP\/1\.1 404 Not Found/);
    assert.equal(await openConnections(server), 0);
  });

  test('that the host\'s own handler ignores are refused once the hello timeout passes', async (t) => {
    const server = await TestServer.start(t);
    server.server.on('upgrade', () => {});
    const started = Date.now();
    assert.match(await rawUpgrade(server.origin, '/nobody-serves-this'), /^HTTP\/1\.1 404 Not Found/);
    assert.ok(Date.now() - started >= 250, 'the host had the hello timeout (300 ms in tests) to answer');
    assert.equal(await openConnections(server), 0);
  });

  test('a host\'s own WebSocket server on another path keeps working beside the kit', async (t) => {
    const server = await TestServer.start(t);
    const other = new WebSocketServer({ noServer: true });
    server.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (request.url !== '/live-chat') return;
      // The host checks the request first (its own login, say); a socket it serves stays open past the kit's timeout.
      setTimeout(() => other.handleUpgrade(request, socket, head, (ws) => ws.on('message', (data) => ws.send(`echo ${data}`))), 100);
    });
    const chat = new WebSocket(`${server.origin.replace('http', 'ws')}/live-chat`);
    try {
      await within(once(chat, 'open'), 'the host socket to open');
      await delay(400);
      chat.send('hi');
      const [data] = (await within(once(chat, 'message'), 'the host server to echo')) as [Buffer];
      assert.equal(data.toString(), 'echo hi');
      const { welcome } = await server.candidate('ada');
      assert.equal(welcome.role, 'candidate', 'the kit serves its own path at the same time');
    } finally {
      chat.terminate();
      other.close();
    }
  });
});

describe('messages after hello', () => {
  test('answers invalid JSON with a bad-message error and stays usable', async (t) => {
    const server = await TestServer.start(t);
    const { client, session } = await server.candidate('ada');
    client.send('{"v":1,"type":"feed.state",');
    const error = await client.next('error');
    assert.deepEqual(error, { v: 1, type: 'error', code: 'bad-message', message: 'Message is not valid JSON.' });
    client.send(feedState('webcam', 'live'));
    await client.sync();
    assert.equal((await server.kit.sessions.get(session.sessionId))?.status, 'live');
  });

  test('answers an unknown type with unknown-type, naming it', async (t) => {
    const server = await TestServer.start(t);
    const { client } = await server.candidate('ada');
    client.send({ v: 1, type: 'clock.pause' });
    const error = await client.error('clock.pause');
    assert.equal(error.code, 'unknown-type');
    assert.match(error.message, /"clock\.pause"/);
    assert.ok(client.isOpen);
  });

  test('answers JSON that is not a message with unknown-type and no ref', async (t) => {
    const server = await TestServer.start(t);
    const { client } = await server.candidate('ada');
    for (const json of ['null', '42', '"feed.state"', '[]', '{"type":7}']) {
      client.send(json);
      const error = await client.next('error');
      assert.equal(error.code, 'unknown-type', json);
      assert.equal(error.ref, undefined, json);
    }
    await client.sync();
  });

  test('cuts a long unknown type to 64 characters in the ref', async (t) => {
    const server = await TestServer.start(t);
    const { client } = await server.candidate('ada');
    client.send({ v: 1, type: 'x'.repeat(1000) });
    const error = await client.next('error');
    assert.equal(error.ref, 'x'.repeat(64));
    assert.ok(error.message.length < 200);
  });

  test('answers a second hello with bad-message', async (t) => {
    const server = await TestServer.start(t);
    const { client } = await server.candidate('ada');
    client.hello(await server.supervisorToken('*'));
    const error = await client.error('session.hello');
    assert.equal(error.code, 'bad-message');
    assert.match(error.message, /already/);
    client.send(subscribe('session-x'));
    assert.equal((await client.error('feed.subscribe')).code, 'forbidden', 'the connection keeps its first role');
  });

  test('answers a schema-invalid message with bad-message naming the type and field', async (t) => {
    const server = await TestServer.start(t);
    const { client } = await server.candidate('ada');
    client.send(feedState('microphone', 'live'));
    const error = await client.error('feed.state');
    assert.equal(error.code, 'bad-message');
    assert.match(error.message, /^feed\.state: feed: /);
    client.send({ type: 'feed.state', feed: 'webcam', state: 'live' });
    assert.match((await client.error('feed.state')).message, /^feed\.state: v: /);
  });

  test('answers a binary frame with bad-message', async (t) => {
    const server = await TestServer.start(t);
    const { client, session } = await server.candidate('ada');
    client.send(Buffer.from(JSON.stringify(feedState('webcam', 'live'))));
    const error = await client.next('error');
    assert.equal(error.code, 'bad-message');
    assert.match(error.message, /binary/);
    await client.sync();
    assert.equal((await server.kit.sessions.get(session.sessionId))?.status, 'connecting', 'the binary frame was not applied');
  });
});

describe('authorization', () => {
  for (const [type, message] of [
    ['feed.subscribe', subscribe('session-000001')],
    ['feed.unsubscribe', { v: 1, type: 'feed.unsubscribe', sessionId: 'session-000001' }],
    ['feed.quality', { v: 1, type: 'feed.quality', sessionId: 'session-000001', quality: 'full' }],
    ['rtc.answer', answer('session-000001')],
  ] as const) {
    test(`refuses ${type} from a candidate as forbidden`, async (t) => {
      const server = await TestServer.start(t);
      const { client } = await server.candidate('ada');
      client.send(message);
      const error = await client.error(type);
      assert.equal(error.code, 'forbidden');
      assert.match(error.message, /candidate may not send/);
    });
  }

  for (const [type, message] of [
    ['feed.state', feedState('webcam', 'live')],
    ['rtc.offer', offer('session-000001')],
  ] as const) {
    test(`refuses ${type} from a supervisor as forbidden`, async (t) => {
      const server = await TestServer.start(t);
      const { client } = await server.supervisor('*');
      client.send(message);
      const error = await client.error(type);
      assert.equal(error.code, 'forbidden');
      assert.match(error.message, /supervisor may not send/);
    });
  }

  test('answers not-found when a supervisor subscribes to a session of another exam, and tells its candidate nothing', async (t) => {
    const server = await TestServer.start(t);
    const elsewhere = await server.candidate('ada', { examId: OTHER_EXAM });
    const supervisor = await server.supervisor('*');
    supervisor.client.send(subscribe(elsewhere.session.sessionId));
    assert.equal((await supervisor.client.error('feed.subscribe')).code, 'not-found');
    await elsewhere.client.sync();
    assert.deepEqual(elsewhere.client.all('feed.subscribe'), []);
  });

  test('answers not-found when a supervisor subscribes to a candidate its token does not name, and tells the candidate nothing', async (t) => {
    const server = await TestServer.start(t);
    const bob = await server.candidate('bob');
    const supervisor = await server.supervisor(['ada']);
    supervisor.client.send(subscribe(bob.session.sessionId));
    const error = await supervisor.client.error('feed.subscribe');
    assert.equal(error.code, 'not-found');
    assert.match(error.message, new RegExp(bob.session.sessionId));
    await bob.client.sync();
    assert.deepEqual(bob.client.all('feed.subscribe'), []);
    bob.client.send(offer(supervisor.welcome.connectionId));
    assert.equal((await bob.client.error('rtc.offer')).code, 'not-found', 'no subscription was recorded');
  });

  test('answers not-found when a supervisor subscribes to a session that does not exist', async (t) => {
    const server = await TestServer.start(t);
    const { client } = await server.supervisor('*');
    client.send(subscribe('no-such-session'));
    assert.equal((await client.error('feed.subscribe')).code, 'not-found');
  });

  test('answers not-found when a supervisor signals or changes quality for a session it does not subscribe to', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const { client } = await server.supervisor('*');
    const sessionId = ada.session.sessionId;
    client.send(answer(sessionId));
    assert.equal((await client.error('rtc.answer')).code, 'not-found');
    client.send(ice(sessionId));
    assert.equal((await client.error('rtc.ice')).code, 'not-found');
    client.send({ v: 1, type: 'feed.quality', sessionId, quality: 'full' });
    assert.equal((await client.error('feed.quality')).code, 'not-found');
    await ada.client.sync();
    assert.deepEqual(
      ada.client.received.filter((m) => m.type.startsWith('rtc.') || m.type.startsWith('feed.')),
      [],
      'the candidate received nothing',
    );
  });

  test('answers not-connected when a supervisor answers a candidate who is offline', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const supervisor = await server.supervisor(['ada']);
    supervisor.client.send(subscribe(ada.session.sessionId));
    await ada.client.next('feed.subscribe');
    await ada.client.close();
    await supervisor.client.next('session.updated', (m) => m.session.status === 'offline');
    supervisor.client.send(answer(ada.session.sessionId));
    assert.equal((await supervisor.client.error('rtc.answer')).code, 'not-connected');
  });

  test('lets a supervisor unsubscribe from a session it never subscribed to', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const { client } = await server.supervisor('*');
    client.send({ v: 1, type: 'feed.unsubscribe', sessionId: ada.session.sessionId });
    await client.sync();
    assert.deepEqual(client.all('error').length, 1, 'only the sync was refused');
    await ada.client.sync();
    assert.deepEqual(ada.client.all('feed.unsubscribe'), []);
  });
});

describe('session updates', () => {
  test('tells a supervisor when a candidate joins, goes live, loses a feed and leaves', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.candidate('ada');
    const joined = await supervisor.client.next('session.updated');
    assert.deepEqual(joined.session, ada.session);
    assert.equal(joined.session.status, 'connecting');

    ada.client.send(feedState('webcam', 'live'));
    const live = await supervisor.client.next('session.updated');
    assert.equal(live.session.status, 'live');
    assert.deepEqual(live.session.feeds, { webcam: 'live', screen: 'off', phone: 'off' });

    ada.client.send(feedState('screen', 'live'));
    ada.client.send(feedState('screen', 'lost'));
    await supervisor.client.next('session.updated', (m) => m.session.feeds.screen === 'live');
    const lost = await supervisor.client.next('session.updated');
    assert.equal(lost.session.status, 'feed-lost');
    assert.deepEqual(lost.session.feeds, { webcam: 'live', screen: 'lost', phone: 'off' });

    const leaving = Date.now();
    await ada.client.close();
    const offline = await supervisor.client.next('session.updated');
    assert.ok(Date.now() - leaving < 1000, 'offline is reported promptly');
    assert.equal(offline.session.status, 'offline');
    assert.deepEqual(offline.session.feeds, noFeeds());
  });

  test('reports a candidate whose connection drops without a close frame as offline', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.candidate('ada');
    ada.client.send(feedState('webcam', 'live'));
    await supervisor.client.next('session.updated', (m) => m.session.status === 'live');
    ada.client.socket.terminate();
    await supervisor.client.next('session.updated', (m) => m.session.status === 'offline');
  });

  test('sends no update when nothing a supervisor sees changed', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    const ada = await server.candidate('ada');
    ada.client.send(feedState('webcam', 'live'));
    ada.client.send(feedState('webcam', 'live'));
    ada.client.send(feedState('screen', 'live'));
    await supervisor.client.next('session.updated', (m) => m.session.feeds.screen === 'live');
    assert.deepEqual(
      supervisor.client.all('session.updated').map((m) => m.session.feeds),
      [noFeeds(), { ...noFeeds(), webcam: 'live' }, { ...noFeeds(), webcam: 'live', screen: 'live' }],
    );
  });

  test('tells only the supervisors whose tokens name the candidate', async (t) => {
    const server = await TestServer.start(t);
    const adasSupervisor = await server.supervisor(['ada']);
    const bobsSupervisor = await server.supervisor(['bob']);
    const otherExam = await server.supervisor('*', { examId: OTHER_EXAM });
    const everyone = await server.supervisor('*');
    const ada = await server.candidate('ada');
    ada.client.send(feedState('webcam', 'live'));
    await ada.client.sync();
    await adasSupervisor.client.next('session.updated', (m) => m.session.status === 'live');
    await everyone.client.next('session.updated', (m) => m.session.status === 'live');
    await bobsSupervisor.client.sync();
    await otherExam.client.sync();
    assert.deepEqual(bobsSupervisor.client.all('session.updated'), []);
    assert.deepEqual(otherExam.client.all('session.updated'), []);
  });

  test('stops telling a supervisor who left', async (t) => {
    const server = await TestServer.start(t);
    const supervisor = await server.supervisor(['ada']);
    await supervisor.client.close();
    const ada = await server.candidate('ada');
    ada.client.send(feedState('webcam', 'live'));
    await ada.client.sync();
    assert.deepEqual(supervisor.client.all('session.updated'), []);
  });

  test('closes a socket that stops answering pings, and reports its candidate offline', async (t) => {
    const server = await TestServer.start(t, { timings: { heartbeatMs: 100 } });
    const supervisor = await server.supervisor(['ada']);
    const silent = await server.candidate('ada');
    await supervisor.client.next('session.updated', (m) => m.session.status === 'connecting');
    // A paused socket reads no pings, so it answers none, like a page whose network went away.
    silent.client.socket.pause();
    await supervisor.client.next('session.updated', (m) => m.session.status === 'offline');
    silent.client.socket.resume();
    assert.equal((await silent.client.closeEvent()).code, 1006, 'terminated without a close frame');
    await delay(100);
    await supervisor.client.sync();
    assert.ok(supervisor.client.isOpen, 'a client that answers pings stays connected');
  });
});

describe('signaling relay', () => {
  async function watched(t: Parameters<typeof TestServer.start>[0]) {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const supervisor = await server.supervisor(['ada']);
    const sessionId = ada.session.sessionId;
    const supervisorId = supervisor.welcome.connectionId;
    supervisor.client.send(subscribe(sessionId, ['webcam', 'screen'], 'thumbnail'));
    await ada.client.next('feed.subscribe');
    return { server, ada, supervisor, sessionId, supervisorId };
  }

  test('tells the candidate which supervisor subscribes to which feeds', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const supervisor = await server.supervisor(['ada']);
    supervisor.client.send(subscribe(ada.session.sessionId, ['webcam', 'screen', 'webcam'], 'thumbnail'));
    const subscribed = await ada.client.next('feed.subscribe');
    assert.deepEqual(subscribed, {
      v: 1,
      type: 'feed.subscribe',
      peer: supervisor.welcome.connectionId,
      feeds: ['webcam', 'screen'],
      quality: 'thumbnail',
    });
  });

  test('replaces the feeds when a supervisor subscribes again', async (t) => {
    const { ada, supervisor, sessionId, supervisorId } = await watched(t);
    supervisor.client.send(subscribe(sessionId, ['phone'], 'full'));
    assert.deepEqual(await ada.client.next('feed.subscribe'), {
      v: 1,
      type: 'feed.subscribe',
      peer: supervisorId,
      feeds: ['phone'],
      quality: 'full',
    });
  });

  test("relays the candidate's offer to the supervisor, addressed from the session", async (t) => {
    const { ada, supervisor, sessionId, supervisorId } = await watched(t);
    ada.client.send({ ...offer(supervisorId), feeds: { '0': 'webcam', '1': 'screen' }, smuggled: 'not relayed' });
    assert.deepEqual(await supervisor.client.next('rtc.offer'), {
      v: 1,
      type: 'rtc.offer',
      peer: sessionId,
      pcId: 'pc-000001',
      sdp: 'v=0 offer',
      feeds: { '0': 'webcam', '1': 'screen' },
    });
  });

  test("relays the supervisor's answer and ICE to the candidate, addressed from the supervisor", async (t) => {
    const { ada, supervisor, sessionId, supervisorId } = await watched(t);
    supervisor.client.send(answer(sessionId));
    supervisor.client.send(ice(sessionId));
    assert.deepEqual(await ada.client.next('rtc.answer'), { ...answer(supervisorId), v: 1 });
    assert.deepEqual(await ada.client.next('rtc.ice'), ice(supervisorId));
  });

  test("relays the candidate's ICE to the supervisor", async (t) => {
    const { ada, supervisor, sessionId, supervisorId } = await watched(t);
    ada.client.send(ice(supervisorId));
    assert.deepEqual(await supervisor.client.next('rtc.ice'), ice(sessionId));
  });

  test('answers not-found to an offer for a supervisor who did not subscribe, and relays nothing', async (t) => {
    const { server, ada } = await watched(t);
    const bystander = await server.supervisor(['ada']);
    ada.client.send(offer(bystander.welcome.connectionId));
    const error = await ada.client.error('rtc.offer');
    assert.equal(error.code, 'not-found');
    ada.client.send(ice('made-up-peer-id'));
    assert.equal((await ada.client.error('rtc.ice')).code, 'not-found');
    await bystander.client.sync();
    assert.deepEqual(bystander.client.all('rtc.offer'), []);
    assert.deepEqual(bystander.client.all('rtc.ice'), []);
  });

  test('answers not-found to an offer for a supervisor who subscribes to another candidate', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const bob = await server.candidate('bob');
    const supervisor = await server.supervisor('*');
    supervisor.client.send(subscribe(bob.session.sessionId));
    await bob.client.next('feed.subscribe');
    ada.client.send(offer(supervisor.welcome.connectionId));
    assert.equal((await ada.client.error('rtc.offer')).code, 'not-found');
    await supervisor.client.sync();
    assert.deepEqual(supervisor.client.all('rtc.offer'), []);
  });

  test('routes each offer only to the supervisor it is addressed to', async (t) => {
    const { server, ada, supervisor, sessionId, supervisorId } = await watched(t);
    const second = await server.supervisor(['ada']);
    second.client.send(subscribe(sessionId, ['webcam'], 'full'));
    const secondSubscribed = await ada.client.next('feed.subscribe');
    assert.equal(secondSubscribed.peer, second.welcome.connectionId);
    ada.client.send(offer(supervisorId));
    await supervisor.client.next('rtc.offer');
    await second.client.sync();
    assert.deepEqual(second.client.all('rtc.offer'), []);
  });

  test('forwards a change of quality to the candidate', async (t) => {
    const { ada, supervisor, sessionId, supervisorId } = await watched(t);
    supervisor.client.send({ v: 1, type: 'feed.quality', sessionId, quality: 'full' });
    assert.deepEqual(await ada.client.next('feed.quality'), { v: 1, type: 'feed.quality', peer: supervisorId, quality: 'full' });
  });

  test('tells the candidate when a supervisor unsubscribes, and stops relaying', async (t) => {
    const { ada, supervisor, sessionId, supervisorId } = await watched(t);
    supervisor.client.send({ v: 1, type: 'feed.unsubscribe', sessionId });
    assert.deepEqual(await ada.client.next('feed.unsubscribe'), { v: 1, type: 'feed.unsubscribe', peer: supervisorId });
    supervisor.client.send(answer(sessionId));
    assert.equal((await supervisor.client.error('rtc.answer')).code, 'not-found');
    ada.client.send(offer(supervisorId));
    assert.equal((await ada.client.error('rtc.offer')).code, 'not-found');
  });

  test('tells the candidate when a subscribed supervisor disconnects', async (t) => {
    const { ada, supervisor, supervisorId } = await watched(t);
    await supervisor.client.close();
    assert.deepEqual(await ada.client.next('feed.unsubscribe'), { v: 1, type: 'feed.unsubscribe', peer: supervisorId });
    ada.client.send(offer(supervisorId));
    assert.equal((await ada.client.error('rtc.offer')).code, 'not-found');
  });

  test('tells every watched candidate when a supervisor disconnects', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const bob = await server.candidate('bob');
    const supervisor = await server.supervisor('*');
    supervisor.client.send(subscribe(ada.session.sessionId));
    supervisor.client.send(subscribe(bob.session.sessionId));
    await ada.client.next('feed.subscribe');
    await bob.client.next('feed.subscribe');
    supervisor.client.socket.terminate();
    await ada.client.next('feed.unsubscribe');
    await bob.client.next('feed.unsubscribe');
  });

  test('lists the subscribed supervisors in the welcome of a candidate who reconnects', async (t) => {
    const { server, supervisorId } = await watched(t);
    const again = await server.candidate('ada');
    assert.deepEqual(again.welcome.subscribers, [{ peer: supervisorId, feeds: ['webcam', 'screen'], quality: 'thumbnail' }]);
  });

  test('keeps a subscription to an offline candidate for when it comes back', async (t) => {
    const { server, ada, supervisor, sessionId, supervisorId } = await watched(t);
    await ada.client.close();
    await supervisor.client.next('session.updated', (m) => m.session.status === 'offline');
    const back = await server.candidate('ada');
    assert.equal(back.session.sessionId, sessionId);
    assert.deepEqual(back.welcome.subscribers, [{ peer: supervisorId, feeds: ['webcam', 'screen'], quality: 'thumbnail' }]);
    back.client.send(offer(supervisorId));
    assert.equal((await supervisor.client.next('rtc.offer')).peer, sessionId);
  });

  test('welcomes a first-time candidate with no subscribers', async (t) => {
    const server = await TestServer.start(t);
    const { welcome } = await server.candidate('ada');
    assert.deepEqual(welcome.subscribers ?? [], []);
  });
});

describe('failures and shutdown', () => {
  test('closes with 1011, without crashing the host, when the provider fails', async (t) => {
    const provider: MediaProvider = {
      name: 'local',
      async joinInfo(): Promise<ProviderInfo> {
        throw new Error('provider is down');
      },
    };
    const errors: string[] = [];
    const logger = { error: (message: string) => errors.push(message), warn() {}, info() {}, debug() {} };
    const server = await TestServer.start(t, { provider, logger });
    const candidate = await server.hello(await server.candidateToken('ada'));
    assert.equal((await candidate.closeEvent()).code, CloseCode.internalError);
    const supervisor = await server.hello(await server.supervisorToken('*'));
    assert.equal((await supervisor.closeEvent()).code, CloseCode.internalError);
    assert.equal(errors.length, 2, 'each failure is logged');
  });

  test('closes every connection with 1001 when the kit closes', async (t) => {
    const server = await TestServer.start(t);
    const { client: candidate } = await server.candidate('ada');
    const { client: supervisor } = await server.supervisor('*');
    const waiting = await server.connect();
    await server.kit.close();
    for (const client of [candidate, supervisor, waiting]) {
      assert.equal((await client.closeEvent()).code, CloseCode.goingAway);
    }
    await assert.rejects(server.connect(), /503/);
  });
});
