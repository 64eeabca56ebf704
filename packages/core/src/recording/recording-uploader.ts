import { parse, recordingContainer, type Feed, type PresignedChunkUpload } from '../protocol/index.js';
import { createLogger } from '../util/logger.js';
import type { ChunkOutbox, OutboxChunk, OutboxRun } from './chunk-outbox.js';
import { PresignedChunkUploadSchema, RunStartAnswerSchema } from './upload-answers.js';

const log = createLogger('recording-upload');

/** Waits between failed attempts: 1 s doubling to 30 s, each ±20 %. */
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

export interface UploaderStatus {
  pendingChunks: number;
  pendingByFeed: Partial<Record<Feed, number>>;
  problem?: string;
}

export interface RecordingUploaderOptions {
  server: string;
  token: () => string;
  outbox: ChunkOutbox;
  onStatus(status: UploaderStatus): void;
}

/** A failure worth trying again: the network, the kit busy or restarting, an expired token about to be renewed. */
class Transient extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Moves an outbox's runs to the kit in order — each run's start, its chunks, its end — deleting
 * each item only once it is stored. A kit whose store takes uploads itself (S3) answers a run's
 * start with `upload: 'direct'`: that run's chunks go straight to the bucket through URLs the kit
 * signs, so their bytes never pass through the kit. Failures are retried with a capped backoff, at
 * once when the browser says it is online again; a part the kit refuses for good is reported and
 * dropped.
 */
export class RecordingUploader {
  private sessionId?: string;
  private running = false;
  private again = false;
  private stopped = false;
  private failures = 0;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private status: UploaderStatus = { pendingChunks: 0, pendingByFeed: {} };
  private readonly waiters = new Set<() => void>();
  private readonly online = () => this.retryNow();

  constructor(private readonly options: RecordingUploaderOptions) {}

  start(sessionId: string): void {
    this.sessionId = sessionId;
    globalThis.addEventListener?.('online', this.online);
    void this.pump();
  }

  /** Something new is in the outbox. */
  added(_feed: Feed): void {
    if (this.retryTimer === undefined) void this.pump();
    else void this.report();
  }

