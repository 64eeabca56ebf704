import type { ControlChannel } from '../../channel/control-channel.js';
import type { Feed, FeedQuality, RtcOffer } from '../../protocol/index.js';
import { createLogger } from '../../util/logger.js';
import { Store } from '../../util/store.js';
import { inboundVideos } from '../inbound-video.js';
import type { FeedStreams, SupervisorMedia } from '../media.js';
import { SignalingPeer } from './signaling-peer.js';

const log = createLogger('subscriber');

interface Wanted {
  feeds: Feed[];
  quality: FeedQuality;
}

/** Which page of a session publishes: the candidate's own, or its paired phone. */
type Source = 'page' | 'phone';

interface Publisher {
  sessionId: string;
  source: Source;
  signal: SignalingPeer;
  feedsByMid: Record<string, Feed>;
}

/** Publishers are kept by session and source: a session's phone connects apart from its page. */
function publisherKey(sessionId: string, source: Source): string {
  return `${sessionId}/${source}`;
}

/**
 * The supervisor's half of the local provider: asks for a session's feeds, answers the
 * candidate's offers, and exposes the received streams by session and feed.
 */
export class LocalSubscriber implements SupervisorMedia {
  readonly streams = new Store<ReadonlyMap<string, FeedStreams>>(new Map());
  private readonly wanted = new Map<string, Wanted>();
  private readonly publishers = new Map<string, Publisher>();
  private readonly stop: (() => void)[];

  constructor(
    private readonly channel: ControlChannel,
    private readonly iceServers: RTCIceServer[],
  ) {
    this.stop = [
      channel.on('rtc.offer', (offer) => void this.offered(offer)),
      channel.on('rtc.ice', ({ peer, pcId, candidate, source }) => {
        const publisher = this.publishers.get(publisherKey(peer, source ?? 'page'));
        if (publisher?.signal.pcId === pcId) void publisher.signal.addRemoteIce(candidate);
      }),
      // A new connection has no subscriptions on the server: ask again; candidates offer anew.
      channel.onEvent('welcome', () => {
        for (const key of [...this.publishers.keys()]) this.disconnect(key);
        for (const [sessionId, { feeds, quality }] of this.wanted) {
          this.channel.send({ type: 'feed.subscribe', sessionId, feeds, quality });
        }
      }),
    ];
  }

  subscribe(sessionId: string, feeds: Feed[], quality: FeedQuality): void {
    this.wanted.set(sessionId, { feeds, quality });
    this.channel.send({ type: 'feed.subscribe', sessionId, feeds, quality });
  }

  unsubscribe(sessionId: string): void {
    if (!this.wanted.delete(sessionId)) return;
    this.channel.send({ type: 'feed.unsubscribe', sessionId });
    for (const [key, publisher] of [...this.publishers]) if (publisher.sessionId === sessionId) this.disconnect(key);
  }

  setQuality(sessionId: string, quality: FeedQuality): void {
    const wanted = this.wanted.get(sessionId);
    if (!wanted || wanted.quality === quality) return;
    wanted.quality = quality;
    this.channel.send({ type: 'feed.quality', sessionId, quality });
  }

  async stats() {
    const rows = [];
    for (const { sessionId, signal, feedsByMid } of this.publishers.values()) {
      for (const { mid, ...figures } of inboundVideos(await signal.pc.getStats())) {
        const feed = feedsByMid[mid ?? ''];
        if (feed) rows.push({ sessionId, feed, ...figures });
      }
    }
    return rows;
  }

  close(): void {
    for (const stop of this.stop) stop();
    for (const sessionId of [...this.wanted.keys()]) this.unsubscribe(sessionId);
  }

  private async offered({ peer: sessionId, pcId, sdp, feeds, source: phone }: RtcOffer): Promise<void> {
    if (!this.wanted.has(sessionId)) return;
    const source: Source = phone ?? 'page';
    const key = publisherKey(sessionId, source);
    let publisher = this.publishers.get(key);
    if (publisher?.signal.pcId !== pcId) {
      // A new pcId means the page started over (reload, reconnect): the old connection is dead.
      this.disconnect(key);
      publisher = this.connect(sessionId, source, pcId);
    }
    publisher.feedsByMid = feeds;
    const { pc } = publisher.signal;
    try {
      await publisher.signal.setRemote({ type: 'offer', sdp });
      await pc.setLocalDescription(await pc.createAnswer());
      this.channel.send({ type: 'rtc.answer', peer: sessionId, pcId, sdp: pc.localDescription!.sdp, ...fromPhone(source) });
    } catch (error) {
      log.warn(`offer of session ${sessionId} failed`, error);
    }
  }

  private connect(sessionId: string, source: Source, pcId: string): Publisher {
    const key = publisherKey(sessionId, source);
    const signal = new SignalingPeer(pcId, this.iceServers, (candidate) =>
      this.channel.send({ type: 'rtc.ice', peer: sessionId, pcId, candidate, ...fromPhone(source) }),
    );
    const publisher: Publisher = { sessionId, source, signal, feedsByMid: {} };
    signal.pc.ontrack = ({ track, transceiver }) => {
      const feed = publisher.feedsByMid[transceiver.mid ?? ''];
      if (!feed || this.publishers.get(key) !== publisher) return;
      this.setStream(sessionId, feed, new MediaStream([track]));
    };
    this.publishers.set(key, publisher);
    return publisher;
  }

  /** Closes one publisher's connection and drops the streams it brought. */
  private disconnect(key: string): void {
    const publisher = this.publishers.get(key);
    if (!publisher) return;
    this.publishers.delete(key);
    publisher.signal.pc.ontrack = null;
    publisher.signal.close();
    const { sessionId, source } = publisher;
    this.streams.update((current) => {
      const next = new Map(current);
      const feeds = { ...next.get(sessionId) };
      for (const feed of Object.keys(feeds) as Feed[]) if ((feed === 'phone') === (source === 'phone')) delete feeds[feed];
      if (Object.keys(feeds).length > 0) next.set(sessionId, feeds);
      else next.delete(sessionId);
      return next;
    });
  }

  private setStream(sessionId: string, feed: Feed, stream: MediaStream): void {
    this.streams.update((current) => {
      const next = new Map(current);
      next.set(sessionId, { ...next.get(sessionId), [feed]: stream });
      return next;
    });
  }
}

function fromPhone(source: Source): { source?: 'phone' } {
  return source === 'phone' ? { source } : {};
}
