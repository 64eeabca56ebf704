import { SignJWT, decodeJwt, jwtVerify, errors as joseErrors } from 'jose';
import { ClaimsSchema, parse, type Claims } from '@proctorkit/core/protocol';
import { KitError } from './errors.js';

const ISSUER = 'proctorkit';
const AUDIENCE = 'proctorkit';
const REGISTERED_CLAIMS = ['iss', 'aud', 'iat', 'exp', 'nbf', 'jti', 'sub'];

/** Options of `kit.issueToken`. */
export interface IssueOptions {
  /** Lifetime as seconds or a duration string such as `'2h'`. Default: the kit's `tokenTtl`. */
  expiresIn?: number | string;
}

/** A signed token and when it expires (ms since epoch). */
export interface SignedToken {
  token: string;
  expiresAt: number;
}

/** A token's validated claims and when it expires (ms since epoch). */
export interface VerifiedToken {
  claims: Claims;
  expiresAt: number;
}

/** Signs and verifies Proctorkit tokens (JWT, HS256). */
export class TokenIssuer {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly defaultTtl: number | string,
  ) {
    if (typeof secret !== 'string' || Buffer.byteLength(secret) < 32) {
      throw new KitError('bad-message', 'createProctorKit: `secret` must be a string of at least 32 bytes.');
    }
    this.key = new TextEncoder().encode(secret);
  }

  /** Signs a token for `claims`, which are validated first so a bad call fails here, not at the client. */
  async issue(claims: Claims, options: IssueOptions = {}): Promise<string> {
    return (await this.sign(claims, options.expiresIn ?? this.defaultTtl)).token;
  }

  /** A new token with the same claims and the default lifetime, for a client whose token runs out. */
  renew(claims: Claims): Promise<SignedToken> {
    return this.sign(claims, this.defaultTtl);
  }

  private async sign(claims: Claims, ttl: number | string): Promise<SignedToken> {
    const parsed = parse(ClaimsSchema, claims);
    if (!parsed.ok) throw new KitError('bad-message', `issueToken: ${parsed.message}`);
    const token = await new SignJWT({ ...parsed.value })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(typeof ttl === 'number' ? Math.floor(Date.now() / 1000) + ttl : ttl)
      .sign(this.key);
    return { token, expiresAt: decodeJwt(token).exp! * 1000 };
  }

  /** Returns the token's claims and expiry, or throws `KitError('unauthorized')` saying why it was refused. */
  async verify(token: string): Promise<VerifiedToken> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw new KitError('unauthorized', describeJoseError(error));
    }
    const claims = Object.fromEntries(Object.entries(payload).filter(([key]) => !REGISTERED_CLAIMS.includes(key)));
    const parsed = parse(ClaimsSchema, claims);
    if (!parsed.ok) throw new KitError('unauthorized', `Token claims are invalid: ${parsed.message}.`);
    return { claims: parsed.value, expiresAt: (payload.exp as number) * 1000 };
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'Token has expired.';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'Token signature is invalid.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `Token claim "${error.claim}" is invalid.`;
  return 'Token is malformed.';
}
