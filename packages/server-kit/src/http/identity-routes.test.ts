import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { IDENTITY_PHOTO_MAX_BYTES, type IdentityView } from '@proctorkit/core/protocol';
import { OTHER_EXAM, assertError, delay, type TestServer } from '../test-helpers.js';
import { ADA, BOB, JPEG, PNG, WEBP, photoServer, submit, upload, uploaded, type PhotoServer } from './identity-test-support.js';

/** Every file under the photo directory, as `<sessionId>/<photoId>`. */
async function files(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => `${e.parentPath.slice(directory.length + 1)}/${e.name}`).sort();
}

async function identityEvents(server: TestServer, sessionId = ADA) {
  return (await server.kit.sessions.events(sessionId)).filter((e) => e.type.startsWith('identity.'));
}

/** Nothing was stored and nothing logged. */
async function assertNothingWritten({ server, directory }: PhotoServer): Promise<void> {
  assert.deepEqual(await files(directory), [], 'no photo stored');
  assert.deepEqual(await identityEvents(server), [], 'nothing logged');
  assert.equal((await server.kit.sessions.get(ADA))?.identity, undefined, 'the session has no identity check');
}

describe('POST /sessions/:sessionId/identity/photos/:kind', () => {
  test('stores the candidate’s photo under a server-generated id and logs it without the image', async (t) => {
    const kit = await photoServer(t);
    const before = Date.now();
    const photo = await uploaded(await upload(kit.server, kit.ada, 'document'));
    assert.equal(photo.kind, 'document');
    assert.equal(photo.contentType, 'image/jpeg');
    assert.equal(photo.bytes, JPEG.length);
    assert.ok(photo.at >= before && photo.at <= Date.now());
    assert.match(photo.photoId, /^[0-9a-f-]{36}$/);

    assert.deepEqual(await files(kit.directory), [`${ADA}/${photo.photoId}`]);
    assert.deepEqual(new Uint8Array(await readFile(join(kit.directory, ADA, photo.photoId))), JPEG);
    const [event, ...more] = await identityEvents(kit.server);
    assert.deepEqual(more, []);
    assert.equal(event!.type, 'identity.photo');
    assert.equal(event!.source, 'candidate');
    assert.deepEqual(event!.data, { kind: 'document', photoId: photo.photoId, contentType: 'image/jpeg', bytes: JPEG.length });
    assert.deepEqual((await kit.server.kit.sessions.get(ADA))?.identity, { required: false, status: 'none' });
  });

  test('takes PNG and WebP too, and a content type with parameters', async (t) => {
    const kit = await photoServer(t);
    assert.equal((await uploaded(await upload(kit.server, kit.ada, 'face', PNG, { contentType: 'image/png' }))).contentType, 'image/png');
    const webp = await uploaded(await upload(kit.server, kit.ada, 'face', WEBP, { contentType: 'Image/WebP; charset=binary' }));
    assert.equal(webp.contentType, 'image/webp');
  });

  test('replaces the earlier photo of the same kind on a retake', async (t) => {
    const kit = await photoServer(t);
    const first = await uploaded(await upload(kit.server, kit.ada, 'document'));
    const face = await uploaded(await upload(kit.server, kit.ada, 'face'));
    const retake = await uploaded(await upload(kit.server, kit.ada, 'document', PNG, { contentType: 'image/png' }));
    assert.notEqual(retake.photoId, first.photoId);
    const record = await kit.server.kit.sessions.get(ADA);
    assert.ok(record);
    // The replaced file is deleted after the answer: give it a moment.
    for (let i = 0; i < 50 && (await files(kit.directory)).length > 2; i++) await delay(10);
    assert.deepEqual(await files(kit.directory), [`${ADA}/${face.photoId}`, `${ADA}/${retake.photoId}`].sort());
    const photos = (await identityEvents(kit.server)).map((e) => [e.data.kind, e.data.photoId]);
    assert.deepEqual(photos, [['document', first.photoId], ['face', face.photoId], ['document', retake.photoId]], 'every take is in the log');
  });

  test('answers 415 for a type that is no JPEG, PNG or WebP, and stores nothing', async (t) => {
    const kit = await photoServer(t);
    for (const contentType of ['text/plain', 'image/gif', 'application/octet-stream', 'image/svg+xml', null]) {
      await assertError(await upload(kit.server, kit.ada, 'face', JPEG, { contentType }), 415, 'unsupported-type', /image\/jpeg, image\/png, image\/webp/);
    }
    await assertNothingWritten(kit);
  });

  test('answers 400 when the bytes are not the image the type says, and stores nothing', async (t) => {
    const kit = await photoServer(t);
    const html = new TextEncoder().encode('<html><script>alert(1)</script></html>');
    await assertError(await upload(kit.server, kit.ada, 'face', html), 400, 'bad-message', /not a JPEG image/);
    await assertError(await upload(kit.server, kit.ada, 'face', JPEG, { contentType: 'image/png' }), 400, 'bad-message', /not a PNG image/);
    await assertError(await upload(kit.server, kit.ada, 'face', new Uint8Array(0)), 400, 'bad-message', /empty/);
    await assertError(await upload(kit.server, kit.ada, 'face', JPEG.slice(0, 2)), 400, 'bad-message');
    await assertNothingWritten(kit);
  });

  test('answers 413 past 2 MB, declared or streamed, and stores nothing', async (t) => {
    const kit = await photoServer(t);
    const big = new Uint8Array(IDENTITY_PHOTO_MAX_BYTES + 1);
    big.set(JPEG);
    await assertError(await upload(kit.server, kit.ada, 'face', big), 413, 'too-large', /larger than 2 MB/);
    const chunk = new Uint8Array(256 * 1024);
    chunk.set(JPEG);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > IDENTITY_PHOTO_MAX_BYTES) controller.close();
        else controller.enqueue(chunk.slice());
        sent += chunk.length;
      },
    });
    await assertError(await upload(kit.server, kit.ada, 'face', stream), 413, 'too-large');
    await assertNothingWritten(kit);
    const exact = new Uint8Array(IDENTITY_PHOTO_MAX_BYTES);
    exact.set(JPEG);
    assert.equal((await uploaded(await upload(kit.server, kit.ada, 'face', exact))).bytes, IDENTITY_PHOTO_MAX_BYTES, '2 MB exactly is fine');
  });

  test('answers 404 to another candidate and another exam’s candidate, 403 to a supervisor, 401 without a token', async (t) => {
    const kit = await photoServer(t);
    await assertError(await upload(kit.server, await kit.server.candidateToken('bob'), 'face'), 404, 'not-found');
    await assertError(await upload(kit.server, await kit.server.candidateToken('ada', { examId: OTHER_EXAM }), 'face'), 404, 'not-found');
    await assertError(await upload(kit.server, await kit.server.supervisorToken('*'), 'face'), 403, 'forbidden');
    const response = await upload(kit.server, undefined, 'face');
    assert.equal(response.headers.get('www-authenticate'), 'Bearer');
    await assertError(response, 401, 'unauthorized');
    await assertNothingWritten(kit);
  });

  test('answers 400 for an unknown kind or a malformed session id', async (t) => {
    const kit = await photoServer(t);
    await assertError(await upload(kit.server, kit.ada, 'passport'), 400, 'bad-message', /^kind /);
    await assertError(await upload(kit.server, kit.ada, 'face', JPEG, { sessionId: 'a' }), 400, 'bad-message', /^sessionId /);
    await assertNothingWritten(kit);
  });

  test('answers 409 once the exam has ended', async (t) => {
    const kit = await photoServer(t);
    await kit.server.kit.sessions.terminate(ADA, 'Test over.');
    await assertError(await upload(kit.server, kit.ada, 'face'), 409, 'conflict', /has ended/);
    await assertNothingWritten(kit);
  });
});

