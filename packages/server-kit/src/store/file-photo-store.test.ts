import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { FilePhotoStore } from './file-photo-store.js';
import { imageType, photoKey } from './photo-store.js';

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xdb, 1, 2, 3]);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9]);

async function directory(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'proctorkit-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'photos');
}

describe('FilePhotoStore', () => {
  test('keeps photos under <directory>/<sessionId>/<photoId>, creating the directory on the first photo', async (t) => {
    const dir = await directory(t);
    const store = new FilePhotoStore(dir);
    await assert.rejects(stat(dir), { code: 'ENOENT' }, 'nothing is created before a photo');
    await store.put(photoKey('session-1', 'photo-1'), JPEG, 'image/jpeg');
    assert.deepEqual(await readdir(join(dir, 'session-1')), ['photo-1']);
    assert.deepEqual(await store.get('session-1/photo-1'), { bytes: Buffer.from(JPEG), contentType: 'image/jpeg' });
  });

  test('lets only this user read the photos', { skip: process.platform === 'win32' }, async (t) => {
    const dir = await directory(t);
    await new FilePhotoStore(dir).put('session-1/photo-1', JPEG, 'image/jpeg');
    assert.equal((await stat(join(dir, 'session-1'))).mode & 0o077, 0);
    assert.equal((await stat(join(dir, 'session-1', 'photo-1'))).mode & 0o077, 0);
  });

  test('replaces a photo under the same key, and leaves no temporary file', async (t) => {
    const dir = await directory(t);
    const store = new FilePhotoStore(dir);
    await store.put('s-000001/p-000001', JPEG, 'image/jpeg');
    await store.put('s-000001/p-000001', PNG, 'image/png');
    assert.deepEqual(await store.get('s-000001/p-000001'), { bytes: Buffer.from(PNG), contentType: 'image/png' });
    assert.deepEqual(await readdir(join(dir, 's-000001')), ['p-000001']);
  });

  test('answers undefined for a missing photo or a file that is no image, and deletes quietly', async (t) => {
    const dir = await directory(t);
    const store = new FilePhotoStore(dir);
    assert.equal(await store.get('s-000001/missing'), undefined);
    await store.put('s-000001/p-000001', JPEG, 'image/jpeg');
    await writeFile(join(dir, 's-000001', 'p-000001'), 'not an image');
    assert.equal(await store.get('s-000001/p-000001'), undefined);
    await store.delete('s-000001/p-000001');
    await store.delete('s-000001/p-000001');
    assert.deepEqual(await readdir(join(dir, 's-000001')), []);
  });

  test('refuses keys that could leave the directory', async (t) => {
    const store = new FilePhotoStore(await directory(t));
    for (const key of ['../escape', 's/../../x', '/etc/passwd', 'a\\b', '', 'a//b', 's/p/', 'has space/x']) {
      await assert.rejects(store.put(key, JPEG, 'image/jpeg'), { name: 'KitError', code: 'internal' }, key);
      await assert.rejects(store.get(key), { name: 'KitError' }, key);
    }
  });

  test('defaults to proctorkit-data/photos in the working directory', () => {
    assert.equal(new FilePhotoStore().directory, resolve('proctorkit-data/photos'));
  });
});

describe('imageType', () => {
  test('reads JPEG, PNG and WebP from their signatures, and nothing else', () => {
    assert.equal(imageType(JPEG), 'image/jpeg');
    assert.equal(imageType(PNG), 'image/png');
    assert.equal(imageType(Uint8Array.from([0x52, 0x49, 0x46, 0x46, 1, 0, 0, 0, 0x57, 0x45, 0x42, 0x50])), 'image/webp');
    assert.equal(imageType(Uint8Array.from([0x52, 0x49, 0x46, 0x46, 1, 0, 0, 0, 0x41, 0x56, 0x49, 0x20])), undefined, 'a RIFF AVI');
    assert.equal(imageType(new TextEncoder().encode('GIF89a')), undefined);
    assert.equal(imageType(new Uint8Array(0)), undefined);
    assert.equal(imageType(Uint8Array.from([0xff, 0xd8])), undefined);
  });
});
