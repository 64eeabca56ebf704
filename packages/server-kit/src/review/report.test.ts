import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Screenshot, SessionReport, VerdictEntry } from '@proctorkit/core/protocol';
import { upload, uploaded } from '../http/identity-test-support.js';
import { assertError } from '../test-helpers.js';
import { ADA, BOB, ReviewCalls, SIGNAL, created, okJson, reviewServer, type ReviewServer } from './review-test-support.js';

const DEVICE_CHECK = {
  verdict: 'warn',
  at: 1_700_000_000_000,
  camera: { verdict: 'pass', message: 'Your camera works.', width: 1280, height: 720, fps: 30 },
  microphone: { verdict: 'skipped', message: 'Not needed.' },
  screen: { verdict: 'pass', message: 'You share your whole screen.' },
  network: { verdict: 'warn', message: 'Your connection is slow.' },
  browser: { verdict: 'pass', message: 'Your browser has everything supervision needs.', missing: [] },
};

/** Ada's session with a little of everything: a device check, a note, a flag, a dismissal, a screenshot, a verdict. */
async function reviewedSession(kit: ReviewServer): Promise<{ shot: Screenshot; verdict: VerdictEntry }> {
  await kit.server.kit.log(ADA, 'device-check.completed', DEVICE_CHECK);
  const calls = new ReviewCalls(kit.server, kit.tokens.reviewer);
  await created(await calls.note({ at: Date.now(), text: 'Looked away <b>twice</b>.' }), 'note');
  await created(await calls.flag({ from: Date.now() - 60_000, to: Date.now(), feeds: ['webcam'], severity: 'high', reason: 'another-person', signalSeq: SIGNAL }), 'flag');
  await created(await calls.dismiss(5, { comment: 'Fine.' }), 'dismissal');
  const shot = await created<Screenshot>(await calls.screenshot(), 'screenshot');
  const verdict = await created<VerdictEntry>(await calls.verdict({ verdict: 'rejected', reason: 'Another person in the room.' }), 'verdict');
  return { shot, verdict };
}

