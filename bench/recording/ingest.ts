// Parts three and four of `npm run bench:recording`: what one kit process takes in. The kit runs in
// a child process (kit-process.ts) so its CPU is its own; this process plays the candidates' pages
// (uploaders.ts). On the filesystem path the pages PUT their chunks through the kit, first at the
// pace that many candidates' three feeds would send them, then as fast as the kit answers; on the
// S3 path they ask the kit for presigned upload URLs as fast as it answers (against s3rver, in a
// child process of its own: the kit asks the bucket whether each chunk is stored already).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createProctorKit, memoryStore } from '@proctorkit/server-kit';
import { startChild, type ChildHandle } from './child-process.js';
import { machineCpu, machinePercent, ownPercent } from './cpu.js';
import type { KitProcessInfo } from './kit-process.js';
import type { Resources } from './resources.js';
import type { S3ProcessInfo } from './s3-process.js';
import { EXAM_ID, candidateId, sessionId } from './simulated-sessions.js';
import { closedLoop, paced, putChunk, requestUploadUrl, startRuns, uploadersFor, type LoadResult, type Operation } from './uploaders.js';

/** Chunks per second per candidate at the default settings: three feeds, one chunk each every 4 s. */
export const CHUNKS_PER_CANDIDATE_PER_S = 3 / 4;

/** Seconds of load before each kit is measured: its code loaded and compiled, each session's byte count read. */
const WARM_UP_S = 2;

const KIT_PROCESS = new URL('kit-process.ts', import.meta.url);
const S3_PROCESS = new URL('s3-process.ts', import.meta.url);
const RECORDED_WEBM = new URL('../../packages/server-kit/test-fixtures/recordings/webcam-6s.webm', import.meta.url);

export interface IngestOptions {
  sessions: number;
  chunkBytes: number;
  /** Seconds of each phase of load. */
  seconds: number;
  /** Where the kit processes write CPU profiles (one folder each), if anywhere. */
  profileDir?: string;
  log(message: string): void;
}

/** One phase of load and the CPU it cost, % of one core. */
export interface Phase {
  load: LoadResult;
  kitCpu: number;
  /** This process: the simulated pages. */
  generatorCpu: number;
  /** The local S3 server, on the S3 path. */
  s3Cpu?: number;
  machine: number;
}

export interface IngestResult {
  /** The chunks `sessions` candidates would send, spread evenly. */
  paced: Phase;
  pacedRate: number;
  /** Every page sending its next chunk once the last is stored. */
  saturated: Phase;
}

/** The filesystem path: a kit storing chunks in a temporary directory. */
export async function measureFileIngest(options: IngestOptions, resources: Resources): Promise<IngestResult> {
  const directory = await mkdtemp(join(tmpdir(), 'proctorkit-bench-recording-ingest-'));
  resources.add(() => rm(directory, { recursive: true, force: true }));
  const { kit, uploaders } = await startKit(options, 'kit-filesystem', { BENCH_RECORDING_DIR: directory }, resources);
  const chunk = await chunkBytes(options.chunkBytes);
  const put = putChunk(kit.child.info.origin, chunk);
  const pacedRate = options.sessions * CHUNKS_PER_CANDIDATE_PER_S;
  await closedLoop(uploaders, WARM_UP_S, put);
  options.log(`filesystem path: ${uploaders.length} pages PUT ${(options.chunkBytes / 1024).toFixed(0)} KB chunks at ${pacedRate.toFixed(0)} chunks/s (what ${options.sessions} candidates × 3 feeds send) for ${options.seconds} s…`);
  const pacedPhase = await phase(kit.child, undefined, () => paced(uploaders, pacedRate, options.seconds, put));
  options.log(`filesystem path: every page PUTs its next chunk once the last is stored, for ${options.seconds} s…`);
  const saturated = await phase(kit.child, undefined, () => closedLoop(uploaders, options.seconds, put));
  await kit.stop();
  return { paced: pacedPhase, pacedRate, saturated };
}

