import type { ControlChannel } from '../../channel/control-channel.js';
import type { Feed, FeedQuality } from '../../protocol/index.js';
import { createLogger } from '../../util/logger.js';
import type { CandidateMedia } from '../media.js';
import { feedEncoding } from '../quality.js';
import { SignalingPeer, newPcId } from './signaling-peer.js';

const log = createLogger('publisher');

interface Subscriber {
  peer: string;
  signal: SignalingPeer;
  feeds: Set<Feed>;
  quality: FeedQuality;
  senders: Map<Feed, RTCRtpSender>;
  negotiating: boolean;
  renegotiate: boolean;
}

/**
 * The candidate's half of the local provider: one RTCPeerConnection per subscribed supervisor,
 * one send-only transceiver per feed; the candidate always offers, so offers never collide.
 */
export class LocalPublisher implements CandidateMedia {
  private readonly tracks = new Map<Feed, MediaStreamTrack>();
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly stop: (() => void)[];

  constructor(
    private readonly channel: ControlChannel,
    private readonly iceServers: RTCIceServer[],
  ) {
    this.stop = [
      channel.on('feed.subscribe', ({ peer, feeds, quality }) => this.subscribe(peer, feeds, quality)),
      channel.on('feed.unsubscribe', ({ peer }) => this.drop(peer)),
      channel.on('feed.quality', ({ peer, quality }) => this.setQuality(peer, quality)),
      channel.on('rtc.answer', ({ peer, pcId, sdp }) => void this.answered(peer, pcId, sdp)),
      channel.on('rtc.ice', ({ peer, pcId, candidate }) => {
        const subscriber = this.subscribers.get(peer);
        if (subscriber?.signal.pcId === pcId) void subscriber.signal.addRemoteIce(candidate);
      }),
      channel.onEvent('welcome', ({ subscribers = [] }) => this.reconcile(subscribers)),
    ];
    this.reconcile(channel.welcome?.subscribers ?? []);
  }

  setTrack(feed: Feed, track: MediaStreamTrack | null): void {
    if (track) this.tracks.set(feed, track);
    else this.tracks.delete(feed);
    for (const subscriber of this.subscribers.values()) this.sync(subscriber);
  }

  close(): void {
    for (const stop of this.stop) stop();
    for (const peer of [...this.subscribers.keys()]) this.drop(peer);
  }

  /** After a (re)connect the server lists who still subscribes: keep those, drop the rest. */
  private reconcile(subscribers: { peer: string; feeds: Feed[]; quality: FeedQuality }[]): void {
    const wanted = new Set(subscribers.map((s) => s.peer));
    for (const peer of [...this.subscribers.keys()]) if (!wanted.has(peer)) this.drop(peer);
    for (const { peer, feeds, quality } of subscribers) {
      const existing = this.subscribers.get(peer);
      // A negotiation cut off by the drop never gets its answer: start that peer afresh.
      if (existing && existing.signal.pc.signalingState !== 'stable') this.drop(peer);
      this.subscribe(peer, feeds, quality);
    }
  }

  private subscribe(peer: string, feeds: Feed[], quality: FeedQuality): void {
    let subscriber = this.subscribers.get(peer);
    if (!subscriber) {
      subscriber = this.connect(peer, quality);
      this.subscribers.set(peer, subscriber);
    }
    subscriber.feeds = new Set(feeds);
    this.setQuality(peer, quality);
    this.sync(subscriber);
  }

  private connect(peer: string, quality: FeedQuality): Subscriber {
    const signal = new SignalingPeer(newPcId(), this.iceServers, (candidate) =>
      this.channel.send({ type: 'rtc.ice', peer, pcId: signal.pcId, candidate }),
    );
    const subscriber: Subscriber = {
      peer,
      signal,
      feeds: new Set(),
      quality,
      senders: new Map(),
      negotiating: false,
      renegotiate: false,
    };
    signal.pc.onconnectionstatechange = () => {
      if (signal.pc.connectionState === 'failed' && this.subscribers.get(peer) === subscriber) {
        log.info(`connection to ${peer} failed; reconnecting`);
        const feeds = [...subscriber.feeds];
        this.drop(peer);
        this.subscribe(peer, feeds, subscriber.quality);
      }
    };
    return subscriber;
  }

