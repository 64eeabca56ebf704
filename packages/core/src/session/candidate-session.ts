import { isOlder } from './summary-order.js';
import type { ChannelState } from '../channel/control-channel.js';
import { ControlChannel } from '../channel/control-channel.js';
import { controlUrl } from '../channel/control-url.js';
import { captureMicrophone, captureScreen, captureWebcam } from '../capture/capture.js';
import { ServerClock } from '../clock/server-clock.js';
import { ProctorError } from '../errors.js';
import { IntegrityMonitor } from '../integrity/integrity-monitor.js';
import type { ChimeSdkLoader } from '../media/chime/chime-sdk.js';
import type { CandidateMedia } from '../media/media.js';
import { createCandidateMedia } from '../media/providers.js';
import { requestPhonePairing } from '../phone/phone-pairing.js';
import {
  LogNameSchema,
  clockEndsAt,
  clockRemainingMs,
  parse,
  type ClockState,
  type EndReason,
  type PhonePairing,
  type SessionEvent,
  type SessionSummary,
} from '../protocol/index.js';
import { Emitter } from '../util/emitter.js';
import { Store, type Readable } from '../util/store.js';
import { EventFeed } from './event-feed.js';
import { Outbox } from './outbox.js';
import { DeferredRecorder } from '../recording/deferred-recorder.js';
import type { RecordingStatus } from '../recording/session-recorder.js';

/** The feeds a candidate's own page captures (the phone joins from its own page). */
export type CapturedFeed = 'webcam' | 'screen';

/** Where one captured feed is. */
export interface FeedCapture {
  state: 'off' | 'starting' | 'live' | 'failed';
  /** The captured track while `live`, for a self-preview. */
  track?: MediaStreamTrack;
  /** Why the feed is `failed`. */
  error?: ProctorError;
}

/** A supervisor's message to the candidate. */
export interface SupervisorMessage {
  messageId: string;
  text: string;
  /** The supervisor's name. */
  from?: string;
  /** Server time it was sent. */
  at: number;
  /** Whether the candidate acknowledged it. */
  acked: boolean;
}

/** The exam clock as a page shows it. */
export interface ClockView {
  /** Time left; the whole duration before the exam starts, 0 once it ended. */
  remainingMs: number;
  paused: boolean;
  /** When the exam ends at the current pace (server time, ms since epoch); `null` before it starts. */
  endsAt: number | null;
  started: boolean;
}

/** How the session ended, for the page to say. */
export interface SessionEnd {
  reason: EndReason;
  /** The supervisor's reason when terminated. */
  message?: string;
}

/** Everything a candidate's page shows, as one immutable value. */
export interface CandidateState {
  connection: ChannelState;
  /** The candidate's session (with its clock) once the server accepted the token. */
  session?: SessionSummary;
  /** Whether the candidate agreed to be captured. Nothing is captured before. */
  consented: boolean;
  feeds: Record<CapturedFeed, FeedCapture>;
  /**
   * Set while the server prepares the session's media (e.g. creates its Amazon Chime meeting under
   * the account's request rate): `ahead` requests wait before this one. The clock starts after.
   */
  preparing?: { ahead: number };
  /** Supervisors' messages, oldest first. */
  messages: SupervisorMessage[];
  /** Set once the exam has ended. */
  ended?: SessionEnd;
  /** Why the session cannot go on (refused token, opened elsewhere). */
  error?: ProctorError;
  /** The phone paired last: the pairing it redeemed (a {@link PhonePairing}'s `pairingId`) and when. */
  phone?: { pairingId: string; pairedAt: number };
  /** What is being recorded and what still waits to upload; `undefined` with `record: false`. */
  recording?: RecordingStatus;
  /** Whether the kit records the microphone into the webcam's file (its `recordAudio`), once welcomed. */
  recordsAudio?: boolean;
  /** How many days after the exam the kit deletes recordings (its `retentionDays`), once welcomed; `undefined` when the host keeps them. */
  retentionDays?: number;
}

/** Things that happen to a candidate's session. */
export interface CandidateSessionEvents extends Record<string, unknown> {
  'feed-live': { feed: CapturedFeed };
  'feed-error': { feed: CapturedFeed; error: ProctorError };
  'session-error': { error: ProctorError };
  /** The exam clock started (also when a reloaded page finds it running). */
  started: { endsAt: number | null };
  paused: Record<string, never>;
  resumed: Record<string, never>;
  'time-extended': { minutes: number; endsAt: number | null };
  message: { messageId: string; text: string; from?: string };
  ended: SessionEnd;
}

