import type { VideoTileState } from 'amazon-chime-sdk-js';
import type { ControlChannel } from '../../channel/control-channel.js';
import type { Feed, FeedQuality, ServerMessage } from '../../protocol/index.js';
import { createLogger } from '../../util/logger.js';
import { Store } from '../../util/store.js';
import { inboundVideos } from '../inbound-video.js';
import type { FeedStreams, SupervisorMedia } from '../media.js';
import type { ChimeSdk, ReadyChimeInfo } from './chime-sdk.js';
import { MeetingLink } from './meeting-link.js';

const log = createLogger('chime-viewer');

/** Tries in a row to rejoin a session whose meeting keeps ending. */
const MAX_REJOINS = 4;

type SessionView = Extract<ReadyChimeInfo, { role: 'supervisor' }>;

/** Options of {@link ChimeViewer}. */
export interface ChimeViewerOptions {
  /**
   * At most this many meeting sessions at once — one per candidate on the visible page. AWS advises
   * against many meeting sessions in one page; the grid shows 16 candidates at most. Default: 16.
   */
  maxMeetings?: number;
  /** How long to wait before first asking again for a session whose meeting ended; doubles each time. Default: 2 s. */
  rejoinDelayMs?: number;
}

interface Wanted {
  feeds: Feed[];
  quality: FeedQuality;
}

interface Joined {
  view: SessionView;
  link: MeetingLink;
  /** Which feed each bound remote tile shows. */
  tiles: Map<number, Feed>;
}

/**
 * The supervisor's half of the Chime provider: a bounded pool of receive-only meeting sessions,
 * one per candidate on screen, joined when the server sends the session's media and left when the
 * candidate scrolls away. Videos are bound to feeds by their attendee (`<candidateId>/<feed>`), the
 * focused candidate's at a large size and the rest as thumbnails (Chime's priority-based policy).
 */
export class ChimeViewer implements SupervisorMedia {
  readonly streams = new Store<ReadonlyMap<string, FeedStreams>>(new Map());
  private readonly wanted = new Map<string, Wanted>();
  private readonly joined = new Map<string, Joined>();
  private readonly rejoinTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Rejoins in a row per session without reaching the meeting; reset once live. */
  private readonly rejoins = new Map<string, number>();
  private readonly maxMeetings: number;
  private readonly rejoinDelayMs: number;
  private readonly stop: (() => void)[];

  constructor(
    private readonly channel: ControlChannel,
    private readonly sdk: ChimeSdk,
    options: ChimeViewerOptions = {},
  ) {
    this.maxMeetings = options.maxMeetings ?? 16;
    this.rejoinDelayMs = options.rejoinDelayMs ?? 2_000;
    this.stop = [
      channel.on('session.media', (message) => this.received(message)),
      // A new connection has no subscriptions on the server. The meetings themselves live on
      // without it: ask again, and the same meeting in the answer changes nothing.
      channel.onEvent('welcome', () => {
        for (const [sessionId, { feeds, quality }] of this.wanted) this.channel.send({ type: 'feed.subscribe', sessionId, feeds, quality });
      }),
    ];
  }

  /** How many meeting sessions this page holds now. */
  get meetingCount(): number {
    return this.joined.size;
  }

  subscribe(sessionId: string, feeds: Feed[], quality: FeedQuality): void {
    this.wanted.set(sessionId, { feeds, quality });
    this.channel.send({ type: 'feed.subscribe', sessionId, feeds, quality });
    this.chooseVideos(sessionId);
  }

  unsubscribe(sessionId: string): void {
    if (!this.wanted.delete(sessionId)) return;
    this.rejoins.delete(sessionId);
    this.channel.send({ type: 'feed.unsubscribe', sessionId });
    this.leave(sessionId);
  }

  setQuality(sessionId: string, quality: FeedQuality): void {
    const wanted = this.wanted.get(sessionId);
    if (!wanted || wanted.quality === quality) return;
    wanted.quality = quality;
    this.chooseVideos(sessionId);
  }

  async stats() {
    const rows = [];
    for (const [sessionId, { link }] of this.joined) {
      for (const [feed, stream] of Object.entries(this.streams.value.get(sessionId) ?? {}) as [Feed, MediaStream][]) {
        const track = stream.getVideoTracks()[0];
        if (!track) continue;
        for (const { mid: _mid, ...figures } of inboundVideos(await link.stats(track))) rows.push({ sessionId, feed, ...figures });
      }
    }
    return rows;
  }

  close(): void {
    for (const stop of this.stop) stop();
    for (const sessionId of [...this.wanted.keys()]) this.unsubscribe(sessionId);
  }

