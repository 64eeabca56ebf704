import type { Logger } from '../logger.js';
import type { KitStore } from '../store/kit-store.js';

/** What a sweep removed of one session. */
export interface ErasedMedia {
  recordings: number;
  screenshots: number;
  photos: number;
}

export interface RetentionSweepOptions {
  /** How long after an exam ended its recordings, screenshots and identity photos are kept, in days (fractions allowed). */
  days: number;
  /** How often to look for sessions past it. */
  everyMs: number;
  store: KitStore;
  logger: Logger;
  /** Deletes one session's recordings, screenshots and identity photos; the session's log says so. */
  erase(sessionId: string): Promise<ErasedMedia>;
}

/** Sessions read from the store per batch. */
const BATCH = 100;

/**
 * Deletes the recordings, screenshots and identity photos of every session whose exam ended more than
 * `retentionDays` ago: once when the kit starts, then every `everyMs`. Every instance sharing a
 * store may sweep; erasing is idempotent, so two sweeps at once delete each object once and log once.
 */
export class RetentionSweep {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(private readonly options: RetentionSweepOptions) {}

  start(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.options.everyMs);
    this.timer.unref();
  }

  /** Erases what is past retention now; resolves with how many sessions it erased. One sweep at a time. */
  sweep(now = Date.now()): Promise<number> {
    this.running ??= this.sweepOnce(now).finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async sweepOnce(now: number): Promise<number> {
    const endedBefore = now - this.options.days * 86_400_000;
    // A session whose erasure fails stays listed: it is tried again next sweep, not again in this one.
    const tried = new Set<string>();
    let erased = 0;
    try {
      for (;;) {
        const due = (await this.options.store.listEndedWithMedia(endedBefore, BATCH + tried.size)).filter((record) => !tried.has(record.sessionId));
        if (due.length === 0) return erased;
        for (const { sessionId } of due) {
          tried.add(sessionId);
          try {
            const { recordings, screenshots, photos } = await this.options.erase(sessionId);
            erased++;
            this.options.logger.info(`retention: deleted ${recordings} recording object(s), ${screenshots} screenshot(s) and ${photos} identity photo(s) of session ${sessionId}`);
          } catch (error) {
            this.options.logger.error(`retention: deleting the media of session ${sessionId} failed; the next sweep tries again`, error);
          }
        }
      }
    } catch (error) {
      this.options.logger.error('retention: the sweep could not read the store; the next sweep tries again', error);
      return erased;
    }
  }
}
