import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileRecordingStore } from './file-recording-store.js';
import { finishRun } from './finish-run.js';
import { cut, recorded } from './recording-test-support.js';

async function storeWith(t: import('node:test').TestContext, chunks: Buffer[]) {
  const directory = await mkdtemp(join(tmpdir(), 'proctorkit-finish-test-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const store = fileRecordingStore({ directory });
  const keys = chunks.map((_, seq) => `recordings/s/webcam/run/${String(seq).padStart(6, '0')}`);
  for (const [seq, chunk] of chunks.entries()) await store.putNew(keys[seq]!, chunk, 'video/webm');
  return { store, keys };
}

test('finishRun joins the chunks and remuxes them into a WebM with a duration', async (t) => {
  const { store, keys } = await storeWith(t, cut(await recorded('webm'), 3));
  const finished = await finishRun(store, keys, 'video/webm');
  t.after(() => finished.dispose());
  assert.ok(Math.abs(finished.durationMs - 6_000) < 1_000, `${finished.durationMs} ms`);
  assert.ok(finished.bytes > 60_000);
});

test('finishRun remuxes a recorder’s fragmented MP4 into one with its sample index, so a player can seek it', async (t) => {
  const fragmented = await recorded('mp4');
  assert.ok(fragmented.includes('moof'), 'the recorder wrote fragments');
  const { store, keys } = await storeWith(t, cut(fragmented, 3));
  const finished = await finishRun(store, keys, 'video/mp4');
  t.after(() => finished.dispose());
  assert.ok(finished.path.endsWith('.mp4'));
  assert.ok(Math.abs(finished.durationMs - 6_000) < 1_000, `${finished.durationMs} ms`);
  const bytes = await readFile(finished.path);
  assert.equal(bytes.includes('moof'), false, 'no fragments left');
  for (const box of ['ftyp', 'moov', 'stss', 'stco', 'mdat']) assert.ok(bytes.includes(box), `a ${box} box`);
});

test('bytes that make the media parser loop are given up after the timeout, and the kit goes on', async (t) => {
  // A real WebM header, then filler: the parser looks for clusters for ever.
  const header = (await recorded('webm')).subarray(0, 40);
  const { store, keys } = await storeWith(t, [Buffer.concat([header, Buffer.alloc(2000, 7)])]);
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 50);
  t.after(() => clearInterval(ticker));
  await assert.rejects(finishRun(store, keys, 'video/webm', { timeoutMs: 1_000 }), /took longer than 1 s/);
  assert.ok(ticks >= 10, `the kit's own thread kept running (${ticks} ticks in 1 s)`);
});
