/**
 * A kit in a process of its own, for tests of what must never stop a process: the parent sends it
 * hostile input over real sockets and asks it, over IPC, whether it is still there and how big it is.
 * Options come as JSON in `PROCTOR_KIT_OPTIONS`; `PROCTOR_KIT_FAULT=escape` gives it a provider
 * whose join of candidate `boom` throws out of every handler, as a faulty provider or store would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilePhotoStore, createProctorKit, localProvider, sqliteStore, type MediaProvider, type ProctorKitOptions } from '../../src/index.js';
import { serveKit } from '../../src/test-helpers.js';

const options = JSON.parse(process.env.PROCTOR_KIT_OPTIONS ?? '{}') as Partial<ProctorKitOptions>;
const local = localProvider();
const escaping: MediaProvider = {
  name: 'local',
  joinInfo(session) {
    if (session?.candidateId === 'boom') {
      setImmediate(() => {
        throw new Error('a fault outside every handler');
      });
      void Promise.reject(new Error('a rejection nobody handles'));
    }
    return local.joinInfo(session);
  },
};

// The database and photos go to a directory of this process's own, removed when it ends.
const dataDirectory = mkdtempSync(join(tmpdir(), 'proctorkit-kit-process-'));
process.on('exit', () => rmSync(dataDirectory, { recursive: true, force: true }));
process.on('SIGTERM', () => process.exit(0));
const kit = createProctorKit({
  secret: process.env.PROCTOR_KIT_SECRET!,
  logger: 'warn',
  photoStore: new FilePhotoStore(join(dataDirectory, 'photos')),
  store: sqliteStore({ path: join(dataDirectory, 'proctorkit.db') }),
  ...options,
  ...(process.env.PROCTOR_KIT_FAULT === 'escape' ? { provider: escaping } : {}),
});
const { origin } = await serveKit(kit);

process.on('message', (message: { type: string; id: number }) => {
  if (message.type === 'rss') {
    global.gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    process.send!({ type: 'rss', id: message.id, rss, heapUsed });
  }
});
process.send!({ type: 'ready', origin });
