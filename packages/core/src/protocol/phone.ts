import * as v from 'valibot';

/** How long a pairing link and its short code can be redeemed. */
export const PHONE_PAIRING_TTL_MS = 5 * 60_000;

/** The short code's letters: no 0/O, 1/I/L, so it reads and types without doubt. */
export const PAIRING_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const PAIRING_CODE_LENGTH = 6;

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
  /** The short code to type on the phone page instead, e.g. `K7M-Q2P`. */
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
