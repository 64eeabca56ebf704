// The session `npm run bench:review` opens: a real kit on 127.0.0.1 holding one candidate's exam of
// `minutes` minutes that ended, its three feeds recorded and uploaded through the kit's own routes
// (so the files are the kit's finished output), and a log with integrity signals, notes and flags.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import express from 'express';
import { FEEDS, newClock, noFeeds, type Feed, type RecordingManifest } from '@proctorkit/core/protocol';
import { FilePhotoStore, createProctorKit, fileRecordingStore, memoryStore, type ProctorKit } from '@proctorkit/server-kit';
import { FEED_MIME_TYPE, feedMedia } from './feed-media.js';

const EXAM_ID = 'bench-review';
const CHUNK_BYTES = 1024 * 1024;
/** When each feed's recorder started after the exam clock: pages start their feeds a little apart. */
const FEED_OFFSET_MS: Record<Feed, number> = { webcam: 400, screen: 1900, phone: 3100 };

export interface SeededSession {
  url: string;
  kit: ProctorKit;
  sessionId: string;
  /** When the exam clock started (server ms). */
  startedAt: number;
  reviewerToken: string;
  manifest: RecordingManifest;
  close(): Promise<void>;
}

export async function seedSession({ minutes, log }: { minutes: number; log(message: string): void }): Promise<SeededSession> {
  const seconds = minutes * 60;
  log(`encoding ${minutes}-minute feeds with ffmpeg (once; reused from the temporary directory)…`);
  const files = Object.fromEntries(await Promise.all(FEEDS.map(async (feed) => [feed, await feedMedia(feed, seconds)] as const))) as Record<Feed, string>;

  const directory = await mkdtemp(join(tmpdir(), 'proctorkit-bench-review-kit-'));
  const store = memoryStore();
  const kit = createProctorKit({
    secret: randomBytes(32).toString('hex'),
    logger: 'silent',
    store,
    photoStore: new FilePhotoStore(join(directory, 'photos')),
    recordingStore: fileRecordingStore({ directory: join(directory, 'recordings') }),
    limits: { requestsPerMinute: 100_000 },
  });
  const app = express();
  app.use('/proctor', kit.router);
  const bundle = createRequire(import.meta.url).resolve('@proctorkit/elements/bundle');
  app.get('/assets/:file', (request, response, next) => {
    if (!/^proctorkit-[\w-]+\.js(\.map)?$/.test(request.params.file)) return next();
    response.sendFile(join(dirname(bundle), request.params.file));
  });
  app.get('/', (_request, response) => {
    response.type('html').send('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench:review</title><script type="module" src="/assets/proctorkit-elements.js"></script></head><body style="margin:0"></body></html>');
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The session as a candidate's page made it, `minutes` ago.
  const sessionId = randomUUID();
  const candidateId = 'bench-candidate';
  const startedAt = Date.now() - seconds * 1000 - 5000;
  await store.createSession({
    sessionId,
    examId: EXAM_ID,
    candidateId,
    name: 'Bench Candidate',
    connected: false,
    feeds: noFeeds(),
    joinedAt: startedAt - 60_000,
    clock: { ...newClock(3 * seconds * 1000), startedAt },
  });
  await store.update(sessionId, () => ({
    events: [
      { draft: { type: 'session.joined', data: {}, at: startedAt - 60_000, source: 'server' } },
      { draft: { type: 'session.started', data: { durationMs: 3 * seconds * 1000 }, at: startedAt, source: 'server' } },
      // An integrity signal every 40 s: the markers a reviewer seeks to.
      ...Array.from({ length: Math.floor(seconds / 40) }, (_, i) => ({
        draft: { type: i % 2 ? 'signal.window-blur' : 'signal.page-hidden', data: {}, at: startedAt + (i + 1) * 40_000, source: 'candidate' as const },
      })),
    ],
  }));

  const candidateToken = await kit.issueToken({ role: 'candidate', examId: EXAM_ID, candidateId, name: 'Bench Candidate' });
  log('uploading the recordings through the kit…');
  for (const feed of FEEDS) await uploadRun(url, sessionId, feed === 'phone' ? await phoneToken(url, sessionId, candidateToken) : candidateToken, feed, files[feed], startedAt + FEED_OFFSET_MS[feed], startedAt + seconds * 1000);
  await kit.sessions.terminate(sessionId, 'The bench ended the exam.');

  const reviewerToken = await kit.issueToken({ role: 'reviewer', examId: EXAM_ID, reviewerId: 'bench-reviewer', name: 'Bench Reviewer', candidates: '*' });
  log('finishing the files…');
  const manifest = await finishedManifest(url, reviewerToken, sessionId);
  return {
    url,
    kit,
    sessionId,
    startedAt,
    reviewerToken,
    manifest,
    async close() {
      await kit.close();
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections?.();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** A phone token for the session: the candidate's page pairs a phone and the phone redeems the link. */
async function phoneToken(url: string, sessionId: string, candidateToken: string): Promise<string> {
  const pairing = await call(`${url}/proctor/sessions/${sessionId}/phone/pairings`, candidateToken, { method: 'POST' });
  const secret = new URL(String(pairing.url), url).searchParams.get('pairing');
  const redeemed = await call(`${url}/proctor/phone/redeem`, undefined, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairing: secret }) });
  return String(redeemed.token);
}

async function uploadRun(url: string, sessionId: string, token: string, feed: Feed, file: string, startedAt: number, endedAt: number): Promise<void> {
  const bytes = await readFile(file);
  const runId = randomUUID();
  const runs = `${url}/proctor/sessions/${sessionId}/recordings/${feed}/runs`;
  await call(runs, token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ runId, mimeType: FEED_MIME_TYPE, startedAt }) });
  const chunks = Math.ceil(bytes.length / CHUNK_BYTES);
  for (let seq = 0; seq < chunks; seq++) {
    await call(`${runs}/${runId}/chunks/${seq}`, token, { method: 'PUT', headers: { 'content-type': 'video/mp4' }, body: bytes.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES) });
  }
  await call(`${runs}/${runId}/end`, token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chunks, endedAt, reason: 'exam-ended' }) });
}

async function finishedManifest(url: string, token: string, sessionId: string): Promise<RecordingManifest> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const manifest = (await call(`${url}/proctor/sessions/${sessionId}/recordings`, token)) as unknown as RecordingManifest;
    const runs = manifest.recordings.flatMap((r) => r.runs);
    if (runs.length === FEEDS.length && runs.every((run) => run.state === 'complete')) return manifest;
    if (runs.some((run) => run.state === 'incomplete')) throw new Error(`A run could not be finished: ${JSON.stringify(runs.map((r) => r.state))}`);
    if (Date.now() > deadline) throw new Error(`The kit did not finish the recordings within 3 minutes: ${JSON.stringify(manifest.recordings.map((r) => ({ feed: r.feed, runs: r.runs.map((run) => ({ state: run.state, chunks: run.chunks })) })))}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function call(url: string, token: string | undefined, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const response = await fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname} answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}
