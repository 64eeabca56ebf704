import type { SignalCode } from '../protocol/index.js';
import { createLogger } from '../util/logger.js';
import { Absence } from './absence.js';
import { SignalGate, type IntegritySignal } from './signal-gate.js';
import { WebcamWatch } from './webcam-watch.js';

export type { IntegritySignal } from './signal-gate.js';

const log = createLogger('integrity');

/** Options of {@link IntegrityMonitor}. */
export interface IntegrityOptions {
  /** Report leaving fullscreen as `fullscreen-exit`. Only for hosts that require fullscreen. Default `false`. */
  requireFullscreen?: boolean;
  /** Where to listen. Default: this page's `window` and `document`. */
  target?: { window: Window; document: Document };
  /** The shortest hidden page or blurred window that is reported, ms. Default 1000. */
  minAwayMs?: number;
  /**
   * `copy` and `paste` are each reported at most once per this many ms: the first at once, the
   * others of the window merged into one signal with their `count` when the window ends. Default 10000.
   */
  throttleMs?: number;
  /**
   * The clock of every signal's `at` and of `since` (ms since epoch). Default `Date.now`; a
   * session passes its estimate of the server's clock, so a candidate's wrong clock misleads no one.
   */
  now?: () => number;
  /** How often the webcam's picture is sampled, ms. Default 1500. @internal */
  sampleMs?: number;
  /** How long without a new webcam frame makes `webcam-no-frames`, ms. Default 5000. @internal */
  noFramesMs?: number;
}

/** Codes only the webcam watch ends (a new track, or frames and light coming back). */
const WEBCAM_CONDITIONS: readonly SignalCode[] = ['webcam-stopped', 'webcam-covered', 'webcam-no-frames'];

/** The Window Management API's view of `screen` (Chromium only): extended, and a `change` event. */
type MaybeExtendedScreen = Screen & EventTarget & { readonly isExtended?: boolean };

/**
 * Watches the candidate's page for integrity signals: things a supervisor should know about.
 * Signals inform a human; none ends an exam by itself.
 *
 * Reports, through `onSignal`, the codes of {@link SignalCode} (see the integrity signals guide):
 * the page hidden and visible again, the window blurred and focused again (not when focus only
 * moves into one of the page's iframes), fullscreen left, copy (and cut) and paste, a second
 * display, and from {@link IntegrityMonitor.watchWebcam} a covered or frozen webcam. A condition
 * is reported once until it ends; `copy`/`paste` are throttled.
 *
 * @example
 * ```ts
 * const monitor = new IntegrityMonitor((signal) => send(signal), { requireFullscreen: true });
 * monitor.start();
 * monitor.watchWebcam(webcamTrack);
 * // …
 * monitor.stop();
 * ```
 */
export class IntegrityMonitor {
  private readonly window: Window;
  private readonly document: Document;
  private readonly requireFullscreen: boolean;
  private readonly sampleMs: number;
  private readonly noFramesMs: number;
  private readonly gate: SignalGate;
  private readonly hidden: Absence;
  private readonly blurred: Absence;
  private readonly focusPollMs: number;
  private running = false;
  private webcamTrack: MediaStreamTrack | null = null;
  private webcam: WebcamWatch | null = null;
  /** Polls focus while the window is blurred: leaving from inside an iframe fires nothing here. */
  private focusPoll: ReturnType<typeof setInterval> | undefined;

  /**
   * @param onSignal Called with every signal to report, e.g. to send it to the session's log.
   * @param options Fullscreen requirement and timings.
   */
  constructor(
    private readonly onSignal: (signal: IntegritySignal) => void,
    options: IntegrityOptions = {},
  ) {
    this.window = options.target?.window ?? globalThis.window;
    this.document = options.target?.document ?? globalThis.document;
    this.requireFullscreen = options.requireFullscreen ?? false;
    this.sampleMs = options.sampleMs ?? 1500;
    this.noFramesMs = options.noFramesMs ?? 5000;
    const minAwayMs = options.minAwayMs ?? 1000;
    const now = options.now ?? Date.now;
    this.focusPollMs = Math.min(500, Math.max(50, minAwayMs));
    this.gate = new SignalGate(this.emit, options.throttleMs ?? 10_000, now);
    const report = (code: SignalCode, data: Record<string, unknown>) => this.report(code, data);
    this.hidden = new Absence({ begin: 'page-hidden', end: 'page-visible' }, minAwayMs, report, now);
    this.blurred = new Absence({ begin: 'window-blur', end: 'window-focus' }, minAwayMs, report, now);
  }

