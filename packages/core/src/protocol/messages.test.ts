import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CLIENT_MESSAGE_TYPES,
  ClientMessageSchema,
  ErrorMessageSchema,
  HelloSchema,
  IDENTITY_PHOTO_MAX_BYTES,
  IdentityVerdictSchema,
  IdentityViewSchema,
  PROTOCOL_VERSION,
  ServerMessageSchema,
  WelcomeSchema,
  newClock,
  parse,
  type Parsed,
} from './index.js';

const SESSION_ID = '0b6f7c1e-8a53-4f0e-9d6b-2f1c3e4a5b6c';
const PEER = 'd2c1b0a9-8f7e-4d6c-9b5a-493827161504';

const COMMAND_ID = 'cmd-000001';

const valid = {
  'session.start': { v: 1, type: 'session.start' },
  'clock.ping': { v: 1, type: 'clock.ping', id: 7 },
  'log.append': {
    v: 1,
    type: 'log.append',
    events: [
      { kind: 'signal', id: 'evt-00000001', code: 'page-hidden', data: {}, at: 1_700_000_000_000 },
      { kind: 'log', id: 'evt-00000002', name: 'question.opened', data: { question: 3 }, at: 1_700_000_000_001 },
      { kind: 'ack', id: 'evt-00000003', messageId: 'msg-000001', at: 1_700_000_000_002 },
    ],
  },
  'events.fetch': { v: 1, type: 'events.fetch', sessionId: SESSION_ID, afterSeq: 0 },
  'command.pause': { v: 1, type: 'command.pause', id: COMMAND_ID, target: SESSION_ID },
  'command.resume': { v: 1, type: 'command.resume', id: COMMAND_ID, target: '*' },
  'command.extend': { v: 1, type: 'command.extend', id: COMMAND_ID, target: SESSION_ID, minutes: 10 },
  'command.message': { v: 1, type: 'command.message', id: COMMAND_ID, target: '*', text: 'Five minutes left.' },
  'command.terminate': { v: 1, type: 'command.terminate', id: COMMAND_ID, target: SESSION_ID, reason: 'Phone in use.' },
  'command.identity': { v: 1, type: 'command.identity', id: COMMAND_ID, target: SESSION_ID, verdict: 'approved' },
  'command.room-scan': { v: 1, type: 'command.room-scan', id: COMMAND_ID, target: SESSION_ID },
  'feed.state': { v: 1, type: 'feed.state', feed: 'webcam', state: 'live' },
  'recording.backlog': { v: 1, type: 'recording.backlog', feed: 'webcam', pendingMs: 4000 },
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
  clock: newClock(3_600_000),
  lastSeq: 0,
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
    assert.equal(parse(ClientMessageSchema, { ...valid['rtc.answer'], source: 'phone' }).ok, true);
    assert.match(refused(parse(ClientMessageSchema, { ...valid['rtc.answer'], source: 'laptop' })), /^source: /);
    assert.match(refused(parse(ClientMessageSchema, { ...valid['command.room-scan'], target: '*' })), /^target: /);
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

describe('clock, log and command messages', () => {
  test('refuse terminating every session at once', () => {
    assert.match(refused(parse(ClientMessageSchema, { ...valid['command.terminate'], target: '*' })), /^target: /);
  });

  test('accept "*" or a session id as the target of the other commands, and nothing else', () => {
    for (const type of ['command.pause', 'command.resume', 'command.extend', 'command.message'] as const) {
      assert.equal(parse(ClientMessageSchema, { ...valid[type], target: '*' }).ok, true, type);
      assert.equal(parse(ClientMessageSchema, { ...valid[type], target: SESSION_ID }).ok, true, type);
      assert.match(refused(parse(ClientMessageSchema, { ...valid[type], target: 'all' })), /^target: /, type);
      const { target: _target, ...untargeted } = valid[type];
      assert.match(refused(parse(ClientMessageSchema, untargeted)), /^target: /, type);
    }
  });

  test('require a command id the client can match the answer with', () => {
    const { id: _id, ...anonymous } = valid['command.pause'];
    assert.match(refused(parse(ClientMessageSchema, anonymous)), /^id: /);
    assert.match(refused(parse(ClientMessageSchema, { ...valid['command.pause'], id: 'abc' })), /^id: /);
  });

  test('extend by 1 to 600 whole minutes', () => {
    for (const minutes of [1, 600]) assert.equal(parse(ClientMessageSchema, { ...valid['command.extend'], minutes }).ok, true);
    for (const minutes of [0, -5, 601, 1.5, '10']) {
      assert.match(refused(parse(ClientMessageSchema, { ...valid['command.extend'], minutes })), /^minutes: /, String(minutes));
    }
  });

  test('trim a message and its length to 1 to 1000 characters', () => {
    const trimmed = parse(ClientMessageSchema, { ...valid['command.message'], text: '  Hello  ' });
    assert.ok(trimmed.ok);
    assert.equal((trimmed.value as { text: string }).text, 'Hello');
    assert.match(refused(parse(ClientMessageSchema, { ...valid['command.message'], text: '   ' })), /^text: /);
    assert.match(refused(parse(ClientMessageSchema, { ...valid['command.message'], text: 'x'.repeat(1001) })), /^text: /);
    assert.equal(parse(ClientMessageSchema, { ...valid['command.message'], text: 'x'.repeat(1000) }).ok, true);
  });

  test('require a reason to terminate, of at most 500 characters', () => {
    assert.match(refused(parse(ClientMessageSchema, { ...valid['command.terminate'], reason: ' ' })), /^reason: /);
    assert.match(refused(parse(ClientMessageSchema, { ...valid['command.terminate'], reason: 'x'.repeat(501) })), /^reason: /);
  });

  test('give an identity verdict to one session, approved or rejected, with a reason of at most 500 characters', () => {
    const rejected = { ...valid['command.identity'], verdict: 'rejected', reason: '  The photo is blurred.  ' };
    const parsed = parse(ClientMessageSchema, rejected);
    assert.ok(parsed.ok);
    assert.equal((parsed.value as { reason?: string }).reason, 'The photo is blurred.', 'trimmed');
    assert.match(refused(parse(ClientMessageSchema, { ...valid['command.identity'], target: '*' })), /^target: /);
    assert.match(refused(parse(ClientMessageSchema, { ...valid['command.identity'], verdict: 'maybe' })), /^verdict: /);
    assert.match(refused(parse(ClientMessageSchema, { ...rejected, reason: ' ' })), /^reason: /);
    assert.match(refused(parse(ClientMessageSchema, { ...rejected, reason: 'x'.repeat(501) })), /^reason: /);
  });

  test('require a reason with a rejection, and none with an approval', () => {
    assert.deepEqual(parse(IdentityVerdictSchema, { verdict: 'approved' }), { ok: true, value: { verdict: 'approved' } });
    assert.deepEqual(parse(IdentityVerdictSchema, { verdict: 'rejected', reason: ' Not you. ' }), {
      ok: true,
      value: { verdict: 'rejected', reason: 'Not you.' },
    });
    assert.match(refused(parse(IdentityVerdictSchema, { verdict: 'rejected' })), /^reason: /);
    assert.match(refused(parse(IdentityVerdictSchema, { verdict: 'rejected', reason: '' })), /^reason: /);
  });

  test('append 1 to 50 events at once, naming the bad one', () => {
    const one = valid['log.append'].events[0];
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ ...one, id: `evt-${String(i).padStart(8, '0')}` }));
    assert.equal(parse(ClientMessageSchema, { ...valid['log.append'], events: many(50) }).ok, true);
    assert.match(refused(parse(ClientMessageSchema, { ...valid['log.append'], events: many(51) })), /^events: /);
    assert.match(refused(parse(ClientMessageSchema, { ...valid['log.append'], events: [] })), /^events: /);
    const bad = [one, { ...one, code: 'nope' }];
    assert.match(refused(parse(ClientMessageSchema, { ...valid['log.append'], events: bad })), /^events\.1\.code: /);
  });

  test('fetch events after a whole, non-negative sequence number', () => {
    for (const afterSeq of [-1, 0.5, '3', null]) {
      assert.match(refused(parse(ClientMessageSchema, { ...valid['events.fetch'], afterSeq })), /^afterSeq: /);
    }
    assert.match(refused(parse(ClientMessageSchema, { ...valid['events.fetch'], sessionId: '*' })), /^sessionId: /);
  });

  test('ping with a whole, non-negative id', () => {
    for (const id of [-1, 1.5, 'a']) assert.match(refused(parse(ClientMessageSchema, { ...valid['clock.ping'], id })), /^id: /);
  });
});

