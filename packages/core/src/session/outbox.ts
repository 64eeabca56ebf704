import type { ControlChannel } from '../channel/control-channel.js';
import type { CandidateEvent } from '../protocol/index.js';
import { createLogger } from '../util/logger.js';

const log = createLogger('outbox');
const DB_NAME = 'proctorkit';
const STORE = 'outbox';
const BATCH_EVENTS = 50;
/** Well under the protocol's 64 KB per message, whatever the events carry. */
const BATCH_BYTES = 48 * 1024;

interface StoredEvent {
  id: string;
  sessionId: string;
  /** Keeps the page's order across reloads. */
  position: number;
  event: CandidateEvent;
}

/**
 * The candidate's outgoing events (signals, log lines, acknowledgements) until the server confirms
 * them: kept in IndexedDB so neither a network drop nor a page reload loses one, and resent after
 * every reconnect. The server records each event id once, so a resend is harmless.
 */
export class Outbox {
  private queue: StoredEvent[] = [];
  private readonly sent = new Set<string>();
  private sessionId?: string;
  private position = Date.now() * 1000;
  private readonly db = openDatabase();
  private readonly stop: (() => void)[];
  private retryTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly channel: ControlChannel) {
    this.stop = [
      channel.on('log.ack', ({ ids }) => void this.acknowledged(ids)),
      channel.on('error', ({ ref, code, retryAfterMs }) => {
        if (ref === 'log.append' && code === 'rate-limited') this.retryLater(retryAfterMs ?? 1000);
      }),
      channel.onEvent('welcome', ({ session }) => {
        this.sent.clear();
        if (session) void this.bind(session.sessionId);
      }),
    ];
  }

  /** Events not yet confirmed by the server. */
  get pending(): number {
    return this.queue.length;
  }

  /** Queues an event and sends it as soon as the channel is open. */
  add(event: CandidateEvent): void {
    const stored: StoredEvent = { id: event.id, sessionId: this.sessionId ?? '', position: this.position++, event };
    this.queue.push(stored);
    if (this.sessionId) void this.persist([stored]);
    this.flush();
  }

  close(): void {
    clearTimeout(this.retryTimer);
    for (const stop of this.stop) stop();
  }

  /** The server took none of a refused batch: everything unacknowledged goes again once the wait is over. */
  private retryLater(ms: number): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.sent.clear();
      this.flush();
    }, ms);
  }

  /** Once the session is known: keeps what the page queued, adds what an earlier page left, sends it all. */
  private async bind(sessionId: string): Promise<void> {
    if (this.sessionId !== sessionId) {
      this.sessionId = sessionId;
      for (const stored of this.queue) stored.sessionId = sessionId;
      await this.persist(this.queue);
      const known = new Set(this.queue.map((s) => s.id));
      const saved = (await this.load(sessionId)).filter((s) => !known.has(s.id));
      this.queue = [...saved, ...this.queue].sort((a, b) => a.position - b.position);
    }
    this.flush();
  }

  private flush(): void {
    if (!this.sessionId || this.channel.state.value !== 'open' || this.retryTimer !== undefined) return;
    const unsent = this.queue.filter((s) => !this.sent.has(s.id));
    while (unsent.length > 0) {
      const batch = takeBatch(unsent);
      if (!this.channel.send({ type: 'log.append', events: batch.map((s) => s.event) })) return;
      for (const s of batch) this.sent.add(s.id);
    }
  }

  private async acknowledged(ids: string[]): Promise<void> {
    const done = new Set(ids);
    this.queue = this.queue.filter((s) => !done.has(s.id));
    for (const id of ids) this.sent.delete(id);
    await this.remove(ids);
  }

  private async persist(events: StoredEvent[]): Promise<void> {
    const db = await this.db;
    if (!db || events.length === 0) return;
    await transaction(db, 'readwrite', (store) => {
      for (const stored of events) store.put(stored);
    });
  }

  private async remove(ids: string[]): Promise<void> {
    const db = await this.db;
    if (!db || ids.length === 0) return;
    await transaction(db, 'readwrite', (store) => {
      for (const id of ids) store.delete(id);
    });
  }

  private async load(sessionId: string): Promise<StoredEvent[]> {
    const db = await this.db;
    if (!db) return [];
    let found: StoredEvent[] = [];
    await transaction(db, 'readonly', (store) => {
      const request = store.index('sessionId').getAll(sessionId);
      request.onsuccess = () => (found = request.result as StoredEvent[]);
    });
    return found;
  }
}

/** Removes and returns the first events of `queue` that fit in one message. */
function takeBatch(queue: StoredEvent[]): StoredEvent[] {
  let bytes = 0;
  let count = 0;
  while (count < queue.length && count < BATCH_EVENTS) {
    bytes += JSON.stringify(queue[count]!.event).length;
    if (bytes > BATCH_BYTES && count > 0) break;
    count += 1;
  }
  return queue.splice(0, count);
}

/** The page's outbox database, or `undefined` where IndexedDB is unavailable (then events live in memory). */
function openDatabase(): Promise<IDBDatabase | undefined> {
  if (typeof indexedDB === 'undefined') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE, { keyPath: 'id' }).createIndex('sessionId', 'sessionId');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => {
      log.warn('IndexedDB is unavailable: unsent events will not survive a reload.', request.error);
      resolve(undefined);
    };
  });
}

function transaction(db: IDBDatabase, mode: IDBTransactionMode, work: (store: IDBObjectStore) => void): Promise<void> {
  return new Promise((resolve) => {
    const tx = db.transaction(STORE, mode);
    work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => {
      log.warn('an outbox transaction failed', tx.error);
      resolve();
    };
  });
}
