import type { ControlChannel } from '../../channel/control-channel.js';
import type { ChimeProviderInfo, Feed, ProviderInfo } from '../../protocol/index.js';
import type { CandidateMedia, MediaLog } from '../media.js';
import type { ChimeSdk, ReadyChimeInfo } from './chime-sdk.js';
import { MeetingLink } from './meeting-link.js';

type CandidateMeeting = Extract<ReadyChimeInfo, { role: 'candidate' }>;

interface FeedLink {
  link: MeetingLink;
  track: MediaStreamTrack;
}

/**
 * The candidate's half of the Chime provider: one meeting session per captured feed, joined as
 * that feed's send-only attendee (`<candidateId>/<feed>`). Webcam and screen are both sent as video
 * inputs — a meeting allows only two content shares, and every feed must reach the supervisors
 * alike. Waits for its meeting when the server is still creating it, and moves to a new one when
 * the server recreated it.
 */
export class ChimePublisher implements CandidateMedia {
  private meeting?: CandidateMeeting;
  private readonly tracks = new Map<Feed, MediaStreamTrack>();
  private readonly links = new Map<Feed, FeedLink>();
  /** Feeds reported lost because Chime ended their attendee's session. */
  private readonly lost = new Set<Feed>();
  private readonly stop: (() => void)[];

  constructor(
    private readonly channel: ControlChannel,
    info: ChimeProviderInfo,
    private readonly sdk: ChimeSdk,
    private readonly log: MediaLog,
  ) {
    this.useMeeting(info);
    this.stop = [
      channel.on('session.media', ({ provider }) => this.useMeeting(provider)),
      channel.onEvent('welcome', ({ provider }) => this.useMeeting(provider)),
    ];
  }

  setTrack(feed: Feed, track: MediaStreamTrack | null): void {
    if (track) this.tracks.set(feed, track);
    else this.tracks.delete(feed);
    this.sync(feed);
  }

  close(): void {
    for (const stop of this.stop) stop();
    for (const { link } of this.links.values()) link.close();
    this.links.clear();
    this.tracks.clear();
  }

  /** Joins a meeting the server prepared; the same meeting again (a reconnect) changes nothing. */
  private useMeeting(info: ProviderInfo): void {
    if (info.name !== 'chime' || info.state !== 'ready' || info.role !== 'candidate') return;
    if (this.meeting?.meeting.MeetingId === info.meeting.MeetingId) return;
    this.meeting = info;
    for (const { link } of this.links.values()) link.close();
    this.links.clear();
    for (const feed of this.tracks.keys()) this.sync(feed);
  }

  private sync(feed: Feed): void {
    const track = this.tracks.get(feed);
    const current = this.links.get(feed);
    if (!track) {
      current?.link.close();
      this.links.delete(feed);
      return;
    }
    if (current?.track === track) return;
    if (current) {
      current.track = track;
      void current.link.send(track);
      return;
    }
    const attendee = this.meeting?.attendees.find((a) => a.feed === feed);
    if (!this.meeting || !attendee) return;
    const link: MeetingLink = new MeetingLink(this.sdk, { meeting: this.meeting.meeting, attendee }, 'sender', {
      meetingEvent: (name, data) => this.log(`chime.${name}`, { feed, ...data }),
      state: (state, status) => {
        if (this.links.get(feed)?.link !== link) return;
        if (state === 'live' && this.lost.delete(feed)) this.channel.send({ type: 'feed.state', feed, state: 'live' });
        if (state !== 'offline') return;
        // Chime gave up on this attendee: the supervisors lose the feed until the server sends a new meeting.
        this.links.delete(feed);
        this.lost.add(feed);
        this.log('chime.feed-stopped', { feed, status: status ?? 'unknown' });
        this.channel.send({ type: 'feed.state', feed, state: 'lost' });
      },
    });
    this.links.set(feed, { link, track });
    void link.send(track);
  }
}
