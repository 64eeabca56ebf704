import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { CloseCode, SCREENSHOT_MAX_BYTES, type Screenshot, type SessionSummary } from '@proctorkit/core/protocol';
import { JPEG } from '../http/identity-test-support.js';
import { EXAM, OTHER_EXAM, assertError, delay } from '../test-helpers.js';
import { ADA, BOB, OTHER_SIGNAL, ReviewCalls, SIGNAL, created, okJson, reviewServer, type ReviewServer } from './review-test-support.js';

/** Every review route, as one token holder calls it on Ada's session. */
type Call = (calls: ReviewCalls, kit: ReviewServer) => Promise<Response>;

const WRITES: Record<string, Call> = {
  'POST notes': (c) => c.note(),
  'POST flags': (c) => c.flag(),
  'POST signals/:seq/dismiss': (c) => c.dismiss(SIGNAL),
  'POST verdicts': (c) => c.verdict(),
  'POST screenshots': (c) => c.screenshot(),
};

const READS: Record<string, Call> = {
  'GET report': (c) => c.report(),
  'GET report?format=html': (c) => c.report('?format=html'),
  'GET recordings': (c) => c.request('/recordings'),
  'GET identity': (c) => c.request('/identity'),
  'GET identity/photos/:photoId': (c) => c.request('/identity/photos/0b6f7c1e-8a53-4f0e-9d6b-2f1c3e4a5b6c'),
  'GET screenshots/:screenshotId': (c) => c.request('/screenshots/0b6f7c1e-8a53-4f0e-9d6b-2f1c3e4a5b6c'),
};

const ROUTES = { ...WRITES, ...READS };

/** What a refusal may not leave behind: no event past the seeded six, no stored image. */
async function assertNothingWritten(kit: ReviewServer): Promise<void> {
  assert.equal((await kit.server.kit.sessions.events(ADA)).length, 6, 'nothing logged');
  const files = await readdir(kit.photoDirectory, { recursive: true }).catch(() => []);
  assert.deepEqual(files, [], 'no image stored');
  assert.equal((await kit.server.kit.sessions.get(ADA))!.verdict, undefined);
}

describe('who may use the review routes', () => {
  test('the candidate’s reviewers and supervisors write every record and read everything', async (t) => {
    const kit = await reviewServer(t);
    for (const [route, call] of Object.entries(WRITES)) {
      const answer = await call(new ReviewCalls(kit.server, kit.tokens.reviewer), kit);
      assert.equal(answer.status, 201, `${route}: ${await answer.text()}`);
    }
    const supervisor = new ReviewCalls(kit.server, kit.tokens.supervisor);
    for (const answer of [
      await supervisor.note(),
      await supervisor.flag(),
      await supervisor.dismiss(OTHER_SIGNAL),
      await supervisor.verdict({ verdict: 'inconclusive', comment: 'A second look.' }),
      await supervisor.screenshot(),
    ]) {
      assert.equal(answer.status, 201, await answer.text());
    }
    for (const token of [kit.tokens.reviewer, kit.tokens.supervisor]) {
      for (const [route, call] of Object.entries(READS)) {
        const status = (await call(new ReviewCalls(kit.server, token), kit)).status;
        assert.equal(status, route.includes(':') ? 404 : 200, `${route} (the ids are unknown)`);
      }
    }
  });

  for (const [who, pick, status, code] of [
    ['the candidate', (k: ReviewServer) => k.tokens.ada, 403, 'forbidden'],
    ['the candidate’s phone', (k: ReviewServer) => k.tokens.phone, 403, 'forbidden'],
    ['a reviewer of another candidate', (k: ReviewServer) => k.tokens.bobsReviewer, 404, 'not-found'],
    ['a supervisor of another candidate', (k: ReviewServer) => k.tokens.bobsSupervisor, 404, 'not-found'],
    ['a reviewer of another exam', (k: ReviewServer) => k.tokens.otherExamReviewer, 404, 'not-found'],
    ['no token', () => undefined, 401, 'unauthorized'],
  ] as const) {
    test(`${who}: ${status} on every review route, nothing written`, async (t) => {
      const kit = await reviewServer(t);
      for (const [route, call] of Object.entries(ROUTES)) {
        const response = await call(new ReviewCalls(kit.server, pick(kit)), kit);
        await assertError(response, status, code).catch((error: Error) => assert.fail(`${route}: ${error.message}`));
      }
      await assertNothingWritten(kit);
    });
  }

  test('a reviewer never commands: the control channel refuses its token with 4403', async (t) => {
    const kit = await reviewServer(t);
    const client = await kit.server.hello(kit.tokens.reviewer);
    assert.equal((await client.closeEvent()).code, CloseCode.forbidden);
  });
});

