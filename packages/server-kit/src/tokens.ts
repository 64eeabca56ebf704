import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, decodeJwt, jwtVerify, errors as joseErrors } from 'jose';
import { ClaimsSchema, parse, type Claims } from '@proctorkit/core/protocol';
import { durationSeconds } from './duration.js';
import { KitError } from './errors.js';

const ISSUER = 'proctorkit';
const AUDIENCE = 'proctorkit';
/** When the host issued the first token of a chain of renewals (seconds, as OpenID Connect spells it). */
const AUTH_TIME = 'auth_time';
const REGISTERED_CLAIMS = ['iss', 'aud', 'iat', 'exp', 'nbf', 'jti', 'sub', AUTH_TIME];
/** A renewal that would live shorter than this is not made: the chain has reached its bound. */
const MIN_RENEWED_SECONDS = 2;

/** Options of `kit.issueToken`. */
export interface IssueOptions {
  /** Lifetime as seconds or a duration string such as `'2h'`, at most the kit's `tokenMaxAge`. Default: the kit's `tokenTtl`. */
  expiresIn?: number | string;
}

/** A signed token, when it was signed and when it expires (ms since epoch). */
export interface SignedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

/** A token's validated claims and its times (ms since epoch). */
export interface VerifiedToken {
  claims: Claims;
  expiresAt: number;
  /** When this token was signed. */
  issuedAt: number;
  /** When the host issued the token this one renews (itself, when the host issued it). */
  authTime: number;
}

/** Signs and verifies Proctorkit tokens (JWT, HS256). */
export class TokenIssuer {
  /** A key object, made once: given raw bytes, jose imports the key again on every signature and check. */
  private readonly key: KeyObject;
  private readonly ttlSeconds: number;
  private readonly maxAgeSeconds: number;

  constructor(secret: string, ttl: number | string, maxAge: number | string = '24h') {
    if (typeof secret !== 'string' || Buffer.byteLength(secret) < 32) {
      throw new KitError('bad-message', 'createProctorKit: `secret` must be a string of at least 32 bytes.');
    }
    this.key = createSecretKey(Buffer.from(secret));
    this.ttlSeconds = durationSeconds(ttl, 'tokenTtl');
    this.maxAgeSeconds = durationSeconds(maxAge, 'tokenMaxAge');
    if (this.ttlSeconds > this.maxAgeSeconds) throw new KitError('bad-message', 'createProctorKit: `tokenTtl` must not be longer than `tokenMaxAge`.');
  }

  /** How long after the host issued it any token of a chain may still be used, in ms. */
  get maxAgeMs(): number {
    return this.maxAgeSeconds * 1000;
  }

  /** Signs a token for `claims`, which are validated first so a bad call fails here, not at the client. */
  async issue(claims: Claims, options: IssueOptions = {}): Promise<string> {
    const lifetime = options.expiresIn === undefined ? this.ttlSeconds : typeof options.expiresIn === 'number' ? options.expiresIn : durationSeconds(options.expiresIn, 'expiresIn');
    if (lifetime > this.maxAgeSeconds) throw new KitError('bad-message', `issueToken: expiresIn must be at most the kit's tokenMaxAge (${this.maxAgeSeconds} s).`);
    const now = Math.floor(Date.now() / 1000);
    return (await this.sign(claims, now, now + lifetime)).token;
  }

  /**
   * A new token for a verified one: the same claims and the same lifetime (never longer than
   * `tokenTtl`), ending no later than `until` (ms) nor the chain's maximum age. `undefined` once
   * that bound leaves less than a useful lifetime: the page keeps what it has until it expires.
   */
  async renew(verified: VerifiedToken, until = Number.POSITIVE_INFINITY): Promise<SignedToken | undefined> {
    const now = Math.floor(Date.now() / 1000);
    const authTime = Math.floor(verified.authTime / 1000);
    const lifetime = Math.min(this.ttlSeconds, Math.round((verified.expiresAt - verified.issuedAt) / 1000));
    const expiresAt = Math.min(now + lifetime, authTime + this.maxAgeSeconds, Math.floor(until / 1000));
    if (expiresAt - now < MIN_RENEWED_SECONDS) return undefined;
    return this.sign(verified.claims, authTime, expiresAt);
  }

  private async sign(claims: Claims, authTime: number, expiresAt: number): Promise<SignedToken> {
    const parsed = parse(ClaimsSchema, claims);
    if (!parsed.ok) throw new KitError('bad-message', `issueToken: ${parsed.message}`);
    const token = await new SignJWT({ ...parsed.value, [AUTH_TIME]: authTime })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(this.key);
    const { iat, exp } = decodeJwt(token);
    return { token, issuedAt: iat! * 1000, expiresAt: exp! * 1000 };
  }

  /** Returns the token's claims and times, or throws `KitError('unauthorized')` saying why it was refused. */
  async verify(token: string): Promise<VerifiedToken> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'iat'],
      }));
    } catch (error) {
      throw new KitError('unauthorized', describeJoseError(error));
    }
    const claims = Object.fromEntries(Object.entries(payload).filter(([key]) => !REGISTERED_CLAIMS.includes(key)));
    const parsed = parse(ClaimsSchema, claims);
    if (!parsed.ok) throw new KitError('unauthorized', `Token claims are invalid: ${parsed.message}.`);
    const issuedAt = (payload.iat as number) * 1000;
    const authTime = typeof payload[AUTH_TIME] === 'number' && payload[AUTH_TIME] <= (payload.iat as number) ? payload[AUTH_TIME] * 1000 : issuedAt;
    return { claims: parsed.value, expiresAt: (payload.exp as number) * 1000, issuedAt, authTime };
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'Token has expired.';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'Token signature is invalid.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `Token claim "${error.claim}" is invalid.`;
  return 'Token is malformed.';
}
