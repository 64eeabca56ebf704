import type { SignalCode } from '../protocol/index.js';

/** One integrity signal, as the candidate's page reports it to the session. */
export interface IntegritySignal {
  /** What happened; stable, see the integrity signals guide. */
  code: SignalCode;
  /** Facts about it, e.g. `{ durationMs }` for `page-visible`, `{ count }` for `copy`. */
  data: Record<string, unknown>;
  /** When it happened, ms since epoch by the monitor's clock (`Date.now()` unless given another). */
  at: number;
}

/** Moments rather than conditions: many can happen in a row, so they are counted, not deduplicated. */
const THROTTLED: ReadonlySet<SignalCode> = new Set<SignalCode>(['copy', 'paste']);

/** Codes that end the condition another code began. */
const ENDS: Partial<Record<SignalCode, SignalCode>> = {
  'page-visible': 'page-hidden',
  'window-focus': 'window-blur',
};

interface ThrottleWindow {
  timer: ReturnType<typeof setTimeout>;
  /** Occurrences since the window opened that are not reported yet. */
  count: number;
  firstAt: number;
  data: Record<string, unknown>;
}

/**
 * Keeps a supervisor's event feed readable. Every code that is not `copy`/`paste` or an ending
 * (`page-visible`, `window-focus`) names a condition: it is reported once, and again only after
 * the condition ended (its ending code, or {@link SignalGate.clear}). `copy` and `paste` are
 * reported at most once per `throttleMs` each: the first at once, the rest of the window merged
 * into one signal with their `count` when it closes.
 */
export class SignalGate {
  private readonly active = new Set<SignalCode>();
  private readonly windows = new Map<SignalCode, ThrottleWindow>();

  constructor(
    private readonly emit: (signal: IntegritySignal) => void,
    private readonly throttleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Passes a signal on, unless it repeats a condition already reported or falls in a throttle window. */
  push(code: SignalCode, data: Record<string, unknown> = {}, at = this.now()): void {
    if (THROTTLED.has(code)) {
      this.throttle(code, data, at);
      return;
    }
    const ended = ENDS[code];
    if (ended) {
      if (!this.active.delete(ended)) return;
    } else {
      if (this.active.has(code)) return;
      this.active.add(code);
    }
    this.emit({ code, data, at });
  }

  /** The condition `code` is over without a signal of its own (frames came back, fullscreen again). */
  clear(code: SignalCode): void {
    this.active.delete(code);
  }

  /** Forgets every condition and ends every throttle window, reporting what the windows still hold. */
  close(): void {
    const pending = [...this.windows].filter(([, window]) => window.count > 0);
    for (const window of this.windows.values()) clearTimeout(window.timer);
    this.windows.clear();
    this.active.clear();
    for (const [code, window] of pending) this.emit({ code, data: { ...window.data, count: window.count }, at: window.firstAt });
  }

  private throttle(code: SignalCode, data: Record<string, unknown>, at: number): void {
    const window = this.windows.get(code);
    if (window) {
      if (window.count === 0) window.firstAt = at;
      window.count += 1;
      window.data = data;
      return;
    }
    this.open(code);
    this.emit({ code, data: { ...data, count: 1 }, at });
  }

  private open(code: SignalCode): void {
    const timer = setTimeout(() => {
      const window = this.windows.get(code)!;
      this.windows.delete(code);
      if (window.count === 0) return;
      // What the window held goes out now and opens the next window, so the rate stays bounded.
      this.open(code);
      this.emit({ code, data: { ...window.data, count: window.count }, at: window.firstAt });
    }, this.throttleMs);
    this.windows.set(code, { timer, count: 0, firstAt: 0, data: {} });
  }
}
