import { isOlder } from '../session/summary-order.js';
import type { ChannelState } from '../channel/control-channel.js';
import { ControlChannel } from '../channel/control-channel.js';
import { controlUrl } from '../channel/control-url.js';
import { WEBCAM_CONSTRAINTS, captureWebcam } from '../capture/capture.js';
import { ServerClock } from '../clock/server-clock.js';
import { ProctorError } from '../errors.js';
import type { ChimeSdkLoader } from '../media/chime/chime-sdk.js';
import type { CandidateMedia } from '../media/media.js';
import { createCandidateMedia } from '../media/providers.js';
import { PhoneRedeemSchema, parse, type PhoneRedeemed, type RunEndReason, type SessionEvent, type SessionSummary } from '../protocol/index.js';
import { DeferredRecorder } from '../recording/deferred-recorder.js';
import type { RecordingStatus } from '../recording/session-recorder.js';
import { Store, type Readable } from '../util/store.js';
import type { FeedCapture, SessionEnd } from '../session/candidate-session.js';
import { EventFeed } from '../session/event-feed.js';

/** Which camera of the phone: `environment` (the back one, for the room) or `user` (the front one). */
export type PhoneFacing = 'environment' | 'user';

/** A supervisor's request to show the room with the phone. */
export interface RoomScanRequest {
  at: number;
  /** The supervisor's name. */
  from?: string;
}

/** Everything a phone page shows, as one immutable value. */
export interface PhoneState {
  /** `pairing` while the link or code is being redeemed, then the control channel's state. */
  connection: 'pairing' | ChannelState;
  /** The candidate's name, once paired. */
  name?: string;
  session?: SessionSummary;
  camera: FeedCapture;
  facing: PhoneFacing;
  /** Set while a supervisor's room-scan request waits to be done. */
  roomScan?: RoomScanRequest;
  ended?: SessionEnd;
  /** Why the phone cannot go on: the pairing was refused, used, expired, or replaced by another phone. */
  error?: ProctorError;
  /** Whether the phone camera is being recorded and what still waits to upload; `undefined` with `record: false`. */
  recording?: RecordingStatus;
}

/** Options of {@link PhoneSession}. */
export interface PhoneSessionOptions {
  /** Where the server kit's router is mounted, e.g. `/proctor`. */
  server: string;
  /** The secret of a pairing link (its `pairing` query parameter), or the short code typed in. */
  pairing: { pairing: string } | { code: string };
  /** Which camera to start with. Default: `environment`, the back camera, to show the room. */
  facing?: PhoneFacing;
  /** Loads the Amazon Chime SDK when the server uses Chime. Default: on demand; tests pass a fake. */
  chimeSdk?: ChimeSdkLoader;
  /**
   * Record the phone camera on the phone and upload it to the kit, from capture to the end of the
   * exam (a new run each time the camera starts again); chunks wait in IndexedDB while the network
   * is away, and the next phone page of the session uploads what this one left. Default: `true`.
   */
  record?: boolean;
}

const TOKEN_KEY = 'proctorkit-phone:';
const ROOM_SCAN_FRESH_MS = 2 * 60_000;
/**
 * Apart from the candidate page's outbox: each page uploads every run its outbox holds for the
 * session, and the kit takes the phone feed only from the phone (and the others only from the
 * candidate's page), which matters when both pages run in one browser.
 */
const PHONE_OUTBOX = 'proctorkit-phone-recordings';

/**
 * A paired phone's side of a session: redeems the pairing once (a reload reuses the phone token it
 * got), publishes the phone camera as the session's `phone` feed through the server's media
 * provider, records it and uploads the recording, reconnects by itself, and shows supervisors'
 * room-scan requests.
 */
export class PhoneSession {
  private readonly store: Store<PhoneState>;
  private channel?: ControlChannel;
  private serverClock?: ServerClock;
  private readonly recorder?: DeferredRecorder;
  /** The camera's run that is ending: its last chunk is still being written. */
  private feed?: EventFeed;
  private media?: CandidateMedia;
  private mediaStarted = false;
  private closed = false;
  /** Where this page keeps the phone token it redeemed, for reloads. */
  private savedAs?: string;

