import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { IdentityPhotoType } from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import { imageType, type PhotoStore, type StoredPhoto } from './photo-store.js';

/** Where {@link FilePhotoStore} keeps photos when given no directory, relative to the working directory. */
const DEFAULT_PHOTO_DIRECTORY = 'proctorkit-data/photos';

/** Keys are `/`-separated ids of letters, digits, `_` and `-`: nothing that can leave the directory. */
const KEY = /^[\w-]{1,64}(?:\/[\w-]{1,64}){0,3}$/;

/**
 * Keeps identity photos as files under one directory (created on demand, readable by this user
 * only): `<directory>/<sessionId>/<photoId>`. A photo is written to a temporary file and renamed,
 * so a reader never sees half of one. The image type is read back from the file's signature.
 */
export class FilePhotoStore implements PhotoStore {
  /** The absolute directory the photos are kept in. */
  readonly directory: string;

  /** @param directory Where to keep the photos. Default: `proctorkit-data/photos` in the working directory. */
  constructor(directory: string = DEFAULT_PHOTO_DIRECTORY) {
    this.directory = resolve(directory);
  }

  async put(key: string, bytes: Uint8Array, _contentType: IdentityPhotoType): Promise<void> {
    const file = this.file(key);
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${randomUUID()}.part`;
    try {
      await writeFile(temporary, bytes, { mode: 0o600, flag: 'wx' });
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<StoredPhoto | undefined> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const contentType = imageType(bytes);
    return contentType && { bytes, contentType };
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }

  private file(key: string): string {
    if (!KEY.test(key)) throw new KitError('internal', `FilePhotoStore: ${JSON.stringify(key.slice(0, 80))} is not a photo key.`);
    return join(this.directory, ...key.split('/'));
  }
}
