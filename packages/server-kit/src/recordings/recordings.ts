import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import {
  RECORDING_MAX_RUNS_PER_FEED,
  recordingContainer,
  sniffContainer,
  type Claims,
  type Feed,
  type PresignedChunkUpload,
  type RunEnd,
  type RunStart,
} from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Actor, Sessions } from '../sessions.js';
import type { SessionRecord, StoredRun } from '../store/session-store.js';
import { finishRun } from './finish-run.js';
import { chunkKey, chunkSeq, runChunksPrefix, runFileKey, sessionRecordingsPrefix } from './recording-keys.js';
import type { RecordingStore } from './recording-store.js';

export interface RecordingsOptions {
  store: RecordingStore;
  sessions: Sessions;
  logger: Logger;
  /** Bytes one session may store, all feeds together. */
  maxSessionBytes: number;
  /** How long a presigned chunk URL is valid. */
  presignExpiresInSeconds?: number;
}

/** How a chunk upload went: newly stored, or the same bytes were stored already. */
export type ChunkOutcome = 'stored' | 'already-stored';

const CANDIDATE: Actor = { source: 'candidate' };
const SERVER: Actor = { source: 'server' };

/**
 * The recording rules: which page may record which feed, a run's start and end, each chunk stored
 * once (the same bytes again succeed, other bytes for a stored chunk are a conflict), the session's
 * byte quota, and a run finished into one seekable file once every chunk arrived.
 */