  constructor(private readonly options: PhoneSessionOptions) {
    this.store = new Store<PhoneState>({ connection: 'pairing', camera: { state: 'off' }, facing: options.facing ?? 'environment' });
    if (options.record !== false) {
      this.recorder = new DeferredRecorder({
        server: options.server,
        // Uploads start once the session is bound, which is after the channel's first welcome.
        token: () => this.channel?.token ?? '',
        now: () => this.serverClock?.now() ?? Date.now(),
        outboxName: PHONE_OUTBOX,
        backlog: { feeds: ['phone'], send: (feed, pendingMs) => this.channel?.send({ type: 'recording.backlog', feed, pendingMs }) ?? false },
      });
      this.patch({ recording: this.recorder.state.value });
      this.recorder.state.subscribe((recording) => this.patch({ recording }));
    }
  }

  get state(): Readable<PhoneState> {
    return this.store;
  }

  /** Redeems the pairing, connects, and starts the camera (after the candidate agreed on the phone). */
  async start(): Promise<void> {
    if (this.channel || this.closed) return;
    let redeemed: PhoneRedeemed;
    try {
      redeemed = await this.redeem();
    } catch (error) {
      this.patch({ connection: 'closed', error: asProctorError(error) });
      return;
    }
    if (this.closed) return;
    const channel = new ControlChannel({ url: controlUrl(this.options.server), token: redeemed.token });
    this.channel = channel;
    this.serverClock = new ServerClock(channel);
    // A reload of the phone page after hours says hello with the latest token, not the first.
    channel.onEvent('token', ({ token }) => sessionStorage.setItem(this.savedAs!, JSON.stringify({ ...redeemed, token })));
    this.feed = new EventFeed(channel, (_sessionId, events, live) => this.applyEvents(events, live));
    channel.state.subscribe((connection) => this.patch({ connection }));
    channel.on('session.updated', ({ session }) => this.sessionChanged(session));
    channel.onEvent('closed', ({ error }) => {
      if (error) this.patch({ error });
      // The kit takes nothing more with this phone's token: what waits is uploaded by this phone's next page.
      void this.stopCamera('stopped').then(() => this.recorder?.close());
    });
    channel.onEvent('welcome', ({ name, session, provider }) => {
      this.patch({ name });
      if (!session) return;
      this.feed!.follow(session.sessionId, session.lastSeq);
      void this.recorder?.bind(session.sessionId);
      this.sessionChanged(session);
      if (this.store.value.ended) return;
      const { camera } = this.store.value;
      if (camera.state === 'live') channel.send({ type: 'feed.state', feed: 'phone', state: 'live' });
      if (!this.mediaStarted) {
        this.mediaStarted = true;
        void createCandidateMedia(channel, provider, this.options.chimeSdk ? { chimeSdk: this.options.chimeSdk } : {}).then((media) => {
          if (this.closed) return media.close();
          this.media = media;
          media.setTrack('phone', this.store.value.camera.track ?? null);
        });
      }
    });
    channel.connect();
    await this.startCamera();
  }

  /** Switches between the back and the front camera. */
  async switchCamera(): Promise<void> {
    this.patch({ facing: this.store.value.facing === 'environment' ? 'user' : 'environment' });
    void this.stopCamera('stopped');
    await this.startCamera();
  }

  /** Starts the camera again after a failure (e.g. once the candidate allowed it). */
  async retryCamera(): Promise<void> {
    if (this.store.value.camera.state === 'live') return;
    await this.startCamera();
  }

  /** The candidate did the room scan: the request goes away on this phone. */
  dismissRoomScan(): void {
    this.patch({ roomScan: undefined });
  }

  /**
   * Waits until every recorded chunk is stored by the kit, or `timeoutMs` passed (uploads go on
   * while the page stays open). Resolves whether everything is uploaded.
   */
  async drainRecordings(timeoutMs: number): Promise<boolean> {
    return this.recorder ? this.recorder.drain(timeoutMs) : true;
  }

