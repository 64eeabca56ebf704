import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { PAIRING_CODE_ALPHABET, PAIRING_CODE_LENGTH, PHONE_PAIRING_TTL_MS, type PhoneRedeem } from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';

/** A pairing waiting for its phone. */
export interface PendingPairing {
  sessionId: string;
  pairingId: string;
  /** The link's secret. */
  secret: string;
  /** The short code, without its dash. */
  code: string;
  expiresAt: number;
}

/**
 * Pairings not yet redeemed, in memory: each is a link secret and a short code, both usable once
 * and only for {@link PHONE_PAIRING_TTL_MS}. A new pairing of a session replaces its pending one.
 */
export class PhonePairings {
  private readonly bySecret = new Map<string, PendingPairing>();
  private readonly byCode = new Map<string, PendingPairing>();
  private readonly bySession = new Map<string, PendingPairing>();
  /** Redeemed or replaced secrets and codes, kept until they would have expired, to say "already used". */
  private readonly spent = new Map<string, number>();

  constructor(private readonly ttlMs = PHONE_PAIRING_TTL_MS) {}

  create(sessionId: string, now = Date.now()): PendingPairing {
    this.sweep(now);
    const previous = this.bySession.get(sessionId);
    if (previous) this.forget(previous, now);
    const pairing: PendingPairing = {
      sessionId,
      pairingId: randomUUID(),
      secret: randomBytes(24).toString('base64url'),
      code: this.freshCode(),
      expiresAt: now + this.ttlMs,
    };
    this.bySecret.set(pairing.secret, pairing);
    this.byCode.set(pairing.code, pairing);
    this.bySession.set(sessionId, pairing);
    return pairing;
  }

  /** Takes a pairing by its link secret or its code, once. */
  redeem(input: PhoneRedeem, now = Date.now()): PendingPairing {
    this.sweep(now);
    const key = 'pairing' in input ? input.pairing : input.code;
    const pairing = 'pairing' in input ? this.bySecret.get(key) : this.byCode.get(key);
    if (!pairing) {
      if (this.spent.has(key)) throw new KitError('conflict', 'This pairing was already used. Show a new QR code on the exam page.');
      throw new KitError('not-found', 'No pairing with this link or code: it may have expired. Show a new QR code on the exam page.');
    }
    this.forget(pairing, now);
    return pairing;
  }

  private forget(pairing: PendingPairing, now: number): void {
    this.bySecret.delete(pairing.secret);
    this.byCode.delete(pairing.code);
    if (this.bySession.get(pairing.sessionId) === pairing) this.bySession.delete(pairing.sessionId);
    const until = Math.max(pairing.expiresAt, now + this.ttlMs);
    this.spent.set(pairing.secret, until);
    this.spent.set(pairing.code, until);
  }

  /** Drops expired pairings (they answer "expired", not "used") and spent keys past their time. */
  private sweep(now: number): void {
    for (const pairing of [...this.bySession.values()]) {
      if (pairing.expiresAt > now) continue;
      this.bySecret.delete(pairing.secret);
      this.byCode.delete(pairing.code);
      this.bySession.delete(pairing.sessionId);
    }
    for (const [key, until] of this.spent) if (until <= now) this.spent.delete(key);
  }

  private freshCode(): string {
    for (;;) {
      let code = '';
      for (let i = 0; i < PAIRING_CODE_LENGTH; i++) code += PAIRING_CODE_ALPHABET[randomInt(PAIRING_CODE_ALPHABET.length)];
      if (!this.byCode.has(code) && !this.spent.has(code)) return code;
    }
  }
}
