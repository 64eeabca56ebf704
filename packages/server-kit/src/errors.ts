import type { ErrorCode } from '@proctorkit/core/protocol';

const HTTP_STATUS: Record<ErrorCode, number> = {
  'bad-message': 400,
  'unknown-type': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'not-connected': 409,
  conflict: 409,
  'too-large': 413,
  'unsupported-type': 415,
  'rate-limited': 429,
  internal: 500,
};

/** The one error type of the server kit: a stable `code` and a message a host developer can act on. */
export class KitError extends Error {
  override readonly name = 'KitError';

  /** For `rate-limited`: how long to wait before trying again. */
  readonly retryAfterMs?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { retryAfterMs?: number } = {},
  ) {
    super(message);
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  /** The HTTP status this error answers with. */
  get status(): number {
    return HTTP_STATUS[this.code];
  }
}
