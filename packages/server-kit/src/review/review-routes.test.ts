import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { SCREENSHOTS_PER_SESSION, type Flag, type Note, type Screenshot, type SignalDismissal, type VerdictEntry } from '@proctorkit/core/protocol';
import { JPEG, PNG, WEBP } from '../http/identity-test-support.js';
import { assertError } from '../test-helpers.js';
import { ADA, BOB, OTHER_SIGNAL, ReviewCalls, SIGNAL, created, reviewServer, type ReviewServer } from './review-test-support.js';

async function reviewEvents(kit: ReviewServer, sessionId = ADA) {
  return (await kit.server.kit.sessions.events(sessionId)).filter((e) => e.seq > 6);
}

async function files(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => `${e.parentPath.slice(directory.length + 1)}/${e.name}`).sort();
}

describe('notes', () => {
  test('a reviewer’s note is logged with who wrote it and answered as the log holds it', async (t) => {
    const kit = await reviewServer(t);
    const at = Date.now() - 5_000;
    const note = await created<Note>(await new ReviewCalls(kit.server, kit.tokens.reviewer).note({ at, text: '  Looked at a second screen.  ' }), 'note');
    assert.equal(note.text, 'Looked at a second screen.', 'trimmed');
    assert.equal(note.at, at);
    assert.deepEqual(note.by, { role: 'reviewer', id: 'rev-1', name: 'Dr. Reyes' });
    const [event, ...more] = await reviewEvents(kit);
    assert.deepEqual(more, []);
    assert.equal(event!.type, 'note.added');
    assert.equal(event!.source, 'reviewer');
    assert.equal(event!.by, 'Dr. Reyes');
    assert.deepEqual(event!.data, { noteId: note.noteId, at, text: 'Looked at a second screen.', by: note.by });
    assert.equal(note.seq, event!.seq);
    assert.equal(note.writtenAt, event!.at);
  });

  test('the candidate’s supervisor writes notes during the exam, signed as a supervisor', async (t) => {
    const kit = await reviewServer(t);
    const note = await created<Note>(await new ReviewCalls(kit.server, await kit.server.supervisorToken(['bob'], { supervisorId: 'sup-bob', name: 'Kim' }), BOB).note(), 'note');
    assert.deepEqual(note.by, { role: 'supervisor', id: 'sup-bob', name: 'Kim' });
    assert.equal((await reviewEvents(kit, BOB)).length, 0, 'Bob’s log is shorter');
    const [event] = (await kit.server.kit.sessions.events(BOB)).filter((e) => e.type === 'note.added');
    assert.equal(event!.source, 'supervisor');
  });
});

describe('flags', () => {
  test('a flag is logged with its range, feeds, severity, reason, text and signer', async (t) => {
    const kit = await reviewServer(t);
    const input = { from: 1_700_000_000_000, to: 1_700_000_060_000, feeds: ['webcam', 'screen'], severity: 'high', reason: 'other', text: 'Read from a sheet.' };
    const flag = await created<Flag>(await new ReviewCalls(kit.server, kit.tokens.reviewer).flag(input), 'flag');
    assert.deepEqual({ ...flag, flagId: undefined, seq: undefined, createdAt: undefined }, { ...input, flagId: undefined, seq: undefined, createdAt: undefined, by: { role: 'reviewer', id: 'rev-1', name: 'Dr. Reyes' } });
    const [event] = await reviewEvents(kit);
    assert.equal(event!.type, 'flag.created');
    assert.deepEqual(event!.data, { flagId: flag.flagId, ...input, by: flag.by });
  });

  test('a flag with signalSeq confirms that integrity signal; a second judgement of it is refused', async (t) => {
    const kit = await reviewServer(t);
    const calls = new ReviewCalls(kit.server, kit.tokens.reviewer);
    const flag = await created<Flag>(await calls.flag({ from: 1, to: 2, feeds: ['screen'], severity: 'low', reason: 'screen-content', signalSeq: SIGNAL }), 'flag');
    assert.equal(flag.signalSeq, SIGNAL);
    await assertError(await calls.flag({ from: 1, to: 2, feeds: ['screen'], severity: 'low', reason: 'screen-content', signalSeq: SIGNAL }), 409, 'conflict', /already confirmed or dismissed/);
    await assertError(await calls.dismiss(SIGNAL), 409, 'conflict', /judged once/);
    assert.equal((await reviewEvents(kit)).length, 1, 'nothing more logged');
  });

  test('signalSeq must name an integrity signal of this session', async (t) => {
    const kit = await reviewServer(t);
    const calls = new ReviewCalls(kit.server, kit.tokens.reviewer);
    const flag = (signalSeq: number) => ({ from: 1, to: 2, feeds: ['webcam'], severity: 'low', reason: 'talking', signalSeq });
    await assertError(await calls.flag(flag(4)), 400, 'bad-message', /no integrity signal \(it is log\.answer\.saved\)/);
    await assertError(await calls.flag(flag(999)), 400, 'bad-message', /no event 999/);
    assert.deepEqual(await reviewEvents(kit), []);
  });
});

