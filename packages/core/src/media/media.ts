import type { Feed, FeedQuality } from '../protocol/index.js';
import type { Readable } from '../util/store.js';

/** The candidate's half of a media provider: publishes the captured feeds. */
export interface CandidateMedia {
  /** Publishes `track` as `feed` to every subscribed supervisor, or stops publishing it (`null`). */
  setTrack(feed: Feed, track: MediaStreamTrack | null): void;
  close(): void;
}

/** Writes a line into the candidate's session log, e.g. a media engine's meeting event. */
export type MediaLog = (name: string, data: Record<string, string | number>) => void;

/** The streams received for one session, by feed. */
export type FeedStreams = Partial<Record<Feed, MediaStream>>;

/** Per candidate and feed, what a supervisor's page receives: for health dashboards and tests. */
export interface FeedStats {
  sessionId: string;
  candidateId: string;
  feed: Feed;
  /** `live` when frames are being decoded, `connecting` before the first one, `lost` when they stopped. */
  state: 'connecting' | 'live' | 'lost';
  framesDecoded: number;
  width: number;
  height: number;
}

/** The supervisor's half of a media provider: receives the feeds of the sessions it subscribes to. */
export interface SupervisorMedia {
  /** Streams received, by session id. */
  readonly streams: Readable<ReadonlyMap<string, FeedStreams>>;
  subscribe(sessionId: string, feeds: Feed[], quality: FeedQuality): void;
  unsubscribe(sessionId: string): void;
  setQuality(sessionId: string, quality: FeedQuality): void;
  /** Decoder figures per subscribed session and feed (without `candidateId`, which the room adds). */
  stats(): Promise<Omit<FeedStats, 'candidateId' | 'state'>[]>;
  close(): void;
}
