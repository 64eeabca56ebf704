import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import type { RecordingContainer } from '@proctorkit/core/protocol';
import type { RecordingStore } from './recording-store.js';

/** A run's finished file, in a temporary directory the caller removes with `dispose()`. */
export interface FinishedFile {
  path: string;
  bytes: number;
  durationMs: number;
  dispose(): Promise<void>;
}

/**
 * Joins a run's chunks, in order, into one file a browser can seek. Chromium's WebM has neither a
 * duration nor cues (its recorder streams and never goes back), so it is remuxed — packets copied
 * as they are, nothing decoded — into a WebM with both; MP4 from a recorder is already a whole
 * fragmented file. Throws when the bytes are not a playable recording.
 */
export async function finishRun(
  store: RecordingStore,
  chunkKeys: readonly string[],
  container: RecordingContainer,
  { timeoutMs }: { timeoutMs?: number } = {},
): Promise<FinishedFile> {
  const directory = await mkdtemp(join(tmpdir(), 'proctorkit-finish-'));
  const dispose = () => rm(directory, { recursive: true, force: true });
  try {
    const joined = join(directory, 'chunks');
    const out = createWriteStream(joined, { mode: 0o600 });
    for (const key of chunkKeys) {
      const chunk = await store.read(key);
      if (!chunk) throw new Error(`chunk ${key} is missing`);
      await pipeline(chunk.body, out, { end: false });
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));

    const { path, durationMs } = await remux(joined, join(directory, 'finished.webm'), container, timeoutMs ?? finishTimeoutMs((await stat(joined)).size));
    return { path, bytes: (await stat(path)).size, durationMs, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/**
 * The remux, in a worker thread the kit ends when it takes too long: a run's bytes come from a
 * page, and a media parser fed crafted bytes may loop, which on the kit's own thread would stop it.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { ALL_FORMATS, Conversion, FilePathSource, FilePathTarget, Input, Output, WebMOutputFormat } = await import(workerData.mediabunny);
  const open = (path) => new Input({ source: new FilePathSource(path), formats: ALL_FORMATS });
  let path = workerData.source;
  if (workerData.remux) {
    const input = open(path);
    try {
      const output = new Output({ format: new WebMOutputFormat(), target: new FilePathTarget(workerData.target) });
      const conversion = await Conversion.init({ input, output, showWarnings: false });
      if (!conversion.isValid) throw new Error('the recording cannot be remuxed (' + (conversion.discardedTracks.map((t) => t.reason).join(', ') || 'no tracks') + ')');
      await conversion.execute();
    } finally {
      input.dispose();
    }
    path = workerData.target;
  }
  const finished = open(path);
  try {
    parentPort.postMessage({ path, durationMs: Math.round((await finished.computeDuration()) * 1000) });
  } finally {
    finished.dispose();
  }
})().catch((error) => parentPort.postMessage({ error: String(error && error.message || error) }));
`;

/** At least a minute, and a second per megabyte beyond: remuxing copies packets, it decodes nothing. */
function finishTimeoutMs(bytes: number): number {
  return Math.max(60_000, Math.ceil(bytes / 1024 ** 2) * 1000);
}

function remux(source: string, target: string, container: RecordingContainer, timeoutMs: number): Promise<{ path: string; durationMs: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { mediabunny: import.meta.resolve('mediabunny'), source, target, remux: container === 'video/webm' },
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`reading the recording took longer than ${timeoutMs / 1000} s`));
    }, timeoutMs);
    worker.once('message', (result: { path: string; durationMs: number } | { error: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if ('error' in result) reject(new Error(result.error));
      else resolve(result);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
