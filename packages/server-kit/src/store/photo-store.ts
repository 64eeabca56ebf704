import type { IdentityPhotoType } from '@proctorkit/core/protocol';

/** A stored photo: its bytes and its image type. */
export interface StoredPhoto {
  bytes: Uint8Array;
  contentType: IdentityPhotoType;
}

/**
 * Where identity photos are kept. Keys are made by the kit from server-generated ids
 * (`<sessionId>/<photoId>`), never from what a client sends. The kit ships a
 * filesystem store ({@link FilePhotoStore}); an S3 bucket or a database implements the same interface.
 */
export interface PhotoStore {
  /** Stores a photo under `key`, replacing any photo stored under it. Resolves once it is stored in full. */
  put(key: string, bytes: Uint8Array, contentType: IdentityPhotoType): Promise<void>;
  /** The photo stored under `key`, or `undefined`. */
  get(key: string): Promise<StoredPhoto | undefined>;
  /** Deletes the photo stored under `key`; deleting a missing photo is no error. */
  delete(key: string): Promise<void>;
}

/** The key of a session's photo in a {@link PhotoStore}. */
export function photoKey(sessionId: string, photoId: string): string {
  return `${sessionId}/${photoId}`;
}

/** The image type the bytes' signature says, or `undefined` when they are no JPEG, PNG or WebP. */
export function imageType(bytes: Uint8Array): IdentityPhotoType | undefined {
  const starts = (offset: number, signature: readonly number[]) =>
    bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);
  if (starts(0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // RIFF <size> WEBP
  if (starts(0, [0x52, 0x49, 0x46, 0x46]) && starts(8, [0x57, 0x45, 0x42, 0x50])) return 'image/webp';
  return undefined;
}
