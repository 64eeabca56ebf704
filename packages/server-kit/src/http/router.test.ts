import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { newClock, noFeeds, type SessionEvent } from '@proctorkit/core/protocol';
import { memoryStore } from '../store/memory/memory-store.js';
import type { SessionRecord } from '../store/session-store.js';
import { EXAM, OTHER_EXAM, OTHER_SECRET, TestServer, assertError, signRaw, supervisorClaims, unsignedToken, type ErrorBody } from '../test-helpers.js';
import { TokenIssuer } from '../tokens.js';

function record(sessionId: string, candidateId: string, examId = EXAM): SessionRecord {
  return { sessionId, examId, candidateId, name: `Candidate ${candidateId}`, connected: false, feeds: noFeeds(), joinedAt: 1_700_000_000_000, clock: newClock(3_600_000) };
}

const ADA = record('session-ada', 'ada');
const BOB = record('session-bob', 'bob');
const ADA_ELSEWHERE = record('session-ada-exam-2', 'ada', OTHER_EXAM);

async function start(t: TestContext): Promise<TestServer> {
  const store = memoryStore();
  for (const r of [ADA, BOB, ADA_ELSEWHERE]) await store.createSession(r);
  return TestServer.start(t, { store });
}

async function assertUnauthorized(response: Response): Promise<ErrorBody> {
  assert.equal(response.headers.get('www-authenticate'), 'Bearer');
  return assertError(response, 401, 'unauthorized');
}

describe('GET /health', () => {
  test('answers 200 without a token', async (t) => {
    const server = await start(t);
    const response = await server.get('/health');
    assert.equal(response.status, 200);
    const body = (await response.json()) as { ok: boolean; time: number };
    assert.equal(body.ok, true);
    assert.ok(Math.abs(body.time - Date.now()) < 5000);
  });
});

