// The kit under load in `npm run bench:recording`, a child process of its own: Express + the
// server kit as a host mounts it, sessions in memory (seeded: `BENCH_SESSIONS` of them), recordings
// in a directory (`BENCH_RECORDING_DIR`) or in a bucket of an S3 API (`BENCH_S3_STORE_OPTIONS`,
// s3RecordingStore's options as JSON). Tells the parent its origin once it listens.
import { createProctorKit, fileRecordingStore, memoryStore, s3RecordingStore, type RecordingStore, type S3RecordingStoreOptions } from '@proctorkit/server-kit';
import { serveKit } from '../../packages/server-kit/src/test-helpers.js';
import { serveParent } from './child-process.js';
import { LOAD_LIMITS, sessionRecord } from './simulated-sessions.js';

/** What the kit process tells the parent. */
export interface KitProcessInfo {
  origin: string;
}

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`kit-process: ${name} is not set`);
  return value;
};

const store = memoryStore();
const sessions = Number(required('BENCH_SESSIONS'));
for (let index = 0; index < sessions; index++) await store.createSession(sessionRecord(index));

const directory = process.env.BENCH_RECORDING_DIR;
const recordingStore: RecordingStore = directory
  ? fileRecordingStore({ directory })
  : s3RecordingStore(JSON.parse(required('BENCH_S3_STORE_OPTIONS')) as S3RecordingStoreOptions);

const kit = createProctorKit({ secret: required('BENCH_SECRET'), logger: 'silent', store, recordingStore, limits: LOAD_LIMITS });
const { server, origin } = await serveKit(kit);

serveParent<KitProcessInfo>({ origin }, async () => {
  await kit.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
