import { isOlder } from './summary-order.js';
import type { ChannelState } from '../channel/control-channel.js';
import { ControlChannel } from '../channel/control-channel.js';
import { controlUrl } from '../channel/control-url.js';
import { ServerClock } from '../clock/server-clock.js';
import { ProctorError } from '../errors.js';
import type { ChimeSdkLoader } from '../media/chime/chime-sdk.js';
import type { FeedStats, FeedStreams, SupervisorMedia } from '../media/media.js';
import { createSupervisorMedia } from '../media/providers.js';
import { FEEDS, IdentityVerdictSchema, parse, type CommandMessage, type SessionEvent, type SessionSummary, type Unversioned } from '../protocol/index.js';
import { Store, type Readable } from '../util/store.js';
import { EventFeed } from './event-feed.js';

/** An entry of the room's event feed: which session, and its event. */
export interface RoomEvent {
  sessionId: string;
  event: SessionEvent;
}

/** A command's target: a session id, or `'*'` for every session the supervisor watches. */
export type CommandTarget = string;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type CommandWithoutId = DistributiveOmit<CommandMessage, 'id' | 'v'>;

/** How many events the room keeps per session and for the whole room. */
const EVENTS_PER_SESSION = 200;
const ROOM_EVENTS = 300;

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
  /** Each session's events seen by this page, oldest first (the latest 200). */
  events: ReadonlyMap<string, readonly SessionEvent[]>;
  /** Every session's events as they arrived, newest last (the latest 300). */
  roomEvents: readonly RoomEvent[];
  /** Integrity signals per session not yet looked at (see {@link SupervisorRoom.markSeen}). */
  unseen: ReadonlyMap<string, number>;
  /** Why the room cannot go on (refused token). */
  error?: ProctorError;
}

/** Options of {@link SupervisorRoom}. */
export interface SupervisorRoomOptions {
  /** Where the server kit's router is mounted, e.g. `/proctor`. */
  server: string;
  /** A supervisor token from the host's server. */
  token: string;
  /** Loads the Amazon Chime SDK when the server uses Chime. Default: on demand; tests pass a fake. */
  chimeSdk?: ChimeSdkLoader;
}

const NO_STREAMS: ReadonlyMap<string, FeedStreams> = new Map();

/**
 * A supervisor's view of a room: the live list of sessions, and the feeds of exactly the
 * sessions on screen — subscribed when shown, unsubscribed when not, full quality for the focused one.
 */
export class SupervisorRoom {
  private readonly store = new Store<RoomState>({
    connection: 'connecting',
    sessions: [],
    events: new Map(),
    roomEvents: [],
    unseen: new Map(),
  });
  private readonly streamStore = new Store<ReadonlyMap<string, FeedStreams>>(NO_STREAMS);
  private readonly channel: ControlChannel;
  private media?: SupervisorMedia;
  private mediaRequested = false;
  private shown = new Set<string>();
  private subscribed = new Set<string>();
  private readonly framesSeen = new Map<string, number>();
  private readonly serverClock: ServerClock;
  private readonly feed: EventFeed;
  private readonly commands = new Map<string, { resolve: (ids: string[]) => void; reject: (error: ProctorError) => void }>();

  private readonly chimeSdk: ChimeSdkLoader | undefined;

  constructor(options: SupervisorRoomOptions) {
    this.chimeSdk = options.chimeSdk;
    this.channel = new ControlChannel({ url: controlUrl(options.server), token: options.token });
    this.serverClock = new ServerClock(this.channel);
    this.feed = new EventFeed(this.channel, (sessionId, events, live) => this.addEvents(sessionId, events, live));
    this.channel.on('command.done', ({ id, sessionIds }) => {
      this.commands.get(id)?.resolve(sessionIds);
      this.commands.delete(id);
    });
    this.channel.on('error', ({ id, message }) => {
      if (id === undefined) return;
      this.commands.get(id)?.reject(new ProctorError('command-refused', message));
      this.commands.delete(id);
    });
    this.channel.state.subscribe((connection) => this.patch({ connection }));
    this.channel.onEvent('welcome', ({ name, examId }) => {
      this.patch({ name, examId });
      void this.ensureMedia();
    });
    this.channel.onEvent('closed', ({ error }) => error && this.patch({ error }));
    this.channel.on('session.list', ({ sessions }) => {
      for (const session of sessions) this.feed.follow(session.sessionId, session.lastSeq);
      this.patch({ sessions: ordered(sessions) });
    });
    this.channel.on('session.updated', ({ session }) => {
      this.feed.follow(session.sessionId, session.lastSeq);
      const current = this.store.value.sessions.find((s) => s.sessionId === session.sessionId);
      if (isOlder(session, current)) return;
      const others = this.store.value.sessions.filter((s) => s.sessionId !== session.sessionId);
      this.patch({ sessions: ordered([...others, session]) });
    });
  }

  get state(): Readable<RoomState> {
    return this.store;
  }

