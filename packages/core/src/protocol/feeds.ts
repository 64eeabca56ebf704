import * as v from 'valibot';

/** The video sources of a session, in the order tiles show them. */
export const FEEDS = ['webcam', 'screen', 'phone'] as const;

/** One video source of a session. */
export type Feed = (typeof FEEDS)[number];

export const FeedSchema = v.picklist(FEEDS);

/**
 * What the candidate's page reports about one feed:
 * `off` never captured, `live` being captured and published, `lost` was live and stopped.
 */
export type FeedState = 'off' | 'live' | 'lost';

export const FeedStateSchema = v.picklist(['off', 'live', 'lost']);

/** How a supervisor wants a feed sent: small for grid thumbnails, full for a focused tile. */
export type FeedQuality = 'thumbnail' | 'full';

export const FeedQualitySchema = v.picklist(['thumbnail', 'full']);
