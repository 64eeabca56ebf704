import { KitError } from '../errors.js';

/**
 * What one person, page or session may send the kit, so that no token holder can flood it, grow it
 * without bound or flood the supervisors. Past a rate the kit answers `rate-limited` with when to
 * retry (`retryAfterMs` on the control channel, `Retry-After` over HTTP); a connection that goes on
 * sending past it is closed with 4429. Every default is documented in docs/guide/security.md.
 */
export interface KitLimits {
  /** Messages one control connection may send per second, sustained. Default: 50. */
  messagesPerSecond: number;
  /** Messages one control connection may send at once before `messagesPerSecond` applies. Default: 200. */
  messageBurst: number;
  /**
   * Refused messages (`rate-limited`) a connection may collect before it is closed with 4429; one
   * is forgiven each second. Default: 50.
   */
  refusalsBeforeClose: number;
  /** Control connections (hellos) one person may open per minute: a reconnect storm adds no more. Default: 20. */
  connectionsPerMinute: number;
  /** Events a session's pages (candidate and phone) may add per minute: signals, log lines, feed changes. Default: 600. */
  eventsPerMinute: number;
  /** Bytes of event data a session's pages may add per minute. Default: 512 KB. */
  eventBytesPerMinute: number;
  /**
   * The most events a session's log may hold before the kit refuses its pages' events (`too-large`).
   * The kit's own events, commands and host log lines are always written. Default: 20,000.
   */
  maxEventsPerSession: number;
  /** REST requests one person may make per minute. Default: 600. */
  requestsPerMinute: number;
  /**
   * Requests one client address may make per minute with signed links (recordings, screenshots,
   * identity photos, the printable report), which carry no token: enough for a video player's
   * Range requests. Default: 1,200.
   */
  signedLinkRequestsPerMinute: number;
  /** Phone pairing redemptions one client address may try per minute. Default: 10. */
  pairingAttemptsPerMinute: number;
  /**
   * Wrong pairing codes the whole kit accepts per minute from all addresses together, against
   * guessing from many addresses; past it, codes wait (links from the QR code still work). Default: 100.
   */
  pairingFailuresPerMinute: number;
  /**
   * Bytes of recordings one session may store, all feeds and runs together; past it chunks are
   * refused (`too-large`). Three feeds at the default bitrates are about 470 MB an hour. Default: 4 GiB.
   */
  recordingBytesPerSession: number;
}

export const DEFAULT_LIMITS: Readonly<KitLimits> = {
  messagesPerSecond: 50,
  messageBurst: 200,
  refusalsBeforeClose: 50,
  connectionsPerMinute: 20,
  eventsPerMinute: 600,
  eventBytesPerMinute: 512 * 1024,
  maxEventsPerSession: 20_000,
  requestsPerMinute: 600,
  signedLinkRequestsPerMinute: 1200,
  pairingAttemptsPerMinute: 10,
  pairingFailuresPerMinute: 100,
  recordingBytesPerSession: 4 * 1024 ** 3,
};

/** The kit's limits: the defaults with the host's changes, each checked to be a positive number. */
export function resolveLimits(changes: Partial<KitLimits> = {}): KitLimits {
  const limits = { ...DEFAULT_LIMITS, ...changes };
  for (const [name, value] of Object.entries(limits)) {
    if (!(name in DEFAULT_LIMITS)) throw new KitError('bad-message', `createProctorKit: unknown limit \`limits.${name}\`.`);
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
      throw new KitError('bad-message', `createProctorKit: \`limits.${name}\` must be a positive number.`);
    }
  }
  return limits;
}

/** Seconds for a `Retry-After` header: whole, at least 1. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