describe('reviewer tokens', () => {
  test('kit.issueToken signs reviewer claims and refuses malformed ones', async (t) => {
    const kit = await reviewServer(t);
    const token = await kit.server.kit.issueToken({ role: 'reviewer', examId: EXAM, reviewerId: 'rev-9', name: 'Rae', candidates: ['ada', 'bob'] });
    assert.equal((await new ReviewCalls(kit.server, token).report()).status, 200);
    const bad = { role: 'reviewer', examId: EXAM, name: 'Rae', candidates: '*' };
    await assert.rejects(kit.server.kit.issueToken(bad as never), /reviewerId/);
    await assert.rejects(kit.server.kit.issueToken({ ...bad, reviewerId: 'a/b' } as never), /reviewerId/);
  });

  test('GET /sessions lists the sessions a reviewer’s or supervisor’s token covers, and nobody else’s', async (t) => {
    const kit = await reviewServer(t);
    const list = async (token: string) => (await okJson<{ sessions: SessionSummary[] }>(await kit.server.get('/sessions', token))).sessions.map((s) => s.sessionId).sort();
    assert.deepEqual(await list(kit.tokens.reviewer), [ADA, BOB]);
    assert.deepEqual(await list(kit.tokens.bobsReviewer), [BOB]);
    assert.deepEqual(await list(kit.tokens.supervisor), [ADA]);
    assert.equal((await list(kit.tokens.otherExamReviewer)).length, 1);
    await assertError(await kit.server.get('/sessions', kit.tokens.ada), 403, 'forbidden', /supervisors and reviewers/);
  });

  test('kit.revoke bars a reviewer on every route until a new token is issued; other reviewers go on', async (t) => {
    const kit = await reviewServer(t);
    await created(await new ReviewCalls(kit.server, kit.tokens.reviewer).note(), 'note');
    await kit.server.kit.revoke({ examId: EXAM, reviewerId: 'rev-1' });
    await assertError(await new ReviewCalls(kit.server, kit.tokens.reviewer).note(), 401, 'unauthorized', /revoked/);
    await assertError(await new ReviewCalls(kit.server, kit.tokens.reviewer).report(), 401, 'unauthorized', /revoked/);
    await assertError(await kit.server.get('/sessions', kit.tokens.reviewer), 401, 'unauthorized');
    assert.equal((await new ReviewCalls(kit.server, kit.tokens.bobsReviewer, BOB).note()).status, 201, 'another reviewer');
    await assert.rejects(kit.server.kit.revoke({ examId: EXAM, reviewerId: '' } as never), /revoke/);
    await delay(1100); // token times are whole seconds: one issued in the revocation's second counts as before it
    const fresh = await kit.server.kit.issueToken({ role: 'reviewer', examId: EXAM, reviewerId: 'rev-1', name: 'Dr. Reyes', candidates: '*' });
    assert.equal((await new ReviewCalls(kit.server, fresh).note()).status, 201);
  });
});

