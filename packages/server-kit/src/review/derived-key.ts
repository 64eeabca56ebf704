import { hkdfSync } from 'node:crypto';

/**
 * A key for one use of the kit's secret (`label` says which), so a signature made for one purpose
 * (a verdict, a link) can never pass for another's, nor for a token's.
 */
export function derivedKey(secret: string, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret), Buffer.alloc(0), label, 32));
}