/** The S3 path: a kit with the S3 store against s3rver, issuing presigned URLs for chunks. */
export async function measurePresign(options: IngestOptions, resources: Resources): Promise<Phase> {
  const s3 = await startChild<S3ProcessInfo>(S3_PROCESS, {});
  const stopS3 = resources.add(() => s3.stop());
  const { kit, uploaders } = await startKit(options, 'kit-s3', { BENCH_S3_STORE_OPTIONS: JSON.stringify(s3.info.storeOptions) }, resources);
  const md5 = createHash('md5').update((await chunkBytes(options.chunkBytes))(1)).digest('base64');
  const ask: Operation = requestUploadUrl(kit.child.info.origin, options.chunkBytes, md5);
  await closedLoop(uploaders, WARM_UP_S, ask);
  options.log(`S3 path: every page asks for its next chunk's upload URL once it has the last, for ${options.seconds} s…`);
  const result = await phase(kit.child, s3, () => closedLoop(uploaders, options.seconds, ask));
  await kit.stop();
  await stopS3();
  return result;
}

/** A kit process with the sessions seeded, and one uploader per session with its run started. */
async function startKit(options: IngestOptions, name: string, env: Record<string, string>, resources: Resources) {
  const secret = randomBytes(32).toString('hex');
  const child = await startChild<KitProcessInfo>(KIT_PROCESS, {
    ...env,
    BENCH_SECRET: secret,
    BENCH_SESSIONS: String(options.sessions),
    // The AWS SDK's notice that its 2027 releases need Node 22 is not this bench's news.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  }, options.profileDir && join(options.profileDir, name));
  const stop = resources.add(() => child.stop());
  const uploaders = uploadersFor(await candidateTokens(secret, options.sessions));
  await startRuns(child.info.origin, uploaders);
  return { kit: { child, stop }, uploaders };
}

/** The candidates' tokens, signed with the kit process's secret by a kit that is never attached. */
async function candidateTokens(secret: string, count: number): Promise<{ sessionId: string; token: string }[]> {
  const signer = createProctorKit({ secret, logger: 'silent', store: memoryStore() });
  const tokens = [];
  for (let index = 0; index < count; index++) {
    const token = await signer.issueToken({ role: 'candidate', examId: EXAM_ID, candidateId: candidateId(index), name: `Candidate ${index + 1}` });
    tokens.push({ sessionId: sessionId(index), token });
  }
  await signer.close();
  return tokens;
}

/**
 * Chunks of `bytes` bytes as a recorder cuts them: chunk 0 starts with a real WebM (Chromium's
 * recording of the fake camera) so the kit accepts it as the start of a file; later chunks are
 * arbitrary bytes with no file signature, as the middle of a recording is.
 */
async function chunkBytes(bytes: number): Promise<(seq: number) => Uint8Array> {
  const webm = await readFile(RECORDED_WEBM);
  const first = Buffer.concat([webm.subarray(0, bytes), randomBytes(Math.max(0, bytes - webm.length))]);
  const later = randomBytes(bytes);
  later.fill(0, 0, 8);
  return (seq) => (seq === 0 ? first : later);
}

async function phase(kit: ChildHandle<KitProcessInfo>, s3: ChildHandle<S3ProcessInfo> | undefined, run: () => Promise<LoadResult>): Promise<Phase> {
  const before = { at: performance.now(), kit: await kit.cpuSeconds(), s3: await s3?.cpuSeconds(), machine: machineCpu(), own: process.cpuUsage() };
  const load = await run();
  const seconds = (performance.now() - before.at) / 1000;
  const generatorCpu = ownPercent(before.own, seconds);
  const machine = machinePercent(before.machine, machineCpu());
  const kitCpu = ((await kit.cpuSeconds()) - before.kit) / seconds * 100;
  const s3Cpu = s3 && before.s3 !== undefined ? ((await s3.cpuSeconds()) - before.s3) / seconds * 100 : undefined;
  return { load, kitCpu, generatorCpu, machine, ...(s3Cpu === undefined ? {} : { s3Cpu }) };
}
