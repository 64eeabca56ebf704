/**
 * Property-based fuzzing of the kit's REST routes against a kit in its own process: any method on
 * paths built from the real routes with hostile segments, any token, Content-Type and Host, any
 * body. Every answer is below 500, every refusal is the kit's JSON error, and the kit stays up.
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ERROR_CODES } from '@proctorkit/core/protocol';
import { KitProcess } from '../../test-fixtures/kit-process/kit-process.js';
import { EXAM, OTHER_EXAM, OTHER_SECRET, SECRET, TestClient, candidateClaims, signRaw, supervisorClaims, unsignedToken } from '../test-helpers.js';
import { TokenIssuer } from '../tokens.js';

const tokens = new TokenIssuer(SECRET, '1h');

/** Rates far above what the fuzzing sends, so every request reaches the code under test. */
const LIMITS = { requestsPerMinute: 1_000_000, pairingAttemptsPerMinute: 1_000_000, pairingFailuresPerMinute: 1_000_000 };

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

/** Stands for a variable segment of a route. */
const SESSION = ':sessionId';
const KIND = ':kind';
const PHOTO = ':photoId';
const SEQ = ':seq';
const SCREENSHOT = ':screenshotId';

type Route = { method: (typeof METHODS)[number]; path: string[]; query?: string };

/** Every route of the kit's router, with the query parameter it reads. */
const ROUTES: Route[] = [
  { method: 'GET', path: ['health'] },
  { method: 'GET', path: ['sessions'] },
  { method: 'GET', path: ['sessions', SESSION] },
  { method: 'GET', path: ['sessions', SESSION, 'events'], query: 'after' },
  { method: 'POST', path: ['sessions', SESSION, 'identity', 'photos', KIND] },
  { method: 'POST', path: ['sessions', SESSION, 'identity', 'submit'] },
  { method: 'GET', path: ['sessions', SESSION, 'identity'] },
  { method: 'GET', path: ['sessions', SESSION, 'identity', 'photos', PHOTO] },
  { method: 'POST', path: ['sessions', SESSION, 'phone', 'pairings'] },
  { method: 'POST', path: ['sessions', SESSION, 'notes'] },
  { method: 'POST', path: ['sessions', SESSION, 'flags'] },
  { method: 'POST', path: ['sessions', SESSION, 'signals', SEQ, 'dismiss'] },
  { method: 'POST', path: ['sessions', SESSION, 'verdicts'] },
  { method: 'POST', path: ['sessions', SESSION, 'screenshots'], query: 'feed' },
  { method: 'GET', path: ['sessions', SESSION, 'screenshots', SCREENSHOT], query: 'signature' },
  { method: 'GET', path: ['sessions', SESSION, 'report'], query: 'format' },
  { method: 'POST', path: ['phone', 'redeem'] },
  { method: 'GET', path: ['network', 'ping'] },
  { method: 'GET', path: ['network', 'download'], query: 'bytes' },
  { method: 'POST', path: ['network', 'upload'] },
];

/** What a test's kit holds: its port, a candidate's session and another's, and tokens of every kind. */
interface World {
  port: number;
  sessionId: string;
  otherSessionId: string;
  /** The session's candidate's, first, then valid tokens of other people and roles. */
  valid: string[];
  /** Broken, forged or refused Authorization headers. */
  refused: string[];
}

// ---- What the fuzzing sends --------------------------------------------------------------

/** A segment no route expects: traversal, NUL, broken escapes, long, escaped unicode. */
const hostileSegment = fc.oneof(
  fc.constantFrom('..', '.', '', '%00', '%2e%2e', '%2F', '%', '%E0%A4%A', '%FF', '__proto__', 'constructor', '*', ';', '%20'),
  fc.stringMatching(/^[\w-]{1,80}$/),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent),
  fc.integer({ min: 1000, max: 6000 }).map((length) => 'a'.repeat(length)),
);

/** A value of the route's segment: the candidate's own session mostly, another's or an unknown one. */
function validSegment(world: World, placeholder: string): fc.Arbitrary<string> {
  if (placeholder === SESSION) {
    return fc.oneof({ weight: 4, arbitrary: fc.constant(world.sessionId) }, fc.constantFrom(world.otherSessionId, '0b6f7c1e-8a53-4f0e-9d6b-2f1c3e4a5b6c'));
  }
  if (placeholder === KIND) return fc.constantFrom('document', 'face');
  if (placeholder === PHOTO || placeholder === SCREENSHOT) return fc.uuid();
  if (placeholder === SEQ) return fc.integer({ min: 0, max: 20 }).map(String);
  return fc.constant(placeholder);
}

