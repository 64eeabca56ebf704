import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CLIENT_MESSAGE_TYPES,
  ClientMessageSchema,
  ErrorMessageSchema,
  HelloSchema,
  PROTOCOL_VERSION,
  ServerMessageSchema,
  WelcomeSchema,
  parse,
  type Parsed,
} from './index.js';

const SESSION_ID = '0b6f7c1e-8a53-4f0e-9d6b-2f1c3e4a5b6c';
const PEER = 'd2c1b0a9-8f7e-4d6c-9b5a-493827161504';

const valid = {
  'feed.state': { v: 1, type: 'feed.state', feed: 'webcam', state: 'live' },
  'feed.subscribe': { v: 1, type: 'feed.subscribe', sessionId: SESSION_ID, feeds: ['webcam', 'screen'], quality: 'thumbnail' },
  'feed.unsubscribe': { v: 1, type: 'feed.unsubscribe', sessionId: SESSION_ID },
  'feed.quality': { v: 1, type: 'feed.quality', sessionId: SESSION_ID, quality: 'full' },
  'rtc.offer': { v: 1, type: 'rtc.offer', peer: PEER, pcId: 'pc-000001', sdp: 'v=0\r\n', feeds: { '0': 'webcam', '1': 'screen' } },
  'rtc.answer': { v: 1, type: 'rtc.answer', peer: SESSION_ID, pcId: 'pc-000001', sdp: 'v=0\r\n' },
  'rtc.ice': {
    v: 1,
    type: 'rtc.ice',
    peer: PEER,
    pcId: 'pc-000001',
    candidate: { candidate: 'candidate:1 1 udp 2122260223 10.0.0.1 54321 typ host', sdpMid: '0', sdpMLineIndex: 0 },
  },
} as const;

function refused(result: Parsed<unknown>): string {
  assert.equal(result.ok, false, 'the message is refused');
  return (result as { message: string }).message;
}

const summary = {
  sessionId: SESSION_ID,
  examId: 'exam-1',
  candidateId: 'cand-1',
  name: 'Ada',
  status: 'live',
  feeds: { webcam: 'live', screen: 'off', phone: 'off' },
  joinedAt: 1_700_000_000_000,
};

describe('client messages', () => {
  for (const [type, message] of Object.entries(valid)) {
    test(`accepts a valid ${type}`, () => {
      const result = parse(ClientMessageSchema, message);
      assert.deepEqual(result, { ok: true, value: message });
    });
  }

  test('knows exactly the message types a client may send after hello', () => {
    assert.deepEqual([...CLIENT_MESSAGE_TYPES].sort(), Object.keys(valid).sort());
    assert.equal(CLIENT_MESSAGE_TYPES.has('session.hello'), false);
    assert.equal(CLIENT_MESSAGE_TYPES.has('error'), false);
    assert.equal(CLIENT_MESSAGE_TYPES.has('session.welcome'), false);
  });

  test('names the field of a feed that does not exist', () => {
    const message = refused(parse(ClientMessageSchema, { ...valid['feed.state'], feed: 'microphone' }));
    assert.match(message, /^feed: /);
    assert.match(message, /"microphone"/);
  });

  test('names a missing protocol version', () => {
    const { v: _v, ...unversioned } = valid['feed.state'];
    assert.match(refused(parse(ClientMessageSchema, unversioned)), /^v: /);
  });

  test('refuses another protocol version', () => {
    assert.match(refused(parse(ClientMessageSchema, { ...valid['feed.state'], v: 2 })), /^v: .*2/);
    assert.equal(PROTOCOL_VERSION, 1);
  });

  test('names the index of a bad entry in a list', () => {
    const message = { ...valid['feed.subscribe'], feeds: ['webcam', 'mic'] };
    assert.match(refused(parse(ClientMessageSchema, message)), /^feeds\.1: /);
  });

  test('refuses a subscription to no feed or to more than three', () => {
    assert.match(refused(parse(ClientMessageSchema, { ...valid['feed.subscribe'], feeds: [] })), /^feeds: /);
    const four = ['webcam', 'screen', 'phone', 'webcam'];
    assert.match(refused(parse(ClientMessageSchema, { ...valid['feed.subscribe'], feeds: four })), /^feeds: /);
  });

  test('refuses a session id that is not an id', () => {
    for (const sessionId of ['abc', 'has space in it', '../../etc/passwd', 'x'.repeat(65), 42]) {
      const message = refused(parse(ClientMessageSchema, { ...valid['feed.unsubscribe'], sessionId }));
      assert.match(message, /^sessionId: /, `refuses ${JSON.stringify(sessionId)}`);
    }
  });

  test('refuses an unknown quality', () => {
    assert.match(refused(parse(ClientMessageSchema, { ...valid['feed.quality'], quality: 'hd' })), /^quality: /);
  });

  test('names a nested field of an ICE candidate', () => {
    const candidate = { ...valid['rtc.ice'].candidate, sdpMLineIndex: -1 };
    assert.match(refused(parse(ClientMessageSchema, { ...valid['rtc.ice'], candidate })), /^candidate\.sdpMLineIndex: /);
  });

  test('accepts an ICE candidate whose optional fields are null', () => {
    const candidate = { candidate: '', sdpMid: null, sdpMLineIndex: null, usernameFragment: null };
    assert.equal(parse(ClientMessageSchema, { ...valid['rtc.ice'], candidate }).ok, true);
  });

  test('refuses an empty or oversized SDP', () => {
    assert.match(refused(parse(ClientMessageSchema, { ...valid['rtc.answer'], sdp: '' })), /^sdp: /);
    assert.match(refused(parse(ClientMessageSchema, { ...valid['rtc.answer'], sdp: 'a'.repeat(48_001) })), /^sdp: /);
    assert.equal(parse(ClientMessageSchema, { ...valid['rtc.answer'], sdp: 'a'.repeat(48_000) }).ok, true);
  });

  test('refuses an offer that maps too many transceivers or an unknown feed', () => {
    const nine = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [String(i), 'webcam']));
    assert.equal(refused(parse(ClientMessageSchema, { ...valid['rtc.offer'], feeds: nine })), 'feeds: maps too many transceivers');
    assert.match(refused(parse(ClientMessageSchema, { ...valid['rtc.offer'], feeds: { '0': 'mic' } })), /^feeds\.0: /);
  });

  test('names the type when it is unknown or missing', () => {
    assert.match(refused(parse(ClientMessageSchema, { v: 1, type: 'session.hello', token: 'x' })), /^type: /);
    assert.match(refused(parse(ClientMessageSchema, { v: 1 })), /^type: /);
  });

  test('refuses what is not an object, without a field name', () => {
    for (const input of [null, 42, 'feed.state', undefined]) {
      const message = refused(parse(ClientMessageSchema, input));
      assert.doesNotMatch(message, /^\w[\w.]*: /, `no field named for ${JSON.stringify(input)}`);
    }
  });

  test('refuses a message wrapped in an array', () => {
    refused(parse(ClientMessageSchema, [valid['feed.state']]));
  });

  test('drops fields the protocol does not know, so they are never relayed', () => {
    const result = parse(ClientMessageSchema, { ...valid['rtc.offer'], injected: '<script>' });
    assert.ok(result.ok);
    assert.equal('injected' in result.value, false);
  });
});