export class Recordings {
  private readonly usedBytes = new Map<string, Promise<number>>();
  private readonly finishing = new Set<string>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: RecordingsOptions) {}

  /** Whether pages upload chunks straight to the object store (presigned URLs) rather than through the kit. */
  get direct(): boolean {
    return typeof this.options.store.presignPut === 'function';
  }

  /** The page starts a run. Starting the same run again changes nothing; another feed or type under its id is a conflict. */
  async startRun(record: SessionRecord, claims: Claims, feed: Feed, start: RunStart): Promise<StoredRun> {
    mayRecord(record, claims, feed);
    let run: StoredRun | undefined;
    await this.options.sessions.change(record.sessionId, CANDIDATE, (current, now) => {
      const runs = current.recordings ?? [];
      const existing = runs.find((r) => r.runId === start.runId);
      if (existing) {
        if (existing.feed !== feed || existing.mimeType !== start.mimeType) throw new KitError('conflict', `Run ${start.runId} is another feed's or type's.`);
        run = existing;
        return [];
      }
      if (current.clock.endedAt !== null) throw new KitError('conflict', 'The exam has ended: no new recording starts.');
      if (runs.filter((r) => r.feed === feed).length >= RECORDING_MAX_RUNS_PER_FEED) {
        throw new KitError('too-large', `The ${feed} feed has ${RECORDING_MAX_RUNS_PER_FEED} recording runs, the most a feed may have.`);
      }
      // The page's estimate of server time, kept within what the kit can vouch for.
      const startedAt = Math.min(Math.max(start.startedAt, current.joinedAt), now);
      run = { feed, runId: start.runId, mimeType: start.mimeType, startedAt, state: 'recording' };
      current.recordings = [...runs, run];
      return [{ type: 'recording.started', data: { feed, runId: run.runId, mimeType: run.mimeType } }];
    });
    return run!;
  }

  /** Stores one chunk received through the kit. */
  async putChunk(record: SessionRecord, claims: Claims, feed: Feed, runId: string, seq: number, bytes: Buffer, contentType: string): Promise<ChunkOutcome> {
    const run = this.chunkTarget(record, claims, feed, runId, seq);
    checkChunk(run, seq, bytes, contentType);
    const key = chunkKey(record.sessionId, feed, runId, seq);
    const existing = await this.options.store.head(key);
    if (existing) return this.sameAsStored(key, md5(bytes));
    await this.admitBytes(record.sessionId, bytes.length);
    const outcome = await this.options.store.putNew(key, bytes, recordingContainer(run.mimeType));
    if (outcome === 'exists') return this.sameAsStored(key, md5(bytes));
    this.addUsed(record.sessionId, bytes.length);
    // The run may have ended while this chunk was on its way.
    const now = (await this.options.sessions.get(record.sessionId))?.recordings?.find((r) => r.runId === runId);
    if (now?.state === 'uploading') this.finishWhenComplete(record.sessionId, runId);
    return 'stored';
  }

  /** Where the page uploads one chunk itself (stores with presigned URLs), or that it is stored already. */
  async chunkUpload(record: SessionRecord, claims: Claims, feed: Feed, runId: string, seq: number, chunk: { bytes: number; md5: string }): Promise<PresignedChunkUpload> {
    const { presignPut } = this.options.store;
    if (!presignPut) throw new KitError('not-found', 'This kit receives chunks itself: PUT them to …/chunks/:seq.');
    const run = this.chunkTarget(record, claims, feed, runId, seq);
    const key = chunkKey(record.sessionId, feed, runId, seq);
    if (await this.options.store.head(key)) {
      await this.sameAsStored(key, chunk.md5);
      return { stored: true };
    }
    await this.admitBytes(record.sessionId, chunk.bytes);
    const upload = await presignPut.call(this.options.store, key, {
      bytes: chunk.bytes,
      md5: chunk.md5,
      contentType: recordingContainer(run.mimeType),
      expiresInSeconds: this.options.presignExpiresInSeconds ?? 900,
    });
    // Counted now, as the kit cannot see the upload: a URL asked again for the same chunk counts twice until the count is read afresh.
    this.addUsed(record.sessionId, chunk.bytes);
    return { stored: false, upload };
  }

  /** The page ended a run after its last chunk: finished into a file once every chunk is stored. */
  async endRun(record: SessionRecord, claims: Claims, feed: Feed, runId: string, end: RunEnd): Promise<StoredRun> {
    mayRecord(record, claims, feed);
    let ended: StoredRun | undefined;
    await this.options.sessions.change(record.sessionId, CANDIDATE, (current, now) => {
      const run = current.recordings?.find((r) => r.runId === runId && r.feed === feed);
      if (!run) throw new KitError('not-found', `No ${feed} run ${runId} in this session.`);
      ended = run;
      if (run.endedAt !== undefined) {
        if (run.chunks !== end.chunks) throw new KitError('conflict', `Run ${runId} ended with ${run.chunks} chunks, not ${end.chunks}.`);
        return [];
      }
      run.endedAt = Math.min(Math.max(end.endedAt, run.startedAt), now);
      run.chunks = end.chunks;
      run.endReason = end.reason;
      run.state = 'uploading';
      return [{ type: 'recording.ended', data: { feed, runId, chunks: end.chunks, reason: end.reason } }];
    });
    this.finishWhenComplete(record.sessionId, runId);
    return ended!;
  }

  /** The chunk numbers of a run that the store holds. */
  async storedChunks(sessionId: string, run: StoredRun): Promise<{ seqs: number[]; bytes: number }> {
    const objects = await this.options.store.list(runChunksPrefix(sessionId, run.feed, run.runId));
    return { seqs: objects.map((o) => chunkSeq(o.key)), bytes: objects.reduce((sum, o) => sum + o.bytes, 0) };
  }

  /**
   * Finishes the run in the background if it ended and every chunk is stored; once per run in this
   * process (a second instance finishing it too writes the same file again).
   */
  finishWhenComplete(sessionId: string, runId: string): void {
    if (this.finishing.has(runId)) return;
    this.finishing.add(runId);
    // One run at a time: remuxing is work for the kit's own thread.
    this.queue = this.queue
      .then(() => this.finish(sessionId, runId))
      .catch((error) => this.options.logger.error(`finishing recording run ${runId} of session ${sessionId} failed`, error))
      .finally(() => this.finishing.delete(runId));
  }

  /** Resolves once every finish queued so far is done (tests, shutdown). */
  settled(): Promise<void> {
    return this.queue;
  }

  /** Deletes every recording of the session (an erasure request, or retention); the log says so. */
  async deleteAll(sessionId: string, actor: Actor): Promise<number> {
    const objects = await this.options.store.deletePrefix(sessionRecordingsPrefix(sessionId));
    this.usedBytes.delete(sessionId);
    await this.options.sessions.change(sessionId, actor, (record) => {
      const runs = record.recordings?.length ?? 0;
      if (runs === 0 && objects === 0) return [];
      delete record.recordings;
      return [{ type: 'recording.deleted', data: { runs, objects } }];
    });
    return objects;
  }

  private async finish(sessionId: string, runId: string): Promise<void> {
    const record = await this.options.sessions.get(sessionId);
    const run = record?.recordings?.find((r) => r.runId === runId);
    if (!record || !run || run.state !== 'uploading' || run.chunks === undefined) return;
    const { seqs } = await this.storedChunks(sessionId, run);
    if (seqs.length < run.chunks) return;
    const keys = Array.from({ length: run.chunks }, (_, seq) => chunkKey(sessionId, run.feed, runId, seq));
    const container = recordingContainer(run.mimeType);
    let finished;
    try {
      finished = await finishRun(this.options.store, keys, container);
    } catch (error) {
      const problem = `The recorded bytes could not be made into a file: ${(error as Error).message}`;
      await this.options.sessions.change(sessionId, SERVER, (current) => {
        const stored = current.recordings?.find((r) => r.runId === runId);
        if (!stored || stored.state !== 'uploading') return [];
        stored.state = 'incomplete';
        stored.problem = problem;
        return [{ type: 'recording.incomplete', data: { feed: run.feed, runId, problem } }];
      });
      return;
    }
    try {
      const key = runFileKey(sessionId, run.feed, runId, run.mimeType);
      await this.options.store.putFile(key, finished.path, container);
      await this.options.sessions.change(sessionId, SERVER, (current) => {
        const stored = current.recordings?.find((r) => r.runId === runId);
        if (!stored || stored.state !== 'uploading') return [];
        stored.state = 'complete';
        stored.file = { key, bytes: finished.bytes, durationMs: finished.durationMs };
        // A page that closed never said when its run stopped: the kit's guess was its last chunk's time,
        // which an MP4 recorder hands over up to a fragment after the media in it ends. The file knows.
        if (stored.endReason === 'page-closed') stored.endedAt = stored.startedAt + finished.durationMs;
        return [{ type: 'recording.complete', data: { feed: run.feed, runId, durationMs: finished.durationMs, bytes: finished.bytes } }];
      });
    } finally {
      await finished.dispose();
    }
    // The file holds every chunk now.
    await this.options.store.deletePrefix(runChunksPrefix(sessionId, run.feed, runId));
    this.usedBytes.delete(sessionId);
  }

  /** The run a chunk belongs to, if this token may upload it and its number is within the run (else a {@link KitError}). */
  chunkTarget(record: SessionRecord, claims: Claims, feed: Feed, runId: string, seq: number): StoredRun {
    mayRecord(record, claims, feed);
    const run = record.recordings?.find((r) => r.runId === runId && r.feed === feed);
    if (!run) throw new KitError('not-found', `No ${feed} run ${runId} in this session: start the run first.`);
    if (run.state === 'complete') throw new KitError('conflict', `Run ${runId} is finished: it takes no more chunks.`);
    if (run.chunks !== undefined && seq >= run.chunks) throw new KitError('bad-message', `Run ${runId} ended with ${run.chunks} chunks: there is no chunk ${seq}.`);
    return run;
  }

  private async sameAsStored(key: string, expectedMd5: string): Promise<ChunkOutcome> {
    const stored = await this.options.store.read(key);
    if (stored && md5(await buffer(stored.body)) === expectedMd5) return 'already-stored';
    throw new KitError('conflict', 'This chunk is stored already with other bytes.');
  }

  private async admitBytes(sessionId: string, bytes: number): Promise<void> {
    const used = await this.used(sessionId);
    if (used + bytes > this.options.maxSessionBytes) {
      throw new KitError('too-large', `This session's recordings reached the ${Math.round(this.options.maxSessionBytes / 1024 ** 2)} MB the kit allows.`);
    }
  }

  private used(sessionId: string): Promise<number> {
    let used = this.usedBytes.get(sessionId);
    if (!used) {
      used = this.options.store.list(sessionRecordingsPrefix(sessionId)).then((objects) => objects.reduce((sum, o) => sum + o.bytes, 0));
      used.catch(() => this.usedBytes.delete(sessionId));
      this.usedBytes.set(sessionId, used);
    }
    return used;
  }

  private addUsed(sessionId: string, bytes: number): void {
    const used = this.usedBytes.get(sessionId);
    if (used) this.usedBytes.set(sessionId, used.then((n) => n + bytes));
  }
}