  /**
   * The token for the page's requests to the kit (identity photos): the one given, or the one the
   * server renewed it with before it expired.
   */
  get token(): string {
    return this.channel.token;
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

  /** The server's time as this page estimates it (ms since epoch), for rendering clocks. */
  serverNow(): number {
    return this.serverClock.now();
  }

  /** Loads a session's whole log (e.g. when its candidate is focused). */
  loadHistory(sessionId: string): void {
    this.feed.history(sessionId);
  }

  /** Clears a session's count of unseen signals. */
  markSeen(sessionId: string): void {
    if (!this.store.value.unseen.has(sessionId)) return;
    const unseen = new Map(this.store.value.unseen);
    unseen.delete(sessionId);
    this.patch({ unseen });
  }

  /** Pauses one candidate's exam, or every watched one with `'*'`. Resolves with the sessions paused. */
  pause(target: CommandTarget): Promise<string[]> {
    return this.command({ type: 'command.pause', target });
  }

  resume(target: CommandTarget): Promise<string[]> {
    return this.command({ type: 'command.resume', target });
  }

  /** Adds minutes (1–600) to one candidate's exam, or to every watched one with `'*'`. */
  extend(target: CommandTarget, minutes: number): Promise<string[]> {
    return this.command({ type: 'command.extend', target, minutes });
  }

  /** Shows candidates a message; each acknowledges it in the session's log (`message.acked`). */
  message(target: CommandTarget, text: string): Promise<string[]> {
    return this.command({ type: 'command.message', target, text });
  }

  /** Asks a candidate to show the room with the paired phone; the phone shows the request. */
  requestRoomScan(sessionId: string): Promise<string[]> {
    return this.command({ type: 'command.room-scan', target: sessionId });
  }

  /** Ends one candidate's exam with a reason the candidate sees. Capture stops on their side. */
  terminate(sessionId: string, reason: string): Promise<string[]> {
    return this.command({ type: 'command.terminate', target: sessionId, reason });
  }

  /**
   * A verdict on one candidate's submitted identity photos: `'rejected'` needs a `reason` the
   * candidate sees. An approval starts the candidate's clock when the kit was waiting for it.
   */
  verifyIdentity(sessionId: string, verdict: 'approved' | 'rejected', reason?: string): Promise<string[]> {
    const parsed = parse(IdentityVerdictSchema, { verdict, reason });
    if (!parsed.ok) return Promise.reject(new ProctorError('bad-input', `verifyIdentity: ${parsed.message}.`));
    return this.command({ type: 'command.identity', target: sessionId, ...parsed.value });
  }

  close(): void {
    for (const { reject } of this.commands.values()) reject(new ProctorError('command-refused', 'The room was closed.'));
    this.commands.clear();
    this.serverClock.close();
    this.feed.close();
    this.media?.close();
    this.channel.close();
  }

  private command(command: CommandWithoutId): Promise<string[]> {
    const id = crypto.randomUUID();
    return new Promise((resolve, reject) => {
      if (!this.channel.send({ ...command, id } as Unversioned<CommandMessage>)) {
        reject(new ProctorError('command-refused', 'Not connected: the command was not sent. Try again when connected.'));
        return;
      }
      this.commands.set(id, { resolve, reject });
    });
  }

  private addEvents(sessionId: string, events: SessionEvent[], live: boolean): void {
    const state = this.store.value;
    const known = state.events.get(sessionId) ?? [];
    const merged = live ? [...known, ...events] : mergeBySeq(known, events);
    const perSession = new Map(state.events);
    perSession.set(sessionId, merged.slice(-EVENTS_PER_SESSION));
    const change: Partial<RoomState> = { events: perSession };
    if (live) {
      change.roomEvents = [...state.roomEvents, ...events.map((event) => ({ sessionId, event }))].slice(-ROOM_EVENTS);
      // `signal.dismissed` is a person's judgement of a signal, not a new one.
      const signals = events.filter((e) => e.type.startsWith('signal.') && e.type !== 'signal.dismissed').length;
      if (signals > 0 && state.focused !== sessionId) {
        const unseen = new Map(state.unseen);
        unseen.set(sessionId, (unseen.get(sessionId) ?? 0) + signals);
        change.unseen = unseen;
      }
    }
    this.patch(change);
  }

  private async ensureMedia(): Promise<void> {
    if (this.mediaRequested) return;
    this.mediaRequested = true;
    const media = await createSupervisorMedia(this.channel, this.channel.welcome!.provider, this.chimeSdk ? { chimeSdk: this.chimeSdk } : {});
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

function mergeBySeq(a: readonly SessionEvent[], b: readonly SessionEvent[]): SessionEvent[] {
  const bySeq = new Map<number, SessionEvent>();
  for (const event of [...a, ...b]) bySeq.set(event.seq, event);
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq);
}

/** First joined first: a tile keeps its place when others join or change status. */
function ordered(sessions: SessionSummary[]): SessionSummary[] {
  return [...sessions].sort((a, b) => a.joinedAt - b.joinedAt || a.candidateId.localeCompare(b.candidateId));
}
