import { LitElement, adoptStyles, html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { PhoneFacing, PhoneSession, PhoneState } from '@proctorkit/core';
import { fire } from '../shared/events.js';
import { ReadableController } from '../shared/readable-controller.js';
import { systemTokens } from '../shared/theme.js';
import { WakeLockController } from './wake-lock.js';

type View = typeof import('./phone-view.js');
let view: Promise<View> | undefined;
/** The element's templates, styles and core's PhoneSession, loaded once, only by pages with a phone element. */
const loadView = () => (view ??= import('./phone-view.js'));

/**
 * Where the phone is: `idle` (asking for consent), `pairing`, `connecting`, `connected`,
 * `reconnecting`, `refused` (the link or code was used, expired or mistyped), `replaced` (another
 * phone was paired since), `ended` (the exam ended) or `error` (e.g. opened in another tab).
 */
export type PhoneStatus = 'idle' | 'pairing' | 'connecting' | 'connected' | 'reconnecting' | 'refused' | 'replaced' | 'ended' | 'error';

function statusOf(state: PhoneState | undefined): PhoneStatus {
  if (!state) return 'idle';
  if (state.ended) return 'ended';
  const code = state.error?.code;
  if (code === 'pairing-refused' || code === 'bad-input') return 'refused';
  // A phone token is refused only once a newer pairing replaced it (or after hours, when it expired).
  if (code === 'unauthorized') return 'replaced';
  if (state.error || state.connection === 'closed') return 'error';
  return state.connection === 'open' ? 'connected' : state.connection;
}

/** Which screen a status shows; statuses of one screen only change its status line. */
function screenOf(status: PhoneStatus): string {
  if (status === 'pairing' || status === 'connecting' || status === 'connected' || status === 'reconnecting') return 'live';
  return status;
}

/**
 * The phone page of a paired phone: it opens from the pairing link's QR code (give its `pairing`
 * query parameter to the `pairing` attribute) or asks for the short code shown on the exam page.
 * After the candidate agrees ("Connect this phone"), it sends the phone's camera as the session's
 * `phone` feed and records it for review, with a preview, the connection status, what is recorded
 * and what still waits to upload, a front / back camera switch, a clear way
 * out of each problem (camera blocked, link used or expired, phone replaced), the supervisors'
 * room-scan requests, and what happened when it stops. It reconnects by itself after a drop, and
 * keeps the screen on while it sends (where the browser allows it). Nothing is captured before
 * consent. Its templates and core's `PhoneSession` load on demand, in a chunk beside the elements
 * bundle: only a page with a phone element downloads them.
 *
 * @tagname proctor-phone
 * @summary The paired phone's page: consent, the phone camera as the session's phone feed, status, room scans.
 *
 * @event proctor-phone-connected - The phone is connected and sends its camera (again after a drop). Detail: `PhoneConnectedDetail` (`name`, `sessionId`).
 * @event proctor-room-scan - A supervisor asked to see the room through the phone. Detail: `RoomScanDetail` (`at`, `from`).
 *
 * @slot privacy - The host's own privacy notice, shown before connecting.
 *
 * @csspart consent - The step before connecting: what is captured, the code field, "Connect this phone".
 * @csspart code - The short code's field.
 * @csspart problem - Why the phone cannot go on (link used or expired, replaced, camera blocked), with what to do.
 * @csspart status - The connection status; `data-status` says which.
 * @csspart recording - Whether the camera is being recorded and how much waits to upload; `data-state` is `recording`, `uploading` or `problem`.
 * @csspart room-scan - The supervisor's room-scan request, with "Done".
 * @csspart preview - The camera preview.
 * @csspart ended - What shows once the exam has ended.
 *
 * @cssproperty --proctor-phone-background=#ffffff - Background.
 * @cssproperty --proctor-phone-color=#111827 - Text color.
 * @cssproperty --proctor-phone-border=#e5e7eb - Borders.
 * @cssproperty --proctor-color-accent=#2563eb - The main buttons, the room-scan request and focus rings.
 * @cssproperty --proctor-color-live=#16a34a - The connected status.
 * @cssproperty --proctor-color-warning=#d97706 - The reconnecting status.
 * @cssproperty --proctor-color-danger=#dc2626 - Problems.
 */
export class ProctorPhone extends LitElement {
  /** @internal */
  static override styles = [systemTokens];

  /** Where the server kit's router is mounted, e.g. `/proctor`. */
  @property() server = '';

  /** The pairing link's secret (its `pairing` query parameter). Without it, the element asks for the short code. */
  @property() pairing = '';

  /** Which camera to start with: `environment` (the back one, for the room) or `user` (the front one). */
  @property() facing: PhoneFacing = 'environment';

  /** Where the phone is, reflected so pages can style by it. Set by the element. */
  @property({ reflect: true }) status: PhoneStatus = 'idle';

  @state() private view?: View;
  /** The short code as typed. */
  @state() private code = '';
  @state() private codeProblem?: string;
  /** How many cameras the phone has (0 until known): switching needs two. */
  @state() private cameras = 0;

  private readonly viewLoaded = loadView().then((loaded) => {
    this.view = loaded;
  });
  private styled = false;
  private current?: PhoneSession;
  private readonly phoneState = new ReadableController<PhoneState>(this);
  private readonly wakeLock = new WakeLockController(this);
  private wasSending = false;
  private lastRoomScanAt?: number;
  private lastStatus: PhoneStatus = 'idle';
  private camerasCounted = false;
  /** The short code connected with last, if not the link. */
  private sentCode?: string;

  /** The core phone session, once the candidate connected. */
  get session(): PhoneSession | undefined {
    return this.current;
  }

  /** The phone's state: connection, the candidate's name, the camera, the room-scan request, the end. */
  get state(): PhoneState | undefined {
    return this.phoneState.value;
  }

  /**
   * Connects as the "Connect this phone" button does: with the short `code` when given, else the
   * `pairing` attribute. Call it only from the person's own action: it is their consent to capture.
   * Resolves once the camera started or failed.
   */
  async connect(code?: string): Promise<void> {
    await this.viewLoaded;
    const pairing = code ? { code } : this.pairing ? { pairing: this.pairing } : undefined;
    if (!this.server || !pairing) return;
    this.current?.close();
    this.sentCode = code;
    const session = new this.view!.PhoneSession({ server: this.server, pairing, facing: this.facing });
    this.current = session;
    this.phoneState.bind(session.state);
    await session.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.current?.close();
    this.current = undefined;
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    await this.viewLoaded;
    return super.getUpdateComplete();
  }

  protected override willUpdate(): void {
    if (this.view && !this.styled && this.renderRoot instanceof ShadowRoot) {
      adoptStyles(this.renderRoot, [systemTokens, this.view.phoneStyles]);
      this.styled = true;
    }
    this.status = statusOf(this.phoneState.value);
  }

  protected override updated(changed: PropertyValues<this>): void {
    const state = this.phoneState.value;
    const sending = state?.connection === 'open' && state.camera.state === 'live';
    // A phone asleep uploads nothing: the screen stays on until the recording is uploaded too.
    this.wakeLock.hold(sending || (state?.recording?.pendingChunks ?? 0) > 0);
    if (sending && !this.wasSending && state.session) {
      this.code = '';
      fire(this, 'proctor-phone-connected', { name: state.name ?? '', sessionId: state.session.sessionId });
    }
    this.wasSending = sending;
    // The cameras can be counted once one is allowed.
    if (state?.camera.state === 'live' && !this.camerasCounted) void this.countCameras();
    const scan = state?.roomScan;
    if (scan && scan.at !== this.lastRoomScanAt) {
      fire(this, 'proctor-room-scan', scan.from ? { at: scan.at, from: scan.from } : { at: scan.at });
      navigator.vibrate?.(200);
    }
    this.lastRoomScanAt = scan?.at;
    if (changed.has('status') && screenOf(this.status) !== screenOf(this.lastStatus)) {
      // A new screen replaced the focused button: its heading takes focus, so a screen reader starts there.
      this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
    }
    this.lastStatus = this.status;
  }

  protected override render() {
    if (!this.server) return html`<p>Set <code>server</code> (and <code>pairing</code> from the link) to pair this phone.</p>`;
    return (
      this.view?.renderPhone({
        status: this.status,
        state: this.phoneState.value,
        askCode: !this.pairing,
        code: this.code,
        codeProblem: this.codeProblem,
        cameras: this.cameras,
        typed: this.typed,
        submit: this.submit,
        retryCamera: () => void this.current?.retryCamera(),
        switchCamera: () => void this.current?.switchCamera(),
        dismissRoomScan: () => this.current?.dismissRoomScan(),
        // Connects again with the link or code used last; the phone token it got is reused, as after a reload.
        reconnect: () => void this.connect(this.sentCode),
      }) ?? html`<p>Loading…</p>`
    );
  }

  private readonly typed = (event: InputEvent) => {
    const input = event.target as HTMLInputElement;
    this.code = this.view!.formatPairingCode(input.value);
    input.value = this.code;
    this.codeProblem = undefined;
  };

  private readonly submit = (event: SubmitEvent) => {
    event.preventDefault();
    const askCode = !this.pairing || this.status === 'refused' || this.status === 'replaced';
    if (!askCode) {
      void this.connect();
      return;
    }
    const read = this.view!.readPairingCode(this.code);
    if ('problem' in read) {
      this.codeProblem = read.problem;
      this.renderRoot.querySelector<HTMLInputElement>('#code')?.focus();
      return;
    }
    void this.connect(read.code);
  };

  private async countCameras(): Promise<void> {
    this.camerasCounted = true;
    try {
      const devices = await navigator.mediaDevices.enumerateDevices();
      this.cameras = devices.filter((d) => d.kind === 'videoinput').length;
    } catch {
      this.cameras = 2;
    }
  }
}