describe('bad input to the review routes', () => {
  const json = (c: ReviewCalls, path: string, body: string, contentType = 'application/json') =>
    c.request(path, { method: 'POST', headers: { 'content-type': contentType }, body });

  const CASES: [string, Call, number, string, RegExp?][] = [
    ['note without text', (c) => c.note({ at: 1 }), 400, 'bad-message', /^note text/],
    ['note with empty text', (c) => c.note({ at: 1, text: '   ' }), 400, 'bad-message', /must not be empty/],
    ['note too long', (c) => c.note({ at: 1, text: 'x'.repeat(1001) }), 400, 'bad-message', /at most 1000/],
    ['note at a negative time', (c) => c.note({ at: -1, text: 'x' }), 400, 'bad-message'],
    ['note with an unknown field', (c) => c.note({ at: 1, text: 'x', author: 'me' }), 400, 'bad-message'],
    ['note as text/plain', (c) => json(c, '/notes', '{"at":1,"text":"x"}', 'text/plain'), 415, 'unsupported-type'],
    ['note that is no JSON', (c) => json(c, '/notes', '{"at":1,'), 400, 'bad-message'],
    ['note nested too deep', (c) => json(c, '/notes', `${'['.repeat(100)}${']'.repeat(100)}`), 400, 'bad-message', /nests deeper/],
    ['note body over 16 KB', (c) => c.note({ at: 1, text: 'x'.repeat(20_000) }), 413, 'too-large'],
    ['flag ending before it starts', (c) => c.flag({ from: 10, to: 5, feeds: ['webcam'], severity: 'low', reason: 'talking' }), 400, 'bad-message', /ends before it starts/],
    ['flag over a day', (c) => c.flag({ from: 0, to: 86_400_001, feeds: ['webcam'], severity: 'low', reason: 'talking' }), 400, 'bad-message', /more than a day/],
    ['flag without feeds', (c) => c.flag({ from: 0, to: 1, feeds: [], severity: 'low', reason: 'talking' }), 400, 'bad-message', /at least one feed/],
    ['flag naming a feed twice', (c) => c.flag({ from: 0, to: 1, feeds: ['webcam', 'webcam'], severity: 'low', reason: 'talking' }), 400, 'bad-message', /twice/],
    ['flag of an unknown feed', (c) => c.flag({ from: 0, to: 1, feeds: ['mic'], severity: 'low', reason: 'talking' }), 400, 'bad-message'],
    ['flag of an unknown reason', (c) => c.flag({ from: 0, to: 1, feeds: ['webcam'], severity: 'low', reason: 'vibes' }), 400, 'bad-message'],
    ['flag of an unknown severity', (c) => c.flag({ from: 0, to: 1, feeds: ['webcam'], severity: 'critical', reason: 'talking' }), 400, 'bad-message'],
    ['flag "other" without text', (c) => c.flag({ from: 0, to: 1, feeds: ['webcam'], severity: 'low', reason: 'other' }), 400, 'bad-message', /needs a text/],
    ['flag with signalSeq 0', (c) => c.flag({ from: 0, to: 1, feeds: ['webcam'], severity: 'low', reason: 'talking', signalSeq: 0 }), 400, 'bad-message'],
    ['dismissal of seq "abc"', (c) => c.dismiss('abc'), 400, 'bad-message', /^seq/],
    ['dismissal of seq 0', (c) => c.dismiss('0'), 400, 'bad-message', /^seq/],
    ['dismissal of seq 1e3', (c) => c.dismiss('1e3'), 400, 'bad-message', /^seq/],
    ['dismissal with an empty comment', (c) => c.dismiss(SIGNAL, { comment: '' }), 400, 'bad-message'],
    ['dismissal with an unknown field', (c) => c.dismiss(SIGNAL, { why: 'x' }), 400, 'bad-message'],
    ['verdict "maybe"', (c) => c.verdict({ verdict: 'maybe' }), 400, 'bad-message'],
    ['verdict accepted with a reason', (c) => c.verdict({ verdict: 'accepted', reason: 'x' }), 400, 'bad-message'],
    ['verdict as an array', (c) => c.verdict([{ verdict: 'accepted' }]), 400, 'bad-message'],
    ['screenshot without a query', (c) => c.screenshot(JPEG, { query: '' }), 400, 'bad-message', /^screenshot/],
    ['screenshot of an unknown feed', (c) => c.screenshot(JPEG, { query: 'feed=mic&at=1&width=1&height=1' }), 400, 'bad-message'],
    ['screenshot at no time', (c) => c.screenshot(JPEG, { query: 'feed=webcam&at=soon&width=1&height=1' }), 400, 'bad-message', /time in ms/],
    ['screenshot 0 pixels wide', (c) => c.screenshot(JPEG, { query: 'feed=webcam&at=1&width=0&height=1' }), 400, 'bad-message'],
    ['screenshot 99999 pixels high', (c) => c.screenshot(JPEG, { query: 'feed=webcam&at=1&width=1&height=99999' }), 400, 'bad-message'],
    ['screenshot with an extra parameter', (c) => c.screenshot(JPEG, { query: 'feed=webcam&at=1&width=1&height=1&x=1' }), 400, 'bad-message'],
    ['screenshot as GIF', (c) => c.screenshot(JPEG, { contentType: 'image/gif' }), 415, 'unsupported-type', /image\/jpeg, image\/png, image\/webp/],
    ['screenshot that is HTML', (c) => c.screenshot(new TextEncoder().encode('<script>alert(1)</script>')), 400, 'bad-message', /not a JPEG image/],
    ['empty screenshot', (c) => c.screenshot(new Uint8Array(0)), 400, 'bad-message', /empty/],
    ['screenshot over 4 MB', (c) => c.screenshot(Object.assign(new Uint8Array(SCREENSHOT_MAX_BYTES + 1), JPEG)), 413, 'too-large', /4 MB/],
    ['report of an unknown format', (c) => c.report('?format=pdf'), 400, 'bad-message', /format/],
    ['a malformed session id', (_c, k) => new ReviewCalls(k.server, k.tokens.reviewer, 'x').note(), 400, 'bad-message', /sessionId/],
    ['an unknown session', (_c, k) => new ReviewCalls(k.server, k.tokens.reviewer, '0b6f7c1e-8a53-4f0e-9d6b-2f1c3e4a5b6c').note(), 404, 'not-found'],
  ];

  test('each is refused with a clear 4xx and nothing is written', async (t) => {
    const kit = await reviewServer(t);
    const calls = new ReviewCalls(kit.server, kit.tokens.reviewer);
    for (const [what, call, status, code, message] of CASES) {
      await assertError(await call(calls, kit), status, code, message).catch((error: Error) => assert.fail(`${what}: ${error.message}`));
    }
    await assertNothingWritten(kit);
  });

  test('exactly 4 MB is a screenshot', async (t) => {
    const kit = await reviewServer(t);
    const shot = await created<Screenshot>(await new ReviewCalls(kit.server, kit.tokens.reviewer).screenshot(Object.assign(new Uint8Array(SCREENSHOT_MAX_BYTES), JPEG)), 'screenshot');
    assert.equal(shot.bytes, SCREENSHOT_MAX_BYTES);
  });
});