describe('POST /sessions/:sessionId/identity/submit', () => {
  test('needs both photos, then sends them to the supervisors', async (t) => {
    const kit = await photoServer(t);
    await assertError(await submit(kit.server, kit.ada), 409, 'conflict', /ID document/);
    const document = await uploaded(await upload(kit.server, kit.ada, 'document'));
    await assertError(await submit(kit.server, kit.ada), 409, 'conflict', /your face/);
    const face = await uploaded(await upload(kit.server, kit.ada, 'face'));
    const response = await submit(kit.server, kit.ada);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { identity: { required: false, status: 'submitted' } });
    const submitted = (await identityEvents(kit.server)).filter((e) => e.type === 'identity.submitted');
    assert.deepEqual(submitted.map((e) => [e.source, e.data]), [['candidate', { document: document.photoId, face: face.photoId }]]);

    assert.equal((await submit(kit.server, kit.ada)).status, 200, 'submitting again is fine');
    assert.equal((await identityEvents(kit.server)).filter((e) => e.type === 'identity.submitted').length, 1, 'and logs nothing more');
  });

  test('refuses a retake while the photos wait for a verdict', async (t) => {
    const kit = await photoServer(t);
    await uploaded(await upload(kit.server, kit.ada, 'document'));
    await uploaded(await upload(kit.server, kit.ada, 'face'));
    await submit(kit.server, kit.ada);
    const before = await files(kit.directory);
    await assertError(await upload(kit.server, kit.ada, 'face'), 409, 'conflict', /wait for their verdict/);
    assert.deepEqual(await files(kit.directory), before);
  });

  test('answers 404 to another candidate and 403 to a supervisor', async (t) => {
    const kit = await photoServer(t);
    await assertError(await submit(kit.server, await kit.server.candidateToken('bob')), 404, 'not-found');
    await assertError(await submit(kit.server, await kit.server.supervisorToken('*')), 403, 'forbidden');
  });
});

