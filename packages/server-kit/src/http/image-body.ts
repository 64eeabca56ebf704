import type { Request } from 'express';
import { KitError } from '../errors.js';
import { imageType } from '../store/photo-store.js';
import { rawBody } from './raw-body.js';

/** How one route takes an image: the types it accepts, its largest size, and what it calls it. */
export interface ImageUpload<T extends string> {
  types: readonly T[];
  maxBytes: number;
  /** The image in a sentence: `photo`, `screenshot`. */
  what: string;
  tooLarge(): KitError;
  /** Refuses what the session would refuse anyway, once the headers are checked and before a byte of the image is read. */
  admit(): void;
}

/**
 * An image request's body and type: a `Content-Type` the route accepts (else 415), at most
 * `maxBytes` (413, before reading when `Content-Length` says so), not empty, and bytes that are
 * an image of the declared type (400).
 */
export async function imageBody<T extends string>(request: Request, upload: ImageUpload<T>): Promise<{ bytes: Buffer; contentType: T }> {
  const type = (request.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const contentType = upload.types.find((t) => t === type);
  if (!contentType) throw new KitError('unsupported-type', `Send the ${upload.what} as ${upload.types.join(', ')} (Content-Type ${JSON.stringify(type || 'missing')}).`);
  if (Number(request.get('content-length') ?? NaN) > upload.maxBytes) throw upload.tooLarge();
  upload.admit();
  const bytes = await rawBody(request, upload.maxBytes, upload.tooLarge);
  if (bytes.length === 0) throw new KitError('bad-message', `The ${upload.what} is empty.`);
  if (imageType(bytes) !== contentType) throw new KitError('bad-message', `The body is not a ${contentType.slice('image/'.length).toUpperCase()} image.`);
  return { bytes, contentType };
}
