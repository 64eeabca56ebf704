/** WebSocket close codes of the control channel. 4xxx mirror the matching HTTP status. */
export const CloseCode = {
  /** The server is shutting down; reconnect later. */
  goingAway: 1001,
  /** A message was larger than the protocol allows (64 KB). */
  tooBig: 1009,
  /** The server failed (e.g. its media provider or store); reconnecting may help. */
  internalError: 1011,
  /** The first message was not a valid `session.hello`. */
  badHello: 4400,
  /** The token is missing, malformed, forged or expired. Reconnecting with it will not help. */
  unauthorized: 4401,
  /** The token is valid but does not allow this. */
  forbidden: 4403,
  /** No `session.hello` arrived in time. */
  helloTimeout: 4408,
  /** A newer connection took over this candidate's session (e.g. a second tab). */
  replaced: 4409,
  /**
   * Too many messages, or too many connections of one person, in a short time. Reconnecting after
   * a pause works; reconnecting at once is refused again.
   */
  rateLimited: 4429,
} as const;

/** Close codes after which a client must not reconnect by itself. */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.tooBig,
  CloseCode.badHello,
  CloseCode.unauthorized,
  CloseCode.forbidden,
  CloseCode.replaced,
]);

/** The largest control-channel message, in bytes. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
