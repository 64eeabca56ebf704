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
 * Joins a run's chunks, in order, into one file a browser can seek. A recorder streams and never
 * goes back: Chromium's WebM has neither a duration nor cues, and a recorder's MP4 is fragmented,
 * with no index of its samples. Either is remuxed — packets copied as they are, nothing decoded —
 * into a file of its own container with both (a WebM with duration and cues, an MP4 with its
 * sample tables). Throws when the bytes are not a playable recording.
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
    // One pipeline for all the chunks: a pipeline per chunk into one stream piles up listeners on it.
    await pipeline(chunkBodies(store, chunkKeys), createWriteStream(joined, { mode: 0o600 }));

    const target = join(directory, container === 'video/mp4' ? 'finished.mp4' : 'finished.webm');
    const { path, durationMs } = await remux(joined, target, container, timeoutMs ?? finishTimeoutMs((await stat(joined)).size));
    return { path, bytes: (await stat(path)).size, durationMs, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** The chunks' bytes, one after the other. */
async function* chunkBodies(store: RecordingStore, keys: readonly string[]): AsyncGenerator<Buffer> {
  for (const key of keys) {
    const chunk = await store.read(key);
    if (!chunk) throw new Error(`chunk ${key} is missing`);
    for await (const bytes of chunk.body) yield bytes as Buffer;
  }
}

/**
 * The remux, in a worker thread the kit ends when it takes too long: a run's bytes come from a
 * page, and a media parser fed crafted bytes may loop, which on the kit's own thread would stop it.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { ALL_FORMATS, Conversion, FilePathSource, FilePathTarget, Input, Mp4OutputFormat, Output, WebMOutputFormat } = await import(workerData.mediabunny);
  const open = (path) => new Input({ source: new FilePathSource(path), formats: ALL_FORMATS });
  const input = open(workerData.source);
  try {
    // MP4's index goes at the end (no copy of the file in memory): served with Range, a player reads it first.
    const format = workerData.mp4 ? new Mp4OutputFormat({ fastStart: false }) : new WebMOutputFormat();
    const output = new Output({ format, target: new FilePathTarget(workerData.target) });
    const conversion = await Conversion.init({ input, output, showWarnings: false });
    if (!conversion.isValid) throw new Error('the recording cannot be remuxed (' + (conversion.discardedTracks.map((t) => t.reason).join(', ') || 'no tracks') + ')');
    await conversion.execute();
  } finally {
    input.dispose();
  }
  const path = workerData.target;
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
      workerData: { mediabunny: import.meta.resolve('mediabunny'), source, target, mp4: container === 'video/mp4' },
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
