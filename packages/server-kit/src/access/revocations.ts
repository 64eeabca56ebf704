import { personKey, type Person } from '../limits/person.js';
import type { KitStore } from '../store/kit-store.js';

/**
 * People whose access the host revoked (`kit.revoke`), with when: every token the host issued them
 * up to then, and every renewal of one, is refused. A token issued after it lets them back in.
 * Kept in the store, so a restart forgets none, and in memory for the check on every request; only
 * those of the last `keepMs` (`tokenMaxAge`) matter: no token they cover is left after it.
 */
export class Revocations {
  private readonly revokedAt = new Map<string, number>();
  /** Settles once the stored revocations are loaded; checks wait for it. */
  readonly ready: Promise<void>;

  constructor(
    private readonly store: KitStore,
    private readonly keepMs: number,
  ) {
    this.ready = store.listRevocations(Date.now() - keepMs).then((stored) => {
      for (const { personKey: key, at } of stored) this.revokedAt.set(key, Math.max(at, this.revokedAt.get(key) ?? 0));
    });
    // Each check awaits it and fails on its own; nothing else is left to hear of a failure.
    this.ready.catch(() => {});
  }

  /** Stores the revocation; resolves with its time. */
  async revoke(person: Person, now = Date.now()): Promise<number> {
    this.sweep(now);
    await this.store.putRevocation(personKey(person), now);
    this.revokedAt.set(personKey(person), now);
    return now;
  }

  /** A revocation another instance stored: this one refuses the same tokens from now on. */
  remember(person: Person, at: number): void {
    this.revokedAt.set(personKey(person), Math.max(at, this.revokedAt.get(personKey(person)) ?? 0));
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