describe('GET /sessions/:sessionId/identity and its photos', () => {
  async function submitted(t: TestContext) {
    const kit = await photoServer(t);
    const document = await uploaded(await upload(kit.server, kit.ada, 'document'));
    const face = await uploaded(await upload(kit.server, kit.ada, 'face', PNG, { contentType: 'image/png' }));
    await submit(kit.server, kit.ada);
    return { ...kit, document, face };
  }

  test('give the candidate’s supervisor the status, the photos and their bytes, never to be cached', async (t) => {
    const { server, document, face } = await submitted(t);
    const token = await server.supervisorToken(['ada']);
    const response = await server.get(`/sessions/${ADA}/identity`, token);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'private, no-store');
    const { identity } = (await response.json()) as { identity: IdentityView };
    assert.deepEqual(identity, { required: false, status: 'submitted', photos: [document, face] });

    const jpeg = await server.get(`/sessions/${ADA}/identity/photos/${document.photoId}`, token);
    assert.equal(jpeg.status, 200);
    assert.equal(jpeg.headers.get('content-type'), 'image/jpeg');
    assert.equal(jpeg.headers.get('cache-control'), 'private, no-store');
    assert.equal(jpeg.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(new Uint8Array(await jpeg.arrayBuffer()), JPEG);
    const png = await server.get(`/sessions/${ADA}/identity/photos/${face.photoId}`, await server.supervisorToken('*'));
    assert.equal(png.headers.get('content-type'), 'image/png');
    assert.deepEqual(new Uint8Array(await png.arrayBuffer()), PNG);
  });

  test('answer 404 to a supervisor of another exam or of other candidates, for the list and the photo', async (t) => {
    const { server, document } = await submitted(t);
    const otherExam = await server.supervisorToken('*', { examId: OTHER_EXAM });
    const otherCandidates = await server.supervisorToken(['bob']);
    for (const token of [otherExam, otherCandidates]) {
      await assertError(await server.get(`/sessions/${ADA}/identity`, token), 404, 'not-found');
      await assertError(await server.get(`/sessions/${ADA}/identity/photos/${document.photoId}`, token), 404, 'not-found');
    }
  });

  test('answer 403 to the candidate, 404 to another candidate, and 401 without a token', async (t) => {
    const { server, ada, document } = await submitted(t);
    await assertError(await server.get(`/sessions/${ADA}/identity`, ada), 403, 'forbidden');
    await assertError(await server.get(`/sessions/${ADA}/identity/photos/${document.photoId}`, ada), 403, 'forbidden');
    const bob = await server.candidateToken('bob');
    await assertError(await server.get(`/sessions/${ADA}/identity/photos/${document.photoId}`, bob), 404, 'not-found');
    await assertError(await server.get(`/sessions/${ADA}/identity`), 401, 'unauthorized');
    await assertError(await server.get(`/sessions/${ADA}/identity/photos/${document.photoId}`), 401, 'unauthorized');
  });

  test('answer 404 for a photo of another session or none, and 400 for a malformed photo id', async (t) => {
    const { server, document } = await submitted(t);
    const token = await server.supervisorToken('*');
    await assertError(await server.get(`/sessions/${BOB}/identity/photos/${document.photoId}`, token), 404, 'not-found');
    await assertError(await server.get(`/sessions/${ADA}/identity/photos/${crypto.randomUUID()}`, token), 404, 'not-found');
    await assertError(await server.get(`/sessions/${ADA}/identity/photos/..%2F..%2Fetc`, token), 400, 'bad-message', /^photoId /);
  });

  test('list no check for a session without one', async (t) => {
    const { server } = await photoServer(t);
    const response = await server.get(`/sessions/${BOB}/identity`, await server.supervisorToken('*'));
    assert.deepEqual(await response.json(), { identity: { required: false, status: 'none', photos: [] } });
  });
});
