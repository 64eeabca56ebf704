import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import {
  ProctorError,
  captureWebcam,
  capturePhoto,
  submitIdentity,
  uploadIdentityPhoto,
  type IdentityPhotoKind,
  type IdentityStatus,
  type SessionSummary,
} from '@proctorkit/core';
import { fire } from '../shared/events.js';
import { systemTokens } from '../shared/theme.js';
import { identityCheckStyles } from './identity-check.styles.js';

/** Where the candidate is: taking one of the photos, or both are taken and can be submitted. */
type Step = IdentityPhotoKind | 'submit';

/** A photo the candidate took, shown from an object URL. */
interface Taken {
  blob: Blob;
  url: string;
}

const TAKE: Record<IdentityPhotoKind, { title: string; hint: string; button: string; alt: string }> = {
  document: {
    title: 'Photo of your ID document',
    hint: 'Hold your ID card or passport close to the camera, with your photo and name readable and no glare.',
    button: 'Take photo of your ID document',
    alt: 'Your photo of your ID document',
  },
  face: {
    title: 'Photo of your face',
    hint: 'Look at the camera, in good light, with your whole face in the picture.',
    button: 'Take photo of your face',
    alt: 'Your photo of your face',
  },
};

const STATUS_TEXT: Partial<Record<IdentityStatus, string>> = {
  submitted: 'Your photos are with a supervisor. Please wait while they check them.',
  approved: 'Your identity is confirmed.',
};

/**
 * The candidate's identity check: a photo of their ID document, then of their face, each with a
 * preview to retake or use, then "Submit for review". It then says that a supervisor is checking,
 * and shows the verdict: confirmed, or not confirmed with the supervisor's reason and a way to take
 * new photos and submit again. `<proctor-candidate>` shows it as a step; a page can place it alone.
 *
 * It reads the check's status from `session` (the candidate's `SessionSummary`, e.g. a
 * `CandidateSession`'s `state.value.session`): give it each new summary, and the verdict shows as
 * soon as the supervisor gives it. It takes the photos from `track` when given (e.g. the webcam the
 * candidate already shares), or else opens the webcam while photos are taken.
 *
 * @tagname proctor-identity-check
 * @summary Photos of the candidate's ID document and face, submitted to a supervisor, and the verdict.
 *
 * @event proctor-identity - The check was submitted, approved or rejected. Detail: `IdentityDetail` (`status`, `reason`).
 *
 * @csspart capture - The step that takes one photo.
 * @csspart frame - The camera preview or the photo just taken.
 * @csspart photos - Both photos before submitting.
 * @csspart status - What happens now (waiting, confirmed, not confirmed); `data-status` says which.
 * @csspart error - Why a photo or the submission failed.
 *
 * @cssproperty --proctor-identity-check-background=#ffffff - Background.
 * @cssproperty --proctor-identity-check-color=#111827 - Text color.
 * @cssproperty --proctor-identity-check-border=#e5e7eb - Borders.
 * @cssproperty --proctor-color-accent=#2563eb - The main buttons and focus rings.
 * @cssproperty --proctor-color-live=#16a34a - The confirmed status.
 * @cssproperty --proctor-color-danger=#dc2626 - The rejected status.
 */
export class ProctorIdentityCheck extends LitElement {
  /** @internal */
  static override styles = [systemTokens, identityCheckStyles];

  /** Where the server kit's router is mounted, e.g. `/proctor`. */
  @property() server = '';

  /** The candidate's token from the host's server. */
  @property() token = '';

  /** The candidate's session as the kit last sent it: its id, and its identity check's status. */
  @property({ attribute: false }) session?: SessionSummary;

  /** A live webcam track to take the photos from. Without it, the element opens the webcam itself while photos are taken. */
  @property({ attribute: false }) track?: MediaStreamTrack;

  /** The check's status, reflected so pages can style by it: `none`, `submitted`, `approved` or `rejected`. */
  @property({ reflect: true }) status: IdentityStatus = 'none';

