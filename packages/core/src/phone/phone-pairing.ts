import { ProctorError } from '../errors.js';
import type { PhonePairing } from '../protocol/index.js';

/**
 * Asks the server kit for a phone pairing of the candidate's session: a one-time link (with its QR
 * code) and a short code, each valid for 5 minutes. A new pairing voids the previous one.
 */
export async function requestPhonePairing(server: string, token: string, sessionId: string): Promise<PhonePairing> {
  const response = await fetch(`${server.replace(/\/$/, '')}/sessions/${encodeURIComponent(sessionId)}/phone/pairings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json().catch(() => ({}))) as PhonePairing & { error?: { message: string } };
  if (!response.ok) throw new ProctorError('pairing-refused', body.error?.message ?? `Pairing failed (HTTP ${response.status}).`);
  return body;
}