  private drop(peer: string): void {
    const subscriber = this.subscribers.get(peer);
    if (!subscriber) return;
    this.subscribers.delete(peer);
    subscriber.signal.pc.onconnectionstatechange = null;
    subscriber.signal.close();
  }

  /** Makes the subscriber's senders carry exactly the wanted feeds that are captured. */
  private sync(subscriber: Subscriber): void {
    let added = false;
    for (const [feed, sender] of subscriber.senders) {
      const track = subscriber.feeds.has(feed) ? (this.tracks.get(feed) ?? null) : null;
      if (sender.track !== track) {
        void sender.replaceTrack(track).then(() => this.applyQuality(subscriber, feed));
      }
    }
    for (const feed of subscriber.feeds) {
      const track = this.tracks.get(feed);
      if (!track || subscriber.senders.has(feed)) continue;
      const { width, height } = track.getSettings();
      const encoding = feedEncoding(feed, subscriber.quality, width, height);
      const transceiver = subscriber.signal.pc.addTransceiver(track, {
        direction: 'sendonly',
        sendEncodings: [{ ...encoding }],
      });
      subscriber.senders.set(feed, transceiver.sender);
      added = true;
    }
    if (added) void this.negotiate(subscriber);
  }

  private setQuality(peer: string, quality: FeedQuality): void {
    const subscriber = this.subscribers.get(peer);
    if (!subscriber) return;
    subscriber.quality = quality;
    for (const feed of subscriber.senders.keys()) void this.applyQuality(subscriber, feed);
  }

  /** Switches a sender between thumbnail and full quality without renegotiating. */
  private async applyQuality(subscriber: Subscriber, feed: Feed): Promise<void> {
    const sender = subscriber.senders.get(feed);
    const track = sender?.track;
    if (!sender || !track) return;
    const { width, height } = track.getSettings();
    const parameters = sender.getParameters();
    if (!parameters.encodings?.length) return;
    const encoding = feedEncoding(feed, subscriber.quality, width, height);
    parameters.encodings = [{ ...parameters.encodings[0], ...encoding }, ...parameters.encodings.slice(1)];
    try {
      await sender.setParameters(parameters);
    } catch (error) {
      log.debug(`could not set ${feed} quality for ${subscriber.peer}`, error);
    }
  }

  private async negotiate(subscriber: Subscriber): Promise<void> {
    if (subscriber.negotiating) {
      subscriber.renegotiate = true;
      return;
    }
    subscriber.negotiating = true;
    subscriber.renegotiate = false;
    const { pc, pcId } = subscriber.signal;
    try {
      await pc.setLocalDescription(await pc.createOffer());
      const feeds: Record<string, Feed> = {};
      for (const [feed, sender] of subscriber.senders) {
        const mid = pc.getTransceivers().find((t) => t.sender === sender)?.mid;
        if (mid) feeds[mid] = feed;
      }
      this.channel.send({ type: 'rtc.offer', peer: subscriber.peer, pcId, sdp: pc.localDescription!.sdp, feeds });
    } catch (error) {
      subscriber.negotiating = false;
      log.warn(`offer to ${subscriber.peer} failed`, error);
    }
  }

  private async answered(peer: string, pcId: string, sdp: string): Promise<void> {
    const subscriber = this.subscribers.get(peer);
    if (subscriber?.signal.pcId !== pcId || subscriber.signal.pc.signalingState !== 'have-local-offer') return;
    try {
      await subscriber.signal.setRemote({ type: 'answer', sdp });
    } catch (error) {
      log.warn(`answer from ${peer} was refused`, error);
    }
    subscriber.negotiating = false;
    for (const feed of subscriber.senders.keys()) void this.applyQuality(subscriber, feed);
    if (subscriber.renegotiate) void this.negotiate(subscriber);
  }
}
