import type { SignedToken } from '../tokens.js';

/** How long before its token expires a connected client gets the next one. */
export const RENEW_BEFORE_MS = 5 * 60_000;
/** Never sooner than this after the last renewal: tokens expire on whole seconds. */
const MIN_DELAY_MS = 1000;
/** The longest delay `setTimeout` keeps (about 24.8 days). */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** What {@link TokenRenewal} needs from the kit. */
export interface TokenRenewalDeps {
  /** Signs the next token, or `undefined` when the chain has reached its bound (then renewals stop). */
  renew(): Promise<SignedToken | undefined>;
  /** Hands the new token to the client. */
  send(renewed: SignedToken): void;
  onError(error: unknown): void;
}

/**
 * Keeps a connected client's token fresh, so a reconnect after hours (an all-day supervision, a
 * long exam with accommodations) is still accepted: a new token with the same claims comes
 * {@link RENEW_BEFORE_MS} before the current one expires, or halfway through its remaining life
 * when that is shorter. Renewals end where the kit bounds the chain (`tokenMaxAge`, a session's end).
 */
export class TokenRenewal {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly deps: TokenRenewalDeps) {}

  /** Plans the next renewal for a token that expires at `expiresAt` (ms since epoch). */
  scheduleFor(expiresAt: number): void {
    if (this.stopped) return;
    const remaining = expiresAt - Date.now();
    const delay = Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, remaining - Math.min(RENEW_BEFORE_MS, remaining / 2)));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.renew(), delay);
    this.timer.unref();
  }

  /** Stops renewing: the client went away. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async renew(): Promise<void> {
    try {
      const renewed = await this.deps.renew();
      if (this.stopped || !renewed) return;
      this.deps.send(renewed);
      this.scheduleFor(renewed.expiresAt);
    } catch (error) {
      this.deps.onError(error);
    }
  }
}
