import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RecordingManifest, Screenshot } from '@proctorkit/core/protocol';
import { upload, uploaded } from '../http/identity-test-support.js';
import { RecordingClient, cut, recorded } from '../recordings/recording-test-support.js';
import { OTHER_SECRET, SECRET, assertError } from '../test-helpers.js';
import { ADA, BOB, ReviewCalls, created, okJson, reviewServer, type ReviewServer } from './review-test-support.js';
import { SIGNED_URL_VALIDITY_MS, UrlSigner } from './signed-urls.js';

const signer = new UrlSigner(SECRET);
const IN_AN_HOUR = Date.now() + SIGNED_URL_VALIDITY_MS;

describe('UrlSigner', () => {
  test('a signed path verifies until it expires, and says when', () => {
    const url = signer.sign('/proctor/sessions/s-123456/screenshots/abcdef', IN_AN_HOUR);
    assert.match(url, /^\/proctor\/sessions\/s-123456\/screenshots\/abcdef\?expires=\d+&signature=[\w-]{43}$/);
    assert.equal(signer.verify(url), Math.floor(IN_AN_HOUR));
    assert.throws(() => signer.verify(url, IN_AN_HOUR + 1), /has expired/);
  });

  test('a changed path, expiry or signature, another secret’s signature or a missing part is refused', () => {
    const url = signer.sign('/proctor/sessions/s-123456/screenshots/abcdef', IN_AN_HOUR);
    const [path, query] = url.split('?') as [string, string];
    const params = new URLSearchParams(query);
    const signature = params.get('signature')!;
    const refusals: [string, RegExp][] = [
      [`/proctor/sessions/s-654321/screenshots/abcdef?${query}`, /does not match/],
      [`${path}x?${query}`, /does not match/],
      [`/proctor/sessions/s-999999/../s-123456/screenshots/abcdef?${query}`, /does not match/],
      [`${path}?expires=${IN_AN_HOUR + 60_000}&signature=${signature}`, /does not match/],
      [`${path}?expires=${params.get('expires')}&signature=${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`, /does not match/],
      [new UrlSigner(OTHER_SECRET).sign(path, IN_AN_HOUR), /does not match/],
      [`${path}?expires=${params.get('expires')}`, /malformed/],
      [`${path}?signature=${signature}`, /malformed/],
      [`${path}?expires=soon&signature=${signature}`, /malformed/],
    ];
    for (const [tampered, message] of refusals) assert.throws(() => signer.verify(tampered), message, tampered);
  });

  test('the query a resource was signed with is part of its signature', () => {
    const url = signer.sign('/proctor/sessions/s-123456/report?format=html', IN_AN_HOUR);
    assert.equal(signer.verify(url), Math.floor(IN_AN_HOUR));
    assert.throws(() => signer.verify(url.replace('format=html', 'format=json')), /does not match/);
    assert.throws(() => signer.verify(url.replace('format=html&', '')), /does not match/);
  });
});

/** Bob records 6 s of webcam (his exam runs); resolves with the manifest a reviewer reads. */
async function bobsRecording(kit: ReviewServer): Promise<RecordingManifest> {
  await new RecordingClient(kit.server, await kit.server.candidateToken('bob'), BOB).record('webcam', cut(await recorded('webm'), 2));
  return new RecordingClient(kit.server, kit.tokens.reviewer, BOB).settledManifest();
}

describe('signed links to media', () => {
  test('a recording’s link from the manifest plays without a token, with Range requests', async (t) => {
    const kit = await reviewServer(t);
    const run = (await bobsRecording(kit)).recordings[0]!.runs[0]!;
    const whole = await fetch(`${kit.server.origin}${run.url}`);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('content-type'), 'video/webm');
    const bytes = new Uint8Array(await whole.arrayBuffer());
    assert.equal(bytes.length, run.bytes);
    const part = await fetch(`${kit.server.origin}${run.url}`, { headers: { range: 'bytes=100-199' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 100-199/${run.bytes}`);
    assert.deepEqual(new Uint8Array(await part.arrayBuffer()), bytes.slice(100, 200));
    const links = new URL(run.url!, kit.server.origin);
    const expires = Number(links.searchParams.get('expires'));
    assert.ok(Math.abs(expires - (Date.now() + SIGNED_URL_VALIDITY_MS)) < 60_000, 'valid for an hour');
  });

  test('a tampered, expired or other resource’s link is refused with 403 saying why', async (t) => {
    const kit = await reviewServer(t);
    const run = (await bobsRecording(kit)).recordings[0]!.runs[0]!;
    const path = run.url!.split('?')[0]!;
    const shot = await created<Screenshot>(await new ReviewCalls(kit.server, kit.tokens.reviewer, BOB).screenshot(), 'screenshot');
    const shotLink = signer.sign(`/proctor/sessions/${BOB}/screenshots/${shot.screenshotId}`, IN_AN_HOUR);
    const get = (url: string) => fetch(`${kit.server.origin}${url}`);
    await assertError(await get(`${path}?${shotLink.split('?')[1]}`), 403, 'forbidden', /does not match/);
    await assertError(await get(signer.sign(path, Date.now() - 1)), 403, 'forbidden', /has expired/);
    await assertError(await get(`${path}?expires=1&signature=x`), 403, 'forbidden', /malformed/);
    await assertError(await get(signer.sign(`/proctor/sessions/${BOB}/report`, IN_AN_HOUR)), 403, 'forbidden', /only the printable report/);
    await assertError(await get(path), 401, 'unauthorized', /Bearer/);
    assert.equal((await get(shotLink)).status, 200, 'the screenshot’s own link opens it');
  });

  test('a bearer token takes precedence over a link: a bad token is refused even with a good link', async (t) => {
    const kit = await reviewServer(t);
    const run = (await bobsRecording(kit)).recordings[0]!.runs[0]!;
    await assertError(await fetch(`${kit.server.origin}${run.url}`, { headers: { authorization: `Bearer ${kit.tokens.ada}` } }), 404, 'not-found');
  });

  test('identity photos and the printable report open with the report’s links', async (t) => {
    const kit = await reviewServer(t);
    const bob = await kit.server.candidateToken('bob');
    const photo = await uploaded(await upload(kit.server, bob, 'face', undefined, { sessionId: BOB }));
    const { report } = await okJson<{ report: { identity: { photoUrls: Record<string, string> }; htmlUrl: string } }>(await new ReviewCalls(kit.server, kit.tokens.reviewer, BOB).report());
    const image = await fetch(`${kit.server.origin}${report.identity.photoUrls[photo.photoId]}`);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/jpeg');
    const page = await fetch(`${kit.server.origin}${report.htmlUrl}`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  });

  test('requests with links are limited per client address, with Retry-After', async (t) => {
    const kit = await reviewServer(t, { limits: { signedLinkRequestsPerMinute: 10 } });
    const shot = await created<Screenshot>(await new ReviewCalls(kit.server, kit.tokens.reviewer, ADA).screenshot(), 'screenshot');
    const link = signer.sign(`/proctor/sessions/${ADA}/screenshots/${shot.screenshotId}`, IN_AN_HOUR);
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${kit.server.origin}${link}`)));
    const limited = answers.filter((r) => r.status === 429);
    assert.ok(limited.length >= 9, `${limited.length} of 20 refused`);
    assert.ok(Number(limited[0]!.headers.get('retry-after')) >= 1);
    await assertError(limited[0]!, 429, 'rate-limited', /signed links: at most 10 a minute/);
  });
});
