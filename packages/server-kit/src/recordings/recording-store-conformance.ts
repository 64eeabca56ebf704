/**
 * The tests every {@link RecordingStore} passes unchanged (filesystem, S3): a behaviour only one
 * adapter has is a bug in the interface.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { describe, test, type TestContext } from 'node:test';
import type { RecordingStore } from './recording-store.js';

/** Opens a store for one test, empty under the keys the test uses. */
export type OpenRecordingStore = (t: TestContext) => Promise<RecordingStore>;

const bytes = (text: string) => new TextEncoder().encode(text);
const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('base64');

export function describeRecordingStore(name: string, open: OpenRecordingStore): void {
  describe(`${name} (the recording store conformance suite)`, () => {
    const prefix = () => `recordings/${randomUUID()}/`;

    test('stores an object once: a second putNew writes nothing and says it exists', async (t) => {
      const store = await open(t);
      const key = `${prefix()}webcam/run-1/000000`;
      assert.equal(await store.putNew(key, bytes('first'), 'video/webm'), 'stored');
      assert.equal(await store.putNew(key, bytes('second, longer'), 'video/webm'), 'exists');
      assert.deepEqual(await store.head(key), { bytes: 5, contentType: 'video/webm' });
      const read = await store.read(key);
      assert.ok(read);
      assert.equal((await buffer(read.body)).toString(), 'first');
      assert.equal(read.bytes, 5);
      assert.equal(read.totalBytes, 5);
    });

    test('reads a byte range, both ends included', async (t) => {
      const store = await open(t);
      const key = `${prefix()}screen/run-1.webm`;
      await store.putNew(key, bytes('0123456789'), 'video/webm');
      const read = await store.read(key, { start: 2, end: 5 });
      assert.ok(read);
      assert.equal((await buffer(read.body)).toString(), '2345');
      assert.deepEqual([read.bytes, read.totalBytes, read.contentType], [4, 10, 'video/webm']);
      const last = await store.read(key, { start: 9, end: 9 });
      assert.equal((await buffer(last!.body)).toString(), '9');
    });

    test('answers undefined for what is not stored, and deleting it is no error', async (t) => {
      const store = await open(t);
      const key = `${prefix()}phone/run-1/000000`;
      assert.equal(await store.head(key), undefined);
      assert.equal(await store.read(key), undefined);
      await store.delete(key);
      assert.deepEqual(await store.list(`${key.slice(0, key.lastIndexOf('/'))}/`), []);
    });

    test('lists the objects under a prefix in key order with their sizes, and nothing of a neighbour', async (t) => {
      const store = await open(t);
      const base = prefix();
      await store.putNew(`${base}webcam/run-1/000002`, bytes('cc'), 'video/webm');
      await store.putNew(`${base}webcam/run-1/000000`, bytes('a'), 'video/webm');
      await store.putNew(`${base}webcam/run-1/000001`, bytes('bbb'), 'video/webm');
      await store.putNew(`${base}webcam/run-10/000000`, bytes('neighbour'), 'video/webm');
      assert.deepEqual(await store.list(`${base}webcam/run-1/`), [
        { key: `${base}webcam/run-1/000000`, bytes: 1 },
        { key: `${base}webcam/run-1/000001`, bytes: 3 },
        { key: `${base}webcam/run-1/000002`, bytes: 2 },
      ]);
      assert.equal((await store.list(base)).length, 4);
    });

    test('stores a local file under a key, replacing what was there', async (t) => {
      const store = await open(t);
      const dir = await mkdtemp(join(tmpdir(), 'proctorkit-recording-file-'));
      t.after(() => rm(dir, { recursive: true, force: true }));
      const file = join(dir, 'run.webm');
      const key = `${prefix()}webcam/run-1.webm`;
      await writeFile(file, bytes('old'));
      await store.putFile(key, file, 'video/webm');
      await writeFile(file, bytes('the finished file'));
      await store.putFile(key, file, 'video/webm');
      assert.deepEqual(await store.head(key), { bytes: 17, contentType: 'video/webm' });
      assert.equal((await buffer((await store.read(key))!.body)).toString(), 'the finished file');
    });

    test('deletes one object, or everything under a prefix and nothing beside it', async (t) => {
      const store = await open(t);
      const base = prefix();
      const other = prefix();
      await store.putNew(`${base}webcam/run-1/000000`, bytes('a'), 'video/webm');
      await store.putNew(`${base}webcam/run-1.webm`, bytes('b'), 'video/webm');
      await store.putNew(`${base}screen/run-2/000000`, bytes('c'), 'video/webm');
      await store.putNew(`${other}webcam/run-1/000000`, bytes('d'), 'video/webm');
      await store.delete(`${base}webcam/run-1.webm`);
      assert.equal(await store.head(`${base}webcam/run-1.webm`), undefined);
      assert.equal(await store.deletePrefix(base), 2);
      assert.deepEqual(await store.list(base), []);
      assert.equal((await store.list(other)).length, 1, "another session's objects stay");
      assert.equal(await store.deletePrefix(base), 0);
    });

    test('refuses keys and prefixes that could leave the store', async (t) => {
      const store = await open(t);
      for (const key of ['../etc/passwd', 'a/../../b', '/absolute', 'a//b', '', 'a/./b', 'a\\b']) {
        await assert.rejects(store.putNew(key, bytes('x'), 'video/webm'), /not a key/, key);
      }
      await assert.rejects(store.list('no-slash'), /not a key prefix/);
      await assert.rejects(store.deletePrefix('../'), /not a key prefix/);
    });

    test('a presigned upload, where the store offers one, takes exactly the chunk it was issued for', async (t) => {
      const store = await open(t);
      if (!store.presignPut) return t.skip('this store receives chunks through the kit');
      const key = `${prefix()}webcam/run-1/000000`;
      const chunk = bytes('a chunk of video');
      const upload = await store.presignPut(key, { bytes: chunk.length, md5: md5(chunk), contentType: 'video/webm', expiresInSeconds: 60 });
      assert.equal(upload.method, 'PUT');
      assert.ok(upload.expiresAt > Date.now());
      const other = bytes('other bytes, same!');
      const refused = await fetch(upload.url, { method: 'PUT', headers: { ...upload.headers, 'content-md5': md5(other) }, body: other.slice(0, chunk.length) });
      assert.ok(refused.status >= 400, `bytes that do not match the MD5 are refused (got ${refused.status})`);
      assert.equal(await store.head(key), undefined);
      const stored = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: chunk });
      assert.equal(stored.status, 200, await stored.text());
      assert.deepEqual(await store.head(key), { bytes: chunk.length, contentType: 'video/webm' });
    });
  });
}
