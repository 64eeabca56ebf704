import type { Sessions } from '../sessions.js';
import { KitError } from '../errors.js';
import { personOf } from '../limits/person.js';
import type { SignedToken, TokenIssuer, VerifiedToken } from '../tokens.js';
import type { Revocations } from './revocations.js';

/** What {@link Access} needs of the kit. */
export interface AccessDeps {
  tokens: TokenIssuer;
  revocations: Revocations;
  sessions: Sessions;
  /** How long after its session ended a candidate's or phone's token may still be renewed, in ms. */
  graceAfterEndMs: number;
}

/**
 * Whether a token may be used now, the same for the control channel and every REST route: signed
 * and unexpired, not revoked by the host, and for a phone, of its session's current pairing.
 */
export class Access {
  constructor(private readonly deps: AccessDeps) {}

  /** The token's claims and times, or `KitError('unauthorized')` saying why it is refused. */
  async verify(token: string): Promise<VerifiedToken> {
    const verified = await this.deps.tokens.verify(token);
    await this.deps.revocations.ready;
    const { claims } = verified;
    if (this.deps.revocations.isRevoked(personOf(claims), verified.authTime)) {
      throw new KitError('unauthorized', 'This access was revoked by the exam site.');
    }
    if (claims.role === 'phone') {
      const record = await this.deps.sessions.get(claims.sessionId);
      if (!record || record.examId !== claims.examId || record.phone?.pairingId !== claims.pairingId) {
        throw new KitError('unauthorized', 'This phone was replaced by a newer pairing. Pair it again from the exam page.');
      }
    }
    return verified;
  }

  /**
   * The next token of a connected page: bounded by the chain's maximum age and, once the page's
   * session (`sessionId`) ended, by its end plus the grace. `undefined` when no more may be given.
   */
  async renew(current: VerifiedToken, sessionId?: string): Promise<SignedToken | undefined> {
    if (this.deps.revocations.isRevoked(personOf(current.claims), current.authTime)) return undefined;
    const record = sessionId === undefined ? undefined : await this.deps.sessions.get(sessionId);
    const endedAt = record?.clock.endedAt ?? null;
    return this.deps.tokens.renew(current, endedAt === null ? undefined : endedAt + this.deps.graceAfterEndMs);
  }
}
