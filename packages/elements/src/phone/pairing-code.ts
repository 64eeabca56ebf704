import { PAIRING_CODE_ALPHABET, PAIRING_CODE_LENGTH, displayPairingCode } from '@proctorkit/core';

/** A short code as typed so far, as people read it: `k7mq2` → `K7MQ-2`, `K7MQ-2PXW` stays. */
export function formatPairingCode(typed: string): string {
  return displayPairingCode(
    typed
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .slice(0, PAIRING_CODE_LENGTH),
  );
}

/** The code to send (no dash), or why it cannot be one, in words a candidate can act on. */
export function readPairingCode(typed: string): { code: string } | { problem: string } {
  const chars = formatPairingCode(typed).replace('-', '');
  if (chars.length === 0) return { problem: 'Type the code shown on the exam page.' };
  const wrong = [...new Set([...chars].filter((c) => !PAIRING_CODE_ALPHABET.includes(c)))];
  if (wrong.length > 0) {
    return { problem: `A code never has ${wrong.join(', ')}: codes leave out I, L, O, 0 and 1, which look alike. Check the code on the exam page.` };
  }
  if (chars.length < PAIRING_CODE_LENGTH) return { problem: `The code has ${PAIRING_CODE_LENGTH} letters and digits, like K7MQ-2PXW.` };
  return { code: chars };
}