  /**
   * Starts listening, and watching the webcam given to {@link IntegrityMonitor.watchWebcam}. A
   * second display already connected is reported at once.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    const { window, document } = this;
    document.addEventListener('visibilitychange', this.onVisibilityChange);
    window.addEventListener('blur', this.onBlur);
    window.addEventListener('focus', this.onFocus);
    if (this.requireFullscreen) document.addEventListener('fullscreenchange', this.onFullscreenChange);
    // Capture phase: an editor that stops the event's propagation still copied or pasted.
    document.addEventListener('copy', this.onCopy, true);
    document.addEventListener('cut', this.onCopy, true);
    document.addEventListener('paste', this.onPaste, true);
    const screen = this.screen();
    if (screen) {
      screen.addEventListener('change', this.onScreenChange);
      this.onScreenChange();
    }
    if (document.visibilityState === 'hidden') this.hidden.begin();
    this.watchWebcam(this.webcamTrack);
  }

  /**
   * Stops listening, stops watching (and forgets) the webcam, and releases everything. `copy` and
   * `paste` still waiting for their throttle window are reported now; a spell away that is not
   * reported yet is dropped.
   */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    const { window, document } = this;
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    window.removeEventListener('blur', this.onBlur);
    window.removeEventListener('focus', this.onFocus);
    document.removeEventListener('fullscreenchange', this.onFullscreenChange);
    document.removeEventListener('copy', this.onCopy, true);
    document.removeEventListener('cut', this.onCopy, true);
    document.removeEventListener('paste', this.onPaste, true);
    this.screen()?.removeEventListener('change', this.onScreenChange);
    this.stopFocusPoll();
    this.watchWebcam(null);
    this.hidden.cancel();
    this.blurred.cancel();
    this.gate.close();
  }

  /**
   * Watches a webcam track: `webcam-no-frames` when it mutes or delivers no new frame for 5 s,
   * `webcam-covered` when its picture stays (almost) black for three samples in a row (one
   * sample every 1.5 s). A new track starts afresh; `null` stops watching. The monitor never
   * stops the track itself; a track that ends is the caller's to report, as `webcam-stopped`.
   * Given before {@link IntegrityMonitor.start}, watching begins with it.
   */
  watchWebcam(track: MediaStreamTrack | null): void {
    this.webcam?.stop();
    this.webcam = null;
    this.webcamTrack = track;
    for (const code of WEBCAM_CONDITIONS) this.gate.clear(code);
    if (!track || !this.running) return;
    this.webcam = new WebcamWatch(track, {
      sampleMs: this.sampleMs,
      noFramesMs: this.noFramesMs,
      isPageHidden: () => this.document.visibilityState === 'hidden',
      report: (code, data) => this.report(code, data),
      clear: (code) => this.gate.clear(code),
    });
  }

  /**
   * Reports a signal the page detects itself, e.g. `screen-share-stopped` or `webcam-stopped`
   * when a track ends. Repeats are dropped and `copy`/`paste` throttled as for the monitor's own;
   * nothing is reported while the monitor is stopped.
   */
  report(code: SignalCode, data: Record<string, unknown> = {}): void {
    if (this.running) this.gate.push(code, data);
  }

  /**
   * Ends a condition reported with {@link IntegrityMonitor.report}, so that the next one is
   * reported again: e.g. `screen-share-stopped` once the candidate shares the screen again.
   */
  clear(code: SignalCode): void {
    this.gate.clear(code);
  }

  private readonly emit = (signal: IntegritySignal): void => {
    log.debug(`signal ${signal.code}`, signal.data);
    this.onSignal(signal);
  };

  private screen(): MaybeExtendedScreen | null {
    const screen = this.window.screen as MaybeExtendedScreen | undefined;
    return typeof screen?.isExtended === 'boolean' ? screen : null;
  }

  private readonly onVisibilityChange = (): void => {
    if (this.document.visibilityState === 'hidden') this.hidden.begin();
    else this.hidden.end();
  };

  private readonly onBlur = (): void => {
    // Exam sites embed code editors in iframes: focus moving into one is not leaving the page.
    if (this.document.activeElement?.tagName !== 'IFRAME') this.blurred.begin();
    this.focusPoll ??= setInterval(this.pollFocus, this.focusPollMs);
  };

  /** `hasFocus()` is true while focus is anywhere in this page, its iframes included. */
  private readonly pollFocus = (): void => {
    if (this.document.hasFocus()) this.blurred.end();
    else this.blurred.begin();
  };

  private readonly onFocus = (): void => {
    this.stopFocusPoll();
    this.blurred.end();
  };

  private stopFocusPoll(): void {
    clearInterval(this.focusPoll);
    this.focusPoll = undefined;
  }

  private readonly onFullscreenChange = (): void => {
    if (this.document.fullscreenElement) this.gate.clear('fullscreen-exit');
    else this.report('fullscreen-exit');
  };

  private readonly onCopy = (): void => this.report('copy');
  private readonly onPaste = (): void => this.report('paste');

  private readonly onScreenChange = (): void => {
    if (this.screen()?.isExtended) this.report('second-display');
    else this.gate.clear('second-display');
  };
}