/** Options of {@link CandidateSession}. */
export interface CandidateSessionOptions {
  /** Where the server kit's router is mounted, e.g. `/proctor`. */
  server: string;
  /** A candidate token from the host's server. */
  token: string;
  /** Which feeds to capture. Default: webcam and screen. */
  feeds?: CapturedFeed[];
  /** Report leaving fullscreen as an integrity signal (when the host requires fullscreen). */
  requireFullscreen?: boolean;
  /** Loads the Amazon Chime SDK when the server uses Chime. Default: on demand; tests pass a fake. */
  chimeSdk?: ChimeSdkLoader;
  /**
   * Start the exam clock as soon as every feed is live after consent. `false` leaves the moment to
   * the page, which calls {@link CandidateSession.start} after steps of its own (phone pairing,
   * identity check). Default: `true`.
   */
  autoStart?: boolean;
  /**
   * Record every captured feed in the browser and upload it to the kit, from consent to the end of
   * the exam; chunks wait in IndexedDB while the network is away. Default: `true`.
   */
  record?: boolean;
}

const CAPTURE: Record<CapturedFeed, () => Promise<MediaStreamTrack>> = {
  webcam: () => captureWebcam(),
  screen: () => captureScreen(),
};

/**
 * A candidate's side of a session: connects the control channel, captures the feeds once the
 * candidate consents, publishes them through the server's media provider, starts the exam clock,
 * and reports feeds, integrity signals and the host's log lines — none lost to a drop or a reload.
 */
export class CandidateSession {
  private readonly store: Store<CandidateState>;
  private readonly emitter = new Emitter<CandidateSessionEvents>();
  private readonly channel: ControlChannel;
  private readonly serverClock: ServerClock;
  private readonly outbox: Outbox;
  private readonly feed: EventFeed;
  private readonly integrity: IntegrityMonitor;
  private readonly feedList: CapturedFeed[];
  private readonly recorder?: DeferredRecorder;
  /** The microphone recorded into the webcam's file, with `recordAudio`. */
  private microphone?: MediaStreamTrack;
  private media?: CandidateMedia;
  private mediaReady?: Promise<CandidateMedia>;
  private closed = false;
  private endReasonText?: string;
  private readonly chimeSdk: ChimeSdkLoader | undefined;
  private startAllowed: boolean;
  /** `session.start` went out on this connection: the server remembers it (even while it waits for an identity approval). */
  private startSent = false;

  constructor(private readonly options: CandidateSessionOptions) {
    this.chimeSdk = options.chimeSdk;
    this.startAllowed = options.autoStart ?? true;
    this.feedList = options.feeds ?? ['webcam', 'screen'];
    this.channel = new ControlChannel({ url: controlUrl(options.server), token: options.token });
    this.serverClock = new ServerClock(this.channel);
    this.outbox = new Outbox(this.channel);
    this.feed = new EventFeed(this.channel, (_sessionId, events) => this.applyEvents(events));
    this.integrity = new IntegrityMonitor(
      ({ code, data, at }) => this.outbox.add({ kind: 'signal', id: newId(), code, data, at }),
      { requireFullscreen: options.requireFullscreen ?? false, now: () => this.serverNow() },
    );
    this.store = new Store<CandidateState>({
      connection: 'connecting',
      consented: false,
      feeds: { webcam: { state: 'off' }, screen: { state: 'off' } },
      messages: [],
    });
    this.channel.state.subscribe((connection) => this.patch({ connection }));
    if (options.record !== false) {
      this.recorder = new DeferredRecorder({
        server: options.server,
        token: () => this.channel.token,
        now: () => this.serverNow(),
        backlog: { feeds: this.feedList, send: (feed, pendingMs) => this.channel.send({ type: 'recording.backlog', feed, pendingMs }) },
      });
      this.patch({ recording: this.recorder.state.value });
      this.recorder.state.subscribe((recording) => this.patch({ recording }));
    }
    this.channel.onEvent('welcome', (welcome) => void this.welcomed(welcome.session));
    this.channel.on('session.updated', ({ session }) => this.sessionChanged(session));
    this.channel.on('session.preparing', ({ ahead }) => this.patch({ preparing: { ahead } }));
    this.channel.on('session.media', () => {
      this.patch({ preparing: undefined });
      this.startWhenReady();
    });
    this.channel.onEvent('closed', ({ error }) => {
      if (!error) return;
      this.patch({ error });
      this.emitter.emit('session-error', { error });
    });
  }

