import type { SignalCode } from '../protocol/index.js';

/**
 * One kind of time away from the exam (the page hidden, the window blurred). A spell shorter
 * than `minAwayMs` is not reported at all; a longer one is reported when it reaches `minAwayMs`
 * (`{ since }`), and its end with how long it lasted (`{ durationMs }`).
 */
export class Absence {
  private since: number | null = null;
  private reported = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly codes: { begin: SignalCode; end: SignalCode },
    private readonly minAwayMs: number,
    private readonly report: (code: SignalCode, data: Record<string, unknown>) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a spell is under way, reported or not. */
  get away(): boolean {
    return this.since !== null;
  }

  /** The candidate left; repeated calls during one spell keep its start. */
  begin(): void {
    if (this.since !== null) return;
    this.since = this.now();
    this.timer = setTimeout(() => this.reportBegin(), this.minAwayMs);
  }

  /** The candidate is back. */
  end(): void {
    if (this.since === null) return;
    const durationMs = this.now() - this.since;
    // A background page's timers run late: a spell may reach minAwayMs before its timer fired.
    if (!this.reported && durationMs >= this.minAwayMs) this.reportBegin();
    if (this.reported) this.report(this.codes.end, { durationMs });
    this.cancel();
  }

  /** Forgets the spell without reporting anything more. */
  cancel(): void {
    clearTimeout(this.timer);
    this.since = null;
    this.reported = false;
  }

  private reportBegin(): void {
    clearTimeout(this.timer);
    this.reported = true;
    this.report(this.codes.begin, { since: this.since });
  }
}
