import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Keeps a phone's screen on while its host wants it (`hold(true)`): a phone that dims and locks
 * stops its camera. The browser drops the lock whenever the page is hidden, so it is asked again
 * when the page shows. Does nothing where the Screen Wake Lock API is missing (or not over https).
 */
export class WakeLockController implements ReactiveController {
  private wanted = false;
  private sentinel?: WakeLockSentinel;
  private requesting = false;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  hold(wanted: boolean): void {
    if (wanted === this.wanted) return;
    this.wanted = wanted;
    if (wanted) void this.request();
    else this.release();
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.wanted = false;
    this.release();
  }

  private readonly onVisibility = () => {
    if (this.wanted && document.visibilityState === 'visible') void this.request();
  };

  private async request(): Promise<void> {
    if (this.requesting || (this.sentinel && !this.sentinel.released) || !('wakeLock' in navigator)) return;
    this.requesting = true;
    try {
      const sentinel = await navigator.wakeLock.request('screen');
      if (this.wanted) this.sentinel = sentinel;
      else void sentinel.release();
    } catch {
      // Refused (page hidden, battery saver, no https): the phone may dim; nothing else to do.
    } finally {
      this.requesting = false;
    }
  }

  private release(): void {
    void this.sentinel?.release().catch(() => undefined);
    this.sentinel = undefined;
  }
}