describe('session.hello', () => {
  test('accepts a token', () => {
    assert.equal(parse(HelloSchema, { v: 1, type: 'session.hello', token: 'a.b.c' }).ok, true);
  });

  test('refuses an empty or oversized token', () => {
    assert.match(refused(parse(HelloSchema, { v: 1, type: 'session.hello', token: '' })), /^token: /);
    assert.match(refused(parse(HelloSchema, { v: 1, type: 'session.hello', token: 'a'.repeat(8193) })), /^token: /);
  });

  test('refuses another first message', () => {
    assert.match(refused(parse(HelloSchema, valid['feed.state'])), /^type: /);
  });
});

describe('server messages', () => {
  test('accepts a candidate welcome with its session and a supervisor welcome without', () => {
    const welcome = {
      v: 1,
      type: 'session.welcome',
      role: 'candidate',
      connectionId: PEER,
      examId: 'exam-1',
      name: 'Ada',
      session: summary,
      provider: { name: 'local', iceServers: [{ urls: 'stun:stun.example.org' }] },
      serverTime: 1_700_000_000_000,
    };
    assert.equal(parse(WelcomeSchema, welcome).ok, true);
    const { session: _session, ...supervisorWelcome } = welcome;
    assert.equal(parse(WelcomeSchema, { ...supervisorWelcome, role: 'supervisor' }).ok, true);
  });

  test('refuses a welcome with an unknown provider', () => {
    const welcome = {
      v: 1,
      type: 'session.welcome',
      role: 'supervisor',
      connectionId: PEER,
      examId: 'exam-1',
      name: 'Sam',
      provider: { name: 'zoom' },
      serverTime: 0,
    };
    assert.match(refused(parse(WelcomeSchema, welcome)), /^provider\.name: /);
  });

  test('accepts session lists and updates with valid summaries only', () => {
    assert.equal(parse(ServerMessageSchema, { v: 1, type: 'session.list', sessions: [summary] }).ok, true);
    assert.equal(parse(ServerMessageSchema, { v: 1, type: 'session.updated', session: summary }).ok, true);
    const badStatus = { v: 1, type: 'session.updated', session: { ...summary, status: 'asleep' } };
    assert.match(refused(parse(ServerMessageSchema, badStatus)), /^session\.status: /);
    const badFeed = { v: 1, type: 'session.list', sessions: [{ ...summary, feeds: { ...summary.feeds, phone: 'on' } }] };
    assert.match(refused(parse(ServerMessageSchema, badFeed)), /^sessions\.0\.feeds\.phone: /);
  });

  test('tells a candidate its peer in feed.subscribe, feed.unsubscribe and feed.quality', () => {
    const messages = [
      { v: 1, type: 'feed.subscribe', peer: PEER, feeds: ['webcam'], quality: 'thumbnail' },
      { v: 1, type: 'feed.unsubscribe', peer: PEER },
      { v: 1, type: 'feed.quality', peer: PEER, quality: 'full' },
    ];
    for (const message of messages) assert.equal(parse(ServerMessageSchema, message).ok, true, message.type);
    assert.match(refused(parse(ServerMessageSchema, { v: 1, type: 'feed.unsubscribe', sessionId: SESSION_ID })), /^peer: /);
  });

  test('accepts errors with a known code only', () => {
    assert.equal(parse(ErrorMessageSchema, { v: 1, type: 'error', code: 'not-found', message: 'No.', ref: 'feed.subscribe' }).ok, true);
    assert.equal(parse(ErrorMessageSchema, { v: 1, type: 'error', code: 'bad-message', message: 'No.' }).ok, true);
    assert.match(refused(parse(ErrorMessageSchema, { v: 1, type: 'error', code: 'oops', message: 'No.' })), /^code: /);
  });
});
