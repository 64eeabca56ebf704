import type { Feed, FeedQuality } from '../protocol/index.js';

/** The largest thumbnail a grid tile receives. */
export const THUMBNAIL = { width: 320, height: 240, maxBitrate: 150_000, maxFramerate: 15 } as const;

const FULL_BITRATE: Record<Feed, number> = { webcam: 1_000_000, screen: 2_500_000, phone: 1_000_000 };

/** The send parameters of one feed at one quality. */
export interface FeedEncoding {
  scaleResolutionDownBy: number;
  maxBitrate: number;
  maxFramerate: number;
}

/**
 * How to send a feed whose source is `width`×`height`: thumbnails are scaled down to fit
 * 320×240 and capped at 150 kbit/s; full quality sends the source as captured.
 */
export function feedEncoding(feed: Feed, quality: FeedQuality, width = 640, height = 480): FeedEncoding {
  if (quality === 'full') return { scaleResolutionDownBy: 1, maxBitrate: FULL_BITRATE[feed], maxFramerate: 15 };
  return {
    scaleResolutionDownBy: Math.max(1, width / THUMBNAIL.width, height / THUMBNAIL.height),
    maxBitrate: THUMBNAIL.maxBitrate,
    maxFramerate: THUMBNAIL.maxFramerate,
  };
}