  get state(): Readable<CandidateState> {
    return this.store;
  }

  /**
   * The token for the page's requests to the kit: the one given, or the one the server renewed it
   * with before it expired.
   */
  get token(): string {
    return this.channel.token;
  }

  /** The feeds this session captures, in order. */
  get feeds(): readonly CapturedFeed[] {
    return this.feedList;
  }

  /** The exam clock now, from the server's clock as this page estimates it. */
  clock(): ClockView {
    const clock = this.store.value.session?.clock;
    if (!clock) return { remainingMs: 0, paused: false, endsAt: null, started: false };
    const now = this.serverNow();
    return {
      remainingMs: clockRemainingMs(clock, now),
      paused: clock.pausedAt !== null && clock.endedAt === null,
      endsAt: clockEndsAt(clock, now),
      started: clock.startedAt !== null,
    };
  }

  /** The server's time as this page estimates it (ms since epoch). */
  serverNow(): number {
    return this.serverClock.now();
  }

  on<K extends keyof CandidateSessionEvents>(type: K, handler: (detail: CandidateSessionEvents[K]) => void) {
    return this.emitter.on(type, handler);
  }

  connect(): void {
    this.channel.connect();
  }

  /** Records the candidate's consent and starts capturing every feed; the clock starts once all are live. */
  async consent(): Promise<void> {
    this.patch({ consented: true });
    for (const feed of this.feedList) await this.capture(feed);
  }

  /**
   * Asks for the exam clock to start, with `autoStart: false`: it starts once the candidate consented
   * and every feed is live (and, when the kit requires it, once a supervisor approved the identity).
   */
  start(): void {
    this.startAllowed = true;
    this.startWhenReady();
  }

  /** Tries a failed or stopped feed again (e.g. after the candidate allowed the camera). */
  async retry(feed: CapturedFeed): Promise<void> {
    if (!this.store.value.consented) throw new ProctorError('camera-denied', 'Capture starts only after consent.');
    await this.capture(feed);
  }

  /**
   * Adds a host log line to the session, e.g. `log('question.opened', { question: 3 })`. Kept until
   * the server confirms it, across drops and reloads.
   */
  log(name: string, data: Record<string, unknown> = {}): void {
    const parsed = parse(LogNameSchema, name);
    if (!parsed.ok) throw new ProctorError('bad-input', `log: name ${parsed.message}.`);
    if (JSON.stringify(data).length > 2048) throw new ProctorError('bad-input', 'log: data must be at most 2 KB of JSON.');
    this.outbox.add({ kind: 'log', id: newId(), name: parsed.value, data, at: this.serverNow() });
  }

  /** Acknowledges a supervisor's message; the supervisor sees it. */
  acknowledge(messageId: string): void {
    const message = this.store.value.messages.find((m) => m.messageId === messageId);
    if (!message || message.acked) return;
    this.outbox.add({ kind: 'ack', id: newId(), messageId, at: this.serverNow() });
    this.setMessages(this.store.value.messages.map((m) => (m.messageId === messageId ? { ...m, acked: true } : m)));
  }

  /**
   * A pairing for the candidate's phone, the session's third camera: a one-time link with its QR
   * code and a short code, valid 5 minutes. Pairing again replaces the paired phone. The phone's
   * feed shows in `state.session.feeds.phone`.
   */
  pairPhone(): Promise<PhonePairing> {
    const session = this.store.value.session;
    if (!session) return Promise.reject(new ProctorError('pairing-refused', 'Not connected yet: pair the phone once the session is open.'));
    return requestPhonePairing(this.options.server, this.channel.token, session.sessionId);
  }

  /**
   * Waits until every recorded chunk is stored by the kit, or `timeoutMs` passed (uploads go on
   * while the page stays open). Resolves whether everything is uploaded.
   */
  drainRecordings(timeoutMs: number): Promise<boolean> {
    return this.recorder ? this.recorder.drain(timeoutMs) : Promise.resolve(true);
  }

  /** Stops capture and closes the connection; recorded chunks not yet uploaded wait for the next page. */
  close(): void {
    this.closed = true;
    this.recorder?.close();
    this.stopCapture();
    this.serverClock.close();
    this.outbox.close();
    this.feed.close();
    this.channel.close();
  }

