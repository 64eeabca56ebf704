/**
 * How a failed request is retried: `throttled` (the service said slow down) and `transient` (5xx,
 * network) pause the whole queue and put the request back in its place; `final` fails it.
 */
export type Failure = 'throttled' | 'transient' | 'final';

/**
 * `now`: someone waits for the answer (a meeting for a candidate). `later`: housekeeping
 * (deleting a meeting, checking one still exists), started only when no `now` request waits.
 */
export type Lane = 'now' | 'later';

/** Options of {@link RateQueue}. */
export interface RateQueueOptions {
  /** Requests started per second, evenly spaced. */
  ratePerSecond: number;
  /** Requests in flight at most. Default 16. */
  maxInFlight?: number;
  /** Says how a failure is retried. */
  classify(error: unknown): Failure;
  /** First pause after a failure; it doubles with each failure in a row. Default 250 ms. */
  backoffBaseMs?: number;
  /** Longest pause. Default 20 s. */
  backoffCapMs?: number;
  /** Attempts of a request that keeps failing transiently. Throttling never counts. Default 6. */
  maxTransientAttempts?: number;
  /** Random numbers in [0, 1) for the jitter. */
  random?: () => number;
}

/** What the queue did so far. */
export interface RateQueueStats {
  /** Attempts started, retries included. */
  started: number;
  /** Requests that succeeded. */
  succeeded: number;
  /** Requests that failed for good. */
  failed: number;
  /** Attempts answered with throttling. */
  throttled: number;
  /** Attempts that failed transiently. */
  transient: number;
  /** Per request, ms from enqueueing to its first attempt, in start order: the latest 10,000. */
  waitsMs: number[];
}

const MAX_WAITS_KEPT = 10_000;

/** Refuses requests still waiting when the queue closes or their key is cancelled. */
export class QueueCancelledError extends Error {
  override readonly name = 'QueueCancelledError';
}

interface Entry {
  seq: number;
  key: string;
  lane: Lane;
  task: () => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  enqueuedAt: number;
  started: boolean;
  transientFailures: number;
}

/**
 * One queue for every call to a rate-limited service: it starts at most `ratePerSecond` requests
 * per second, evenly spaced, first come first served (a retried request keeps its place).
 * Throttling and transient failures pause the whole queue with capped exponential backoff and
 * jitter, so the service sees the pressure drop at once. Each request has a `key` (e.g. the
 * session it is for), which tells how many requests come before it.
 */
export class RateQueue {
  readonly stats: RateQueueStats = { started: 0, succeeded: 0, failed: 0, throttled: 0, transient: 0, waitsMs: [] };
  private readonly lanes: Record<Lane, Entry[]> = { now: [], later: [] };
  /** ms between two starts. */
  private readonly interval: number;
  private readonly maxInFlight: number;
  private readonly backoffBaseMs: number;
  private readonly backoffCapMs: number;
  private readonly maxTransientAttempts: number;
  private readonly random: () => number;
  /** When the next request may start. */
  private nextStartAt = 0;
  private pausedUntil = 0;
  private failuresInARow = 0;
  private readonly inFlight = new Set<Entry>();
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Asks a rate shared with other processes for a start (see {@link share}). */
  private permit: (() => Promise<number>) | undefined;
  /** The request waiting for the shared rate's answer: out of its lane, not yet started. */
  private asking: Entry | undefined;