/** Candidates record their webcam and screen; the phone feed only the session's current phone pairing. */
function mayRecord(record: SessionRecord, claims: Claims, feed: Feed): void {
  if (claims.role === 'supervisor' || claims.role === 'reviewer') throw new KitError('forbidden', `${claims.role === 'supervisor' ? 'Supervisors' : 'Reviewers'} do not record: only the candidate's pages do.`);
  if (claims.role === 'phone') {
    if (feed !== 'phone') throw new KitError('forbidden', 'A phone records the phone feed only.');
    if (record.phone?.pairingId !== claims.pairingId) throw new KitError('forbidden', 'This phone is no longer paired with the session: pair it again.');
    return;
  }
  if (feed === 'phone') throw new KitError('forbidden', 'The phone feed is recorded by the paired phone.');
}

function checkChunk(run: StoredRun, seq: number, bytes: Buffer, contentType: string): void {
  const container = recordingContainer(run.mimeType);
  if (contentType !== container) throw new KitError('unsupported-type', `Send the chunks of run ${run.runId} as ${container} (Content-Type ${JSON.stringify(contentType || 'missing')}).`);
  if (bytes.length === 0) throw new KitError('bad-message', 'The chunk is empty.');
  // Only a run's first chunk starts a file; later ones continue it mid-stream, with no signature of their own.
  if (seq === 0 && sniffContainer(bytes) !== container) throw new KitError('bad-message', `Chunk 0 is not the start of a ${container === 'video/mp4' ? 'MP4' : 'WebM'} file.`);
  if (seq > 0 && sniffContainer(bytes) !== undefined) throw new KitError('bad-message', `Chunk ${seq} starts a new file: only chunk 0 of a run may.`);
}

function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('base64');
}
