import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What {@link ClockController} needs to know of a countdown (a core `ClockView` is one). */
export interface Countdown {
  remainingMs: number;
  started: boolean;
  paused: boolean;
}

/**
 * Re-renders its host each time a running countdown's displayed second changes, and not at all
 * while the countdown is unknown, not started, paused or at zero. The host renders the clock from
 * {@link value}; any other update (a pause, an extension) reschedules the next tick from it.
 */
export class ClockController<T extends Countdown> implements ReactiveController {
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly read: () => T | undefined,
  ) {
    host.addController(this);
  }

  /** The countdown now, read afresh. */
  get value(): T | undefined {
    return this.read();
  }

  hostConnected(): void {
    this.schedule();
  }

  hostUpdated(): void {
    this.schedule();
  }

  hostDisconnected(): void {
    this.cancel();
  }

  private schedule(): void {
    this.cancel();
    const countdown = this.read();
    if (!countdown?.started || countdown.paused || countdown.remainingMs <= 0) return;
    // Displays round seconds up, so the digits change when the remainder crosses a whole second.
    const untilNextSecond = countdown.remainingMs % 1000 || 1000;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.host.requestUpdate();
    }, untilNextSecond + 15);
  }

  private cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
