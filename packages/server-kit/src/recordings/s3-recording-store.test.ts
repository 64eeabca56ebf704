import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test, type TestContext } from 'node:test';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { describeRecordingStore } from './recording-store-conformance.js';
import { s3RecordingStore } from './s3-recording-store.js';
import { s3TestStoreOptions, startS3Server, type S3TestServer } from './s3-test-server.js';

let server: S3TestServer;
before(async () => {
  server = await startS3Server();
});
after(() => server.close());

const bytes = (text: string) => new TextEncoder().encode(text);
const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('base64');

function open(t: TestContext, prefix = `${randomUUID()}/`) {
  const store = s3RecordingStore({ ...s3TestStoreOptions(server), prefix });
  t.after(() => store.close?.());
  return store;
}

/** A TCP server on 127.0.0.1 that `handle`s each connection, closed after the test. */
async function listen(t: TestContext, handle: (socket: Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const tcp = createServer((socket) => {
    sockets.add(socket.on('close', () => sockets.delete(socket)));
    handle(socket);
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      if (!tcp.listening) return resolve();
      tcp.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  t.after(close);
  return { port: (tcp.address() as AddressInfo).port, close };
}

/** A client of `endpoint` that gives up quickly. */
function impatientClient(t: TestContext, endpoint: string): S3Client {
  const { region, credentials } = s3TestStoreOptions(server);
  const client = new S3Client({ endpoint, region, credentials, forcePathStyle: true, maxAttempts: 1, requestHandler: { connectionTimeout: 500, socketTimeout: 500 } });
  t.after(() => client.destroy());
  return client;
}

describeRecordingStore('s3RecordingStore against a local S3 server', async (t) => open(t));

test('s3RecordingStore puts its prefix before every key in the bucket, and answers keys without it', async (t) => {
  const prefix = `tenant-${randomUUID()}/proctorkit/`;
  const store = open(t, prefix);
  await store.putNew('recordings/s-1/webcam/run-1/000000', bytes('a'), 'video/webm');
  await store.putFile('recordings/s-1/webcam/run-1.webm', new URL(import.meta.url).pathname, 'video/webm');

  const { endpoint, region, credentials } = s3TestStoreOptions(server);
  const raw = new S3Client({ endpoint, region, credentials, forcePathStyle: true });
  t.after(() => raw.destroy());
  const { Contents = [] } = await raw.send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: prefix.slice(0, prefix.indexOf('/') + 1) }));
  assert.deepEqual(Contents.map((object) => object.Key).sort(), [`${prefix}recordings/s-1/webcam/run-1.webm`, `${prefix}recordings/s-1/webcam/run-1/000000`]);

  assert.deepEqual((await store.list('recordings/s-1/')).map(({ key }) => key), ['recordings/s-1/webcam/run-1.webm', 'recordings/s-1/webcam/run-1/000000']);
  assert.deepEqual(await open(t).list('recordings/s-1/'), [], 'a store with another prefix sees none of them');
  assert.equal(await store.deletePrefix('recordings/'), 2);
  assert.equal((await raw.send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: prefix }))).KeyCount, 0);
});

test('s3RecordingStore refuses a prefix option that is not whole segments ending with /, and a missing bucket', () => {
  for (const prefix of ['proctorkit', '/proctorkit/', 'a//', '../', 'a b/']) {
    assert.throws(() => s3RecordingStore({ ...s3TestStoreOptions(server), prefix }), /s3RecordingStore: the prefix option must be '' or .* ending with '\/'/, prefix);
  }
  assert.throws(() => s3RecordingStore({ ...s3TestStoreOptions(server), bucket: '' }), /the bucket option is required/);
  s3RecordingStore({ ...s3TestStoreOptions(server), prefix: '' }).close?.();
});

test('s3RecordingStore rejects, rather than hangs, when the S3 API is not there or does not answer', async (t) => {
  const closed = await listen(t, () => {});
  await closed.close();
  const nothing = s3RecordingStore({ bucket: server.bucket, client: impatientClient(t, `http://127.0.0.1:${closed.port}`) });
  await assert.rejects(nothing.head('recordings/s-1/webcam/run-1/000000'), /ECONNREFUSED/);

  const silent = await listen(t, (socket) => socket.on('error', () => {}));
  const mute = s3RecordingStore({ bucket: server.bucket, client: impatientClient(t, `http://127.0.0.1:${silent.port}`) });
  const started = Date.now();
  await assert.rejects(mute.putNew('recordings/s-1/webcam/run-1/000000', bytes('a'), 'video/webm'), /timed out/);
  assert.ok(Date.now() - started < 3000);
});

test('s3RecordingStore signs a presigned upload for its length, MD5 and type, and the URL expires', async (t) => {
  const store = open(t);
  const key = 'recordings/s-1/webcam/run-1/000000';
  const chunk = bytes('a chunk of video');
  const upload = await store.presignPut!(key, { bytes: chunk.length, md5: md5(chunk), contentType: 'video/webm', expiresInSeconds: 1 });
  assert.deepEqual(upload.headers, { 'content-type': 'video/webm', 'content-md5': md5(chunk) });
  assert.equal(new URL(upload.url).searchParams.get('X-Amz-SignedHeaders'), 'content-length;content-md5;content-type;host');
  assert.ok(upload.expiresAt > Date.now() && upload.expiresAt <= Date.now() + 1000);

  const longer = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: bytes('a chunk of video!') });
  assert.equal(longer.status, 403, 'another length is refused');
  const typed = await fetch(upload.url, { method: 'PUT', headers: { ...upload.headers, 'content-type': 'text/html' }, body: chunk });
  assert.equal(typed.status, 403, 'another type is refused');

  await sleep(Math.max(0, upload.expiresAt - Date.now()) + 1000);
  const late = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: chunk });
  assert.equal(late.status, 403);
  assert.match(await late.text(), /Request has expired/);
  assert.equal(await store.head(key), undefined);
});

test('s3RecordingStore refuses a byte range that runs past the object', async (t) => {
  const store = open(t);
  const key = 'recordings/s-1/screen/run-1.webm';
  await store.putNew(key, bytes('0123456789'), 'video/webm');
  await assert.rejects(store.read(key, { start: 5, end: 10 }), RangeError);
  await assert.rejects(store.read(key, { start: 10, end: 12 }), RangeError);
  await assert.rejects(store.read(key, { start: 3, end: 2 }), RangeError);
});

test("s3RecordingStore will not presign with a client that would sign an empty body's checksum into the URL", async (t) => {
  const { endpoint, region, credentials } = s3TestStoreOptions(server);
  const client = new S3Client({ endpoint, region, credentials, forcePathStyle: true });
  t.after(() => client.destroy());
  const store = s3RecordingStore({ bucket: server.bucket, client });
  const chunk = bytes('a chunk of video');
  await assert.rejects(store.presignPut!('recordings/s-1/webcam/run-1/000000', { bytes: chunk.length, md5: md5(chunk), contentType: 'video/webm', expiresInSeconds: 60 }), /requestChecksumCalculation: 'WHEN_REQUIRED'/);
});
