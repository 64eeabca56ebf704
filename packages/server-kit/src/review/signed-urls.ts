import { createHmac, timingSafeEqual } from 'node:crypto';
import { KitError } from '../errors.js';
import { derivedKey } from './derived-key.js';

/** How long a signed link works: an hour. */
export const SIGNED_URL_VALIDITY_MS = 60 * 60 * 1000;

/**
 * Links that work without a token, for what a browser loads by itself (`<video src>`, `<img src>`,
 * a printable page): `<path>?expires=<ms>&signature=<base64url>`, an HMAC-SHA256 of the path (and
 * the query it had before signing) and the expiry, with a key derived from the kit's secret. A
 * link opens exactly the resource it was made for, until it expires.
 */
export class UrlSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = derivedKey(secret, 'proctorkit signed url');
  }

  /** `resource` (a path, with any query of its own) signed until `expiresAt` (ms since epoch). */
  sign(resource: string, expiresAt: number): string {
    const expires = Math.floor(expiresAt);
    return `${resource}${resource.includes('?') ? '&' : '?'}expires=${expires}&signature=${this.mac(resource, expires)}`;
  }

  /** Whether a request URL (path and query) carries a signature, valid or not. */
  static isSigned(url: string): boolean {
    return splitUrl(url).query.has('signature');
  }

  /**
   * Checks a signed request URL (path and query, as the request line has it); resolves its expiry,
   * or throws `forbidden` saying what is wrong with the link.
   */
  verify(url: string, now = Date.now()): number {
    const { path, query } = splitUrl(url);
    const expires = query.get('expires') ?? '';
    const signature = query.get('signature') ?? '';
    if (!/^\d{1,16}$/.test(expires) || !/^[\w-]{43}$/.test(signature)) {
      throw new KitError('forbidden', 'This link is malformed: it needs `expires` and `signature` as the kit made them.');
    }
    query.delete('expires');
    query.delete('signature');
    const rest = query.toString();
    const resource = rest ? `${path}?${rest}` : path;
    const expected = Buffer.from(this.mac(resource, Number(expires)));
    if (!timingSafeEqual(expected, Buffer.from(signature))) {
      throw new KitError('forbidden', 'This link’s signature does not match: it was changed, or made for another page. Open the link again from the report.');
    }
    if (Number(expires) <= now) throw new KitError('forbidden', 'This link has expired. Open the report again for a fresh one.');
    return Number(expires);
  }

  private mac(resource: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${expires}\n${resource}`).digest('base64url');
  }
}

/** The path as the request line has it (no normalising: the router routes it unnormalised too) and its query. */
function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const mark = url.indexOf('?');
  return mark === -1 ? { path: url, query: new URLSearchParams() } : { path: url.slice(0, mark), query: new URLSearchParams(url.slice(mark + 1)) };
}
