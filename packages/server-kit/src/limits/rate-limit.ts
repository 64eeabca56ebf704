/** Past this many keys, keys whose bucket has filled up again are forgotten on the next take. */
const SWEEP_AT = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key: `capacity` at once, refilled at `perSecond`. An idle key is full, so
 * memory holds only keys that spent something recently.
 */
export class RateLimit {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly capacity: number,
    readonly perSecond: number,
  ) {
    if (!(capacity > 0) || !(perSecond > 0)) throw new RangeError('A rate limit needs a positive capacity and rate.');
  }

  /** A limit of `amount` per `windowMs`, all of it usable at once. */
  static per(amount: number, windowMs: number): RateLimit {
    return new RateLimit(amount, (amount * 1000) / windowMs);
  }

  /** Milliseconds until `key` could spend `cost`; 0 when it can now. */
  retryAfterMs(key: string, cost = 1, now = Date.now()): number {
    const missing = cost - this.tokens(key, now);
    if (missing <= 0) return 0;
    // A cost above the capacity never fits: the caller refuses it for a whole window.
    if (cost > this.capacity) return Math.ceil((this.capacity / this.perSecond) * 1000);
    return Math.ceil((missing / this.perSecond) * 1000);
  }

  /** Spends `cost` of `key`'s tokens if it has them: returns 0, or the milliseconds to wait (and spends nothing). */
  take(key: string, cost = 1, now = Date.now()): number {
    const wait = this.retryAfterMs(key, cost, now);
    if (wait > 0) return wait;
    if (this.buckets.size >= SWEEP_AT) this.sweep(now);
    this.buckets.set(key, { tokens: this.tokens(key, now) - cost, at: now });
    return 0;
  }

  /** Forgets a key, e.g. a closed connection's. */
  forget(key: string): void {
    this.buckets.delete(key);
  }

  private tokens(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.capacity;
    return Math.min(this.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
  }

  private sweep(now: number): void {
    for (const key of this.buckets.keys()) if (this.tokens(key, now) >= this.capacity) this.buckets.delete(key);
  }
}
