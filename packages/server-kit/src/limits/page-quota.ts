import { KitError } from '../errors.js';
import type { KitLimits } from './limits.js';
import { RateLimit } from './rate-limit.js';

/**
 * What a session's pages (the candidate's and its phone) may add to its log: events and bytes per
 * minute, and a cap on the log. Supervisors' commands, the host's lines and the kit's own events
 * never count, so a flooding page cannot stop its own supervision.
 */
export class PageQuota {
  private readonly events: RateLimit;
  private readonly bytes: RateLimit;
  private readonly maxEvents: number;

  constructor(limits: Pick<KitLimits, 'eventsPerMinute' | 'eventBytesPerMinute' | 'maxEventsPerSession'>) {
    this.events = RateLimit.per(limits.eventsPerMinute, 60_000);
    this.bytes = RateLimit.per(limits.eventBytesPerMinute, 60_000);
    this.maxEvents = limits.maxEventsPerSession;
  }

  /**
   * Takes `drafts` from the session's quota, or throws: `too-large` once the log holds
   * {@link KitLimits.maxEventsPerSession} events, `rate-limited` with when to retry past a rate.
   */
  admit(sessionId: string, lastSeq: number, drafts: readonly { data: unknown }[], now = Date.now()): void {
    if (drafts.length === 0) return;
    if (lastSeq + drafts.length > this.maxEvents) {
      throw new KitError('too-large', `This session's log is full (${this.maxEvents} events): the page may add no more.`);
    }
    const bytes = drafts.reduce((sum, draft) => sum + JSON.stringify(draft.data).length, 0);
    const wait = Math.max(this.events.retryAfterMs(sessionId, drafts.length, now), this.bytes.retryAfterMs(sessionId, bytes, now));
    if (wait > 0) {
      throw new KitError('rate-limited', `Too many events from this page in the last minute; send them again in ${Math.ceil(wait / 1000)} s.`, {
        retryAfterMs: wait,
      });
    }
    this.events.take(sessionId, drafts.length, now);
    this.bytes.take(sessionId, bytes, now);
  }
}
