import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  CandidateSession,
  type CandidateState,
  type CapturedFeed,
  type ClockView,
  type DeviceCheckResult,
  type FeedCapture,
  type SessionEnd,
  type SupervisorMessage,
} from '@proctorkit/core';
import '../device-check/device-check.js';
import '../identity-check/identity-check.js';
import { ClockController } from '../shared/clock-controller.js';
import { fire } from '../shared/events.js';
import { cameraIcon, clockIcon, eyeIcon, screenIcon } from '../shared/icons.js';
import { ReadableController } from '../shared/readable-controller.js';
import { systemTokens } from '../shared/theme.js';
import { candidateStyles } from './candidate.styles.js';
import { examRunning, mayStart, stageOf, stagesOf, type OnboardingInput, type PhoneStep, type Stage } from './onboarding.js';
import { recordingLine } from '../shared/recording-status.js';
import { renderUploadAtEnd } from './upload-at-end.js';
import { renderVerdict } from './verdict.js';
import { WARNINGS_MS, crossedWarning, formatRemaining, spokenMinutes, spokenRemaining } from '../shared/time-format.js';
import { checkIcon, flagIcon, messageIcon, pauseIcon } from './icons.js';

const FEED_LABEL: Record<CapturedFeed, string> = { webcam: 'Camera', screen: 'Screen' };
const CONNECTION_LABEL: Record<CandidateState['connection'], string> = {
  connecting: 'Connecting to supervision…',
  open: 'Connected to supervision',
  reconnecting: 'Connection lost — reconnecting…',
  closed: 'Disconnected',
};
const previews = new WeakMap<MediaStreamTrack, MediaStream>();

/**
 * One stream per track, so re-rendering never restarts a preview. Bound with `live()`: lit sets an
 * object-valued property on every render, and assigning `srcObject` again (even the same stream)
 * reloads the video, which stalls the capture a supervisor receives — and the clock renders each second.
 */
function previewStream(track: MediaStreamTrack): MediaStream {
  let stream = previews.get(track);
  if (!stream) previews.set(track, (stream = new MediaStream([track])));
  return stream;
}

const RETRY_LABEL: Record<CapturedFeed, string> = { webcam: 'Try the camera again', screen: 'Share the screen again' };

const STAGE_LABEL: Record<Stage, string> = {
  consent: 'Consent',
  'device-check': 'Setup check',
  phone: 'Phone camera',
  identity: 'Identity',
  exam: 'Exam',
};

const NO_CLOCK: ClockView = { remainingMs: 0, paused: false, endsAt: null, started: false };

/** Where the clock is, for its look (`data-state`) and its caption. */
type ClockPhase = 'connecting' | 'idle' | 'running' | 'low' | 'paused' | 'ended';
const CLOCK_CAPTION: Record<ClockPhase, string> = {
  connecting: 'Connecting',
  idle: 'Not started',
  running: 'left',
  low: 'left',
  paused: 'Paused',
  ended: 'Ended',
};

const PAUSED_TEXT = 'Your exam is paused by the supervisor. The clock is stopped.';

/** Why the exam ended, as the candidate reads it. */
function endText({ reason, message }: SessionEnd): string {
  if (reason === 'expired') return 'Time is up.';
  if (reason === 'terminated') return message ? `A supervisor ended your exam: ${message}` : 'A supervisor ended your exam.';
  return 'You have finished the exam.';
}

/** That capture stopped, naming what this session captured. */
function stoppedText(feeds: readonly CapturedFeed[]): string {
  if (feeds.includes('webcam') && feeds.includes('screen')) return 'Camera and screen sharing have stopped.';
  return feeds.includes('screen') ? 'Screen sharing has stopped.' : 'The camera has stopped.';
}

