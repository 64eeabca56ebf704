import { personKey, type Person } from '../limits/person.js';

/**
 * People whose access the host revoked (`kit.revoke`), with when: every token the host issued them
 * up to then, and every renewal of one, is refused. A token issued after it lets them back in.
 * Kept for the longest a token chain can live (`tokenMaxAge`), after which no such token is left.
 */
export class Revocations {
  private readonly revokedAt = new Map<string, number>();

  constructor(private readonly keepMs: number) {}

  revoke(person: Person, now = Date.now()): void {
    this.sweep(now);
    this.revokedAt.set(personKey(person), now);
  }

  /** Whether a token of `person` first issued at `authTime` (ms) was revoked. */
  isRevoked(person: Person, authTime: number): boolean {
    const at = this.revokedAt.get(personKey(person));
    // Token times are whole seconds: one issued in the second of the revocation counts as before it.
    return at !== undefined && authTime <= at;
  }

  private sweep(now: number): void {
    for (const [key, at] of this.revokedAt) if (at + this.keepMs < now) this.revokedAt.delete(key);
  }
}
