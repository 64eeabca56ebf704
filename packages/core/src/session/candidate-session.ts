import type { ChannelState } from '../channel/control-channel.js';
import { ControlChannel } from '../channel/control-channel.js';
import { controlUrl } from '../channel/control-url.js';
import { captureScreen, captureWebcam } from '../capture/capture.js';
import { ProctorError } from '../errors.js';
import type { CandidateMedia } from '../media/media.js';
import { createCandidateMedia } from '../media/providers.js';
import type { SessionSummary } from '../protocol/index.js';
import { Emitter } from '../util/emitter.js';
import { Store, type Readable } from '../util/store.js';

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

/** Everything a candidate's page shows, as one immutable value. */
export interface CandidateState {
  connection: ChannelState;
  /** The candidate's session once the server accepted the token. */
  session?: SessionSummary;
  /** Whether the candidate agreed to be captured. Nothing is captured before. */
  consented: boolean;
  feeds: Record<CapturedFeed, FeedCapture>;
  /** Why the session cannot go on (refused token, opened elsewhere). */
  error?: ProctorError;
}

/** Things that happen to a candidate's session. */
export interface CandidateSessionEvents extends Record<string, unknown> {
  'feed-live': { feed: CapturedFeed };
  'feed-error': { feed: CapturedFeed; error: ProctorError };
  'session-error': { error: ProctorError };
}

/** Options of {@link CandidateSession}. */
export interface CandidateSessionOptions {
  /** Where the server kit's router is mounted, e.g. `/proctor`. */
  server: string;
  /** A candidate token from the host's server. */
  token: string;
  /** Which feeds to capture. Default: webcam and screen. */
  feeds?: CapturedFeed[];
}

const CAPTURE: Record<CapturedFeed, () => Promise<MediaStreamTrack>> = {
  webcam: () => captureWebcam(),
  screen: () => captureScreen(),
};

/**
 * A candidate's side of a session: connects the control channel, captures the feeds once the
 * candidate consents, publishes them through the server's media provider, and reports each
 * feed's state to the supervisors.
 */
export class CandidateSession {
  private readonly store: Store<CandidateState>;
  private readonly emitter = new Emitter<CandidateSessionEvents>();
  private readonly channel: ControlChannel;
  private readonly feedList: CapturedFeed[];
  private media?: CandidateMedia;
  private mediaReady?: Promise<CandidateMedia>;
  private closed = false;

  constructor(options: CandidateSessionOptions) {
    this.feedList = options.feeds ?? ['webcam', 'screen'];
    this.channel = new ControlChannel({ url: controlUrl(options.server), token: options.token });
    this.store = new Store<CandidateState>({
      connection: 'connecting',
      consented: false,
      feeds: { webcam: { state: 'off' }, screen: { state: 'off' } },
    });
    this.channel.state.subscribe((connection) => this.patch({ connection }));
    this.channel.onEvent('welcome', (welcome) => void this.welcomed(welcome.session));
    this.channel.onEvent('closed', ({ error }) => {
      if (!error) return;
      this.patch({ error });
      this.emitter.emit('session-error', { error });
    });
  }

  get state(): Readable<CandidateState> {
    return this.store;
  }

  /** The feeds this session captures, in order. */
  get feeds(): readonly CapturedFeed[] {
    return this.feedList;
  }

  on<K extends keyof CandidateSessionEvents>(type: K, handler: (detail: CandidateSessionEvents[K]) => void) {
    return this.emitter.on(type, handler);
  }

  connect(): void {
    this.channel.connect();
  }

  /** Records the candidate's consent and starts capturing every feed. */
  async consent(): Promise<void> {
    this.patch({ consented: true });
    for (const feed of this.feedList) await this.capture(feed);
  }

  /** Tries a failed or stopped feed again (e.g. after the candidate allowed the camera). */
  async retry(feed: CapturedFeed): Promise<void> {
    if (!this.store.value.consented) throw new ProctorError('camera-denied', 'Capture starts only after consent.');
    await this.capture(feed);
  }

  /** Stops capture and closes the connection. */
  close(): void {
    this.closed = true;
    for (const feed of this.feedList) this.store.value.feeds[feed].track?.stop();
    this.media?.close();
    this.channel.close();
  }

  private async welcomed(session: SessionSummary | undefined): Promise<void> {
    this.patch({ session });
    this.mediaReady ??= createCandidateMedia(this.channel, this.channel.welcome!.provider).then((media) => {
      if (this.closed) media.close();
      return (this.media = media);
    });
    await this.mediaReady;
    if (this.closed || !this.media) return;
    // The server starts every connection with the feeds off: tell it what is live.
    for (const feed of this.feedList) {
      const { state, track } = this.store.value.feeds[feed];
      if (state === 'live' && track) {
        this.media.setTrack(feed, track);
        this.channel.send({ type: 'feed.state', feed, state: 'live' });
      }
    }
  }

  private async capture(feed: CapturedFeed): Promise<void> {
    const current = this.store.value.feeds[feed];
    if (current.state === 'starting' || current.state === 'live' || this.closed) return;
    this.setFeed(feed, { state: 'starting' });
    let track: MediaStreamTrack;
    try {
      track = await CAPTURE[feed]();
    } catch (error) {
      this.fail(feed, error instanceof ProctorError ? error : new ProctorError(feed === 'webcam' ? 'camera-missing' : 'screen-unsupported', String(error)));
      return;
    }
    if (this.closed) {
      track.stop();
      return;
    }
    track.addEventListener('ended', () => this.ended(feed, track));
    this.setFeed(feed, { state: 'live', track });
    this.media?.setTrack(feed, track);
    this.channel.send({ type: 'feed.state', feed, state: 'live' });
    this.emitter.emit('feed-live', { feed });
  }

  private ended(feed: CapturedFeed, track: MediaStreamTrack): void {
    if (this.store.value.feeds[feed].track !== track || this.closed) return;
    this.media?.setTrack(feed, null);
    this.channel.send({ type: 'feed.state', feed, state: 'lost' });
    this.fail(
      feed,
      feed === 'screen'
        ? new ProctorError('screen-stopped', 'Screen sharing stopped. Share your entire screen again to continue.')
        : new ProctorError('camera-stopped', 'The camera stopped. Check that it is connected, then try again.'),
    );
  }

  private fail(feed: CapturedFeed, error: ProctorError): void {
    this.setFeed(feed, { state: 'failed', error });
    this.emitter.emit('feed-error', { feed, error });
  }

  private setFeed(feed: CapturedFeed, capture: FeedCapture): void {
    this.store.update((state) => ({ ...state, feeds: { ...state.feeds, [feed]: capture } }));
  }

  private patch(change: Partial<CandidateState>): void {
    this.store.update((state) => ({ ...state, ...change }));
  }
}
