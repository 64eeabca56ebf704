import * as v from 'valibot';

/** How long a pairing link and its short code can be redeemed. */
export const PHONE_PAIRING_TTL_MS = 5 * 60_000;

/** The short code's letters: no 0/O, 1/I/L, so it reads and types without doubt. */
export const PAIRING_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/**
 * 8 of 31 symbols: about 8.5 × 10¹¹ codes, so guessing at the kit's throttled rate takes years
 * (the arithmetic is in docs/guide/security.md).
 */
export const PAIRING_CODE_LENGTH = 8;

/** The short code as people read it, in two groups: `K7MQ2PXW` → `K7MQ-2PXW`; a partial code stays partial. */
export function displayPairingCode(code: string): string {
  const half = PAIRING_CODE_LENGTH / 2;
  return code.length > half ? `${code.slice(0, half)}-${code.slice(half)}` : code;
}

const PairingSecretSchema = v.pipe(v.string(), v.regex(/^[\w-]{22,64}$/, 'is not a pairing link'));
const PairingCodeSchema = v.pipe(
  v.string(),
  v.transform((code) => code.toUpperCase().replace(/[\s-]/g, '')),
  v.regex(new RegExp(`^[${PAIRING_CODE_ALPHABET}]{${PAIRING_CODE_LENGTH}}$`), `must be ${PAIRING_CODE_LENGTH} letters and digits`),
);

/** `POST <server>/phone/redeem`: the phone page trades its link's secret, or the typed code, for a phone token. */
export const PhoneRedeemSchema = v.union([
  v.strictObject({ pairing: PairingSecretSchema }),
  v.strictObject({ code: PairingCodeSchema }),
]);
export type PhoneRedeem = v.InferInput<typeof PhoneRedeemSchema>;

/** A pairing the candidate's page shows: a link (and its QR code) or a short code, each usable once. */
export interface PhonePairing {
  pairingId: string;
  /** The phone page's link, carrying the one-time secret. */
  url: string;
  /** The same, as an SVG QR code. */
  qrSvg: string;
  /** The short code to type on the phone page instead, e.g. `K7MQ-2PXW`. */
  code: string;
  /** Server time (ms) after which neither works. */
  expiresAt: number;
}

/** What redeeming answers: the phone's token, and whose session it joins. */
export interface PhoneRedeemed {
  token: string;
  name: string;
  examId: string;
}
