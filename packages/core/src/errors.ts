/** Stable codes of {@link ProctorError}: what went wrong, so a page can react to it. */
export type ProctorErrorCode =
  /** The candidate or the browser refused the camera. */
  | 'camera-denied'
  /** No camera is connected, or none matches. */
  | 'camera-missing'
  /** The camera is used by another program. */
  | 'camera-in-use'
  /** The candidate cancelled or refused screen sharing. */
  | 'screen-denied'
  /** The candidate stopped sharing the screen. */
  | 'screen-stopped'
  /** The camera was unplugged or stopped by the system. */
  | 'camera-stopped'
  /** This browser cannot capture the screen (e.g. most phones). */
  | 'screen-unsupported'
  /** The token was refused: missing, forged or expired. A new token is needed. */
  | 'unauthorized'
  /** This session was opened on another page, which now holds it. */
  | 'replaced'
  /** The server refused the connection for another reason. */
  | 'connection-refused'
  /** A call's arguments are invalid (e.g. a log line's name). */
  | 'bad-input'
  /** A phone pairing link or code was refused: used already, expired, or mistyped. */
  | 'pairing-refused'
  /** The server refused a supervisor's command (e.g. the session has ended). */
  | 'command-refused';

/** The one error type of `@proctorkit/core`. */
export class ProctorError extends Error {
  override readonly name = 'ProctorError';

  constructor(
    readonly code: ProctorErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