describe('clock, log and command answers', () => {
  const event = { seq: 1, at: 1_700_000_000_000, type: 'session.started', source: 'candidate', data: {} };

  test('accept each of them', () => {
    const messages = [
      { v: 1, type: 'session.event', sessionId: SESSION_ID, event },
      { v: 1, type: 'events.batch', sessionId: SESSION_ID, events: [event, { ...event, seq: 2 }], more: false },
      { v: 1, type: 'clock.pong', id: 7, serverTime: 1_700_000_000_000 },
      { v: 1, type: 'session.token', token: 'a.b.c', expiresAt: 1_700_000_000_000 },
      { v: 1, type: 'log.ack', ids: ['evt-00000001'] },
      { v: 1, type: 'command.done', id: COMMAND_ID, sessionIds: [SESSION_ID] },
      { v: 1, type: 'command.done', id: COMMAND_ID, sessionIds: [] },
      { v: 1, type: 'error', code: 'conflict', message: 'Ended.', ref: 'command.pause', id: COMMAND_ID },
    ];
    for (const message of messages) assert.deepEqual(parse(ServerMessageSchema, message), { ok: true, value: message }, message.type);
  });

  test('refuse a renewed token that is empty or has no expiry', () => {
    assert.match(refused(parse(ServerMessageSchema, { v: 1, type: 'session.token', token: '', expiresAt: 1 })), /^token: /);
    assert.match(refused(parse(ServerMessageSchema, { v: 1, type: 'session.token', token: 'a.b.c' })), /^expiresAt: /);
  });

  test('refuse an event without a sequence number or a batch without more', () => {
    const { seq: _seq, ...unnumbered } = event;
    assert.match(refused(parse(ServerMessageSchema, { v: 1, type: 'session.event', sessionId: SESSION_ID, event: unnumbered })), /^event\.seq: /);
    assert.match(refused(parse(ServerMessageSchema, { v: 1, type: 'events.batch', sessionId: SESSION_ID, events: [] })), /^more: /);
  });

  test('carry the identity check in a summary when there is one', () => {
    for (const identity of [
      { required: true, status: 'none' },
      { required: false, status: 'submitted' },
      { required: true, status: 'approved' },
      { required: true, status: 'rejected', reason: 'Blurred.' },
    ]) {
      assert.equal(parse(ServerMessageSchema, { v: 1, type: 'session.updated', session: { ...summary, identity } }).ok, true, identity.status);
    }
    const unknown = { ...summary, identity: { required: true, status: 'pending' } };
    assert.match(refused(parse(ServerMessageSchema, { v: 1, type: 'session.updated', session: unknown })), /^session\.identity\.status: /);
  });

  test('list at most one photo of each kind in an identity view, within the size limit', () => {
    const photo = { photoId: 'photo-000001', kind: 'face', contentType: 'image/jpeg', bytes: 1024, at: 1_700_000_000_000 };
    const view = { required: false, status: 'submitted', photos: [photo, { ...photo, kind: 'document' }] };
    assert.deepEqual(parse(IdentityViewSchema, view), { ok: true, value: view });
    assert.match(refused(parse(IdentityViewSchema, { ...view, photos: [photo, photo, photo] })), /^photos: /);
    assert.match(refused(parse(IdentityViewSchema, { ...view, photos: [{ ...photo, bytes: IDENTITY_PHOTO_MAX_BYTES + 1 }] })), /^photos\.0\.bytes: /);
    assert.match(refused(parse(IdentityViewSchema, { ...view, photos: [{ ...photo, contentType: 'image/gif' }] })), /^photos\.0\.contentType: /);
  });

  test('carry the clock and the latest sequence number in every summary', () => {
    const { clock: _clock, ...clockless } = summary;
    assert.match(refused(parse(ServerMessageSchema, { v: 1, type: 'session.updated', session: clockless })), /^session\.clock: /);
    const badSeq = { ...summary, lastSeq: -1 };
    assert.match(refused(parse(ServerMessageSchema, { v: 1, type: 'session.updated', session: badSeq })), /^session\.lastSeq: /);
    const ended = { ...summary, status: 'ended', clock: { ...summary.clock, startedAt: 1, endedAt: 2, endReason: 'expired' } };
    assert.equal(parse(ServerMessageSchema, { v: 1, type: 'session.updated', session: ended }).ok, true);
  });
});