  private async welcomed(session: SessionSummary | undefined): Promise<void> {
    this.startSent = false;
    if (!session) return;
    this.feed.follow(session.sessionId, session.lastSeq, 0);
    void this.recorder?.bind(session.sessionId);
    const policy = this.channel.welcome?.recording;
    this.patch({ recordsAudio: policy?.audio === true, ...(policy?.retentionDays === undefined ? {} : { retentionDays: policy.retentionDays }) });
    this.sessionChanged(session);
    if (this.store.value.ended) return;
    const { provider } = this.channel.welcome!;
    const pending = provider.name === 'chime' && provider.state === 'pending';
    this.patch({ preparing: pending ? (this.store.value.preparing ?? { ahead: 0 }) : undefined });
    this.mediaReady ??= createCandidateMedia(this.channel, provider, {
      log: (name, data) => this.log(name, data),
      ...(this.chimeSdk ? { chimeSdk: this.chimeSdk } : {}),
    }).then((media) => {
      if (this.closed) media.close();
      return (this.media = media);
    });
    await this.mediaReady;
    if (this.closed || !this.media || this.store.value.ended) return;
    // The server starts every connection with the feeds off: tell it what is live.
    for (const feed of this.feedList) {
      const { state, track } = this.store.value.feeds[feed];
      if (state === 'live' && track) {
        this.media.setTrack(feed, track);
        this.channel.send({ type: 'feed.state', feed, state: 'live' });
      }
    }
    this.startWhenReady();
  }

  /** Follows the server's view of the session and tells the page what changed in the clock. */
  private sessionChanged(session: SessionSummary): void {
    const current = this.store.value.session;
    // Relayed by another server instance, a summary may arrive after a newer one.
    if (isOlder(session, current)) return;
    // A summary ahead of the events seen: some were missed (a server instance's bus was cut).
    this.feed.catchUp(session.sessionId, session.lastSeq);
    const before = current?.clock;
    this.patch({ session });
    const after = session.clock;
    if (after.endedAt !== null) {
      if (!this.store.value.ended) this.end(after);
      return;
    }
    if (after.startedAt !== null && !before?.startedAt) {
      this.integrity.start();
      this.emitter.emit('started', { endsAt: clockEndsAt(after, this.serverNow()) });
    }
    if (after.pausedAt !== null && before?.pausedAt == null) this.emitter.emit('paused', {});
    if (after.pausedAt === null && before?.pausedAt != null) this.emitter.emit('resumed', {});
    if (before && after.extendedMs > before.extendedMs) {
      const minutes = Math.round((after.extendedMs - before.extendedMs) / 60_000);
      this.emitter.emit('time-extended', { minutes, endsAt: clockEndsAt(after, this.serverNow()) });
    }
  }

  private end(clock: ClockState): void {
    const ended: SessionEnd = { reason: clock.endReason ?? 'finished', ...this.endMessage() };
    this.patch({ ended });
    // The recorders stop (synchronously) before the tracks do, so the last chunk is whole.
    void this.recorder?.stopAll('exam-ended');
    this.stopCapture();
    this.emitter.emit('ended', ended);
  }

  /** The supervisor's reason, from the `session.ended` event when it already arrived. */
  private endMessage(): { message?: string } {
    return this.endReasonText === undefined ? {} : { message: this.endReasonText };
  }

  private applyEvents(events: SessionEvent[]): void {
    let messages = this.store.value.messages;
    const fresh: SupervisorMessage[] = [];
    for (const event of events) {
      if (event.type === 'message.sent') {
        const { messageId, text } = event.data as { messageId: string; text: string };
        if (messages.some((m) => m.messageId === messageId)) continue;
        const message: SupervisorMessage = { messageId, text, at: event.at, acked: false, ...(event.by ? { from: event.by } : {}) };
        messages = [...messages, message];
        fresh.push(message);
      } else if (event.type === 'message.acked') {
        const { messageId } = event.data as { messageId: string };
        messages = messages.map((m) => (m.messageId === messageId ? { ...m, acked: true } : m));
      } else if (event.type === 'phone.paired' && typeof event.data.pairingId === 'string') {
        this.patch({ phone: { pairingId: event.data.pairingId, pairedAt: event.at } });
      } else if (event.type === 'session.ended' && typeof event.data.message === 'string') {
        this.endReasonText = event.data.message;
        const ended = this.store.value.ended;
        if (ended && !ended.message) this.patch({ ended: { ...ended, message: event.data.message } });
      }
    }
    this.setMessages(messages);
    for (const message of fresh) {
      const current = messages.find((m) => m.messageId === message.messageId);
      if (current && !current.acked) {
        this.emitter.emit('message', { messageId: message.messageId, text: message.text, ...(message.from ? { from: message.from } : {}) });
      }
    }
  }

