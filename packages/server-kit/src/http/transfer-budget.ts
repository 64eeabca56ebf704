/**
 * How many bytes each person may move through the network test in a sliding window, so a valid
 * token cannot turn the kit into a bandwidth source. Kept in memory, per kit process.
 */
export class TransferBudget {
  private readonly spent = new Map<string, { at: number; bytes: number }[]>();

  constructor(
    readonly maxBytes: number,
    readonly windowMs: number,
  ) {}

  /** Takes `bytes` from `who`'s budget; `false` (and nothing taken) when that would exceed it. */
  take(who: string, bytes: number, now = Date.now()): boolean {
    const recent = (this.spent.get(who) ?? []).filter((entry) => entry.at > now - this.windowMs);
    const used = recent.reduce((sum, entry) => sum + entry.bytes, 0);
    if (used + bytes > this.maxBytes) {
      this.spent.set(who, recent);
      return false;
    }
    recent.push({ at: now, bytes });
    this.spent.set(who, recent);
    if (this.spent.size > 10_000) this.forgetIdle(now);
    return true;
  }

  /** Seconds until `who` has room again, for `Retry-After`. */
  retryAfterSeconds(who: string, now = Date.now()): number {
    const oldest = this.spent.get(who)?.[0];
    return oldest ? Math.max(1, Math.ceil((oldest.at + this.windowMs - now) / 1000)) : 1;
  }

  private forgetIdle(now: number): void {
    for (const [who, entries] of this.spent) if (entries.every((entry) => entry.at <= now - this.windowMs)) this.spent.delete(who);
  }
}