const queryValue = fc.oneof(
  fc.constantFrom('0', '1', '-1', '1.5', '1e3', '999999999999', '9999999999999', '5000001', '', '%00', 'abc'),
  fc.string().map(encodeURIComponent),
);

/** A path under `/proctor/` of `route`: as it is (`hostile` false), or with its segments and query fuzzed. */
function path(world: World, route: Route, hostile: boolean): fc.Arbitrary<string> {
  const part = (placeholder: string) =>
    hostile ? fc.oneof({ weight: 6, arbitrary: validSegment(world, placeholder) }, { weight: 1, arbitrary: hostileSegment }) : validSegment(world, placeholder);
  const noExtra = fc.constant(null);
  return fc
    .record({
      segments: fc.tuple(...route.path.map(part)),
      extra: hostile ? fc.oneof({ weight: 3, arbitrary: noExtra }, { weight: 1, arbitrary: hostileSegment }) : noExtra,
      query: fc.option(fc.array(fc.tuple(fc.constantFrom(route.query ?? 'after', 'bytes', '__proto__', 'expires', 'signature'), queryValue), { minLength: 1, maxLength: 3 }), { freq: 2 }),
    })
    .map(({ segments, extra, query }) => {
      const pathname = `/proctor/${[...segments, ...(extra === null ? [] : [extra])].join('/')}`;
      return query === null ? pathname : `${pathname}?${query.map(([key, value]) => `${key}=${value}`).join('&')}`;
    })
    // Past 16 KB of request line and headers, Node answers 431 itself: the kit never sees the request.
    .filter((target) => target.length <= 12_000);
}

/** Host headers: the kit's own, other names, ports and IPv6 literals that may not parse, garbage. */
function host(world: World): fc.Arbitrary<string> {
  const name = fc.oneof(
    fc.constantFrom('127.0.0.1', 'localhost', 'exam.example', '', '[::1]', 'a..b', '-a-', 'x'.repeat(300)),
    fc.stringMatching(/^\[[0-9a-f:.]{2,12}\]$/),
    fc.string({ maxLength: 40 }),
  );
  const port = fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 99_999 }).map((n) => `:${n}`), fc.constantFrom(':', ':abc', '::'));
  return fc.oneof(fc.constant(`127.0.0.1:${world.port}`), fc.tuple(name, port).map(([n, p]) => n + p));
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=nonsense',
  'application/JSON',
  'image/jpeg',
  'image/png',
  'image/webp',
  'text/plain',
  'application/octet-stream',
  'multipart/form-data; boundary=x',
  ';;;',
  '*/*',
];

/** Nesting as JSON text, too deep for `JSON.stringify` to make. */
const deepJson = fc.record({ depth: fc.integer({ min: 1, max: 100_000 }), arrays: fc.boolean() }).map(({ depth, arrays }) =>
  arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
);

/** Bodies: none, random bytes, any JSON, near-valid redemptions, deep JSON, and now and then ~3 MB. */
const body = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 6, arbitrary: fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 6, arbitrary: fc.json({ maxDepth: 5, stringUnit: 'binary' }) },
  { weight: 4, arbitrary: fc.record({ pairing: fc.oneof(fc.stringMatching(/^[\w-]{22,64}$/), fc.jsonValue()) }, { requiredKeys: [] }).map((b) => JSON.stringify(b)) },
  { weight: 4, arbitrary: fc.record({ code: fc.oneof(fc.stringMatching(/^[A-Z2-9]{4}-?[A-Z2-9]{4}$/), fc.jsonValue()) }).map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: deepJson },
  { weight: 1, arbitrary: fc.integer({ min: 2_000_000, max: 3_200_000 }).map((size) => Buffer.alloc(size, 0x61)) },
);

/** The kit's own Host, the session's candidate's token (mostly), JSON, and a small body: a request that reaches the routes. */
function ordinaryHeaders(world: World) {
  return {
    host: fc.constant(`127.0.0.1:${world.port}`),
    authorization: fc.oneof({ weight: 3, arbitrary: fc.constant(world.valid[0]!) }, fc.constantFrom(...world.valid)),
    contentType: fc.constant('application/json'),
    body: fc.option(fc.json({ maxDepth: 3 }), { freq: 2 }).map((text) => text ?? undefined),
  };
}