  constructor(private readonly options: RateQueueOptions) {
    const { ratePerSecond, maxInFlight = 16 } = options;
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) throw new RangeError('ratePerSecond must be a number > 0.');
    this.interval = 1000 / ratePerSecond;
    this.maxInFlight = maxInFlight;
    this.backoffBaseMs = options.backoffBaseMs ?? 250;
    this.backoffCapMs = options.backoffCapMs ?? 20_000;
    this.maxTransientAttempts = options.maxTransientAttempts ?? 6;
    this.random = options.random ?? Math.random;
  }

  /** Runs `task` when its turn comes, retrying it as its failures call for. */
  run<T>(key: string, task: () => Promise<T>, lane: Lane = 'now'): Promise<T> {
    if (this.closed) return Promise.reject(new QueueCancelledError('The queue is closed.'));
    return new Promise<T>((resolve, reject) => {
      this.lanes[lane].push({
        seq: ++this.seq,
        key,
        lane,
        task,
        resolve: resolve as (value: unknown) => void,
        reject,
        enqueuedAt: performance.now(),
        started: false,
        transientFailures: 0,
      });
      this.pump();
    });
  }

  /**
   * Spends each start also from a rate other processes spend from (the account's, across kit
   * instances): `permit` resolves with 0 to start now, or the milliseconds to wait.
   */
  share(permit: () => Promise<number>): void {
    this.permit = permit;
  }

  /** Requests waiting (not in flight). */
  get waiting(): number {
    return this.lanes.now.length + this.lanes.later.length;
  }

  /**
   * How many requests come before the first waiting request of `key`: those waiting before it and
   * those in flight that came before it (so a retried one does not move it back). `undefined`
   * when none of `key` waits.
   */
  ahead(key: string): number | undefined {
    let index = this.lanes.now.findIndex((entry) => entry.key === key);
    let entry = this.lanes.now[index];
    if (!entry) {
      const later = this.lanes.later.findIndex((other) => other.key === key);
      if (later === -1) return undefined;
      index = this.lanes.now.length + later;
      entry = this.lanes.later[later]!;
    }
    let before = 0;
    for (const other of this.started()) if (other.seq < entry.seq) before++;
    return index + before;
  }

  /** {@link ahead} of every key that has a request waiting, in one pass. */
  positions(): Map<string, number> {
    const positions = new Map<string, number>();
    const inFlight = [...this.started()].map((entry) => entry.seq).sort((a, b) => a - b);
    [...this.lanes.now, ...this.lanes.later].forEach((entry, index) => {
      if (positions.has(entry.key)) return;
      let before = 0;
      while (before < inFlight.length && inFlight[before]! < entry.seq) before++;
      positions.set(entry.key, index + before);
    });
    return positions;
  }

  /** Requests in flight, and the one about to start once the shared rate answers. */
  private *started(): Iterable<Entry> {
    yield* this.inFlight;
    if (this.asking) yield this.asking;
  }

  /** Refuses every waiting request of `key` (those in flight finish). */
  cancel(key: string, reason: string): void {
    if (this.asking?.key === key) {
      this.asking.reject(new QueueCancelledError(reason));
      this.asking = undefined;
      this.pump();
    }
    for (const lane of Object.values(this.lanes)) {
      for (let i = lane.length - 1; i >= 0; i--) {
        if (lane[i]!.key !== key) continue;
        lane.splice(i, 1)[0]!.reject(new QueueCancelledError(reason));
      }
    }
  }

  /** Refuses every waiting request and every later one. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.asking?.reject(new QueueCancelledError('The queue is closed.'));
    this.asking = undefined;
    for (const lane of Object.values(this.lanes)) {
      for (const entry of lane.splice(0)) entry.reject(new QueueCancelledError('The queue is closed.'));
    }
  }

  private pump(): void {
    if (this.closed || this.asking) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight.size < this.maxInFlight) {
      const lane = this.lanes.now.length > 0 ? this.lanes.now : this.lanes.later;
      if (lane.length === 0) return;
      const now = performance.now();
      if (now < this.pausedUntil) return this.wakeIn(this.pausedUntil - now);
      if (now < this.nextStartAt) return this.wakeIn(this.nextStartAt - now);
      // Late by less than one interval (a timer's delay): keep the schedule, so a backlog drains
      // at the full rate; after a quiet spell, start afresh.
      this.nextStartAt = (now - this.nextStartAt < this.interval ? this.nextStartAt : now) + this.interval;
      if (this.permit) return this.startWhenPermitted(lane.shift()!);
      this.start(lane.shift()!, now);
    }
  }

  /** Starts `entry` once the shared rate allows it (other instances may have spent it), or puts it back first in line. */
  private startWhenPermitted(entry: Entry): void {
    this.asking = entry;
    const granted = (wait: number) => {
      if (this.asking !== entry) return; // cancelled or closed meanwhile
      this.asking = undefined;
      const now = performance.now();
      if (wait > 0) {
        this.lanes[entry.lane].unshift(entry);
        this.nextStartAt = Math.max(this.nextStartAt, now + wait);
      } else {
        this.start(entry, now);
      }
      this.pump();
    };
    this.permit!().then(granted, () => granted(0));
  }

  private wakeIn(ms: number): void {
    this.timer = setTimeout(() => this.pump(), Math.max(1, Math.ceil(ms)));
  }

  private start(entry: Entry, now: number): void {
    this.inFlight.add(entry);
    this.stats.started++;
    if (!entry.started) {
      entry.started = true;
      this.stats.waitsMs.push(now - entry.enqueuedAt);
      if (this.stats.waitsMs.length > MAX_WAITS_KEPT) this.stats.waitsMs.shift();
    }
    let attempt: Promise<unknown>;
    try {
      attempt = entry.task();
    } catch (error) {
      attempt = Promise.reject(error);
    }
    attempt
      .then(
        (value) => {
          this.failuresInARow = 0;
          this.stats.succeeded++;
          entry.resolve(value);
        },
        (error: unknown) => this.failed(entry, error),
      )
      .finally(() => {
        this.inFlight.delete(entry);
        this.pump();
      });
  }

  private failed(entry: Entry, error: unknown): void {
    const failure = this.closed ? 'final' : this.options.classify(error);
    if (failure === 'throttled') this.stats.throttled++;
    if (failure === 'transient') this.stats.transient++;
    const retry =
      failure === 'throttled' || (failure === 'transient' && ++entry.transientFailures < this.maxTransientAttempts);
    if (!retry) {
      this.stats.failed++;
      entry.reject(error);
      return;
    }
    this.backOff();
    // Back in its place: before every request that came after it.
    const lane = this.lanes[entry.lane];
    const index = lane.findIndex((other) => other.seq > entry.seq);
    lane.splice(index === -1 ? lane.length : index, 0, entry);
  }

  /** Pauses the queue; failures while it is already paused (answers to requests sent before) do not lengthen it. */
  private backOff(): void {
    const now = performance.now();
    if (now < this.pausedUntil) return;
    const ceiling = Math.min(this.backoffCapMs, this.backoffBaseMs * 2 ** this.failuresInARow++);
    // "Equal jitter": at least half the delay, so the pause always relieves the service.
    this.pausedUntil = now + ceiling / 2 + (this.random() * ceiling) / 2;
    // One request may start when the pause ends, then the rate again.
    this.nextStartAt = this.pausedUntil;
  }
}
