import type { KitBus } from '../bus/kit-bus.js';
import type { Logger } from '../logger.js';
import { RateLimit } from './rate-limit.js';

/**
 * One rate for a whole deployment, e.g. an account's request quota: the function spends one start
 * and resolves with 0, or the milliseconds to wait. Two starts of slack absorb timer jitter; the
 * caller spaces its own starts evenly.
 */
export function sharedRate(bus: KitBus, name: string, perSecond: number, logger: Logger): () => Promise<number> {
  const rate = new SharedRateLimit(bus, `rate:${name}`, 2, perSecond, logger);
  return () => rate.take('all');
}

/**
 * A {@link RateLimit} every kit instance on the bus spends from, so N instances allow what one
 * would, not N times it. While the bus does not answer, each instance falls back to a bucket of
 * its own: the limit still holds per instance, and no request waits on an absent Redis.
 */
export class SharedRateLimit {
  private readonly fallback: RateLimit;
  private warnedAt = 0;

  constructor(
    private readonly bus: KitBus,
    /** Sets this limit's buckets apart from every other's on the bus. */
    private readonly name: string,
    readonly capacity: number,
    readonly perSecond: number,
    private readonly logger: Logger,
  ) {
    this.fallback = new RateLimit(capacity, perSecond);
  }

  /** A limit of `amount` per `windowMs`, all of it usable at once. */
  static per(bus: KitBus, name: string, amount: number, windowMs: number, logger: Logger): SharedRateLimit {
    return new SharedRateLimit(bus, name, amount, (amount * 1000) / windowMs, logger);
  }

  /** Spends `cost` of `key`'s tokens if it has them: resolves with 0, or the milliseconds to wait (nothing spent). */
  async take(key: string, cost = 1): Promise<number> {
    try {
      return await this.bus.take(`${this.name}:${key}`, cost, this.capacity, this.perSecond);
    } catch (error) {
      if (Date.now() - this.warnedAt > 60_000) {
        this.warnedAt = Date.now();
        this.logger.warn(`rate limit ${this.name}: the bus does not answer (${(error as Error).message}); this instance counts alone meanwhile`);
      }
      return cost === 0 ? this.fallback.retryAfterMs(key) : this.fallback.take(key, cost);
    }
  }

  /** Milliseconds until `key` could spend one token; 0 when it can now. Spends nothing. */
  retryAfterMs(key: string): Promise<number> {
    return this.take(key, 0);
  }
}
