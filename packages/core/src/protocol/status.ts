import * as v from 'valibot';
import { FEEDS, type Feed, type FeedState } from './feeds.js';

/**
 * A session as a supervisor sees it. `preparing`: the media provider is still setting up the
 * session's media (Amazon Chime: creating its meeting, maybe waiting for its turn under the rate limit).
 */
export type SessionStatus = 'connecting' | 'preparing' | 'live' | 'feed-lost' | 'offline' | 'ended';

export const SessionStatusSchema = v.picklist(['connecting', 'preparing', 'live', 'feed-lost', 'offline', 'ended']);

/** The state of every feed of a session. */
export type FeedStates = Record<Feed, FeedState>;

export function noFeeds(): FeedStates {
  return { webcam: 'off', screen: 'off', phone: 'off' };
}

/**
 * A session's status from whether it ended, whether its candidate is connected, whether its media
 * is still being prepared, and what its feeds report: a lost feed outweighs the live ones, because
 * that is what a supervisor must notice.
 */
export function sessionStatus(connected: boolean, feeds: FeedStates, ended = false, preparing = false): SessionStatus {
  if (ended) return 'ended';
  if (!connected) return 'offline';
  if (preparing) return 'preparing';
  const states = FEEDS.map((feed) => feeds[feed]);
  if (states.includes('lost')) return 'feed-lost';
  if (states.includes('live')) return 'live';
  return 'connecting';
}
