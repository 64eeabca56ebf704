import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Feed, RunEndReason } from '../protocol/index.js';
import { createLogger } from '../util/logger.js';
import type { UploadMode } from './upload-answers.js';

const log = createLogger('recording-outbox');

/** A chunk waiting for the kit to say it is stored. */
export interface OutboxChunk {
  runId: string;
  seq: number;
  blob: Blob;
  /** Server time it was recorded (the end of its slice). */
  at: number;
}

/** A run as the outbox keeps it until the kit has its end. */
export interface OutboxRun {
  runId: string;
  sessionId: string;
  feed: Feed;
  mimeType: string;
  startedAt: number;
  /** Chunks recorded so far. */
  chunks: number;
  /** Whether the kit took the run's start. */
  announced: boolean;
  /** Where the kit said the run's chunks go once it took its start (so a reloaded page goes on the same way); absent means `kit`. */
  upload?: UploadMode;
  /** The page recording it, while it does: a run of no live page is ended by the next one. */
  pageId: string;
  /** Server time of its latest chunk. */
  lastAt?: number;
  end?: { chunks: number; endedAt: number; reason: RunEndReason };
}

interface OutboxSchema extends DBSchema {
  runs: { key: string; value: OutboxRun; indexes: { sessionId: string } };
  chunks: { key: [string, number]; value: OutboxChunk; indexes: { runId: string } };
}

/**
 * Recorded chunks on their way to the kit, in IndexedDB so that neither a network cut nor a reload
 * loses one: a chunk leaves only once the kit said it is stored. Where IndexedDB is unavailable
 * (a private window of some browsers), chunks wait in memory and a reload loses them.
 */
export class ChunkOutbox {
  private readonly db: Promise<IDBPDatabase<OutboxSchema> | undefined>;
  private readonly memory = { runs: new Map<string, OutboxRun>(), chunks: new Map<string, OutboxChunk>() };

  constructor(name = 'proctorkit-recordings') {
    this.db =
      typeof indexedDB === 'undefined'
        ? Promise.resolve(undefined)
        : openDB<OutboxSchema>(name, 1, {
            upgrade(db) {
              db.createObjectStore('runs', { keyPath: 'runId' }).createIndex('sessionId', 'sessionId');
              db.createObjectStore('chunks', { keyPath: ['runId', 'seq'] }).createIndex('runId', 'runId');
            },
          }).catch((error) => {
            log.warn('IndexedDB is unavailable: recorded chunks will not survive a reload.', error);
            return undefined;
          });
  }

  /** Stores the run; what the kit said of it ({@link OutboxRun.announced}, {@link OutboxRun.upload}) is kept whoever writes. */
  async putRun(run: OutboxRun): Promise<void> {
    const db = await this.db;
    if (!db) {
      this.memory.runs.set(run.runId, keepSettled(run, this.memory.runs.get(run.runId)));
      return;
    }
    const tx = db.transaction('runs', 'readwrite');
    await Promise.all([tx.store.get(run.runId).then((stored) => tx.store.put(keepSettled(run, stored))), tx.done]);
  }

  async runs(sessionId: string): Promise<OutboxRun[]> {
    const db = await this.db;
    const all = db ? await db.getAllFromIndex('runs', 'sessionId', sessionId) : [...this.memory.runs.values()].filter((r) => r.sessionId === sessionId);
    return all.sort((a, b) => a.startedAt - b.startedAt);
  }

  async deleteRun(runId: string): Promise<void> {
    const db = await this.db;
    if (db) await db.delete('runs', runId);
    else this.memory.runs.delete(runId);
  }

  /** Stores a chunk and its run's new count in one transaction. */
  async putChunk(run: OutboxRun, chunk: OutboxChunk): Promise<void> {
    const db = await this.db;
    if (!db) {
      this.memory.chunks.set(`${chunk.runId}/${chunk.seq}`, chunk);
      this.memory.runs.set(run.runId, keepSettled(run, this.memory.runs.get(run.runId)));
      return;
    }
    const tx = db.transaction(['runs', 'chunks'], 'readwrite');
    const runs = tx.objectStore('runs');
    await Promise.all([tx.objectStore('chunks').put(chunk), runs.get(run.runId).then((stored) => runs.put(keepSettled(run, stored))), tx.done]);
  }

  /** The run's chunks still waiting, in order. */
  async chunks(runId: string): Promise<OutboxChunk[]> {
    const db = await this.db;
    const all = db ? await db.getAllFromIndex('chunks', 'runId', runId) : [...this.memory.chunks.values()].filter((c) => c.runId === runId);
    return all.sort((a, b) => a.seq - b.seq);
  }

  async deleteChunk(runId: string, seq: number): Promise<void> {
    const db = await this.db;
    if (db) await db.delete('chunks', [runId, seq]);
    else this.memory.chunks.delete(`${runId}/${seq}`);
  }
}

/** The recorder writes its own copy of a run, which never learns what the uploader or a later page set: a run the kit took stays taken, an ended run stays ended. */
function keepSettled(run: OutboxRun, stored: OutboxRun | undefined): OutboxRun {
  if (!stored) return run;
  const kept = { ...run };
  if (stored.announced && !run.announced) {
    kept.announced = true;
    if (stored.upload) kept.upload = stored.upload;
  }
  // A run's end is final: a later page may end a run whose recorder still hands over a last slice.
  if (stored.end && !run.end) kept.end = stored.end;
  return kept;
}
