import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { checkKey, checkPrefix, type ByteRange, type ObjectRead, type RecordingStore, type StoredObject } from './recording-store.js';

/** Where {@link fileRecordingStore} keeps objects when given no directory, relative to the working directory. */
export const DEFAULT_RECORDING_DIRECTORY = 'proctorkit-data/recordings';

/** Options of {@link fileRecordingStore}. */
export interface FileRecordingStoreOptions {
  /** Where to keep the objects. Default: `proctorkit-data/recordings` in the working directory. */
  directory?: string;
}

/**
 * Keeps recordings as files under one directory, created on demand and readable by this user only:
 * the key `recordings/<sessionId>/webcam/<runId>/000003` is the file of that path. Each object is
 * written to a temporary file, flushed to disk, then linked (a new object) or renamed (a
 * replacement) into place, so a reader or a crash never leaves half of one. An object's type lives
 * beside it (`<file>.type`).
 */
export function fileRecordingStore(options: FileRecordingStoreOptions = {}): RecordingStore & { readonly directory: string } {
  const directory = resolve(options.directory ?? DEFAULT_RECORDING_DIRECTORY);
  const file = (key: string) => join(directory, ...checkKey(key).split('/'));
  const folder = (prefix: string) => join(directory, ...checkPrefix(prefix).split('/').slice(0, -1));

  /** Writes bytes to a new temporary file beside `target` and flushes them to disk. */
  async function temporary(target: string, bytes: Uint8Array | string): Promise<string> {
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    const path = `${target}.${randomUUID()}.part`;
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return path;
  }

  async function contentType(path: string): Promise<string> {
    return (await readFile(`${path}.type`, 'utf8').catch(() => 'application/octet-stream')).trim();
  }

  async function writeType(path: string, type: string): Promise<void> {
    const part = await temporary(`${path}.type`, type);
    await rename(part, `${path}.type`);
  }

  return {
    directory,

    async putNew(key, bytes, type) {
      const path = file(key);
      const part = await temporary(path, bytes);
      try {
        // The type first: an object is visible only once linked, and then it has its type.
        await writeType(path, type);
        await link(part, path);
        return 'stored';
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
        throw error;
      } finally {
        await rm(part, { force: true });
      }
    },

    async putFile(key, source, type) {
      const path = file(key);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const part = `${path}.${randomUUID()}.part`;
      try {
        await copyFile(source, part);
        const handle = await open(part, 'r+');
        await handle.sync().finally(() => handle.close());
        await writeType(path, type);
        await rename(part, path);
      } finally {
        await rm(part, { force: true });
      }
    },

    async head(key) {
      const path = file(key);
      const info = await stat(path).catch(missing);
      return info?.isFile() ? ({ bytes: info.size, contentType: await contentType(path) } satisfies StoredObject) : undefined;
    },

    async read(key, range?: ByteRange): Promise<ObjectRead | undefined> {
      const path = file(key);
      const info = await stat(path).catch(missing);
      if (!info?.isFile()) return undefined;
      const { start, end } = range ?? { start: 0, end: info.size - 1 };
      if (start < 0 || end < start - 1 || end >= info.size) throw new RangeError(`RecordingStore: bytes ${start}-${end} are not within ${key} (${info.size} bytes).`);
      const body = createReadStream(path, info.size === 0 ? {} : { start, end });
      return { body, bytes: info.size === 0 ? 0 : end - start + 1, totalBytes: info.size, contentType: await contentType(path) };
    },

    async list(prefix) {
      const root = folder(prefix);
      const found: { key: string; bytes: number }[] = [];
      async function walk(dir: string): Promise<void> {
        const entries = await readdir(dir, { withFileTypes: true }).catch(missing);
        for (const entry of entries ?? []) {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) await walk(path);
          else if (entry.isFile() && !entry.name.endsWith('.part') && !entry.name.endsWith('.type')) {
            const info = await stat(path).catch(missing);
            if (info) found.push({ key: relative(directory, path).split(sep).join('/'), bytes: info.size });
          }
        }
      }
      await walk(root);
      return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },

    async delete(key) {
      const path = file(key);
      await rm(path, { force: true });
      await rm(`${path}.type`, { force: true });
    },

    async deletePrefix(prefix) {
      const objects = await this.list(prefix);
      await rm(folder(prefix), { recursive: true, force: true });
      return objects.length;
    },
  };
}

function missing(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
  throw error;
}

