/**
 * Helpers of the recording tests: a kit with seeded sessions keeping recordings in a temporary
 * directory, real recorder output (Chromium's MediaRecorder, 6 s of the fake camera) cut into
 * chunks, and the pages' calls: start a run, upload chunks, end it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { newClock, noFeeds, type RecordingManifest } from '@proctorkit/core/protocol';
import type { ProctorKitOptions } from '../kit.js';
import { memoryStore } from '../store/memory/memory-store.js';
import type { SessionRecord } from '../store/session-store.js';
import { EXAM, SessionRequests, TestServer, delay } from '../test-helpers.js';
import { fileRecordingStore } from './file-recording-store.js';
import type { RecordingStore } from './recording-store.js';

const FIXTURES = new URL('../../test-fixtures/recordings/', import.meta.url);

/** 6 s of Chromium's fake camera as its MediaRecorder wrote it: WebM (VP8, no duration, no cues) or fragmented MP4. */
export async function recorded(container: 'webm' | 'mp4' = 'webm'): Promise<Buffer> {
  return readFile(new URL(`webcam-6s.${container}`, FIXTURES));
}

/** Cuts bytes into `count` chunks at arbitrary offsets, as a timeslice does: only the first starts the file. */
export function cut(bytes: Buffer, count = 3): Buffer[] {
  const size = Math.ceil(bytes.length / count);
  return Array.from({ length: count }, (_, i) => bytes.subarray(i * size, Math.min(bytes.length, (i + 1) * size)));
}

export const ADA = 'session-ada-rec';
export const BOB = 'session-bob-rec';
export const PAIRING = 'pairing-ada-1';

function record(sessionId: string, candidateId: string): SessionRecord {
  return {
    sessionId,
    examId: EXAM,
    candidateId,
    name: `Candidate ${candidateId}`,
    connected: false,
    feeds: noFeeds(),
    joinedAt: Date.now() - 60_000,
    clock: newClock(3_600_000),
    phone: { pairingId: PAIRING, pairedAt: Date.now() - 30_000 },
  };
}

export interface RecordingServer {
  server: TestServer;
  recordings: RecordingStore;
  ada: string;
  supervisor: string;
}

/** A kit with Ada and Bob in the exam, keeping recordings in a fresh temporary directory. */
export async function recordingServer(t: TestContext, options: Partial<ProctorKitOptions> = {}): Promise<RecordingServer> {
  const directory = await mkdtemp(join(tmpdir(), 'proctorkit-recordings-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const store = memoryStore();
  for (const r of [record(ADA, 'ada'), record(BOB, 'bob')]) await store.createSession(r);
  const recordings = options.recordingStore ?? fileRecordingStore({ directory });
  const server = await TestServer.start(t, { store, recordingStore: recordings, ...options });
  return { server, recordings, ada: await server.candidateToken('ada'), supervisor: await server.supervisorToken(['ada']) };
}

/** A phone token of Ada's session, of her current pairing unless told otherwise. */
export function phoneToken(server: TestServer, pairingId = PAIRING): Promise<string> {
  return server.kit.issueToken({ role: 'phone', examId: EXAM, candidateId: 'ada', name: 'Candidate ada', sessionId: ADA, pairingId });
}

/** A page of the kit's REST API as one token holder: the session's recording routes. */
export class RecordingClient extends SessionRequests {
  constructor(server: TestServer, token: string | undefined, sessionId = ADA) {
    super(server, token, sessionId, '/recordings');
  }

  start(feed: string, { runId = randomUUID(), mimeType = 'video/webm;codecs=vp8', startedAt = Date.now() } = {}): Promise<Response> {
    return this.post(`/${feed}/runs`, { runId, mimeType, startedAt });
  }

  chunk(feed: string, runId: string, seq: number | string, bytes: Uint8Array<ArrayBuffer> | Buffer, contentType = 'video/webm'): Promise<Response> {
    return this.request(`/${feed}/runs/${runId}/chunks/${seq}`, { method: 'PUT', headers: { 'content-type': contentType }, body: new Uint8Array(bytes) });
  }

  end(feed: string, runId: string, chunks: number, { endedAt = Date.now(), reason = 'exam-ended' } = {}): Promise<Response> {
    return this.post(`/${feed}/runs/${runId}/end`, { chunks, endedAt, reason });
  }

  /** Records a whole run: start, every chunk, end. Returns its id. */
  async record(feed: string, chunks: Buffer[], options: { mimeType?: string; startedAt?: number; endedAt?: number; reason?: string } = {}): Promise<string> {
    const runId = randomUUID();
    const contentType = options.mimeType?.startsWith('video/mp4') ? 'video/mp4' : 'video/webm';
    await ok(await this.start(feed, { runId, ...options }));
    for (const [seq, bytes] of chunks.entries()) await ok(await this.chunk(feed, runId, seq, bytes, contentType));
    await ok(await this.end(feed, runId, chunks.length, options));
    return runId;
  }

  async manifest(): Promise<RecordingManifest> {
    return (await ok(await this.request(''))).json() as Promise<RecordingManifest>;
  }

  /** The manifest once no run is `recording` or `uploading` any more. */
  async settledManifest(): Promise<RecordingManifest> {
    for (let i = 0; i < 200; i++) {
      const manifest = await this.manifest();
      if (manifest.recordings.every((f) => f.runs.every((r) => r.state === 'complete' || r.state === 'incomplete'))) return manifest;
      await delay(25);
    }
    throw new Error(`runs did not finish: ${JSON.stringify(await this.manifest())}`);
  }
}

async function ok(response: Response): Promise<Response> {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
  return response;
}