  @state() private step: Step = 'document';
  /** The photos the kit has, by kind. */
  @state() private taken: Partial<Record<IdentityPhotoKind, Taken>> = {};
  /** A photo just taken and not yet chosen with "Use this photo". */
  @state() private pending?: Taken;
  @state() private busy = false;
  @state() private error?: string;
  /** The candidate chose to take new photos after a rejection. */
  @state() private retaking = false;
  /** Submitted: shown as `submitted` until the session says so too. */
  @state() private sent = false;
  @state() private ownTrack?: MediaStreamTrack;
  @state() private cameraError?: string;

  @query('video') private video?: HTMLVideoElement;

  private cameraStarting = false;
  private lastStatus?: IdentityStatus;
  private readonly streams = new WeakMap<MediaStreamTrack, MediaStream>();

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopCamera();
    this.forgetPhotos();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const reported = this.session?.identity?.status ?? 'none';
    if (reported === 'submitted' || reported === 'approved') this.sent = false;
    this.status = this.sent && (reported === 'none' || reported === 'rejected') ? 'submitted' : reported;
    if (this.status !== 'rejected') this.retaking = false;
    if (changed.has('session') && (changed.get('session') as SessionSummary | undefined)?.sessionId !== this.session?.sessionId) {
      this.forgetPhotos();
    }
  }

  protected override updated(): void {
    if (this.lastStatus !== undefined && this.status !== this.lastStatus && this.status !== 'none') {
      const reason = this.session?.identity?.reason;
      fire(this, 'proctor-identity', { status: this.status, ...(this.status === 'rejected' && reason ? { reason } : {}) });
    }
    this.lastStatus = this.status;
    if (this.capturing() && !this.track && !this.ownTrack && !this.cameraError) void this.startCamera();
    // A track given from outside replaces the element's own camera.
    if (!this.capturing() || this.track) this.stopCamera();
  }

  protected override render() {
    if (!this.session || !this.server || !this.token) {
      return html`<p class="fine">Set <code>server</code>, <code>token</code> and <code>session</code> to take the identity photos.</p>`;
    }
    const status = this.status;
    const reason = this.session.identity?.reason;
    let text = status === 'rejected' ? `A supervisor could not confirm your identity: ${reason ?? 'no reason given'}` : STATUS_TEXT[status];
    if (status === 'submitted' && this.session.identity?.required) text += ' Your exam starts once they confirm your identity.';
    return html`
      <h3>Identity check</h3>
      <p class="status" part="status" role="status" data-status=${status}>${text ?? ''}</p>
      ${status === 'rejected' && !this.retaking
        ? html`<div class="actions"><button class="primary" @click=${this.startOver}>Take new photos</button></div>`
        : nothing}
      ${this.capturing() ? (this.step === 'submit' ? this.renderSubmit() : this.renderTake(this.step)) : nothing}
      ${this.error ? html`<p class="error" part="error" role="alert">${this.error}</p>` : nothing}
    `;
  }

  private renderTake(kind: IdentityPhotoKind) {
    const take = TAKE[kind];
    const track = this.track ?? this.ownTrack;
    const pending = this.pending;
    return html`<section part="capture" aria-labelledby="take-title">
      <h4 id="take-title">${kind === 'document' ? 'Step 1 of 2' : 'Step 2 of 2'}: ${take.title}</h4>
      <p class="fine">${take.hint}</p>
      <figure class="frame" part="frame">
        ${pending
          ? html`<img src=${pending.url} alt=${take.alt} />`
          : track
            ? html`<video autoplay muted playsinline .muted=${true} .srcObject=${live(this.streamOf(track))} aria-label="Camera preview"></video>`
            : html`<span>${this.cameraError ?? 'Starting the camera…'}</span>`}
      </figure>
      <div class="actions">
        ${pending
          ? html`<button class="secondary" ?disabled=${this.busy} @click=${this.retake}>Retake</button>
              <button class="primary" ?disabled=${this.busy} @click=${() => this.use(kind)}>Use this photo</button>`
          : this.cameraError && !this.track
            ? html`<button class="primary" @click=${this.retryCamera}>Try the camera again</button>`
            : html`<button class="primary" ?disabled=${!track || this.busy} @click=${this.take}>${take.button}</button>`}
      </div>
    </section>`;
  }

  private renderSubmit() {
    return html`<section part="photos" aria-labelledby="submit-title">
      <h4 id="submit-title">Check your photos, then submit them</h4>
      <div class="photos">
        ${(['document', 'face'] as const).map(
          (kind) => html`<figure>
            <img src=${this.taken[kind]?.url ?? ''} alt=${TAKE[kind].alt} />
            <figcaption>
              ${kind === 'document' ? 'ID document' : 'Face'}
              <button class="secondary" ?disabled=${this.busy} @click=${() => this.goTo(kind)} aria-label="Retake the photo of your ${kind === 'document' ? 'ID document' : 'face'}">
                Retake
              </button>
            </figcaption>
          </figure>`,
        )}
      </div>
      <div class="actions">
        <button class="primary" ?disabled=${this.busy} @click=${this.submit}>Submit for review</button>
      </div>
    </section>`;
  }

  /** Whether photos are being taken: before submitting, or again after a rejection. */
  private capturing(): boolean {
    return this.status === 'none' || (this.status === 'rejected' && this.retaking);
  }

  private readonly take = async () => {
    const source = this.video;
    if (!source) return;
    this.error = undefined;
    try {
      const blob = await capturePhoto(source);
      this.pending = { blob, url: URL.createObjectURL(blob) };
    } catch (error) {
      this.error = messageOf(error);
    }
  };

  private readonly retake = () => {
    if (this.pending) URL.revokeObjectURL(this.pending.url);
    this.pending = undefined;
  };

  private async use(kind: IdentityPhotoKind): Promise<void> {
    const photo = this.pending;
    const session = this.session;
    if (!photo || !session) return;
    await this.run(async () => {
      await uploadIdentityPhoto(this.server, this.token, session.sessionId, kind, photo.blob);
      const before = this.taken[kind];
      if (before) URL.revokeObjectURL(before.url);
      this.taken = { ...this.taken, [kind]: photo };
      this.pending = undefined;
      this.step = kind === 'document' && !this.taken.face ? 'face' : 'submit';
    });
  }

  private readonly submit = async () => {
    const session = this.session;
    if (!session) return;
    await this.run(async () => {
      await submitIdentity(this.server, this.token, session.sessionId);
      this.sent = true;
    });
  };

  private goTo(step: Step): void {
    this.retake();
    this.error = undefined;
    this.step = step;
  }

  private readonly startOver = () => {
    this.forgetPhotos();
    this.retaking = true;
  };

  private readonly retryCamera = () => {
    this.cameraError = undefined;
  };

  private async run(action: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = undefined;
    try {
      await action();
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.busy = false;
    }
  }

  private async startCamera(): Promise<void> {
    if (this.cameraStarting) return;
    this.cameraStarting = true;
    try {
      const track = await captureWebcam();
      if (this.capturing() && this.isConnected && !this.track) this.ownTrack = track;
      else track.stop();
    } catch (error) {
      this.cameraError = messageOf(error);
    } finally {
      this.cameraStarting = false;
    }
  }

  private stopCamera(): void {
    this.ownTrack?.stop();
    this.ownTrack = undefined;
  }

  private forgetPhotos(): void {
    for (const photo of [...Object.values(this.taken), this.pending]) if (photo) URL.revokeObjectURL(photo.url);
    this.taken = {};
    this.pending = undefined;
    this.step = 'document';
    this.error = undefined;
  }

  /** One stream per track, so re-rendering never restarts the preview. */
  private streamOf(track: MediaStreamTrack): MediaStream {
    let stream = this.streams.get(track);
    if (!stream) this.streams.set(track, (stream = new MediaStream([track])));
    return stream;
  }
}

function messageOf(error: unknown): string {
  return error instanceof ProctorError || error instanceof Error ? error.message : String(error);
}
