import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileRecordingStore } from './file-recording-store.js';
import { describeRecordingStore } from './recording-store-conformance.js';

async function directory(t: import('node:test').TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'proctorkit-recordings-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'recordings');
}

describeRecordingStore('fileRecordingStore', async (t) => fileRecordingStore({ directory: await directory(t) }));

test('fileRecordingStore keeps files readable by this user only, and leaves no temporary file behind', { skip: process.platform === 'win32' }, async (t) => {
  const dir = await directory(t);
  const store = fileRecordingStore({ directory: dir });
  await store.putNew('recordings/s-1/webcam/run-1/000000', Uint8Array.from([1, 2, 3]), 'video/webm');
  await store.putNew('recordings/s-1/webcam/run-1/000000', Uint8Array.from([4]), 'video/webm');
  assert.equal((await stat(join(dir, 'recordings/s-1/webcam/run-1/000000'))).mode & 0o777, 0o600);
  assert.equal((await stat(join(dir, 'recordings'))).mode & 0o777, 0o700);
  assert.deepEqual((await readdir(join(dir, 'recordings/s-1/webcam/run-1'))).sort(), ['000000', '000000.type']);
});
