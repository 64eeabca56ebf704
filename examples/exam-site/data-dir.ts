import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where the demo keeps what must outlive a restart. */
export interface DataDir {
  /** The absolute directory. */
  directory: string;
  /** The kit's SQLite database. */
  database: string;
  /** Identity photos. */
  photos: string;
  /** Recordings: chunks as pages upload them, then each run's finished file. */
  recordings: string;
  /** The token secret: generated on the first start, so tokens of the last start stay valid. */
  secret: string;
}

/**
 * Opens (creating it, readable by this user only) the demo's data directory: the database, the
 * identity photos and the generated secret. Throws with one line a person can act on.
 */
export function openDataDir(directory: string): DataDir {
  const absolute = resolve(directory);
  try {
    mkdirSync(absolute, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new Error(`PROCTOR_DATA_DIR ${absolute} cannot be created: ${(error as Error).message}`);
  }
  return { directory: absolute, database: join(absolute, 'proctorkit.db'), photos: join(absolute, 'photos'), recordings: join(absolute, 'recordings'), secret: readOrCreateSecret(join(absolute, 'secret')) };
}

/** A data directory of its own for a run that must start from no sessions (screenshots, benches), removed when the process exits. */
export function temporaryDataDir(): DataDir {
  const directory = mkdtempSync(join(tmpdir(), 'proctorkit-demo-'));
  process.on('exit', () => rmSync(directory, { recursive: true, force: true }));
  return openDataDir(directory);
}

function readOrCreateSecret(file: string): string {
  try {
    const saved = readFileSync(file, 'utf8').trim();
    if (saved.length >= 32) return saved;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file} cannot be read: ${(error as Error).message}`);
  }
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
