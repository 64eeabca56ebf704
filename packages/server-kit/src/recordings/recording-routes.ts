import type { Request, RequestHandler, Response, Router } from 'express';
import {
  ChunkSeqSchema,
  ChunkUploadRequestSchema,
  FeedSchema,
  GeneratedIdSchema,
  RECORDING_CHUNK_MAX_BYTES,
  RunEndSchema,
  RunStartSchema,
  parse,
  type Claims,
  type Feed,
} from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import { jsonBody } from '../http/json-body.js';
import { rawBody } from '../http/raw-body.js';
import type { SessionRecord, StoredRun } from '../store/session-store.js';
import { recordingManifest } from './manifest.js';
import type { Recordings } from './recordings.js';
import type { RecordingStore } from './recording-store.js';
import type { ReviewAccess } from '../review/review-access.js';
import { SIGNED_URL_VALIDITY_MS, type UrlSigner } from '../review/signed-urls.js';

type Handler = (request: Request, response: Response, claims: Claims) => Promise<void>;

/** What the recording routes need of the kit's router. */
export interface RecordingRouteDeps {
  recordings: Recordings;
  store: RecordingStore;
  authorized(handler: Handler): RequestHandler;
  readable(request: Request, claims: Claims): Promise<SessionRecord>;
  /** Who may watch: the candidate's supervisors and reviewers, or a signed link of the manifest. */
  access: ReviewAccess;
  urls: UrlSigner;
}

const RUN = '/sessions/:sessionId/recordings/:feed/runs/:runId';

/**
 * The recording routes. The candidate's pages start a run, upload its chunks (through the kit, or
 * straight to the object store with a URL the kit signs) and end it; the candidate's supervisors
 * and reviewers read the manifest and the finished files, with Range requests so a player can
 * seek. The manifest's file URLs are signed links (an hour), so a `<video src>` plays them.
 */