/** Any token, Host, Content-Type and body. */
function hostileHeaders(world: World) {
  return {
    host: host(world),
    authorization: fc.option(
      fc.oneof(
        { weight: 3, arbitrary: fc.oneof({ weight: 3, arbitrary: fc.constant(world.valid[0]!) }, fc.constantFrom(...world.valid)) },
        { weight: 2, arbitrary: fc.constantFrom(...world.refused) },
        { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
      ),
      { freq: 8 },
    ),
    contentType: fc.option(
      fc.oneof({ weight: 2, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: fc.string({ maxLength: 60 }) }),
      { freq: 5 },
    ),
    body,
  };
}

/** Requests to the real routes: hostile paths and methods with ordinary headers, or the reverse. */
function requests(world: World, hostile: 'path' | 'headers') {
  return fc
    .constantFrom(...ROUTES)
    .chain((route) =>
      fc.record({
        method: hostile === 'path' ? fc.oneof({ weight: 2, arbitrary: fc.constant(route.method) }, fc.constantFrom(...METHODS)) : fc.constant(route.method),
        path: path(world, route, hostile === 'path'),
        ...(hostile === 'path' ? ordinaryHeaders(world) : hostileHeaders(world)),
      }),
    )
    .map((fields) => ({ ...fields, [fc.toStringMethod]: () => fc.stringify(Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, abridged(value)]))) }));
}

/** A long path or body as its length and start, so a counterexample stays readable. */
function abridged(value: unknown): unknown {
  const length = (value as { length?: unknown } | null)?.length;
  if (typeof length !== 'number' || length <= 1000) return value;
  return `<${length} ${typeof value === 'string' ? 'characters' : 'bytes'} from ${JSON.stringify(String(value).slice(0, 80))}>`;
}

/** Authorization headers of every kind: valid ones of each role (the session's candidate's first), and refused ones. */
async function authorizations(sessionId: string): Promise<Pick<World, 'valid' | 'refused'>> {
  const claims = candidateClaims('ada');
  const now = Math.floor(Date.now() / 1000);
  const bearer = (token: string) => `Bearer ${token}`;
  const token = await tokens.issue(claims);
  return {
    valid: [
      bearer(token),
      bearer(await tokens.issue(candidateClaims('grace'))),
      bearer(await tokens.issue(candidateClaims('ada', OTHER_EXAM))),
      bearer(await tokens.issue(supervisorClaims('*'))),
      bearer(await tokens.issue(supervisorClaims(['nobody']))),
      bearer(await tokens.issue(supervisorClaims('*', OTHER_EXAM))),
      bearer(await tokens.issue({ role: 'reviewer', examId: EXAM, reviewerId: 'rev-1', name: 'Reviewer', candidates: '*' })),
      bearer(await tokens.issue({ role: 'reviewer', examId: OTHER_EXAM, reviewerId: 'rev-2', name: 'Reviewer', candidates: ['ada'] })),
    ],
    refused: [
      token,
      `bearer ${token}`,
      `Basic ${Buffer.from('ada:secret').toString('base64')}`,
      'Bearer',
      'Bearer a.b.c',
      bearer(token.slice(0, -4)),
      bearer(await tokens.issue({ role: 'phone', examId: EXAM, candidateId: 'ada', name: 'Ada', sessionId, pairingId: 'not-a-pairing' })),
      bearer(await signRaw({ ...claims }, { secret: OTHER_SECRET })),
      bearer(await signRaw({ ...claims }, { alg: 'HS512' })),
      bearer(await signRaw({ ...claims }, { exp: now - 60 })),
      bearer(await signRaw({ ...claims }, { exp: null })),
      bearer(await signRaw({ ...claims, role: 'admin' })),
      bearer(await signRaw({ ...claims, candidateId: '../ada' })),
      bearer(unsignedToken({ ...claims })),
    ],
  };
}

// ---- Sending it --------------------------------------------------------------------------

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** How much of a body the test keeps: enough for any error, not a whole download. */
const KEEP_BYTES = 64 * 1024;

/**
 * The kit may refuse a large body before reading it and close the connection (the network test
 * does): the rest of the upload then fails, and with it, now and then, the answer.
 */