describe('Chime join info', () => {
  const meeting = {
    MeetingId: '3c787064-6ef1-4de7-9bd9-d884bd1692a2',
    ExternalMeetingId: SESSION_ID,
    MediaRegion: 'eu-central-1',
    MediaPlacement: {
      AudioHostUrl: '3c787064.k.m3.ec1.app.chime.aws:3478',
      AudioFallbackUrl: 'wss://haxrp.m3.ec1.app.chime.aws:443/calls/3c787064-6ef1-4de7-9bd9-d884bd1692a2',
      SignalingUrl: 'wss://signal.m3.ec1.app.chime.aws/control/3c787064-6ef1-4de7-9bd9-d884bd1692a2',
      TurnControlUrl: 'https://2713.cell.eu-central-1.meetings.chime.aws/v2/turn_sessions',
    },
  };
  const attendee = (feed: string) => ({
    feed,
    ExternalUserId: `ada/${feed}`,
    AttendeeId: `0d0a${feed.length}c1e-8a53-4f0e-9d6b-2f1c3e4a5b6c`,
    JoinToken: 'ZjRjZWQ2NDEtYjY4Mi00ZTQ1LWJlNWEtYmU1ZGMyZGY3NzVk',
  });
  const candidate = { name: 'chime', state: 'ready', role: 'candidate', meeting, attendees: ['webcam', 'screen', 'phone'].map(attendee) };
  const { feed: _feed, ...viewer } = { ...attendee('x'), ExternalUserId: 'sup-1/supervisor' };
  const supervisorInfo = {
    name: 'chime',
    state: 'ready',
    role: 'supervisor',
    meeting,
    attendee: viewer,
    feeds: ['webcam', 'screen'].map((feed) => {
      const { JoinToken: _token, ...rest } = attendee(feed);
      return rest;
    }),
  };
  const media = (provider: unknown) => parse(ServerMessageSchema, { v: 1, type: 'session.media', sessionId: SESSION_ID, provider });

  test('accepts a pending welcome, a candidate meeting, a supervisor view and session.preparing', () => {
    const welcome = { v: 1, type: 'session.welcome', role: 'supervisor', connectionId: PEER, examId: 'exam-1', name: 'Sam', serverTime: 0 };
    assert.equal(parse(WelcomeSchema, { ...welcome, provider: { name: 'chime', state: 'pending' } }).ok, true);
    assert.equal(media(candidate).ok, true);
    assert.equal(media(supervisorInfo).ok, true);
    assert.equal(parse(ServerMessageSchema, { v: 1, type: 'session.preparing', sessionId: SESSION_ID, ahead: 12 }).ok, true);
  });

  test("never relays a feed's join token to a supervisor", () => {
    const withToken = { ...supervisorInfo, feeds: ['webcam'].map(attendee) };
    const parsed = media(withToken);
    assert.ok(parsed.ok && parsed.value.type === 'session.media');
    assert.deepEqual(parsed.value.provider, { ...supervisorInfo, feeds: [supervisorInfo.feeds[0]] });
  });

  test("refuses ids and tokens beyond Chime's limits", () => {
    const withAttendee = (patch: object) => ({ ...candidate, attendees: [{ ...attendee('webcam'), ...patch }] });
    assert.match(refused(media(withAttendee({ ExternalUserId: 'a'.repeat(65) }))), /^provider\.attendees\.0\.ExternalUserId: /);
    assert.match(refused(media(withAttendee({ ExternalUserId: 'a' }))), /^provider\.attendees\.0\.ExternalUserId: /);
    assert.match(refused(media(withAttendee({ AttendeeId: 'not an id' }))), /^provider\.attendees\.0\.AttendeeId: /);
    assert.match(refused(media(withAttendee({ JoinToken: 'has a space' }))), /^provider\.attendees\.0\.JoinToken: /);
    assert.match(refused(media(withAttendee({ JoinToken: 'x'.repeat(2049) }))), /^provider\.attendees\.0\.JoinToken: /);
    assert.match(refused(media({ ...candidate, meeting: { ...meeting, MeetingId: 'm'.repeat(65) } })), /^provider\.meeting\.MeetingId: /);
    assert.match(refused(media({ ...candidate, meeting: { ...meeting, MediaRegion: 'EU Central' } })), /^provider\.meeting\.MediaRegion: /);
    const noSignaling = { ...meeting, MediaPlacement: { ...meeting.MediaPlacement, SignalingUrl: undefined } };
    assert.match(refused(media({ ...candidate, meeting: noSignaling })), /^provider\.meeting\.MediaPlacement\.SignalingUrl: /);
  });

  test('refuses a candidate meeting with no feed, more than three, or a feed twice', () => {
    assert.match(refused(media({ ...candidate, attendees: [] })), /^provider\.attendees: /);
    assert.match(refused(media({ ...candidate, attendees: [...candidate.attendees, attendee('webcam')] })), /^provider\.attendees: /);
    assert.match(refused(media({ ...candidate, attendees: [attendee('webcam'), attendee('webcam')] })), /^provider\.attendees: /);
    assert.match(refused(media({ ...candidate, attendees: [attendee('mic')] })), /^provider\.attendees\.0\.feed: /);
  });

  test('refuses an unknown state or role, and a place in the queue that is not a whole number', () => {
    assert.match(refused(media({ name: 'chime', state: 'starting' })), /^provider\.state: /);
    assert.match(refused(media({ ...candidate, role: 'proctor' })), /^provider\.role: /);
    assert.match(refused(media({ ...supervisorInfo, attendee: undefined })), /^provider\.attendee: /);
    for (const ahead of [-1, 1.5, '3']) {
      assert.match(refused(parse(ServerMessageSchema, { v: 1, type: 'session.preparing', sessionId: SESSION_ID, ahead })), /^ahead: /);
    }
  });
});
