import type { ChannelState } from '../channel/control-channel.js';
import { ControlChannel } from '../channel/control-channel.js';
import { controlUrl } from '../channel/control-url.js';
import type { ProctorError } from '../errors.js';
import type { FeedStats, FeedStreams, SupervisorMedia } from '../media/media.js';
import { createSupervisorMedia } from '../media/providers.js';
import { FEEDS, type SessionSummary } from '../protocol/index.js';
import { Store, type Readable } from '../util/store.js';

/** Everything a supervisor's page shows about its room, as one immutable value. */
export interface RoomState {
  connection: ChannelState;
  /** The supervisor's name from its token, once welcomed. */
  name?: string;
  examId?: string;
  /** Every session the supervisor may watch, in the order they first joined. */
  sessions: SessionSummary[];
  /** The session shown large and at full quality, if any. */
  focused?: string;
  /** Why the room cannot go on (refused token). */
  error?: ProctorError;
}

/** Options of {@link SupervisorRoom}. */
export interface SupervisorRoomOptions {
  /** Where the server kit's router is mounted, e.g. `/proctor`. */
  server: string;
  /** A supervisor token from the host's server. */
  token: string;
}

const NO_STREAMS: ReadonlyMap<string, FeedStreams> = new Map();

/**
 * A supervisor's view of a room: the live list of sessions, and the feeds of exactly the
 * sessions on screen — subscribed when shown, unsubscribed when not, full quality for the focused one.
 */
export class SupervisorRoom {
  private readonly store = new Store<RoomState>({ connection: 'connecting', sessions: [] });
  private readonly streamStore = new Store<ReadonlyMap<string, FeedStreams>>(NO_STREAMS);
  private readonly channel: ControlChannel;
  private media?: SupervisorMedia;
  private mediaRequested = false;
  private shown = new Set<string>();
  private subscribed = new Set<string>();
  private readonly framesSeen = new Map<string, number>();

  constructor(options: SupervisorRoomOptions) {
    this.channel = new ControlChannel({ url: controlUrl(options.server), token: options.token });
    this.channel.state.subscribe((connection) => this.patch({ connection }));
    this.channel.onEvent('welcome', ({ name, examId }) => {
      this.patch({ name, examId });
      void this.ensureMedia();
    });
    this.channel.onEvent('closed', ({ error }) => error && this.patch({ error }));
    this.channel.on('session.list', ({ sessions }) => this.patch({ sessions: ordered(sessions) }));
    this.channel.on('session.updated', ({ session }) => {
      const others = this.store.value.sessions.filter((s) => s.sessionId !== session.sessionId);
      this.patch({ sessions: ordered([...others, session]) });
    });
  }

  get state(): Readable<RoomState> {
    return this.store;
  }

  /** Received streams by session id; only sessions on screen have any. */
  get streams(): Readable<ReadonlyMap<string, FeedStreams>> {
    return this.streamStore;
  }

  connect(): void {
    this.channel.connect();
  }

  /** The sessions now on screen: subscribes to them and unsubscribes from every other. */
  show(sessionIds: readonly string[]): void {
    this.shown = new Set(sessionIds);
    this.applySubscriptions();
  }

  /** Shows one session at full quality (or none with `undefined`); the others stay thumbnails. */
  focus(sessionId: string | undefined): void {
    const previous = this.store.value.focused;
    if (previous === sessionId) return;
    this.patch({ focused: sessionId });
    if (previous) this.media?.setQuality(previous, 'thumbnail');
    if (sessionId) this.media?.setQuality(sessionId, 'full');
  }

  /** Per candidate and feed on screen: frames decoded, size and whether frames still arrive. */
  async getStats(): Promise<FeedStats[]> {
    if (!this.media) return [];
    const byId = new Map(this.store.value.sessions.map((s) => [s.sessionId, s]));
    const rows = await this.media.stats();
    return rows.map((row) => {
      const key = `${row.sessionId}/${row.feed}`;
      const before = this.framesSeen.get(key);
      this.framesSeen.set(key, row.framesDecoded);
      const state: FeedStats['state'] =
        row.framesDecoded === 0 ? 'connecting' : before === undefined || row.framesDecoded > before ? 'live' : 'lost';
      return { ...row, candidateId: byId.get(row.sessionId)?.candidateId ?? '', state };
    });
  }

  close(): void {
    this.media?.close();
    this.channel.close();
  }

  private async ensureMedia(): Promise<void> {
    if (this.mediaRequested) return;
    this.mediaRequested = true;
    const media = await createSupervisorMedia(this.channel, this.channel.welcome!.provider);
    if (this.channel.state.value === 'closed') return media.close();
    this.media = media;
    media.streams.subscribe((streams) => this.streamStore.set(streams));
    this.applySubscriptions();
  }

  private applySubscriptions(): void {
    const media = this.media;
    if (!media) return;
    for (const sessionId of this.subscribed) {
      if (this.shown.has(sessionId)) continue;
      media.unsubscribe(sessionId);
      this.subscribed.delete(sessionId);
    }
    for (const sessionId of this.shown) {
      if (this.subscribed.has(sessionId)) continue;
      media.subscribe(sessionId, [...FEEDS], sessionId === this.store.value.focused ? 'full' : 'thumbnail');
      this.subscribed.add(sessionId);
    }
  }

  private patch(change: Partial<RoomState>): void {
    this.store.update((state) => ({ ...state, ...change }));
  }
}

/** First joined first: a tile keeps its place when others join or change status. */
function ordered(sessions: SessionSummary[]): SessionSummary[] {
  return [...sessions].sort((a, b) => a.joinedAt - b.joinedAt || a.candidateId.localeCompare(b.candidateId));
}