describe('GET /sessions', () => {
  test('answers 401 with a JSON error and WWW-Authenticate without a token', async (t) => {
    const server = await start(t);
    const { error } = await assertUnauthorized(await server.get('/sessions'));
    assert.match(error.message, /Authorization: Bearer/);
  });

  test('answers 401 when the header is not a bearer token', async (t) => {
    const server = await start(t);
    const basic = await fetch(`${server.origin}/proctor/sessions`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    await assertUnauthorized(basic);
    await assertUnauthorized(await server.get('/sessions', 'not-a-jwt'));
    await assertUnauthorized(await server.get('/sessions', unsignedToken(supervisorClaims('*'))));
  });

  test('answers 401 when the token is forged', async (t) => {
    const server = await start(t);
    const forged = await new TokenIssuer(OTHER_SECRET, '1h').issue(supervisorClaims('*'));
    const { error } = await assertUnauthorized(await server.get('/sessions', forged));
    assert.equal(error.message, 'Token signature is invalid.');
  });

  test('answers 401 when the token has expired', async (t) => {
    const server = await start(t);
    const expired = await signRaw(supervisorClaims('*'), { exp: Math.floor(Date.now() / 1000) - 5 });
    const { error } = await assertUnauthorized(await server.get('/sessions', expired));
    assert.equal(error.message, 'Token has expired.');
  });

  test('answers 403 to a candidate', async (t) => {
    const server = await start(t);
    const response = await server.get('/sessions', await server.candidateToken('ada'));
    assert.equal(response.headers.get('www-authenticate'), null);
    await assertError(response, 403, 'forbidden');
  });

  test('lists only the sessions of the candidates a supervisor token names, in its exam', async (t) => {
    const server = await start(t);
    const response = await server.get('/sessions', await server.supervisorToken(['ada']));
    assert.equal(response.status, 200);
    const { sessions } = (await response.json()) as { sessions: { sessionId: string }[] };
    assert.deepEqual(sessions, [
      {
        sessionId: 'session-ada',
        examId: EXAM,
        candidateId: 'ada',
        name: 'Candidate ada',
        feeds: noFeeds(),
        joinedAt: ADA.joinedAt,
        status: 'offline',
        clock: newClock(3_600_000),
        lastSeq: 0,
      },
    ]);
  });

  test('lists every session of its exam to a supervisor with "*"', async (t) => {
    const server = await start(t);
    const response = await server.get('/sessions', await server.supervisorToken('*'));
    const { sessions } = (await response.json()) as { sessions: { sessionId: string }[] };
    assert.deepEqual(sessions.map((s) => s.sessionId).sort(), ['session-ada', 'session-bob']);
    const other = await server.get('/sessions', await server.supervisorToken('*', { examId: OTHER_EXAM }));
    const { sessions: otherSessions } = (await other.json()) as { sessions: { sessionId: string }[] };
    assert.deepEqual(otherSessions.map((s) => s.sessionId), ['session-ada-exam-2']);
  });

  test('lists nothing for an exam without sessions', async (t) => {
    const server = await start(t);
    const response = await server.get('/sessions', await server.supervisorToken('*', { examId: 'exam-empty' }));
    assert.deepEqual(await response.json(), { sessions: [] });
  });

  test('shows a connected candidate as live', async (t) => {
    const server = await start(t);
    const { client, session } = await server.candidate('carol');
    client.send({ v: 1, type: 'feed.state', feed: 'webcam', state: 'live' });
    await client.sync();
    const response = await server.get(`/sessions/${session.sessionId}`, await server.supervisorToken(['carol']));
    const body = (await response.json()) as { session: { status: string; feeds: object } };
    assert.equal(body.session.status, 'live');
    assert.deepEqual(body.session.feeds, { webcam: 'live', screen: 'off', phone: 'off' });
  });
});

describe('GET /sessions/:sessionId', () => {
  test('answers a candidate with its own session', async (t) => {
    const server = await start(t);
    const response = await server.get('/sessions/session-ada', await server.candidateToken('ada'));
    assert.equal(response.status, 200);
    const { session } = (await response.json()) as { session: { sessionId: string; status: string } };
    assert.equal(session.sessionId, 'session-ada');
    assert.equal(session.status, 'offline');
  });

  test('answers 404 to a candidate asking for another candidate', async (t) => {
    const server = await start(t);
    await assertError(await server.get('/sessions/session-bob', await server.candidateToken('ada')), 404, 'not-found');
  });

  test('answers 404 to a candidate asking for its own id in another exam', async (t) => {
    const server = await start(t);
    const token = await server.candidateToken('ada');
    await assertError(await server.get('/sessions/session-ada-exam-2', token), 404, 'not-found');
  });

  test('answers a supervisor for a candidate its token names, and 404 for others', async (t) => {
    const server = await start(t);
    const token = await server.supervisorToken(['ada']);
    assert.equal((await server.get('/sessions/session-ada', token)).status, 200);
    await assertError(await server.get('/sessions/session-bob', token), 404, 'not-found');
    await assertError(await server.get('/sessions/session-ada-exam-2', token), 404, 'not-found');
  });

  test('answers 404 for a session that does not exist, the same as for a forbidden one', async (t) => {
    const server = await start(t);
    const token = await server.supervisorToken('*');
    const missing = await assertError(await server.get('/sessions/session-nobody', token), 404, 'not-found');
    assert.match(missing.error.message, /session-nobody/);
  });

  test('answers 400 naming sessionId when the id is malformed', async (t) => {
    const server = await start(t);
    const token = await server.supervisorToken('*');
    const { error } = await assertError(await server.get('/sessions/abc', token), 400, 'bad-message');
    assert.match(error.message, /^sessionId /);
    await assertError(await server.get(`/sessions/${'x'.repeat(65)}`, token), 400, 'bad-message');
    await assertError(await server.get('/sessions/has%20space', token), 400, 'bad-message');
  });

  test('answers 400 when the id is not valid URL encoding', async (t) => {
    const server = await start(t);
    await assertError(await server.get('/sessions/%E0%A4%A', await server.supervisorToken('*')), 400, 'bad-message');
  });

  test('answers 401 without a token before looking at the id', async (t) => {
    const server = await start(t);
    await assertUnauthorized(await server.get('/sessions/session-ada'));
    await assertUnauthorized(await server.get('/sessions/abc'));
  });
});

describe('GET /sessions/:sessionId/events', () => {
  interface EventsBody {
    events: SessionEvent[];
    more: boolean;
  }

  async function withLog(t: TestContext, lines = 3): Promise<TestServer> {
    const server = await start(t);
    for (let i = 1; i <= lines; i++) await server.kit.log('session-ada', 'step', { i });
    return server;
  }

  async function assertEvents(response: Response): Promise<EventsBody> {
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await response.json()) as EventsBody;
    assert.deepEqual(Object.keys(body).sort(), ['events', 'more']);
    return body;
  }

  test("answers a supervisor with the session's events and whether more follow", async (t) => {
    const server = await withLog(t);
    const body = await assertEvents(await server.get('/sessions/session-ada/events', await server.supervisorToken(['ada'])));
    assert.equal(body.more, false);
    assert.deepEqual(body.events, await server.kit.sessions.events('session-ada'));
    assert.deepEqual(body.events.map((e) => [e.seq, e.type, e.source, e.data]), [
      [1, 'log.step', 'host', { i: 1 }],
      [2, 'log.step', 'host', { i: 2 }],
      [3, 'log.step', 'host', { i: 3 }],
    ]);
  });

  test('answers the candidate with its own events', async (t) => {
    const server = await withLog(t);
    const body = await assertEvents(await server.get('/sessions/session-ada/events', await server.candidateToken('ada')));
    assert.equal(body.events.length, 3);
  });

  test('gives only the events after `after`', async (t) => {
    const server = await withLog(t);
    const token = await server.supervisorToken('*');
    assert.deepEqual((await assertEvents(await server.get('/sessions/session-ada/events?after=2', token))).events.map((e) => e.seq), [3]);
    assert.deepEqual(await assertEvents(await server.get('/sessions/session-ada/events?after=3', token)), { events: [], more: false });
    assert.deepEqual((await assertEvents(await server.get('/sessions/session-ada/events?after=999999', token))).events, []);
    assert.equal((await assertEvents(await server.get('/sessions/session-ada/events?after=0', token))).events.length, 3);
  });

  test('answers an empty log for a session without events', async (t) => {
    const server = await start(t);
    const body = await assertEvents(await server.get('/sessions/session-bob/events', await server.supervisorToken('*')));
    assert.deepEqual(body, { events: [], more: false });
  });

  test('pages at 500 events', async (t) => {
    const server = await withLog(t, 501);
    const token = await server.supervisorToken(['ada']);
    const first = await assertEvents(await server.get('/sessions/session-ada/events', token));
    assert.equal(first.events.length, 500);
    assert.equal(first.more, true);
    const rest = await assertEvents(await server.get('/sessions/session-ada/events?after=500', token));
    assert.deepEqual(rest.events.map((e) => e.seq), [501]);
    assert.equal(rest.more, false);
  });

  test("answers 404 to another candidate, a supervisor not naming the candidate, and another exam's token", async (t) => {
    const server = await withLog(t);
    await assertError(await server.get('/sessions/session-ada/events', await server.candidateToken('bob')), 404, 'not-found');
    await assertError(await server.get('/sessions/session-ada/events', await server.supervisorToken(['bob'])), 404, 'not-found');
    const otherExam = await server.supervisorToken('*', { examId: OTHER_EXAM });
    await assertError(await server.get('/sessions/session-ada/events', otherExam), 404, 'not-found');
    await assertError(await server.get('/sessions/session-nobody/events', await server.supervisorToken('*')), 404, 'not-found');
  });

  test('answers 400 naming `after` when it is not a whole number', async (t) => {
    const server = await withLog(t);
    const token = await server.supervisorToken('*');
    for (const after of ['abc', '-1', '1.5', '', '1e3', '0x10', '1&after=2', '9999999999999']) {
      const { error } = await assertError(await server.get(`/sessions/session-ada/events?after=${after}`, token), 400, 'bad-message');
      assert.match(error.message, /^after /, after);
    }
  });

  test('answers 400 for a malformed id and 401 without a token', async (t) => {
    const server = await withLog(t);
    await assertError(await server.get('/sessions/abc/events', await server.supervisorToken('*')), 400, 'bad-message');
    await assertUnauthorized(await server.get('/sessions/session-ada/events'));
    await assertUnauthorized(await server.get('/sessions/session-ada/events?after=abc'));
  });
});

describe('unknown routes', () => {
  test('answer 404 with a JSON error naming the route', async (t) => {
    const server = await start(t);
    const { error } = await assertError(await server.get('/nope'), 404, 'not-found');
    assert.equal(error.message, 'No route GET /proctor/nope.');
  });

  test('answer 404 to methods the router does not serve', async (t) => {
    const server = await start(t);
    const response = await fetch(`${server.origin}/proctor/sessions`, { method: 'POST' });
    const { error } = await assertError(response, 404, 'not-found');
    assert.equal(error.message, 'No route POST /proctor/sessions.');
  });
});
