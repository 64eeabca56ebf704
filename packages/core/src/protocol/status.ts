import * as v from 'valibot';
import { FEEDS, type Feed, type FeedState } from './feeds.js';

/** A session as a supervisor sees it. */
export type SessionStatus = 'connecting' | 'live' | 'feed-lost' | 'offline' | 'ended';

export const SessionStatusSchema = v.picklist(['connecting', 'live', 'feed-lost', 'offline', 'ended']);

/** The state of every feed of a session. */
export type FeedStates = Record<Feed, FeedState>;

export function noFeeds(): FeedStates {
  return { webcam: 'off', screen: 'off', phone: 'off' };
}

/**
 * A session's status from whether it ended, whether its candidate is connected and what its
 * feeds report: a lost feed outweighs the live ones, because that is what a supervisor must notice.
 */
export function sessionStatus(connected: boolean, feeds: FeedStates, ended = false): SessionStatus {
  if (ended) return 'ended';
  if (!connected) return 'offline';
  const states = FEEDS.map((feed) => feeds[feed]);
  if (states.includes('lost')) return 'feed-lost';
  if (states.includes('live')) return 'live';
  return 'connecting';
}