describe('signal dismissals', () => {
  test('dismisses a signal with a comment, once', async (t) => {
    const kit = await reviewServer(t);
    const calls = new ReviewCalls(kit.server, kit.tokens.supervisor);
    const dismissal = await created<SignalDismissal>(await calls.dismiss(OTHER_SIGNAL, { comment: 'Allowed calculator.' }), 'dismissal');
    assert.equal(dismissal.signalSeq, OTHER_SIGNAL);
    assert.equal(dismissal.comment, 'Allowed calculator.');
    assert.deepEqual(dismissal.by, { role: 'supervisor', id: 'sup-ada', name: 'Sam Supervisor' });
    const withoutComment = await created<SignalDismissal>(await calls.dismiss(SIGNAL, {}), 'dismissal');
    assert.equal(withoutComment.comment, undefined);
    await assertError(await calls.dismiss(OTHER_SIGNAL, {}), 409, 'conflict', /judged once/);
    await assertError(await calls.flag({ from: 1, to: 2, feeds: ['webcam'], severity: 'low', reason: 'talking', signalSeq: OTHER_SIGNAL }), 409, 'conflict');
    await assertError(await calls.dismiss(4, {}), 404, 'not-found', /no integrity signal/);
    await assertError(await calls.dismiss(4242, {}), 404, 'not-found', /no event 4242/);
    await assertError(await calls.dismiss(7, {}), 404, 'not-found', /no integrity signal \(it is signal\.dismissed\)/);
    assert.deepEqual((await reviewEvents(kit)).map((e) => [e.type, e.data.signalSeq]), [['signal.dismissed', OTHER_SIGNAL], ['signal.dismissed', SIGNAL]]);
  });
});

describe('verdicts', () => {
  test('a verdict is signed once the exam ended; a revision needs a comment and chains to the one before', async (t) => {
    const kit = await reviewServer(t);
    const calls = new ReviewCalls(kit.server, kit.tokens.reviewer);
    const first = await created<VerdictEntry>(await calls.verdict({ verdict: 'rejected', reason: 'Another person helped.', comment: 'See flag at 12:40.' }), 'verdict');
    assert.equal(first.verdict, 'rejected');
    assert.equal(first.reason, 'Another person helped.');
    assert.equal(first.revises, undefined);
    assert.match(first.signature, /^[\w-]{43}$/);
    assert.deepEqual((await kit.server.kit.sessions.get(ADA))!.verdict, { verdict: 'rejected', reason: 'Another person helped.', signedAt: first.signedAt });

    await assertError(await calls.verdict({ verdict: 'accepted' }), 400, 'bad-message', /revision needs a comment/);
    const revision = await created<VerdictEntry>(await calls.verdict({ verdict: 'accepted', comment: 'The other person was the invigilator.' }), 'verdict');
    assert.equal(revision.revises, first.verdictId);
    assert.equal(revision.previous, first.signature);
    assert.notEqual(revision.signature, first.signature);
    assert.deepEqual((await kit.server.kit.sessions.get(ADA))!.verdict, { verdict: 'accepted', signedAt: revision.signedAt }, 'the summary holds the latest, without a reason');

    const events = (await reviewEvents(kit)).filter((e) => e.type === 'verdict.signed');
    assert.equal(events.length, 2);
    assert.deepEqual(events[1]!.data, {
      verdictId: revision.verdictId,
      verdict: 'accepted',
      comment: 'The other person was the invigilator.',
      revises: first.verdictId,
      previous: first.signature,
      by: { role: 'reviewer', id: 'rev-1', name: 'Dr. Reyes' },
      signature: revision.signature,
    });
  });

  test('is refused before the exam ended, and a rejection without a reason', async (t) => {
    const kit = await reviewServer(t);
    await assertError(await new ReviewCalls(kit.server, kit.tokens.reviewer, BOB).verdict(), 409, 'conflict', /^Sign the verdict once the exam ended\.$/);
    await assertError(await new ReviewCalls(kit.server, kit.tokens.reviewer).verdict({ verdict: 'rejected' }), 400, 'bad-message', /reason/);
    assert.equal((await kit.server.kit.sessions.get(BOB))!.verdict, undefined);
    assert.deepEqual(await reviewEvents(kit), []);
  });

  test('texts too long together for one log entry are refused, and nothing is written', async (t) => {
    const kit = await reviewServer(t);
    // Quotes double in JSON: 1000 of them are 2000 characters of event data.
    const response = await new ReviewCalls(kit.server, kit.tokens.reviewer).verdict({ verdict: 'rejected', reason: 'r'.repeat(500), comment: '"'.repeat(1000) });
    await assertError(response, 400, 'bad-message', /too long together/);
    assert.equal((await kit.server.kit.sessions.get(ADA))!.verdict, undefined);
    assert.deepEqual(await reviewEvents(kit), []);
  });
});