  private startWhenReady(): void {
    const { consented, session, feeds, preparing } = this.store.value;
    if (this.startSent || !this.startAllowed || !consented || !session || preparing || session.clock.startedAt !== null || this.store.value.ended) return;
    if (this.feedList.every((feed) => feeds[feed].state === 'live')) this.startSent = this.channel.send({ type: 'session.start' });
  }

  private async capture(feed: CapturedFeed): Promise<void> {
    const current = this.store.value.feeds[feed];
    if (current.state === 'starting' || current.state === 'live' || this.closed || this.store.value.ended) return;
    this.setFeed(feed, { state: 'starting' });
    let track: MediaStreamTrack;
    try {
      track = await CAPTURE[feed]();
    } catch (error) {
      this.fail(feed, error instanceof ProctorError ? error : new ProctorError(feed === 'webcam' ? 'camera-missing' : 'screen-unsupported', String(error)));
      return;
    }
    if (this.closed || this.store.value.ended) {
      track.stop();
      return;
    }
    track.addEventListener('ended', () => this.ended(feed, track));
    this.setFeed(feed, { state: 'live', track });
    this.media?.setTrack(feed, track);
    void this.record(feed, track);
    if (feed === 'webcam') this.integrity.watchWebcam(track);
    else this.integrity.clear('screen-share-stopped');
    this.channel.send({ type: 'feed.state', feed, state: 'live' });
    this.emitter.emit('feed-live', { feed });
    this.startWhenReady();
  }

  /** Starts the feed's new recording run; the webcam's takes the microphone along when the kit records audio. */
  private async record(feed: CapturedFeed, track: MediaStreamTrack): Promise<void> {
    if (!this.recorder) return;
    if (feed !== 'webcam' || !this.store.value.recordsAudio) return this.recorder.record(feed, track);
    this.microphone?.stop();
    this.microphone = await captureMicrophone();
    if (this.closed || this.store.value.ended || track.readyState === 'ended') {
      this.microphone?.stop();
      return;
    }
    return this.recorder.record(feed, track, this.microphone);
  }

  private ended(feed: CapturedFeed, track: MediaStreamTrack): void {
    if (this.store.value.feeds[feed].track !== track || this.closed || this.store.value.ended) return;
    this.media?.setTrack(feed, null);
    void this.recorder?.stop(feed, feed === 'screen' ? 'share-stopped' : 'camera-lost');
    this.channel.send({ type: 'feed.state', feed, state: 'lost' });
    if (feed === 'webcam') this.integrity.watchWebcam(null);
    this.integrity.report(feed === 'screen' ? 'screen-share-stopped' : 'webcam-stopped');
    this.fail(
      feed,
      feed === 'screen'
        ? new ProctorError('screen-stopped', 'Screen sharing stopped. Share your entire screen again to continue.')
        : new ProctorError('camera-stopped', 'The camera stopped. Check that it is connected, then try again.'),
    );
  }

  private stopCapture(): void {
    this.integrity.stop();
    this.microphone?.stop();
    for (const feed of this.feedList) {
      const capture = this.store.value.feeds[feed];
      capture.track?.stop();
      if (capture.state === 'live' || capture.state === 'starting') this.setFeed(feed, { state: 'off' });
    }
    this.media?.close();
  }

  private fail(feed: CapturedFeed, error: ProctorError): void {
    this.setFeed(feed, { state: 'failed', error });
    this.emitter.emit('feed-error', { feed, error });
  }

  private setFeed(feed: CapturedFeed, capture: FeedCapture): void {
    this.store.update((state) => ({ ...state, feeds: { ...state.feeds, [feed]: capture } }));
  }

  private setMessages(messages: SupervisorMessage[]): void {
    if (messages !== this.store.value.messages) this.patch({ messages });
  }

  private patch(change: Partial<CandidateState>): void {
    this.store.update((state) => ({ ...state, ...change }));
  }
}

function newId(): string {
  return crypto.randomUUID();
}