export function mountRecordingRoutes(router: Router, { recordings, store, authorized, readable, access, urls }: RecordingRouteDeps): void {
  router.post(
    '/sessions/:sessionId/recordings/:feed/runs',
    authorized(async (request, response, claims) => {
      const record = await readable(request, claims);
      const feed = feedOf(request);
      const start = parse(RunStartSchema, await jsonBody(request, 1024));
      if (!start.ok) throw new KitError('bad-message', `run ${start.message}.`);
      const run = await recordings.startRun(record, claims, feed, start.value);
      response.status(201).json({ run: { runId: run.runId, state: run.state }, upload: recordings.direct ? 'direct' : 'kit' });
    }),
  );

  router.put(
    `${RUN}/chunks/:seq`,
    authorized(async (request, response, claims) => {
      const record = await readable(request, claims);
      const { feed, runId, seq } = chunkParams(request);
      const contentType = (request.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      // Refused before a byte of the body is read when the chunk has nowhere to go.
      recordings.chunkTarget(record, claims, feed, runId, seq);
      const bytes = await rawBody(request, RECORDING_CHUNK_MAX_BYTES, chunkTooLarge);
      const outcome = await recordings.putChunk(record, claims, feed, runId, seq, bytes, contentType);
      response.status(outcome === 'stored' ? 201 : 200).json({ stored: true, seq });
    }),
  );

  router.post(
    `${RUN}/chunks/:seq/upload`,
    authorized(async (request, response, claims) => {
      const record = await readable(request, claims);
      const { feed, runId, seq } = chunkParams(request);
      const chunk = parse(ChunkUploadRequestSchema, await jsonBody(request, 1024));
      if (!chunk.ok) throw new KitError('bad-message', `chunk ${chunk.message}.`);
      response.set('Cache-Control', 'no-store').json(await recordings.chunkUpload(record, claims, feed, runId, seq, chunk.value));
    }),
  );

  router.post(
    `${RUN}/end`,
    authorized(async (request, response, claims) => {
      const record = await readable(request, claims);
      const feed = feedOf(request);
      const runId = idOf(request.params.runId, 'runId');
      const end = parse(RunEndSchema, await jsonBody(request, 1024));
      if (!end.ok) throw new KitError('bad-message', `end ${end.message}.`);
      const run = await recordings.endRun(record, claims, feed, runId, end.value);
      response.json({ run: { runId: run.runId, state: run.state } });
    }),
  );

  router.get(
    '/sessions/:sessionId/recordings',
    authorized(async (request, response, claims) => {
      const { record } = await access.reviewable(request, claims);
      const base = `${request.baseUrl}/sessions/${record.sessionId}/recordings`;
      const expiresAt = Date.now() + SIGNED_URL_VALIDITY_MS;
      const manifest = await recordingManifest(record, recordings, (run) => urls.sign(`${base}/${run.feed}/runs/${run.runId}/file`, expiresAt));
      response.set('Cache-Control', 'private, no-store').json(manifest);
    }),
  );

  router.get(
    `${RUN}/file`,
    access.media(async (request, response, record) => {
      const feed = feedOf(request);
      const runId = idOf(request.params.runId, 'runId');
      const run = record.recordings?.find((r) => r.runId === runId && r.feed === feed);
      if (!run?.file) throw new KitError('not-found', `No finished ${feed} recording ${runId} in this session.`);
      await serveFile(request, response, store, run);
    }),
  );
}

/** Serves a finished run: whole (200) or the one byte range asked for (206), privately cached. */
async function serveFile(request: Request, response: Response, store: RecordingStore, run: StoredRun): Promise<void> {
  const file = run.file!;
  const total = file.bytes;
  const header = request.get('range');
  const range = header === undefined ? undefined : parseRange(header, total);
  response.set({ 'Accept-Ranges': 'bytes', 'Cache-Control': 'private, max-age=3600', 'X-Content-Type-Options': 'nosniff' });
  if (range === null) {
    response.status(416).set('Content-Range', `bytes */${total}`).json({ error: { code: 'bad-message', message: `The range ${JSON.stringify(header!.slice(0, 60))} is not within the file's ${total} bytes.` } });
    return;
  }
  const read = await store.read(file.key, range);
  if (!read) throw new KitError('not-found', `The file of run ${run.runId} is missing from the recording store.`);
  response.set({ 'Content-Type': read.contentType, 'Content-Length': String(read.bytes) });
  if (range) response.status(206).set('Content-Range', `bytes ${range.start}-${range.end}/${read.totalBytes}`);
  if (request.method === 'HEAD') {
    read.body.destroy();
    response.end();
    return;
  }
  read.body.once('error', () => response.destroy());
  read.body.pipe(response);
}

/**
 * One `bytes=` range within `total` bytes: `a-b`, `a-` or `-n` (the last n). `undefined` for a
 * header to ignore (several ranges: the whole file answers), `null` for one that cannot be served.
 */
export function parseRange(header: string, total: number): { start: number; end: number } | undefined | null {
  const match = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!match) return header.includes(',') ? undefined : null;
  const [, first, last] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    const length = Number(last);
    return length === 0 || total === 0 ? null : { start: Math.max(0, total - length), end: total - 1 };
  }
  const start = Number(first);
  const end = last === '' ? total - 1 : Math.min(Number(last), total - 1);
  return start >= total || end < start ? null : { start, end };
}

function feedOf(request: Request): Feed {
  const feed = parse(FeedSchema, request.params.feed);
  if (!feed.ok) throw new KitError('bad-message', `feed ${feed.message}.`);
  return feed.value;
}

function idOf(value: unknown, what: string): string {
  const id = parse(GeneratedIdSchema, value);
  if (!id.ok) throw new KitError('bad-message', `${what} ${id.message}.`);
  return id.value;
}

function chunkParams(request: Request): { feed: Feed; runId: string; seq: number } {
  const seq = parse(ChunkSeqSchema, request.params.seq);
  if (!seq.ok) throw new KitError('bad-message', `seq ${seq.message}.`);
  return { feed: feedOf(request), runId: idOf(request.params.runId, 'runId'), seq: seq.value };
}

function chunkTooLarge(): KitError {
  return new KitError('too-large', `A chunk may be at most ${RECORDING_CHUNK_MAX_BYTES / 1024 ** 2} MB: record with a shorter timeslice.`);
}