describe('screenshots', () => {
  test('stores a JPEG, PNG or WebP under an id of its own, logs it, and serves it to reviewers privately', async (t) => {
    const kit = await reviewServer(t);
    const calls = new ReviewCalls(kit.server, kit.tokens.reviewer);
    const shot = await created<Screenshot>(await calls.screenshot(JPEG, { query: 'feed=screen&at=1700000000123&width=1920&height=1080' }), 'screenshot');
    assert.deepEqual({ ...shot, screenshotId: undefined, seq: undefined }, {
      screenshotId: undefined, seq: undefined, feed: 'screen', at: 1_700_000_000_123, width: 1920, height: 1080, contentType: 'image/jpeg', bytes: JPEG.length,
      by: { role: 'reviewer', id: 'rev-1', name: 'Dr. Reyes' },
    });
    assert.equal((await created<Screenshot>(await calls.screenshot(PNG, { contentType: 'image/png' }), 'screenshot')).contentType, 'image/png');
    assert.equal((await created<Screenshot>(await calls.screenshot(WEBP, { contentType: 'image/webp' }), 'screenshot')).contentType, 'image/webp');
    assert.equal((await files(kit.photoDirectory)).filter((f) => f.startsWith(`${ADA}/screenshots/`)).length, 3);

    const image = await new ReviewCalls(kit.server, kit.tokens.supervisor).request(`/screenshots/${shot.screenshotId}`);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/jpeg');
    assert.equal(image.headers.get('cache-control'), 'private, no-store');
    assert.equal(image.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(new Uint8Array(await image.arrayBuffer()), JPEG);
    const [event] = await reviewEvents(kit);
    assert.equal(event!.type, 'screenshot.taken');
    assert.deepEqual(event!.data, { screenshotId: shot.screenshotId, feed: 'screen', at: 1_700_000_000_123, width: 1920, height: 1080, contentType: 'image/jpeg', bytes: JPEG.length, by: shot.by });
  });

  test('serves only a screenshot the session holds', async (t) => {
    const kit = await reviewServer(t);
    const shot = await created<Screenshot>(await new ReviewCalls(kit.server, kit.tokens.reviewer).screenshot(), 'screenshot');
    await assertError(await new ReviewCalls(kit.server, kit.tokens.reviewer, BOB).request(`/screenshots/${shot.screenshotId}`), 404, 'not-found');
    await assertError(await new ReviewCalls(kit.server, kit.tokens.reviewer).request('/screenshots/0b6f7c1e-8a53-4f0e-9d6b-2f1c3e4a5b6c'), 404, 'not-found');
    await assertError(await new ReviewCalls(kit.server, kit.tokens.reviewer).request('/screenshots/..%2F..%2Fx'), 400, 'bad-message');
  });

  test(`a session keeps at most ${SCREENSHOTS_PER_SESSION}; the next is refused before its image is stored`, async (t) => {
    const kit = await reviewServer(t, { limits: { requestsPerMinute: 10_000 } });
    const calls = new ReviewCalls(kit.server, kit.tokens.reviewer);
    for (let i = 0; i < SCREENSHOTS_PER_SESSION; i += 20) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => calls.screenshot()));
      assert.deepEqual(answers.map((r) => r.status), Array(20).fill(201));
    }
    await assertError(await calls.screenshot(), 409, 'conflict', new RegExp(`${SCREENSHOTS_PER_SESSION} screenshots, the most it may keep`));
    assert.equal((await files(kit.photoDirectory)).length, SCREENSHOTS_PER_SESSION);
    assert.equal((await created<Screenshot>(await new ReviewCalls(kit.server, kit.tokens.reviewer, BOB).screenshot(), 'screenshot')).feed, 'webcam', 'another session has its own room');
  });
});

describe('the candidate’s side never sees what reviewers record', () => {
  test('the candidate’s REST log shows review records as empty review.recorded entries at their seq', async (t) => {
    const kit = await reviewServer(t);
    await created(await new ReviewCalls(kit.server, kit.tokens.reviewer).note({ at: 1, text: 'Suspicious.' }), 'note');
    await created(await new ReviewCalls(kit.server, kit.tokens.reviewer).verdict({ verdict: 'rejected', reason: 'Helped.' }), 'verdict');
    for (const token of [kit.tokens.ada, kit.tokens.phone]) {
      const { events } = (await (await new ReviewCalls(kit.server, token).request('/events')).json()) as { events: { seq: number; at: number; type: string; data: object; by?: string }[] };
      assert.deepEqual(events.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7, 8], 'no gap');
      assert.deepEqual(events.slice(6), [
        { seq: 7, at: events[6]!.at, type: 'review.recorded', source: 'server', data: {} },
        { seq: 8, at: events[7]!.at, type: 'review.recorded', source: 'server', data: {} },
      ]);
    }
    const { events } = (await (await new ReviewCalls(kit.server, kit.tokens.reviewer).request('/events')).json()) as { events: { type: string }[] };
    assert.deepEqual(events.slice(6).map((e) => e.type), ['note.added', 'verdict.signed'], 'reviewers read the log as it is');
  });
});