  /** Resolves `true` once nothing waits, or `false` after `timeoutMs`. */
  drained(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.status.pendingChunks > 0 || this.running || this.retryTimer !== undefined) return false;
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(true);
        return true;
      };
      const done = () => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(done);
      if (!check()) this.retryNow();
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    globalThis.removeEventListener?.('online', this.online);
  }

  private retryNow(): void {
    if (this.retryTimer === undefined) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (!this.sessionId || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        for (const run of await this.options.outbox.runs(this.sessionId)) await this.upload(run);
      } while (this.again && !this.stopped);
      this.failures = 0;
      this.status = { ...this.status, problem: undefined };
    } catch (error) {
      if (!(error instanceof Transient)) throw error;
      this.failures++;
      const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.failures - 1)) * (0.8 + Math.random() * 0.4);
      const wait = Math.max(error.retryAfterMs ?? 0, backoff);
      this.status = { ...this.status, problem: error.message };
      if (!this.stopped) this.retryTimer = setTimeout(() => ((this.retryTimer = undefined), void this.pump()), wait);
    } finally {
      this.running = false;
      await this.report();
    }
  }

  private async upload(run: OutboxRun): Promise<void> {
    const base = `${this.options.server.replace(/\/$/, '')}/sessions/${run.sessionId}/recordings/${run.feed}/runs`;
    if (!run.announced) {
      const started = await this.send(`${base}`, json({ runId: run.runId, mimeType: run.mimeType, startedAt: run.startedAt }));
      if (started === 'refused') {
        await this.drop(run, 'The recording could not be started on the server.');
        return;
      }
      const answer = parse(RunStartAnswerSchema, await started.json().catch(() => undefined));
      if (!answer.ok) throw new Transient(`The server's answer to a recording's start was not understood (${answer.message}): it is asked again shortly.`);
      run.announced = true;
      run.upload = answer.value.upload;
      // Only these fields: the recorder may have written newer counts meanwhile.
      const current = (await this.options.outbox.runs(run.sessionId)).find((r) => r.runId === run.runId);
      if (current) await this.options.outbox.putRun({ ...current, announced: true, upload: run.upload });
    }
    const type = recordingContainer(run.mimeType);
    for (const chunk of await this.options.outbox.chunks(run.runId)) {
      // A slice handed over after a later page ended the run is not part of it.
      if (run.end && chunk.seq >= run.end.chunks) {
        await this.options.outbox.deleteChunk(run.runId, chunk.seq);
        continue;
      }
      const url = `${base}/${run.runId}/chunks/${chunk.seq}`;
      const answer = run.upload === 'direct' ? await this.uploadDirect(url, chunk) : await this.send(url, { method: 'PUT', headers: { 'content-type': type }, body: chunk.blob });
      if (answer === 'refused') this.status = { ...this.status, problem: 'The server refused a part of the recording.' };
      await this.options.outbox.deleteChunk(run.runId, chunk.seq);
      await this.report();
    }
    const latest = (await this.options.outbox.runs(run.sessionId)).find((r) => r.runId === run.runId);
    if (!latest?.end || (await this.options.outbox.chunks(run.runId)).length > 0) return;
    await this.send(`${base}/${run.runId}/end`, json(latest.end));
    await this.options.outbox.deleteRun(run.runId);
  }

  /**
   * Asks the kit where to put the chunk, then PUTs it there with exactly the headers the URL was
   * signed with. A URL the bucket refuses (expired while the page was offline, say) is simply asked
   * for again; a second refusal in a row waits like any other failure.
   */
  private async uploadDirect(chunkUrl: string, chunk: OutboxChunk): Promise<'ok' | 'refused'> {
    const ask = json({ bytes: chunk.blob.size, md5: await this.md5(chunk.blob) });
    for (let attempt = 1; ; attempt++) {
      const asked = await this.send(`${chunkUrl}/upload`, ask);
      if (asked === 'refused') return 'refused';
      const answer = parse(PresignedChunkUploadSchema, await asked.json().catch(() => undefined));
      if (!answer.ok) throw new Transient(`The server's answer about where to upload the recording was not understood (${answer.message}): it is asked again shortly.`);
      if (answer.value.stored) return 'ok';
      if (await this.putToBucket(answer.value.upload, chunk.blob)) return 'ok';
      if (attempt >= 2) throw new Transient('The recording storage did not take a part of the recording: it is kept on this device and sent again shortly.');
    }
  }

  private async md5(blob: Blob): Promise<string> {
    try {
      // Loaded on demand: only pages of a kit on S3 hash their chunks.
      const { chunkMd5 } = await import('./chunk-md5.js');
      return await chunkMd5(blob);
    } catch (error) {
      log.warn('hashing a recorded chunk failed', error);
      throw new Transient('The recording is kept on this device and sent shortly.');
    }
  }

  /** Whether the bucket stored the blob; throws {@link Transient} when it could not be reached or is busy. */
  private async putToBucket(upload: Extract<PresignedChunkUpload, { stored: false }>['upload'], blob: Blob): Promise<boolean> {
    let response: Response;
    try {
      // No token and no cookies: the URL's signature is the whole authorization.
      response = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: blob, credentials: 'omit' });
    } catch (error) {
      log.debug(`PUT to the recording storage failed (offline, or a bucket without a CORS rule for ${globalThis.location?.origin}): ${String(error)}`);
      throw new Transient('The recording is kept on this device until the connection is back.');
    }
    if (response.ok) return true;
    const detail = await response.text().catch(() => '');
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      throw new Transient('The recording storage is busy: the recording is kept on this device and sent shortly.');
    }
    log.warn(`the recording storage refused an upload: ${response.status} ${detail.slice(0, 300)}`);
    return false;
  }

  /** The kit's answer, or `'refused'` for good (a 4xx no retry can mend); throws {@link Transient} otherwise. */
  private async send(url: string, init: RequestInit): Promise<Response | 'refused'> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${this.options.token()}` } });
    } catch {
      throw new Transient('The recording is kept on this device until the connection is back.');
    }
    if (response.ok) return response;
    const retryAfter = Number(response.headers.get('retry-after'));
    if (response.status === 401 || response.status === 408 || response.status === 429 || response.status >= 500) {
      throw new Transient('The server is busy: the recording is kept on this device and sent shortly.', Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined);
    }
    log.warn(`${url} refused: ${response.status} ${await response.text().catch(() => '')}`);
    return 'refused';
  }

  private async drop(run: OutboxRun, problem: string): Promise<void> {
    for (const chunk of await this.options.outbox.chunks(run.runId)) await this.options.outbox.deleteChunk(run.runId, chunk.seq);
    await this.options.outbox.deleteRun(run.runId);
    this.status = { ...this.status, problem };
  }

  private async report(): Promise<void> {
    if (!this.sessionId) return;
    const pendingByFeed: Partial<Record<Feed, number>> = {};
    let pendingChunks = 0;
    for (const run of await this.options.outbox.runs(this.sessionId)) {
      const count = (await this.options.outbox.chunks(run.runId)).length;
      pendingByFeed[run.feed] = (pendingByFeed[run.feed] ?? 0) + count;
      pendingChunks += count;
    }
    this.status = { ...this.status, pendingChunks, pendingByFeed };
    this.options.onStatus(this.status);
    for (const waiter of [...this.waiters]) waiter();
  }
}

function json(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
