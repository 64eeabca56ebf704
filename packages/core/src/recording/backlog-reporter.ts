import type { Feed } from '../protocol/index.js';

/** Sends one feed's backlog; `false` when it could not go out (no connection). */
export type SendBacklog = (feed: Feed, pendingMs: number) => boolean;

/**
 * Tells the kit how much of each feed's recording waits on this page to upload, so supervisors
 * see the backlog: only what changed, at most once per `intervalMs`, the latest value last.
 */
export class BacklogReporter {
  private readonly sent = new Map<Feed, number>();
  private latest: Partial<Record<Feed, number>> = {};
  private lastFlushAt = -Infinity;
  private timer?: ReturnType<typeof setTimeout>;

  /** `feeds`: those this page records, whose backlog it alone knows. */
  constructor(
    private readonly feeds: readonly Feed[],
    private readonly send: SendBacklog,
    private readonly intervalMs = 5_000,
  ) {}

  /** The page's backlog now, by feed (a feed left out has none). */
  update(pendingMsByFeed: Partial<Record<Feed, number>>): void {
    this.latest = pendingMsByFeed;
    if (this.timer !== undefined) return;
    const wait = this.lastFlushAt + this.intervalMs - Date.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** On a new connection the kit may hold an older page's report: say every feed's again, zeros too. */
  resend(): void {
    for (const feed of this.feeds) this.sent.set(feed, -1);
    clearTimeout(this.timer);
    this.flush();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flush(): void {
    this.timer = undefined;
    this.lastFlushAt = Date.now();
    for (const feed of this.feeds) {
      const pendingMs = Math.round(this.latest[feed] ?? 0);
      if ((this.sent.get(feed) ?? 0) === pendingMs) continue;
      if (this.send(feed, pendingMs)) this.sent.set(feed, pendingMs);
    }
  }
}