/** What the consent says of the recording and how long it is kept. */
function recordedText(retentionDays: number | undefined): string {
  const kept =
    retentionDays === undefined
      ? 'kept only as long as the exam site’s privacy notice says'
      : retentionDays < 1
        ? 'deleted within a day after the exam'
        : `deleted ${Math.round(retentionDays)} day${Math.round(retentionDays) === 1 ? '' : 's'} after the exam`;
  return `the same video is recorded for review after the exam, and ${kept}.`;
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/**
 * The candidate's side of a supervised exam: asks for consent, then captures the webcam and the
 * screen, shows a self-preview and the connection status, and says clearly what to do when a
 * permission is denied, no camera is found or screen sharing stops. It shows the exam clock, the
 * supervisor's messages, covers itself while a supervisor pauses the exam, and says when and why
 * the exam ended.
 *
 * A host hides its exam content while the exam is paused or over: listen to `proctor-paused`,
 * `proctor-resumed` and `proctor-ended`, and read `clock` for the time left.
 *
 * Before the exam it can walk the candidate through a setup check (`device-check`), pairing a
 * phone as a room camera (`phone`) and an identity check (`identity-check`, or whenever the kit
 * has `requireIdentityCheck`); the clock starts once those are done.
 *
 * @tagname proctor-candidate
 * @summary Consent, capture, exam clock, supervisor messages and live status for the candidate's exam page.
 *
 * @event proctor-consent - The candidate accepted or declined. Detail: `ConsentDetail`.

 * @event proctor-feed-live - A feed is captured and sent. Detail: `FeedLiveDetail`.
 * @event proctor-feed-error - A feed failed or stopped (camera denied, no camera, screen share stopped…). Detail: `FeedErrorDetail`.
 * @event proctor-session-error - The session cannot go on (token refused, opened on another page). Detail: `SessionErrorDetail`.
 * @event proctor-connection - The connection to supervision changed. Detail: `ConnectionDetail`.
 * @event proctor-paused - A supervisor paused the exam (also on load when it is paused): hide the exam content. Detail: `{}`.
 * @event proctor-resumed - The exam goes on after a pause. Detail: `{}`.
 * @event proctor-time-extended - Time was added to the exam. Detail: `TimeExtendedDetail` (`minutes`, `endsAt`).
 * @event proctor-started - The exam clock started (also when a reloaded page finds it running): show the exam. Detail: `StartedDetail`.
 * @event proctor-message - A supervisor sent the candidate a message, shown until acknowledged. Detail: `MessageDetail` (`messageId`, `text`, `from`).
 * @event proctor-ended - The exam ended (time up, ended by a supervisor, finished); capture has stopped. Detail: `EndedDetail` (`reason`, `message`).
 *
 * @slot privacy - The host's own privacy notice, shown in the consent step.
 *
 * @csspart consent - The consent step.
 * @csspart steps - The list of steps before the exam (consent, setup check, phone, identity, exam), when there are more than two.
 * @csspart step - The current step's panel: the device check, the phone pairing or the identity check.
 * @csspart clock - The exam clock; `data-state` is `connecting`, `idle`, `running`, `low` (5 minutes or less), `paused` or `ended`.
 * @csspart previews - The self-previews once capturing.
 * @csspart preparing - "Preparing your session — N ahead of you", while the server prepares the session's media.
 * @csspart problem - A feed's problem message with its retry button.
 * @csspart messages - The supervisor's messages, newest first.
 * @csspart message - One message; `data-state` is `new` or `acked`.
 * @csspart pause - The overlay that covers the element while the exam is paused.
 * @csspart ended - What the element shows once the exam has ended.
 * @csspart verdict - Once ended, the review's verdict, when the host lets candidates see it (`data-verdict`: `accepted`, `rejected`, `inconclusive`).
 * @csspart upload - Once ended, how much recording is left to upload (`data-state`: `uploading`, `later` after `upload-wait`, `done`).
 * @csspart recording - Whether the feeds are being recorded and how much waits to upload; `data-state` is `recording`, `uploading` or `problem`.
 *
 * @cssproperty --proctor-candidate-background=#ffffff - Background.
 * @cssproperty --proctor-candidate-color=#111827 - Text color.
 * @cssproperty --proctor-candidate-border=#e5e7eb - Borders.
 * @cssproperty --proctor-candidate-overlay=#fffffff5 - Behind the pause notice, over the element.
 * @cssproperty --proctor-color-accent=#2563eb - The consent button, new messages and focus rings.
 * @cssproperty --proctor-color-warning=#d97706 - The paused clock and the clock's last 5 minutes.
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

  /**
   * Reports leaving fullscreen as an integrity signal, for hosts that require the exam in
   * fullscreen. Read when the session opens.
   */
  @property({ type: Boolean, attribute: 'require-fullscreen' }) requireFullscreen = false;

  /** Runs `<proctor-device-check>` after consent, before capture; its result goes into the session log. */
  @property({ type: Boolean, attribute: 'device-check' }) deviceCheck = false;

  /** Asks for the candidate's phone as a third camera: `off`, `optional` (can be skipped) or `required`. */
  @property() phone: PhoneStep = 'off';

  /**
   * Asks for photos of an ID document and the face before the exam, even when the kit does not
   * require them (a kit with `requireIdentityCheck` always shows this step).
   */
  @property({ type: Boolean, attribute: 'identity-check' }) identityCheck = false;

  /**
   * How long (seconds) the ended page asks the candidate to keep it open while the recording still
   * uploads; after it, the page says the rest uploads the next time this exam page is opened on the
   * same computer, and goes on uploading while it stays open. Default: 120.
   */
  @property({ type: Number, attribute: 'upload-wait' }) uploadWait = 120;

  @state() private agreed = false;
  /** The recording that waited to upload when the exam ended (ms): the progress bar's whole. */
  @state() private backlogAtEndMs = 0;
  @state() private uploadWaitOver = false;
  /** Set once every recorded chunk is stored by the kit, after the exam ended. */
  @state() private recordingSaved = false;
  private uploadWaitTimer?: ReturnType<typeof setTimeout>;
  @state() private deviceChecked = false;
  @state() private deviceResult?: DeviceCheckResult;
  @state() private phoneDone = false;

  @state() private declined = false;

  /** The latest announcement for screen readers (pause, resume, extension, message, warning, end). */
  @state() private announcement = '';

  /** Minutes of the latest extension, shown beside the clock for a moment; `n` restarts its fade. */
  @state() private extension?: { minutes: number; n: number };

  private current?: CandidateSession;
  private readonly sessionState = new ReadableController<CandidateState>(this);
  private readonly ticker = new ClockController<ClockView>(this, () => this.current?.clock());
  private stopEvents: (() => void)[] = [];
  private lastConnection?: CandidateState['connection'];
  private lastRemainingMs?: number;

  /** The core session this element renders, once `server` and `token` are set and it is on the page. */
  get session(): CandidateSession | undefined {
    return this.current;
  }

  /** The session's state: connection, consent, each feed's capture, clock, messages, end. */
  get state(): CandidateState | undefined {
    return this.sessionState.value;
  }

  /**
   * The exam clock now: `remainingMs` (the whole duration before the start, 0 once ended),
   * `paused`, `endsAt` (server time, ms since epoch; `null` before the start) and `started`.
   */
  get clock(): ClockView {
    return this.ticker.value ?? { ...NO_CLOCK };
  }

  /** Accepts on the candidate's behalf, as the consent button does (for hosts with their own consent UI). */
  async consent(): Promise<void> {
    this.declined = false;
    this.agreed = true;
    fire(this, 'proctor-consent', { accepted: true });
    // A running exam (a reloaded page) goes back to capture at once: the setup check was done before.
    const state = this.state;
    if (!this.deviceCheck || (state && examRunning(state))) await this.current?.consent();
  }

  /**
   * Adds a line to the session's log for the supervisors and the report, e.g.
   * `log('question.opened', { question: 3 })`. Kept until the server has it, across drops and
   * reloads. Throws when there is no session yet (no `server` or `token`, or not on the page), or
   * when the name or data is invalid (a `ProctorError` with code `bad-input`).
   */
  log(name: string, data: Record<string, unknown> = {}): void {
    this.requireSession('log').log(name, data);
  }

  /** Acknowledges a supervisor's message, as its "Got it" button does; the supervisor sees it. */
  acknowledge(messageId: string): void {
    this.requireSession('acknowledge').acknowledge(messageId);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.server && this.token && !this.current) this.open();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.uploadWaitTimer);
    this.shut();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('server') || changed.has('token')) && this.isConnected && this.openedWith !== this.target()) {
      this.shut();
      if (this.server && this.token) this.open();
    }
    this.warnWhenLow();
    this.followUploadAtEnd();
  }

  private followUploadAtEnd(): void {
    const state = this.state;
    if (!state?.ended || !state.recording) return;
    if (state.recording.pendingMs > this.backlogAtEndMs) this.backlogAtEndMs = state.recording.pendingMs;
    if (this.uploadWaitTimer !== undefined) return;
    this.uploadWaitTimer = setTimeout(() => (this.uploadWaitOver = true), this.uploadWait * 1000);
    const session = this.current;
    // As long as the page stays open: the longest wait a timer holds.
    void session?.drainRecordings(2 ** 31 - 1).then((saved) => (this.recordingSaved = saved && session === this.current));
  }

  protected override updated(): void {
    const state = this.state;
    if (state && this.current && mayStart(this.stage(state), state)) this.current.start();
    const connection = this.state?.connection;
    if (connection && connection !== this.lastConnection) {
      this.lastConnection = connection;
      fire(this, 'proctor-connection', { state: connection });
    }
  }

  protected override render() {
    const state = this.state;
    if (!state) return html`<p class="fine unset">Set <code>server</code> and <code>token</code> to start supervision.</p>`;
    const clock = this.clock;
    const paused = clock.paused && !state.ended;
    return html`
      <div class="stack">
        <div class="content" ?inert=${paused}>
          <header>
            <div class="title">
              <h2>Exam supervision</h2>
              ${state.ended
                ? html`<span class="connection" data-state="ended">Supervision has ended</span>`
                : html`<span class="connection" data-state=${state.connection} role="status">${CONNECTION_LABEL[state.connection]}</span>`}
              ${this.renderRecording(state)}
            </div>
            ${this.renderClock(state, clock)}
          </header>
          ${state.ended ? this.renderEnded(state.ended) : nothing}
          ${this.renderMessages(state, 'content')}
          ${state.error
            ? html`<p class="fatal" role="alert">${state.error.message}</p>`
            : state.ended
              ? nothing
              : this.renderStage(state)}
        </div>
        ${paused ? this.renderPause(state, clock) : nothing}
      </div>
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    `;
  }

  private renderClock(state: CandidateState, clock: ClockView) {
    const phase: ClockPhase = !state.session
      ? 'connecting'
      : state.ended
        ? 'ended'
        : !clock.started
          ? 'idle'
          : clock.paused
            ? 'paused'
            : clock.remainingMs <= WARNINGS_MS[0]
              ? 'low'
              : 'running';
    const spoken = spokenRemaining(clock.remainingMs);
    const label = {
      connecting: 'Exam clock: connecting',
      idle: `Exam not started. Time for the exam: ${spoken}`,
      running: `Time left: ${spoken}`,
      low: `Time left: ${spoken}`,
      paused: `Exam paused. Time left: ${spoken}`,
      ended: 'The exam has ended',
    }[phase];
    // role="timer" is never live: screen readers hear the time when they read it, not every second.
    return html`<div class="clock" part="clock" role="timer" aria-live="off" aria-label=${label} data-state=${phase} tabindex="-1">
      <span class="clock-icon" aria-hidden="true">${phase === 'paused' ? pauseIcon : clockIcon}</span>
      <span class="digits" aria-hidden="true">${state.session ? formatRemaining(clock.remainingMs) : '--:--'}</span>
      <span class="caption" aria-hidden="true">${CLOCK_CAPTION[phase]}</span>
      ${this.extension && phase !== 'ended'
        ? html`<span class="extended" aria-hidden="true" data-n=${this.extension.n}>+${this.extension.minutes} min</span>`
        : nothing}
    </div>`;
  }

  private renderMessages(state: CandidateState, where: 'content' | 'pause') {
    if (state.messages.length === 0) return nothing;
    const newestFirst = [...state.messages].reverse();
    return html`<section
      class="messages"
      part="messages"
      data-where=${where}
      ?data-ended=${!!state.ended}
      aria-label="Messages from the supervisor"
    >
      ${repeat(
        newestFirst,
        (message) => message.messageId,
        (message) => this.renderMessage(message, where, !!state.ended),
      )}
    </section>`;
  }

  private renderMessage(message: SupervisorMessage, where: 'content' | 'pause', ended: boolean) {
    const id = `${where}-${message.messageId}`;
    const localTime = message.at + Date.now() - (this.current?.serverNow() ?? Date.now());
    return html`<article
      class="message"
      part="message"
      data-message-id=${message.messageId}
      data-state=${message.acked ? 'acked' : 'new'}
      tabindex="-1"
      aria-labelledby="${id}-from ${id}-text"
    >
      <span class="message-icon">${messageIcon}</span>
      <div class="message-body">
        <p class="message-meta" id="${id}-from">
          <span class="visually-hidden">Message from</span>
          <strong>${message.from ?? 'Supervisor'}</strong>
          <time datetime=${new Date(localTime).toISOString()}>${timeOfDay.format(localTime)}</time>
        </p>
        <p class="message-text" id="${id}-text">${message.text}</p>
        ${message.acked
          ? html`<p class="acked">${checkIcon} Acknowledged</p>`
          : ended
            ? nothing
            : html`<button class="ack" aria-describedby="${id}-text" @click=${() => this.acknowledgeFrom(where, message.messageId)}>Got it</button>`}
      </div>
    </article>`;
  }

  private renderPause(state: CandidateState, clock: ClockView) {
    return html`<div class="overlay" part="pause">
      <section class="pause-notice" aria-labelledby="pause-title" tabindex="-1">
        <span class="pause-icon">${pauseIcon}</span>
        <h3 id="pause-title">Exam paused</h3>
        <p>${PAUSED_TEXT}</p>
        <p class="fine">
          Time left: <strong class="paused-time">${formatRemaining(clock.remainingMs)}</strong>. Stay on this page: your exam
          continues here when the supervisor resumes it.
        </p>
      </section>
      ${this.renderMessages(state, 'pause')}
    </div>`;
  }

  /** Whether the feeds are recorded and what still waits to upload: the truth, in a few words. */
  private renderRecording(state: CandidateState) {
    // Once the exam ended, the end section says how the upload goes.
    const line = state.recording && !state.ended ? recordingLine(state.recording) : undefined;
    return line ? html`<span class="recording" part="recording" data-state=${line.phase} role="status">${line.text}</span>` : nothing;
  }

  private renderEnded(ended: SessionEnd) {
    return html`<section class="ended" part="ended" aria-labelledby="ended-title">
      <span class="ended-icon">${flagIcon}</span>
      <div>
        <h3 id="ended-title">Your exam has ended</h3>
        <p class="reason" data-reason=${ended.reason}>${endText(ended)}</p>
        <p class="fine">${stoppedText(this.current!.feeds)}</p>
        ${renderUploadAtEnd(this.state?.recording, this.state?.consented === true, this.recordingSaved, this.backlogAtEndMs, this.uploadWaitOver)}
        ${renderVerdict(this.state?.session?.verdict)}
      </div>
    </section>`;
  }

  private onboarding(state: CandidateState): OnboardingInput {
    const { agreed, deviceCheck, deviceChecked, phone, phoneDone, identityCheck } = this;
    return { state, agreed, deviceCheck, deviceChecked, phone, phoneDone, identityCheck };
  }

  private stage(state: CandidateState): Stage {
    return stageOf(this.onboarding(state));
  }

  private renderStage(state: CandidateState) {
    const stage = this.stage(state);
    if (stage === 'consent') return this.renderConsent(state);
    const stages = stagesOf(this.onboarding(state));
    const steps =
      stages.length > 2 && stage !== 'exam'
        ? html`<ol class="steps" part="steps" aria-label="Before the exam">
            ${stages.map((s) => html`<li aria-current=${s === stage ? 'step' : 'false'}>${STAGE_LABEL[s]}</li>`)}
          </ol>`
        : nothing;
    if (stage === 'device-check') {
      return html`${steps}
        <section class="step" part="step" aria-label="Setup check">
          <proctor-device-check server=${this.server} token=${this.requestToken()} skip-screen @proctor-device-check-complete=${this.deviceCheckDone}></proctor-device-check>
          <div class="actions">
            <button class="primary" ?disabled=${!this.deviceResult} @click=${this.afterDeviceCheck}>Continue</button>
          </div>
        </section>`;
    }
    return html`${steps}${stage === 'phone' ? this.renderPhoneStep(state) : nothing}
      ${stage === 'identity'
        ? html`<section class="step" part="step" aria-label="Identity check">
            <proctor-identity-check server=${this.server} token=${this.requestToken()} .session=${state.session} .track=${state.feeds.webcam.track}></proctor-identity-check>
          </section>`
        : nothing}
      ${this.renderCapture(state, stage !== 'identity')}`;
  }

  private renderPhoneStep(state: CandidateState) {
    const live = state.session?.feeds.phone === 'live';
    return html`<section class="step" part="step" aria-label="Phone camera">
      <proctor-phone-pairing .session=${this.current}></proctor-phone-pairing>
      <div class="actions">
        <button class="primary" ?disabled=${!live} @click=${() => (this.phoneDone = true)}>Continue</button>
        ${this.phone === 'optional' ? html`<button class="secondary" @click=${() => (this.phoneDone = true)}>Skip — continue without a phone</button>` : nothing}
      </div>
    </section>`;
  }

  private deviceCheckDone = (event: CustomEvent<DeviceCheckResult>) => {
    this.deviceResult = event.detail;
  };

  private afterDeviceCheck = () => {
    if (this.deviceResult) this.current?.log('device-check.completed', { ...this.deviceResult });
    this.deviceChecked = true;
    void this.current?.consent();
  };

  private renderConsent(state: CandidateState) {
    const exam = this.examTitle || state.session?.examId || 'this exam';
    if (this.declined) {
      return html`<section part="consent" aria-labelledby="consent-title">
        <p id="consent-title"><strong>You declined supervision.</strong></p>
        <p class="fine">${exam} can only be taken supervised. Nothing has been captured. You can review the terms again whenever you are ready.</p>
        <div class="actions"><button class="secondary" @click=${() => (this.declined = false)}>Review again</button></div>
      </section>`;
    }
    const rejoining = examRunning(state);
    return html`<section part="consent" aria-labelledby="consent-title">
      <p id="consent-title">
        ${rejoining
          ? html`<strong>Your exam is under way.</strong> This page was reloaded or opened again: supervision resumes once you agree again. Nothing is captured before.`
          : html`<strong>${exam} is supervised live.</strong> Before anything is captured, please read what happens:`}
      </p>
      <ul class="captures">
        ${this.current!.feeds.map((feed) =>
          feed === 'webcam'
            ? html`<li><span class="icon">${cameraIcon}</span><span><strong>Your camera</strong> — ${this.current!.state.value.recordsAudio
                ? 'video, and your microphone’s sound for the recording (supervisors do not hear you live).'
                : 'video only, no sound.'}</span></li>`
            : html`<li><span class="icon">${screenIcon}</span><span><strong>Your entire screen</strong> — you will be asked which screen to share.</span></li>`,
        )}
        <li><span class="icon">${eyeIcon}</span><span><strong>Who sees it:</strong> the exam's supervisors, live, while you take it.</span></li>
        ${this.current!.state.value.recording
          ? html`<li><span class="icon">${eyeIcon}</span><span><strong>Recorded:</strong> ${recordedText(this.current!.state.value.retentionDays)}</span></li>`
          : nothing}
        <li><span class="icon">${clockIcon}</span><span><strong>Until when:</strong> capture stops when you finish the exam or close this page.</span></li>
      </ul>
      <slot name="privacy"></slot>
      <div class="actions">
        <button class="primary" @click=${() => this.consent()}>${rejoining ? 'I agree — resume supervision' : 'I agree — start supervision'}</button>
        <button class="secondary" @click=${this.decline}>Decline</button>
      </div>
    </section>`;
  }

  /** The self-previews (left out while the identity check shows the camera itself) and any capture problem. */
  private renderCapture(state: CandidateState, previews = true) {
    const feeds = this.current!.feeds;
    const { preparing } = state;
    return html`
      ${preparing
        ? html`<p class="preparing" part="preparing" role="status">
            Preparing your session${preparing.ahead > 0 ? html` — <strong>${preparing.ahead}</strong> ahead of you` : nothing}. Your exam
            starts as soon as it is ready.
          </p>`
        : nothing}
      ${previews ? html`<div class="previews" part="previews">${feeds.map((feed) => this.renderPreview(feed, state.feeds[feed]))}</div>` : nothing}
      ${feeds.map((feed) => this.renderProblem(feed, state.feeds[feed]))}
    `;
  }

  private renderPreview(feed: CapturedFeed, capture: FeedCapture) {
    const stateLabel =
      capture.state === 'live' ? 'Live' : capture.state === 'starting' ? 'Starting…' : capture.state === 'failed' ? 'Not sent' : 'Off';
    return html`<figure data-feed=${feed}>
      <div class="frame">
        ${capture.track
          ? html`<video autoplay muted playsinline .muted=${true} .srcObject=${live(previewStream(capture.track))} aria-label="Your ${FEED_LABEL[feed].toLowerCase()} preview"></video>`
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
      <button @click=${() => this.current?.retry(feed)}>${RETRY_LABEL[feed]}</button>
    </div>`;
  }

  private readonly decline = () => {
    this.declined = true;
    fire(this, 'proctor-consent', { accepted: false });
  };

  /** Says "5 minutes left" (then 1 minute) once, when the running clock goes below it. */
  private warnWhenLow(): void {
    const clock = this.clock;
    const running = clock.started && !clock.paused && !this.state?.ended;
    if (running) {
      const crossed = crossedWarning(this.lastRemainingMs, clock.remainingMs);
      if (crossed !== undefined) this.announce(`${spokenRemaining(crossed)} left.`);
    }
    this.lastRemainingMs = running ? clock.remainingMs : undefined;
  }

  private announce(text: string): void {
    // A live region speaks only changes: the same words twice need a difference.
    this.announcement = text === this.announcement ? `${text}\u00a0` : text;
  }

  private async acknowledgeFrom(where: 'content' | 'pause', messageId: string): Promise<void> {
    this.current?.acknowledge(messageId);
    await this.updateComplete;
    // Its button is gone: keep focus on the message rather than dropping it to the page.
    this.messageElement(where, messageId)?.focus();
  }

  private messageElement(where: 'content' | 'pause', messageId: string): HTMLElement | null | undefined {
    return this.shadowRoot?.querySelector<HTMLElement>(`.messages[data-where="${where}"] [data-message-id="${CSS.escape(messageId)}"]`);
  }

  /**
   * Brings a keyboard user to a new message — but only when focus is nowhere or already in this
   * element: never away from what the candidate is doing on the host's page (an answer being typed).
   * Everyone else hears it announced and sees it highlighted.
   */
  private async revealMessage(messageId: string): Promise<void> {
    await this.updateComplete;
    const active = document.activeElement;
    if (active && active !== document.body && active !== this) return;
    this.messageElement(this.clock.paused ? 'pause' : 'content', messageId)?.focus({ preventScroll: true });
  }

  /** Keeps focus in the element when the pause overlay comes or goes over what had it. */
  private async moveFocusAfterUpdate(to: () => HTMLElement | null | undefined): Promise<void> {
    const hadFocus = this.matches(':focus-within');
    await this.updateComplete;
    if (hadFocus) to()?.focus({ preventScroll: true });
  }

  private openedWith?: string;

  private target(): string {
    return `${this.server}\n${this.token}`;
  }

  /** The token for the steps' requests: the session's, which the kit renews before it expires. */
  private requestToken(): string {
    return this.current?.token ?? this.token;
  }

  private requireSession(method: string): CandidateSession {
    if (!this.current) {
      throw new Error(`<proctor-candidate>.${method}(): no session yet. Set its server and token and add it to the page first.`);
    }
    return this.current;
  }

  private open(): void {
    this.openedWith = this.target();
    // The element decides when the clock starts: after the onboarding steps it shows.
    const session = new CandidateSession({ server: this.server, token: this.token, requireFullscreen: this.requireFullscreen, autoStart: false });
    this.current = session;
    this.sessionState.bind(session.state);
    const shadow = () => this.shadowRoot;
    this.stopEvents = [
      session.on('feed-live', ({ feed }) => fire(this, 'proctor-feed-live', { feed })),
      session.on('feed-error', ({ feed, error }) =>
        fire(this, 'proctor-feed-error', { feed, code: error.code, message: error.message }),
      ),
      session.on('session-error', ({ error }) =>
        fire(this, 'proctor-session-error', { code: error.code, message: error.message }),
      ),
      session.on('started', ({ endsAt }) => fire(this, 'proctor-started', { endsAt })),
      session.on('paused', () => {
        this.announce(PAUSED_TEXT);
        void this.moveFocusAfterUpdate(() => shadow()?.querySelector<HTMLElement>('.pause-notice'));
        fire(this, 'proctor-paused', {});
      }),
      session.on('resumed', () => {
        this.announce(`Your exam continues. Time left: ${spokenRemaining(session.clock().remainingMs)}.`);
        void this.moveFocusAfterUpdate(() => shadow()?.querySelector<HTMLElement>('.clock'));
        fire(this, 'proctor-resumed', {});
      }),
      session.on('time-extended', ({ minutes, endsAt }) => {
        this.extension = { minutes, n: (this.extension?.n ?? 0) + 1 };
        this.announce(`${spokenMinutes(minutes)} added. Time left: ${spokenRemaining(session.clock().remainingMs)}.`);
        fire(this, 'proctor-time-extended', { minutes, endsAt });
      }),
      session.on('message', ({ messageId, text, from }) => {
        this.announce(`New message from ${from ?? 'the supervisor'}: ${text}`);
        void this.revealMessage(messageId);
        fire(this, 'proctor-message', { messageId, text, ...(from ? { from } : {}) });
      }),
      session.on('ended', (ended) => {
        this.announce(`Your exam has ended. ${endText(ended)} ${stoppedText(session.feeds)}`);
        fire(this, 'proctor-ended', { ...ended });
      }),
    ];
    session.connect();
  }

  private shut(): void {
    this.openedWith = undefined;
    for (const stop of this.stopEvents) stop();
    this.stopEvents = [];
    this.current?.close();
    this.current = undefined;
    this.sessionState.bind(undefined);
    this.lastRemainingMs = undefined;
    this.extension = undefined;
  }
}