  private received({ sessionId, provider }: Extract<ServerMessage, { type: 'session.media' }>): void {
    if (!this.wanted.has(sessionId) || provider.name !== 'chime' || provider.state !== 'ready' || provider.role !== 'supervisor') return;
    const current = this.joined.get(sessionId);
    if (current?.link.meetingId === provider.meeting.MeetingId && current.link.attendeeId === provider.attendee.AttendeeId) {
      current.view = provider;
      this.chooseVideos(sessionId);
      return;
    }
    this.leave(sessionId);
    if (this.joined.size >= this.maxMeetings) {
      log.warn(`not joining session ${sessionId}: already in ${this.joined.size} meetings (the most one page should hold)`);
      return;
    }
    this.join(sessionId, provider);
  }

  private join(sessionId: string, view: SessionView): void {
    const joined: Joined = {
      view,
      tiles: new Map(),
      link: new MeetingLink(this.sdk, { meeting: view.meeting, attendee: view.attendee }, 'viewer', {
        tile: (tile) => this.tileChanged(sessionId, joined, tile),
        tileRemoved: (tileId) => {
          const feed = joined.tiles.get(tileId);
          joined.tiles.delete(tileId);
          if (feed && this.joined.get(sessionId) === joined) this.setStream(sessionId, feed, undefined);
        },
        sourcesChanged: () => this.chooseVideos(sessionId),
        state: (state, status) => {
          if (this.joined.get(sessionId) !== joined) return;
          if (state === 'live') this.rejoins.delete(sessionId);
          if (state !== 'offline') return;
          log.warn(`left the meeting of session ${sessionId}: ${status}`);
          this.leave(sessionId);
          this.askAgain(sessionId);
        },
      }),
    };
    this.joined.set(sessionId, joined);
    this.chooseVideos(sessionId);
    joined.link.start();
  }

  /** Binds a remote video to its feed by the attendee that sends it (`<candidateId>/<feed>`). */
  private tileChanged(sessionId: string, joined: Joined, tile: VideoTileState): void {
    if (tile.localTile || tile.tileId === null || this.joined.get(sessionId) !== joined) return;
    const attendee = joined.view.feeds.find(
      (a) => a.AttendeeId === tile.boundAttendeeId || a.ExternalUserId === tile.boundExternalUserId,
    );
    if (!attendee) return;
    joined.tiles.set(tile.tileId, attendee.feed);
    this.setStream(sessionId, attendee.feed, tile.boundVideoStream ?? undefined);
  }

  private chooseVideos(sessionId: string): void {
    const joined = this.joined.get(sessionId);
    const wanted = this.wanted.get(sessionId);
    if (!joined || !wanted) return;
    const size = wanted.quality === 'full' ? 'large' : 'small';
    joined.link.chooseVideos(
      joined.view.feeds.filter((a) => wanted.feeds.includes(a.feed)).map((a) => ({ attendeeId: a.AttendeeId, size })),
    );
  }

  /**
   * The meeting ended under us (e.g. the server recreated it): subscribe anew, which brings the
   * session's current media. Gives up after a few tries in a row; paging back tries again.
   */
  private askAgain(sessionId: string): void {
    const attempt = this.rejoins.get(sessionId) ?? 0;
    if (attempt >= MAX_REJOINS) return;
    this.rejoins.set(sessionId, attempt + 1);
    this.rejoinTimers.set(
      sessionId,
      setTimeout(() => {
        this.rejoinTimers.delete(sessionId);
        const wanted = this.wanted.get(sessionId);
        if (!wanted || this.joined.has(sessionId)) return;
        this.channel.send({ type: 'feed.unsubscribe', sessionId });
        this.channel.send({ type: 'feed.subscribe', sessionId, ...wanted });
      }, this.rejoinDelayMs * 2 ** attempt),
    );
  }

  private leave(sessionId: string): void {
    clearTimeout(this.rejoinTimers.get(sessionId));
    this.rejoinTimers.delete(sessionId);
    const joined = this.joined.get(sessionId);
    if (!joined) return;
    this.joined.delete(sessionId);
    joined.link.close();
    this.streams.update((current) => {
      const next = new Map(current);
      next.delete(sessionId);
      return next;
    });
  }

  private setStream(sessionId: string, feed: Feed, stream: MediaStream | undefined): void {
    const current = this.streams.value.get(sessionId);
    if (current?.[feed] === stream) return;
    this.streams.update((all) => {
      const next = new Map(all);
      const feeds: FeedStreams = { ...next.get(sessionId) };
      if (stream) feeds[feed] = stream;
      else delete feeds[feed];
      next.set(sessionId, feeds);
      return next;
    });
  }
}