describe('floods', () => {
  for (const [route, call] of Object.entries(WRITES).filter(([route]) => route !== 'POST verdicts' && route !== 'POST signals/:seq/dismiss')) {
    test(`${route} past the request rate: 429 with Retry-After, and only what was let in is written`, async (t) => {
      const kit = await reviewServer(t, { limits: { requestsPerMinute: 20 } });
      const calls = new ReviewCalls(kit.server, kit.tokens.reviewer);
      const answers = await Promise.all(Array.from({ length: 40 }, () => call(calls, kit)));
      const limited = answers.filter((r) => r.status === 429);
      assert.ok(limited.length >= 19, `${limited.length} of 40 refused`);
      assert.ok(Number(limited[0]!.headers.get('retry-after')) >= 1);
      const written = answers.filter((r) => r.status === 201).length;
      assert.equal(written + limited.length, 40);
      assert.equal((await kit.server.kit.sessions.events(ADA)).length, 6 + written);
    });
  }

  test('verdicts past the request rate are refused alike', async (t) => {
    const kit = await reviewServer(t, { limits: { requestsPerMinute: 5 } });
    const calls = new ReviewCalls(kit.server, kit.tokens.reviewer);
    const answers = await Promise.all(Array.from({ length: 12 }, () => calls.verdict({ verdict: 'inconclusive', comment: 'Again.' })));
    assert.ok(answers.filter((r) => r.status === 429).length >= 6);
    assert.equal((await kit.server.kit.sessions.events(ADA)).length, 6 + answers.filter((r) => r.status === 201).length);
  });
});

test('another exam’s reviewer is no reviewer of this exam’s sessions', async (t) => {
  const kit = await reviewServer(t);
  const token = await kit.server.kit.issueToken({ role: 'reviewer', examId: OTHER_EXAM, reviewerId: 'rev-1', name: 'Dr. Reyes', candidates: ['ada'] });
  await assertError(await new ReviewCalls(kit.server, token).note(), 404, 'not-found');
});