  /** Stops the camera and closes the connection; recorded chunks not yet uploaded wait for the next phone page. */
  close(): void {
    this.closed = true;
    this.recorder?.close();
    void this.stopCamera();
    this.serverClock?.close();
    this.media?.close();
    this.feed?.close();
    this.channel?.close();
  }

  private async redeem(): Promise<PhoneRedeemed> {
    const input = parse(PhoneRedeemSchema, this.options.pairing);
    if (!input.ok) throw new ProctorError('bad-input', `That pairing code is not valid: it ${input.message}.`);
    const key = TOKEN_KEY + ('pairing' in input.value ? input.value.pairing : input.value.code);
    this.savedAs = key;
    const saved = sessionStorage.getItem(key);
    if (saved) return JSON.parse(saved) as PhoneRedeemed;
    const response = await fetch(`${this.options.server.replace(/\/$/, '')}/phone/redeem`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input.value),
    });
    const body = (await response.json().catch(() => ({}))) as PhoneRedeemed & { error?: { message: string } };
    if (!response.ok) throw new ProctorError('pairing-refused', body.error?.message ?? `Pairing failed (HTTP ${response.status}).`);
    sessionStorage.setItem(key, JSON.stringify(body));
    return body;
  }

  private async startCamera(): Promise<void> {
    const { camera, facing, ended } = this.store.value;
    if (camera.state === 'starting' || camera.state === 'live' || this.closed || ended) return;
    this.patch({ camera: { state: 'starting' } });
    let track: MediaStreamTrack;
    try {
      track = await captureWebcam({ ...WEBCAM_CONSTRAINTS, facingMode: { ideal: facing } });
    } catch (error) {
      this.patch({ camera: { state: 'failed', error: asProctorError(error) } });
      return;
    }
    if (this.closed || this.store.value.ended) return track.stop();
    track.addEventListener('ended', () => {
      if (this.store.value.camera.track !== track) return;
      void this.recorder?.stop('phone', 'camera-lost');
      this.media?.setTrack('phone', null);
      this.channel?.send({ type: 'feed.state', feed: 'phone', state: 'lost' });
      this.patch({ camera: { state: 'failed', error: new ProctorError('camera-stopped', 'The phone camera stopped. Start it again.') } });
    });
    this.patch({ camera: { state: 'live', track } });
    this.media?.setTrack('phone', track);
    void this.recorder?.record('phone', track);
    this.channel?.send({ type: 'feed.state', feed: 'phone', state: 'live' });
  }

  /**
   * Stops the camera, ending its recording's run for `reason` first so that the last chunk is whole;
   * without a reason the run stays open, for the next page to end. Resolves once the run ended.
   */
  private stopCamera(reason?: RunEndReason): Promise<void> {
    const { track } = this.store.value.camera;
    const ended = reason && this.recorder ? this.recorder.stop('phone', reason) : Promise.resolve();
    if (track) {
      track.stop();
      this.media?.setTrack('phone', null);
      this.patch({ camera: { state: 'off' } });
    }
    return ended;
  }

  private sessionChanged(session: SessionSummary): void {
    if (isOlder(session, this.store.value.session)) return;
    this.feed?.catchUp(session.sessionId, session.lastSeq);
    this.patch({ session });
    if (session.clock.endedAt !== null && !this.store.value.ended) {
      this.patch({ ended: { reason: session.clock.endReason ?? 'finished' }, roomScan: undefined });
      void this.stopCamera('exam-ended');
      this.channel?.close();
    }
  }

  private applyEvents(events: SessionEvent[], live: boolean): void {
    for (const event of events) {
      // A request missed while offline still counts for a while: the supervisor is waiting.
      if (event.type === 'phone.room-scan-requested' && (live || Date.now() - event.at < ROOM_SCAN_FRESH_MS)) {
        this.patch({ roomScan: { at: event.at, ...(event.by ? { from: event.by } : {}) } });
      }
    }
  }

  private patch(change: Partial<PhoneState>): void {
    this.store.update((state) => ({ ...state, ...change }));
  }
}

function asProctorError(error: unknown): ProctorError {
  return error instanceof ProctorError ? error : new ProctorError('connection-refused', String(error));
}
