import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
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
    const parsed = parse(ClaimsSchema, claims);
    if (!parsed.ok) throw new KitError('bad-message', `issueToken: ${parsed.message}`);
    const ttl = options.expiresIn ?? this.defaultTtl;
    return new SignJWT({ ...parsed.value })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(typeof ttl === 'number' ? Math.floor(Date.now() / 1000) + ttl : ttl)
      .sign(this.key);
  }

  /** Returns the token's claims, or throws `KitError('unauthorized')` saying why it was refused. */
  async verify(token: string): Promise<Claims> {
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
    return parsed.value;
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'Token has expired.';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'Token signature is invalid.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `Token claim "${error.claim}" is invalid.`;
  return 'Token is malformed.';
}
