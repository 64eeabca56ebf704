import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CandidateState, FeedState, PhonePairing, Readable } from '@proctorkit/core';
import { ClockController, type Countdown } from '../shared/clock-controller.js';
import { fire } from '../shared/events.js';
import { ReadableController } from '../shared/readable-controller.js';
import { systemTokens } from '../shared/theme.js';
import { spokenRemaining } from '../shared/time-format.js';
import { phonePairingStyles } from './phone-pairing.styles.js';

/** What the panel needs of a candidate's session: a core `CandidateSession` is one. */
export interface PhonePairingSession {
  /** The session (its `feeds.phone`), the phone paired last, and whether the exam ended. */
  readonly state: Readable<Pick<CandidateState, 'session' | 'phone' | 'ended'>>;
  /** A new one-time pairing link and short code; it replaces the paired phone once used. */
  pairPhone(): Promise<PhonePairing>;
  /** The server's time as the page estimates it (ms since epoch), for the pairing's expiry. */
  serverNow(): number;
}

const PHONE_STATUS: Record<FeedState, string> = {
  off: 'No phone paired yet.',
  live: 'Phone connected ✓',
  lost: 'Phone disconnected — it reconnects by itself; if not, pair again.',
};

/** Time left as `4:59`, seconds rounded up. */
function minutesSeconds(ms: number): string {
  const seconds = Math.ceil(Math.max(0, ms) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The short code spelled out, so a screen reader reads `K7MQ-2PXW` letter by letter. */
function spelled(code: string): string {
  return [...code.replace('-', '')].join(' ');
}

/**
 * The candidate's phone pairing: "Pair your phone" asks the server kit for a one-time pairing and
 * shows its QR code, its short code in large letters, the phone page to type it on, the time left
 * until it expires, and the link to copy. Then it follows the phone: waiting, connected, or
 * disconnected (it reconnects by itself). "Pair again" shows a new code; the phone that uses it
 * replaces the one paired now. `<proctor-candidate>` shows it as a step; a page can place it with
 * any `CandidateSession`.
 *
 * The QR code is the server's SVG, shown as an image (`<img src="data:image/svg+xml,…">`): an SVG
 * image runs no script and loads nothing, whatever its text.
 *
 * @tagname proctor-phone-pairing
 * @summary Pair the candidate's phone: QR code, short code, expiry, and the phone's status.
 *
 * @event proctor-phone-paired - The phone's feed is live: after pairing, after the phone reconnected, or already when the panel gets the session. Detail: `PhonePairedDetail` (`sessionId`).
 *
 * @csspart heading - The "Phone camera" heading (a page with its own can hide it).
 * @csspart intro - What pairing is for, or that pairing again replaces the phone.
 * @csspart status - The phone's status; `data-phone` is `off`, `live` or `lost`.
 * @csspart pairing - The QR code, short code, expiry and link.
 * @csspart qr - The QR code image.
 * @csspart code - The short code.
 * @csspart expires - The time left until the code expires.
 * @csspart error - Why a pairing could not be made.
 *
 * @cssproperty --proctor-phone-pairing-background=#ffffff - Background.
 * @cssproperty --proctor-phone-pairing-color=#111827 - Text color.
 * @cssproperty --proctor-phone-pairing-border=#e5e7eb - Borders.
 * @cssproperty --proctor-color-accent=#2563eb - The pair button and focus rings.
 * @cssproperty --proctor-color-live=#16a34a - The connected status.
 * @cssproperty --proctor-color-warning=#d97706 - The disconnected status and the expired code.
 */
export class ProctorPhonePairing extends LitElement {
  /** @internal */
  static override styles = [systemTokens, phonePairingStyles];

  /** The candidate's session: a `CandidateSession` (e.g. `<proctor-candidate>`'s `session`). */
  @property({ attribute: false }) session?: PhonePairingSession;

  /** The phone's feed, reflected so pages can style by it: `off`, `live` or `lost`. Set from `session`. */
  @property({ reflect: true }) phone: FeedState = 'off';

  /** The pairing shown, until used or replaced. */
  @state() private pairing?: PhonePairing;
  @state() private busy = false;
  @state() private error?: string;
  @state() private notice = '';

  private readonly sessionState = new ReadableController<Pick<CandidateState, 'session' | 'phone' | 'ended'>>(this);
  private readonly countdown = new ClockController<Countdown>(this, () =>
    this.pairing && this.session ? { remainingMs: this.pairing.expiresAt - this.session.serverNow(), started: true, paused: false } : undefined,
  );
  private lastPhone?: FeedState;

  /** Asks for a new pairing and shows it, as "Pair your phone" and "Pair again" do. */
  async pair(): Promise<PhonePairing | undefined> {
    const session = this.session;
    if (!session || this.busy) return undefined;
    this.busy = true;
    this.error = undefined;
    this.notice = '';
    try {
      this.pairing = await session.pairPhone();
      return this.pairing;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('session')) {
      this.sessionState.bind(this.session?.state);
      this.pairing = undefined;
      this.error = undefined;
      this.lastPhone = undefined;
    }
    const state = this.sessionState.value;
    this.phone = state?.session?.feeds.phone ?? 'off';
    // A pairing used (by this phone or another page's) or voided by the end is not shown any more.
    if (this.pairing && (state?.phone?.pairingId === this.pairing.pairingId || state?.ended)) this.pairing = undefined;
  }

  protected override updated(): void {
    const sessionId = this.sessionState.value?.session?.sessionId;
    if (this.phone === 'live' && this.lastPhone !== 'live' && sessionId) fire(this, 'proctor-phone-paired', { sessionId });
    if (sessionId) this.lastPhone = this.phone;
  }

  protected override render() {
    if (!this.session) return html`<p class="fine">Set <code>session</code> (a candidate session) to pair a phone.</p>`;
    const state = this.sessionState.value;
    const summary = state?.session;
    const paired = state?.phone !== undefined || this.phone !== 'off';
    let status = PHONE_STATUS[this.phone];
    if (this.phone === 'off' && this.pairing) status = 'Waiting for your phone…';
    else if (this.phone === 'off' && paired) status = 'Phone paired — waiting for its camera…';
    return html`
      <h3 part="heading">Phone camera</h3>
      <p class="status" part="status" role="status" data-phone=${this.phone}><span class="dot" aria-hidden="true"></span>${status}</p>
      ${state?.ended
        ? html`<p class="fine">The exam has ended: no phone is needed any more.</p>`
        : html`
            ${this.pairing ? this.renderPairing(this.pairing) : nothing}
            ${this.pairing
              ? nothing
              : html`<p class="fine" part="intro">
                    ${paired
                      ? 'Pairing again replaces the phone paired now.'
                      : 'Your phone shows your room to the supervisor, as a third camera. Pair it with this exam: it takes a minute.'}
                  </p>
                  <div class="actions">
                    <button class=${paired ? 'secondary' : 'primary'} ?disabled=${!summary || this.busy} @click=${() => void this.pair()}>
                      ${this.busy ? 'Creating a code…' : paired ? 'Pair again' : 'Pair your phone'}
                    </button>
                  </div>`}
          `}
      ${this.error ? html`<p class="error" part="error" role="alert">${this.error}</p>` : nothing}
    `;
  }

  private renderPairing(pairing: PhonePairing) {
    const remainingMs = this.countdown.value?.remainingMs ?? 0;
    const page = new URL(pairing.url);
    const pageText = `${page.host}${page.pathname}`;
    if (remainingMs <= 0) {
      return html`<div class="pairing expired" part="pairing">
        <p class="expired-text"><strong>This code expired</strong> — show a new code.</p>
        <div class="actions">
          <button class="primary" ?disabled=${this.busy} @click=${() => void this.pair()}>Show a new code</button>
        </div>
      </div>`;
    }
    return html`<div class="pairing" part="pairing">
      <p class="step">Scan this QR code with your phone’s camera:</p>
      <img class="qr" part="qr" src="data:image/svg+xml,${encodeURIComponent(pairing.qrSvg)}" alt="QR code of the pairing link" width="176" height="176" />
      <p class="step">Or open <strong>${pageText}</strong> on your phone and type:</p>
      <p class="code" part="code" aria-label="Code ${spelled(pairing.code)}">${pairing.code}</p>
      <p class="expires fine" part="expires">
        Works once · expires in <span aria-label=${spokenRemaining(remainingMs)}>${minutesSeconds(remainingMs)}</span>.
        ${this.phone === 'live' ? ' Your connected phone stops once a new one uses it.' : ''}
      </p>
      <details>
        <summary>Send the link to your phone instead</summary>
        <p class="fine">Open it on your phone, not on this computer.</p>
        <div class="link">
          <label class="visually-hidden" for="link">Pairing link</label>
          <input id="link" readonly .value=${pairing.url} @focus=${(event: FocusEvent) => (event.target as HTMLInputElement).select()} />
          <button class="secondary" @click=${() => void this.copy(pairing.url)}>Copy link</button>
        </div>
        <p class="notice" role="status">${this.notice}</p>
      </details>
    </div>`;
  }

  private async copy(url: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(url);
      this.notice = 'Link copied.';
    } catch {
      this.renderRoot.querySelector<HTMLInputElement>('#link')?.select();
      this.notice = 'Copy the selected link.';
    }
  }
}
