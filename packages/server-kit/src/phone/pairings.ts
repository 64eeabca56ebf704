import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { PAIRING_CODE_ALPHABET, PAIRING_CODE_LENGTH, PHONE_PAIRING_TTL_MS, type PhoneRedeem } from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import type { KitStore } from '../store/kit-store.js';

/** A pairing waiting for its phone, as the candidate's page shows it. */
export interface PendingPairing {
  sessionId: string;
  pairingId: string;
  /** The link's secret. */
  secret: string;
  /** The short code, without its dash. */
  code: string;
  expiresAt: number;
}

/** The store keeps keys only as hashes: a copy of it redeems nothing. */
function keyHash(kind: 'link' | 'code', key: string): string {
  return createHash('sha256').update(`${kind}:${key}`).digest('base64url');
}

/**
 * Phone pairings, kept in the kit's store so a restart keeps them and any instance redeems them:
 * each is a link secret and a short code, both usable once and only for {@link PHONE_PAIRING_TTL_MS}.
 * A new pairing of a session voids its pending one; a used or voided key says so (409) until it
 * would have expired.
 */
export class PhonePairings {
  constructor(
    private readonly store: KitStore,
    private readonly ttlMs = PHONE_PAIRING_TTL_MS,
  ) {}

  async create(sessionId: string, now = Date.now()): Promise<PendingPairing> {
    for (;;) {
      const pending: PendingPairing = {
        sessionId,
        pairingId: randomUUID(),
        secret: randomBytes(24).toString('base64url'),
        code: freshCode(),
        expiresAt: now + this.ttlMs,
      };
      const stored = { pairingId: pending.pairingId, sessionId, linkHash: keyHash('link', pending.secret), codeHash: keyHash('code', pending.code), expiresAt: pending.expiresAt };
      // A code drawn twice in the same minutes (one in ~10¹¹) is drawn again.
      if (await this.store.putPairing(stored, now, now + this.ttlMs)) return pending;
    }
  }

  /** Takes a pairing by its link secret or its code, once; resolves with its session and id. */
  async redeem(input: PhoneRedeem, now = Date.now()): Promise<{ sessionId: string; pairingId: string }> {
    const hash = 'pairing' in input ? keyHash('link', input.pairing) : keyHash('code', input.code);
    const taken = await this.store.takePairing(hash, now, now + this.ttlMs);
    if (taken === 'used') throw new KitError('conflict', 'This pairing was already used. Show a new QR code on the exam page.');
    if (!taken) throw new KitError('not-found', 'No pairing with this link or code: it may have expired. Show a new QR code on the exam page.');
    return { sessionId: taken.sessionId, pairingId: taken.pairingId };
  }
}

function freshCode(): string {
  let code = '';
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++) code += PAIRING_CODE_ALPHABET[randomInt(PAIRING_CODE_ALPHABET.length)];
  return code;
}
