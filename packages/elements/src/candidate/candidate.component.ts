import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CandidateSession, type CandidateState, type CapturedFeed, type FeedCapture } from '@proctorkit/core';
import { fire } from '../shared/events.js';
import { cameraIcon, clockIcon, eyeIcon, screenIcon } from '../shared/icons.js';
import { ReadableController } from '../shared/readable-controller.js';
import { systemTokens } from '../shared/theme.js';
import { candidateStyles } from './candidate.styles.js';

const FEED_LABEL: Record<CapturedFeed, string> = { webcam: 'Camera', screen: 'Screen' };
const CONNECTION_LABEL: Record<CandidateState['connection'], string> = {
  connecting: 'Connecting to supervision…',
  open: 'Connected to supervision',
  reconnecting: 'Connection lost — reconnecting…',
  closed: 'Disconnected',
};
const previews = new WeakMap<MediaStreamTrack, MediaStream>();

/** One stream per track, so re-rendering never restarts a preview. */
function previewStream(track: MediaStreamTrack): MediaStream {
  let stream = previews.get(track);
  if (!stream) previews.set(track, (stream = new MediaStream([track])));
  return stream;
}

const RETRY_LABEL: Record<CapturedFeed, string> = { webcam: 'Try the camera again', screen: 'Share the screen again' };

/**
 * The candidate's side of a supervised exam: asks for consent, then captures the webcam and the
 * screen, shows a self-preview and the connection status, and says clearly what to do when a
 * permission is denied, no camera is found or screen sharing stops.
 *
 * @tagname proctor-candidate
 * @summary Consent, capture and live status for the candidate's exam page.
 *
 * @event proctor-consent - The candidate accepted or declined. Detail: `ConsentDetail`.
 * @event proctor-feed-live - A feed is captured and sent. Detail: `FeedLiveDetail`.
 * @event proctor-feed-error - A feed failed or stopped (camera denied, no camera, screen share stopped…). Detail: `FeedErrorDetail`.
 * @event proctor-session-error - The session cannot go on (token refused, opened on another page). Detail: `SessionErrorDetail`.
 * @event proctor-connection - The connection to supervision changed. Detail: `ConnectionDetail`.
 *
 * @slot privacy - The host's own privacy notice, shown in the consent step.
 *
 * @csspart consent - The consent step.
 * @csspart previews - The self-previews once capturing.
 * @csspart problem - A feed's problem message with its retry button.
 *
 * @cssproperty --proctor-candidate-background=#ffffff - Background.
 * @cssproperty --proctor-candidate-color=#111827 - Text color.
 * @cssproperty --proctor-candidate-border=#e5e7eb - Borders.
 * @cssproperty --proctor-color-accent=#2563eb - The consent button and focus rings.
 */
export class ProctorCandidate extends LitElement {
  /** @internal */
  static override styles = [systemTokens, candidateStyles];

  /** Where the server kit's router is mounted, e.g. `/proctor`. */
  @property() server = '';

  /** A candidate token from the host's server. */
  @property() token = '';

  /** The exam's title as the candidate knows it, for the consent text. Default: the exam id. */
  @property({ attribute: 'exam-title' }) examTitle = '';

  @state() private declined = false;

  private session?: CandidateSession;
  private readonly sessionState = new ReadableController<CandidateState>(this);
  private stopEvents: (() => void)[] = [];
  private lastConnection?: CandidateState['connection'];

  /** The session's state: connection, consent, each feed's capture. */
  get state(): CandidateState | undefined {
    return this.sessionState.value;
  }