describe('GET /sessions/:id/report', () => {
  test('gives the summary, device check, identity, log, review records, recordings and verdicts with signed links', async (t) => {
    const kit = await reviewServer(t);
    const { shot, verdict } = await reviewedSession(kit);
    const before = Date.now();
    const { report } = await okJson<{ report: SessionReport }>(await new ReviewCalls(kit.server, kit.tokens.supervisor).report());
    assert.ok(report.generatedAt >= before - 1000);
    assert.ok(Math.abs(report.linksExpireAt - (report.generatedAt + 3_600_000)) < 1000);
    assert.equal(report.session.sessionId, ADA);
    assert.deepEqual(report.session.verdict, { verdict: 'rejected', reason: 'Another person in the room.', signedAt: verdict.signedAt });
    assert.equal(report.deviceCheck?.type, 'log.device-check.completed');
    assert.deepEqual(report.deviceCheck?.data, DEVICE_CHECK);
    assert.deepEqual(report.identity, { required: false, status: 'none', photos: [], photoUrls: {} });
    assert.equal(report.events.length, 12);
    assert.deepEqual(report.events.map((e) => e.seq), Array.from({ length: 12 }, (_, i) => i + 1));
    assert.equal(report.notes[0]!.text, 'Looked away <b>twice</b>.');
    assert.equal(report.flags[0]!.signalSeq, SIGNAL);
    assert.deepEqual(report.dismissals.map((d) => d.signalSeq), [5]);
    assert.equal(report.screenshots[0]!.screenshotId, shot.screenshotId);
    assert.match(report.screenshots[0]!.url, new RegExp(`^/proctor/sessions/${ADA}/screenshots/${shot.screenshotId}\\?expires=${report.linksExpireAt}&signature=`));
    assert.deepEqual(report.recordings, { recordings: [], gaps: [] });
    assert.deepEqual(report.verdicts, [{ ...verdict, signatureValid: true }]);
    assert.match(report.htmlUrl, new RegExp(`^/proctor/sessions/${ADA}/report\\?format=html&expires=\\d+&signature=[\\w-]{43}$`));
    const image = await fetch(`${kit.server.origin}${report.screenshots[0]!.url}`);
    assert.equal(image.status, 200, 'the screenshot opens without a token');
  });

  test('lists the identity photos with links, and leaves out screenshots whose images were deleted', async (t) => {
    const kit = await reviewServer(t);
    const bob = await kit.server.candidateToken('bob');
    const photo = await uploaded(await upload(kit.server, bob, 'document', undefined, { sessionId: BOB }));
    await created(await new ReviewCalls(kit.server, kit.tokens.reviewer, BOB).screenshot(), 'screenshot');
    await kit.server.kit.sessions.deleteRecordings(BOB);
    const { report } = await okJson<{ report: SessionReport }>(await new ReviewCalls(kit.server, kit.tokens.reviewer, BOB).report());
    assert.deepEqual(report.screenshots, []);
    assert.ok(report.events.some((e) => e.type === 'screenshot.taken'), 'the log still tells of it');
    assert.deepEqual(report.identity.photos, [photo]);
    assert.match(report.identity.photoUrls[photo.photoId]!, new RegExp(`^/proctor/sessions/${BOB}/identity/photos/${photo.photoId}\\?expires=`));
  });

  test('answers the printable page for ?format=html and for a browser’s Accept', async (t) => {
    const kit = await reviewServer(t);
    await reviewedSession(kit);
    const calls = new ReviewCalls(kit.server, kit.tokens.reviewer);
    for (const response of [await calls.report('?format=html'), await calls.request('/report', { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })]) {
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
      assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      assert.equal(response.headers.get('cache-control'), 'private, no-store');
      const page = await response.text();
      assert.match(page, /^<!doctype html>/);
      assert.match(page, /@page \{ size: A4/);
      assert.match(page, /Not accepted/);
      assert.match(page, /Another person present/, 'the flag’s reason as a person reads it');
      assert.match(page, /✓ intact/);
      assert.match(page, /The device check passed with a warning/);
      assert.match(page, /Your connection is slow/);
      assert.match(page, /Signal #5 dismissed by Dr\. Reyes: “Fine\.”/);
      assert.match(page, /Switched to another window/, 'the log in words');
    }
    assert.equal((await calls.report('?format=json')).headers.get('content-type'), 'application/json; charset=utf-8');
  });

  test('escapes everything a person or page wrote: no markup gets through', async (t) => {
    const kit = await reviewServer(t);
    await kit.store.update(ADA, (record) => ({ record: { ...record, name: '<script>alert("name")</script>' }, events: [] }));
    const calls = new ReviewCalls(kit.server, kit.tokens.reviewer);
    await created(await calls.note({ at: 1, text: '<img src=x onerror=alert(1)>' }), 'note');
    await created(await calls.flag({ from: 1, to: 2, feeds: ['webcam'], severity: 'low', reason: 'other', text: '</td></tr><script>alert(2)</script>' }), 'flag');
    await kit.server.kit.log(ADA, 'device-check.completed', { ...DEVICE_CHECK, camera: { verdict: '"><script>x</script>', message: '<iframe>' } });
    const page = await (await calls.report('?format=html')).text();
    assert.doesNotMatch(page, /<script|<img src=x|<iframe/i);
    assert.match(page, /&lt;script&gt;alert\(&quot;name&quot;\)&lt;\/script&gt;/);
    assert.match(page, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(page, /&lt;\/td&gt;&lt;\/tr&gt;&lt;script&gt;alert\(2\)&lt;\/script&gt;/);
  });

  test('images in a page opened by a link expire with that link', async (t) => {
    const kit = await reviewServer(t);
    await reviewedSession(kit);
    const { report } = await okJson<{ report: SessionReport }>(await new ReviewCalls(kit.server, kit.tokens.reviewer).report());
    const expires = new URL(report.htmlUrl, kit.server.origin).searchParams.get('expires');
    const page = await (await fetch(`${kit.server.origin}${report.htmlUrl}`)).text();
    const images = [...page.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    assert.equal(images.length, 1);
    assert.equal(new URL(images[0]!, kit.server.origin).searchParams.get('expires'), expires);
    assert.equal((await fetch(`${kit.server.origin}${images[0]}`)).status, 200);
  });
});

describe('kit.sessions.report', () => {
  test('gives the host’s backend the same report, links under the base path it names', async (t) => {
    const kit = await reviewServer(t);
    await reviewedSession(kit);
    const report = await kit.server.kit.sessions.report(ADA);
    assert.ok(report);
    assert.equal(report.verdicts[0]!.signatureValid, true);
    assert.match(report.htmlUrl, new RegExp(`^/proctor/sessions/${ADA}/report\\?format=html&`));
    assert.equal((await fetch(`${kit.server.origin}${report.htmlUrl}`)).status, 200, 'its links open');
    const elsewhere = await kit.server.kit.sessions.report(ADA, { basePath: '/exam/proctor' });
    assert.match(elsewhere!.screenshots[0]!.url, new RegExp(`^/exam/proctor/sessions/${ADA}/screenshots/`));
    const html = await kit.server.kit.sessions.reportHtml(ADA);
    assert.match(html!, /^<!doctype html>/);
    assert.equal(await kit.server.kit.sessions.report('0b6f7c1e-8a53-4f0e-9d6b-2f1c3e4a5b6c'), undefined);
    await assert.rejects(kit.server.kit.sessions.report('../x'), /sessionId/);
  });
});

describe('who sees the verdict', () => {
  async function verdictSigned(kit: ReviewServer): Promise<void> {
    await created(await new ReviewCalls(kit.server, kit.tokens.reviewer).verdict({ verdict: 'rejected', reason: 'Helped.', comment: 'Internal: see flag 2.' }), 'verdict');
  }
  const summaryOf = async (kit: ReviewServer, token: string) => ((await okJson<{ session: { verdict?: unknown } }>(await kit.server.get(`/sessions/${ADA}`, token))).session);

  test('by default the candidate and the phone never see it; supervisors and reviewers do', async (t) => {
    const kit = await reviewServer(t);
    await verdictSigned(kit);
    assert.equal((await summaryOf(kit, kit.tokens.ada)).verdict, undefined);
    assert.equal((await summaryOf(kit, kit.tokens.phone)).verdict, undefined);
    assert.deepEqual(Object.keys((await summaryOf(kit, kit.tokens.supervisor)).verdict as object), ['verdict', 'signedAt', 'reason']);
    const { welcome } = await kit.server.candidate('ada');
    assert.equal(welcome.session!.verdict, undefined, 'nor in the welcome of their page');
  });

  test('with showVerdictToCandidate the candidate sees it once the exam ended, live and on reconnect; the phone still never', async (t) => {
    const kit = await reviewServer(t, { showVerdictToCandidate: true });
    const { client } = await kit.server.candidate('ada');
    await verdictSigned(kit);
    const updated = await client.next('session.updated', (m) => m.session.verdict !== undefined);
    assert.equal(updated.session.verdict!.verdict, 'rejected');
    assert.equal(updated.session.verdict!.reason, 'Helped.');
    const event = await client.nextEvent('review.recorded');
    assert.deepEqual(event.data, {}, 'the verdict’s comment and signer stay with the reviewers');
    assert.equal((await summaryOf(kit, kit.tokens.ada)).verdict !== undefined, true);
    assert.equal((await summaryOf(kit, kit.tokens.phone)).verdict, undefined);
    await client.close();
    const again = await kit.server.candidate('ada');
    assert.equal(again.welcome.session!.verdict!.verdict, 'rejected');
  });

  test('a live candidate page hears of review records only as empty entries, and no verdict without the option', async (t) => {
    const kit = await reviewServer(t);
    const { client } = await kit.server.candidate('ada');
    const { client: supervisor } = await kit.server.supervisor(['ada']);
    await created(await new ReviewCalls(kit.server, kit.tokens.reviewer).note({ at: 1, text: 'Private.' }), 'note');
    await verdictSigned(kit);
    assert.equal((await supervisor.nextEvent('note.added')).data.text, 'Private.');
    assert.equal((await supervisor.next('session.updated', (m) => m.session.verdict !== undefined)).session.verdict!.verdict, 'rejected');
    await client.nextEvent('review.recorded');
    await client.nextEvent('review.recorded');
    await client.sync();
    assert.ok(client.all('session.updated').every((m) => m.session.verdict === undefined));
    assert.ok(client.sessionEvents().every((e) => e.type !== 'note.added' && e.type !== 'verdict.signed'));
    const batch = await client.fetchEvents(ADA);
    assert.ok(batch.events.every((e) => e.type !== 'note.added' && e.type !== 'verdict.signed'), 'nor when it reads its log');
  });
});

test('a report of an unknown session is a 404, as any session the token may not read', async (t) => {
  const kit = await reviewServer(t);
  await assertError(await new ReviewCalls(kit.server, kit.tokens.reviewer, '0b6f7c1e-8a53-4f0e-9d6b-2f1c3e4a5b6c').report(), 404, 'not-found');
});