const MAY_RESET_ABOVE_BYTES = 1_000_000;

type Fields = { method: string; path: string; host: string; authorization: string | null; contentType: string | null; body: string | Buffer | undefined };

/**
 * Sends one request over node:http (fetch may not set Host) and reads its answer; `undefined`
 * when a large body's connection was reset before the answer. Keep-alive, so the server reads
 * and drops a refused body instead of resetting the connection.
 */
function send(world: World, agent: Agent, fields: Fields): Promise<Answer | undefined> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: fields.host };
    if (fields.authorization !== null) headers.authorization = fields.authorization;
    if (fields.contentType !== null) headers['content-type'] = fields.contentType;
    // Node frames no body of a GET by itself.
    if (fields.body !== undefined) headers['content-length'] = String(Buffer.byteLength(fields.body));
    const outgoing = request({ host: '127.0.0.1', port: world.port, method: fields.method, path: fields.path, headers, setHost: false, agent, timeout: 5000 });
    let answered = false;
    outgoing.on('response', (response) => {
      answered = true;
      const kept: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < KEEP_BYTES) kept.push(chunk);
        size += chunk.length;
      });
      response.on('end', () => resolve({ status: response.statusCode!, contentType: response.headers['content-type'] ?? '', text: Buffer.concat(kept).toString() }));
      response.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer to ${fields.method} ${fields.path.slice(0, 200)} within 5 s`)));
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) return;
      const large = fields.body !== undefined && Buffer.byteLength(fields.body) > MAY_RESET_ABOVE_BYTES;
      if (large && (error.code === 'EPIPE' || error.code === 'ECONNRESET')) resolve(undefined);
      else reject(error);
    });
    outgoing.end(fields.body);
  });
}

function assertKitAnswer(answer: Answer | undefined): void {
  if (answer === undefined) return;
  assert.ok(answer.status < 500, `answered ${answer.status}: ${answer.text.slice(0, 500)}`);
  if (answer.status < 400) return;
  assert.match(answer.contentType, /^application\/json/, `a ${answer.status} is JSON`);
  const body = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } };
  assert.deepEqual(Object.keys(body), ['error'], 'a refusal holds only its error');
  assert.ok((ERROR_CODES as readonly unknown[]).includes(body.error?.code), `code ${String(body.error?.code)} is a protocol error code`);
  assert.ok(typeof body.error?.message === 'string' && body.error.message.length > 0, 'the refusal says why');
}

/** A bound in runs and in time, so the file stays fast on a small machine. */
function bounded(numRuns: number, timeLimitMs: number): fc.Parameters<unknown> {
  return { numRuns, plugins: [fc.interruptAfterTimeLimit(timeLimitMs)] };
}

describe('the REST routes, fuzzed', () => {
  test('answer every hostile request below 500, refusals as JSON errors, and the kit stays up', async (t) => {
    const kit = await KitProcess.start(t, { kit: { limits: LIMITS } });
    const ada = await TestClient.open(kit.wsUrl);
    ada.hello(await tokens.issue(candidateClaims('ada')));
    const grace = await TestClient.open(kit.wsUrl);
    grace.hello(await tokens.issue(candidateClaims('grace')));
    const sessionId = (await ada.next('session.welcome')).session!.sessionId;
    const world: World = {
      port: Number(new URL(kit.origin).port),
      sessionId,
      otherSessionId: (await grace.next('session.welcome')).session!.sessionId,
      ...(await authorizations(sessionId)),
    };
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    t.after(() => agent.destroy());
    const answersAll = (arbitrary: ReturnType<typeof requests>) =>
      fc.asyncProperty(arbitrary, async (fields) => assertKitAnswer(await send(world, agent, fields)));

    await t.test('hostile paths and methods on every route', async () => {
      await fc.assert(answersAll(requests(world, 'path')), bounded(600, 4000));
    });
    await t.test('hostile tokens, Hosts, Content-Types and bodies on every route', async () => {
      await fc.assert(answersAll(requests(world, 'headers')), bounded(1200, 6000));
    });

    assert.ok(kit.running, 'the kit process is still running');
    const health = await fetch(`${kit.origin}/proctor/health`);
    assert.equal(health.status, 200);
    assert.doesNotMatch(kit.stderr, /\[proctorkit\] error:|process guard/, 'the kit logged no failure');
  });
});