  /** Accepts on the candidate's behalf, as the consent button does (for hosts with their own consent UI). */
  async consent(): Promise<void> {
    this.declined = false;
    fire(this, 'proctor-consent', { accepted: true });
    await this.session?.consent();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.server && this.token && !this.session) this.open();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.shut();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('server') || changed.has('token')) && this.isConnected && this.openedWith !== this.target()) {
      this.shut();
      if (this.server && this.token) this.open();
    }
  }

  protected override updated(): void {
    const connection = this.state?.connection;
    if (connection && connection !== this.lastConnection) {
      this.lastConnection = connection;
      fire(this, 'proctor-connection', { state: connection });
    }
  }

  protected override render() {
    const state = this.state;
    if (!state) return html`<p class="fine">Set <code>server</code> and <code>token</code> to start supervision.</p>`;
    return html`
      <header>
        <h2>Exam supervision</h2>
        <span class="connection" data-state=${state.connection} role="status">${CONNECTION_LABEL[state.connection]}</span>
      </header>
      ${state.error
        ? html`<p class="fatal" role="alert">${state.error.message}</p>`
        : state.consented
          ? this.renderCapture(state)
          : this.renderConsent(state)}
    `;
  }

  private renderConsent(state: CandidateState) {
    const exam = this.examTitle || state.session?.examId || 'this exam';
    if (this.declined) {
      return html`<section part="consent" aria-labelledby="consent-title">
        <p id="consent-title"><strong>You declined supervision.</strong></p>
        <p class="fine">${exam} can only be taken supervised. Nothing has been captured. You can review the terms again whenever you are ready.</p>
        <div class="actions"><button class="secondary" @click=${() => (this.declined = false)}>Review again</button></div>
      </section>`;
    }
    return html`<section part="consent" aria-labelledby="consent-title">
      <p id="consent-title"><strong>${exam} is supervised live.</strong> Before anything is captured, please read what happens:</p>
      <ul class="captures">
        ${this.session!.feeds.map((feed) =>
          feed === 'webcam'
            ? html`<li><span class="icon">${cameraIcon}</span><span><strong>Your camera</strong> — video only, no sound.</span></li>`
            : html`<li><span class="icon">${screenIcon}</span><span><strong>Your entire screen</strong> — you will be asked which screen to share.</span></li>`,
        )}
        <li><span class="icon">${eyeIcon}</span><span><strong>Who sees it:</strong> the exam's supervisors, live, while you take it.</span></li>
        <li><span class="icon">${clockIcon}</span><span><strong>Until when:</strong> capture stops when you finish the exam or close this page.</span></li>
      </ul>
      <slot name="privacy"></slot>
      <div class="actions">
        <button class="primary" @click=${() => this.consent()}>I agree — start supervision</button>
        <button class="secondary" @click=${this.decline}>Decline</button>
      </div>
    </section>`;
  }

  private renderCapture(state: CandidateState) {
    const feeds = this.session!.feeds;
    return html`
      <div class="previews" part="previews">${feeds.map((feed) => this.renderPreview(feed, state.feeds[feed]))}</div>
      ${feeds.map((feed) => this.renderProblem(feed, state.feeds[feed]))}
    `;
  }

  private renderPreview(feed: CapturedFeed, capture: FeedCapture) {
    const stateLabel =
      capture.state === 'live' ? 'Live' : capture.state === 'starting' ? 'Starting…' : capture.state === 'failed' ? 'Not sent' : 'Off';
    return html`<figure data-feed=${feed}>
      <div class="frame">
        ${capture.track
          ? html`<video autoplay muted playsinline .muted=${true} .srcObject=${previewStream(capture.track)} aria-label="Your ${FEED_LABEL[feed].toLowerCase()} preview"></video>`
          : html`<span>${capture.state === 'starting' ? 'Waiting for permission…' : 'Not captured'}</span>`}
      </div>
      <figcaption>
        <span>${FEED_LABEL[feed]}</span>
        <span class="feed-state" data-state=${capture.state}>${stateLabel}</span>
      </figcaption>
    </figure>`;
  }

  private renderProblem(feed: CapturedFeed, capture: FeedCapture) {
    if (capture.state !== 'failed' || !capture.error) return nothing;
    return html`<div class="problem" part="problem" role="alert" data-feed=${feed} data-code=${capture.error.code}>
      <span>${capture.error.message}</span>
      <button @click=${() => this.session?.retry(feed)}>${RETRY_LABEL[feed]}</button>
    </div>`;
  }

  private readonly decline = () => {
    this.declined = true;
    fire(this, 'proctor-consent', { accepted: false });
  };

  private openedWith?: string;

  private target(): string {
    return `${this.server}\n${this.token}`;
  }

  private open(): void {
    this.openedWith = this.target();
    const session = new CandidateSession({ server: this.server, token: this.token });
    this.session = session;
    this.sessionState.bind(session.state);
    this.stopEvents = [
      session.on('feed-live', ({ feed }) => fire(this, 'proctor-feed-live', { feed })),
      session.on('feed-error', ({ feed, error }) =>
        fire(this, 'proctor-feed-error', { feed, code: error.code, message: error.message }),
      ),
      session.on('session-error', ({ error }) =>
        fire(this, 'proctor-session-error', { code: error.code, message: error.message }),
      ),
    ];
    session.connect();
  }

  private shut(): void {
    this.openedWith = undefined;
    for (const stop of this.stopEvents) stop();
    this.stopEvents = [];
    this.session?.close();
    this.session = undefined;
    this.sessionState.bind(undefined);
  }
}
