// Recording benchmark: `npm run bench:recording [-- --seconds 30 --sessions 200]`.
//
// 1. What recording costs the candidate's browser: the real CandidateSession against a real kit in
//    headless Chromium (fake camera and screen), capturing both feeds with recording off, then on;
//    CPU of every Chromium process over the window, % of one core (bench/recording/page-cpu.ts).
// 2. Bytes a minute each feed records: the kit's manifest after that run, over the recorded time.
// 3. What one kit process ingests on the filesystem path: simulated pages PUT chunks through the
//    kit over HTTP, paced as that many candidates send them, then as fast as it answers.
// 4. Presigned upload URLs a kit issues per second on the S3 path (against s3rver).
// 5. From 3 and 4, the headroom for 2,000 candidates × 3 feeds at the default settings.
// 6. A still screen: keyframes with and without the recorder's keyframe interval (ffprobe).
import { mkdtemp } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Feed } from '@proctorkit/core/protocol';
import { DEFAULT_LIMITS } from '@proctorkit/server-kit';
import { DEFAULT_RECORDER_SETTINGS } from '../packages/core/src/recording/recorder-settings.js';
import { cli, stopOnSignalOrTimeout } from '../scripts/cli.js';
import { kb, mb, ms, summarize } from './control/stats.js';
import { CHUNKS_PER_CANDIDATE_PER_S, measureFileIngest, measurePresign, type IngestResult, type Phase } from './recording/ingest.js';
import { measurePageCpu, type PageCpuResult, type PageCpuRun } from './recording/page-cpu.js';
import { Resources } from './recording/resources.js';
import { measureStillScreen, type StillScreenRun } from './recording/still-screen.js';
import { LOAD_LIMITS } from './recording/simulated-sessions.js';

const GOAL_RECORDING_CPU = 15;
const EVENT = { candidates: 2000, feeds: ['webcam', 'screen', 'phone'] as Feed[] };
/** Time to start and close browsers and processes, end the exam and finish the files, beyond the windows. */
const SET_UP_S = { page: 45, ingest: 30, s3: 30, still: 20 };
/** Seconds of each still-screen recording. */
const STILL_SECONDS = 12;

const USAGE = `Usage: npm run bench:recording -- [options]

Measures recording: the candidate's browser CPU with recording on vs off, the bytes a minute each
feed records, chunks a kit process stores per second (filesystem path) and presigned upload URLs
it issues per second (S3 path), and the headroom for ${EVENT.candidates.toLocaleString('en')} candidates × 3 feeds.

Options:
  --seconds S         seconds over which the browser's CPU is measured, per run (default 30)
  --warm-up S         seconds between both feeds live and the measure (default 3)
  --rounds N          runs with recording off then on, N times; CPU is their mean (default 1)
  --baseline          also a run with bare MediaRecorders at the same settings (chunks dropped):
                      the browser's encoders alone, without Proctorkit's outbox and uploads
  --baseline-mime T   the bare recorders' type, e.g. 'video/webm;codecs=h264' (default: what
                      Proctorkit records; implies --baseline)
  --fps N             the fake camera's and screen's frame rate (default 15)
  --sessions N        simulated candidates uploading to the kit (default 200)
  --chunk-kb N        size of their chunks in KB (default 225: 4 s of the webcam at 450 kbit/s)
  --ingest-seconds S  seconds of each phase of upload load (default 10)
  --no-page           skip the browser (parts 1 and 2)
  --no-ingest         skip the filesystem path (part 3)
  --no-s3             skip the S3 path (part 4)
  --no-still          skip the still screen's keyframes (part 6)
  --profile           write CPU profiles of the kit processes to a temporary directory
  -h, --help          show this help`;

const { values, positive } = cli('bench:recording', USAGE, {
  seconds: { type: 'string', default: '30' },
  'warm-up': { type: 'string', default: '3' },
  rounds: { type: 'string', default: '1' },
  baseline: { type: 'boolean', default: false },
  'baseline-mime': { type: 'string', default: '' },
  fps: { type: 'string', default: '15' },
  sessions: { type: 'string', default: '200' },
  'chunk-kb': { type: 'string', default: '225' },
  'ingest-seconds': { type: 'string', default: '10' },
  'no-page': { type: 'boolean', default: false },
  'no-ingest': { type: 'boolean', default: false },
  'no-s3': { type: 'boolean', default: false },
  'no-still': { type: 'boolean', default: false },
  profile: { type: 'boolean', default: false },
});
const pageSeconds = positive('--seconds', values.seconds, false);
const warmUpSeconds = positive('--warm-up', values['warm-up'], false);
const rounds = positive('--rounds', values.rounds, true);
const baseline = values.baseline || values['baseline-mime'] !== '' ? { mimeType: values['baseline-mime'] } : undefined;
const fps = positive('--fps', values.fps, true);
const sessions = positive('--sessions', values.sessions, true);
const chunkBytes = Math.round(positive('--chunk-kb', values['chunk-kb'], false) * 1024);
const ingestSeconds = positive('--ingest-seconds', values['ingest-seconds'], false);
const parts = { page: !values['no-page'], ingest: !values['no-ingest'], s3: !values['no-s3'], still: !values['no-still'] };

const limitS =
  (parts.page ? (baseline ? 3 : 2) * rounds * (pageSeconds + warmUpSeconds + SET_UP_S.page) : 0) +
  (parts.ingest ? 2 * ingestSeconds + SET_UP_S.ingest : 0) +
  (parts.s3 ? ingestSeconds + SET_UP_S.s3 : 0) +
  (parts.still ? 4 * STILL_SECONDS + SET_UP_S.still : 0);

const started = performance.now();
const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;
const log = (message: string) => console.log(`[${seconds(performance.now() - started).padStart(7)}] ${message}`);

const resources = new Resources();
let cleaning: Promise<void> | undefined;
const cleanUp = (code: number) =>
  (cleaning ??= (async () => {
    await resources.releaseAll();
    process.exit(code);
  })());
stopOnSignalOrTimeout('bench:recording', limitS * 1000, cleanUp);

let exitCode = 0;
try {
  const profileDir = values.profile ? await mkdtemp(join(tmpdir(), 'proctorkit-bench-recording-profiles-')) : undefined;
  const options = { sessions, chunkBytes, seconds: ingestSeconds, log, ...(profileDir ? { profileDir } : {}) };
  const page = parts.page ? await measurePageCpu({ seconds: pageSeconds, rounds, warmUpSeconds, fps, log, ...(baseline ? { baseline } : {}) }, resources) : undefined;
  const ingest = parts.ingest ? await measureFileIngest(options, resources) : undefined;
  const presign = parts.s3 ? await measurePresign(options, resources) : undefined;
  const still = parts.still ? await measureStillScreen({ seconds: STILL_SECONDS, log }, resources) : undefined;
  report(page, ingest, presign, still);
  if (profileDir) console.log(`CPU profiles of the kit processes: ${profileDir} (open in Chrome DevTools › Performance)\n`);
  const failures = [ingest?.paced, ingest?.saturated, presign].reduce((sum, phase) => sum + (phase?.load.failures.total ?? 0), 0);
  if (failures > 0) exitCode = 1;
} catch (error) {
  exitCode = 1;
  console.error(`bench:recording: the run could not complete: ${(error as Error).message}`);
}
await cleanUp(exitCode);

// --- Report --------------------------------------------------------------------------------------

function report(page: PageCpuResult | undefined, ingest: IngestResult | undefined, presign: Phase | undefined, still: StillScreenRun[] | undefined): void {
  const percent = (value: number) => `${value.toFixed(0)} %`;
  const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(0)} %`;
  const mark = (ok: boolean) => (ok ? 'MET' : 'MISSED');
  const size = (bytes: number) => (bytes < 10 * 1024 ** 2 ? kb(bytes) : mb(bytes));
  const row = (cells: string[], widths: number[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[i]!))).join('  ');
  const lines: string[] = ['', `Proctorkit recording bench — ${cpus().length} cores shared by everything below, Node ${process.version}, ${seconds(performance.now() - started)}`];

  if (page) {
    const { off, on } = page;
    const types = [...new Set([...Object.keys(on.browser.byType), ...Object.keys(off.browser.byType)])].sort((a, b) => (on.browser.byType[b] ?? 0) - (on.browser.byType[a] ?? 0));
    const added = on.browser.total - off.browser.total;
    const others = (run: PageCpuRun) => Math.max(0, run.machine - run.browser.total - run.node);
    const runs = page.bare ? [off, page.bare.run, on] : [off, on];
    const busiest = Math.max(...runs.map(others));
    const widths = [34, ...runs.map(() => 14), 11];
    const line = (label: string, pick: (run: PageCpuRun) => number) => '   ' + row([label, ...runs.map((run) => percent(pick(run))), signed(pick(on) - pick(off))], widths);
    lines.push(
      '',
      `1. The candidate's browser: CandidateSession capturing ${page.captured.map((c) => `${c.feed} ${c.width}×${c.height}@${c.frameRate.toFixed(0)}`).join(' + ')} (fake devices), headless Chromium,`,
      `   a fresh browser per run, CPU of all its processes over ${off.seconds.toFixed(0)} s after a ${warmUpSeconds} s warm-up${rounds > 1 ? `, mean of ${rounds} rounds` : ''} (% of one core)`,
      '   ' + row(['', 'recording off', ...(page.bare ? ['bare recorders'] : []), 'recording on', 'on − off'], widths),
      line('whole browser', (run) => run.browser.total) + `   goal ≤ +${GOAL_RECORDING_CPU} %: ${mark(added <= GOAL_RECORDING_CPU)}`,
      ...types.map((type) => line(`  ${type.replace(/^(\w+)\.mojom\.(\w+)$/, '$2')}`, (run) => run.browser.byType[type] ?? 0)),
      line('kit + bench (this Node process)', (run) => run.node),
      '   ' + row(['rest of the machine', ...runs.map((run) => percent(others(run))), ''], widths) + `   (whole machine ${runs.map((run) => percent(run.machine)).join(', ')} of ${cpus().length * 100} %)`,
      ...(page.bare
        ? [`   bare recorders: one MediaRecorder per feed (${[...new Set(page.bare.mimeTypes)].join(', ')}) at the same bitrates, timeslice and keyframe interval, chunks dropped;`,
           `   Proctorkit's recording costs ${signed(on.browser.total - page.bare.run.browser.total)} beyond them (its IndexedDB outbox and uploads, and the type when --baseline-mime differs)`]
        : []),
      ...(rounds > 1 ? [`   on − off per round: ${page.differences.map(signed).join(', ')}`] : []),
      ...(busiest > 30 ? [`   other processes kept the machine busy: the browser shared the cores with them, so its figures are noisy — run again on a quiet machine`] : []),
    );
    const recordedWidths = [8, 10, 10, 10, 15, 12, 7, 10, 22];
    lines.push(
      '',
      "2. Bytes recorded, from the kit's manifest once the exam ended and each run was finished into one file",
      '   ' + row(['feed', 'recorded', 'file', 'bytes', 'per minute', 'bitrate', 'chunks', 'state', 'type'], recordedWidths),
      ...page.recorded.map((feed) =>
        '   ' +
        row(
          [
            feed.feed,
            seconds(feed.recordedMs),
            feed.fileDurationMs === null ? 'n/a' : seconds(feed.fileDurationMs),
            size(feed.bytes),
            `${((feed.bytes / feed.recordedMs) * 60_000 / 1024 ** 2).toFixed(2)} MB/min`,
            `${((feed.bytes * 8) / feed.recordedMs).toFixed(0)} kbit/s`,
            String(feed.chunks),
            feed.state,
            feed.mimeType,
          ],
          recordedWidths,
        ),
      ),
      `   recorded = the run's start to its end; per minute and bitrate over that time. Settings: ${(['webcam', 'screen'] as Feed[]).map((feed) => `${feed} ${DEFAULT_RECORDER_SETTINGS[feed].videoBitsPerSecond / 1000} kbit/s`).join(', ')},`,
      `   ${DEFAULT_RECORDER_SETTINGS.webcam.timesliceMs / 1000} s chunks. The fake devices' test patterns are easy to encode: a real camera and a busy screen come closer to the target.`,
    );
  }

  const phaseWidths = [30, 7, 7, 10, 10, 9, 11, 8, 8];
  const phaseHeader = (what: string) => '   ' + row(['', 'per s', 'MB/s', `${what} p50`, 'p99', 'kit CPU', 'pages CPU', 'others', 'failed'], phaseWidths);
  const phaseRow = (label: string, phase: Phase, bytes: number) => {
    const { load } = phase;
    const latency = summarize(load.latencies);
    const rate = load.succeeded / load.elapsedS;
    const others = Math.max(0, phase.machine - phase.kitCpu - phase.generatorCpu - (phase.s3Cpu ?? 0));
    return '   ' + row([label, rate.toFixed(0), bytes ? mb(rate * bytes).replace(' MB', '') : '–', ms(latency.p50), ms(latency.p99), percent(phase.kitCpu), percent(phase.generatorCpu), percent(others), String(load.failures.total + load.skipped)], phaseWidths);
  };
  const failureLines = (phase: Phase) => [
    ...phase.load.failures.lines().map((text) => `     failed: ${text}`),
    ...(phase.load.skipped ? [`     ${phase.load.skipped} chunks not sent: 2,000 were waiting for the kit's answer already`] : []),
  ];
  const raised = `limits raised for the load (createProctorKit \`limits\`): requestsPerMinute ${DEFAULT_LIMITS.requestsPerMinute} → ${LOAD_LIMITS.requestsPerMinute!.toLocaleString('en')} per candidate — a simulated page sends far faster than a real one (3 feeds: 45 a minute)`;

  if (ingest) {
    lines.push(
      '',
      `3. Kit ingest, filesystem path: ${sessions} simulated pages PUT ${(chunkBytes / 1024).toFixed(0)} KB chunks through one kit process over HTTP`,
      `   (fileRecordingStore in a temporary directory, fsync per chunk; sessions in memory; ${ingestSeconds} s per phase after a 2 s warm-up;`,
      `   CPU % of one core: the kit process, this process playing the pages, and every other process on the machine)`,
      phaseHeader('PUT'),
      phaseRow(`paced, ${ingest.pacedRate.toFixed(0)} chunks/s`, ingest.paced, chunkBytes),
      ...failureLines(ingest.paced),
      ...(keptUp(ingest) ? [] : [`     the kit did not keep up with this pace: chunks queued, so the latencies include the wait`]),
      phaseRow('as fast as the kit answers', ingest.saturated, chunkBytes),
      ...failureLines(ingest.saturated),
      `   ${raised}`,
    );
  }
  if (presign) {
    lines.push(
      '',
      `4. Presigned upload URLs, S3 path: ${sessions} simulated pages ask one kit process (s3RecordingStore) for their next chunk's URL, as fast as it answers`,
      `   (each answer costs the kit a HEAD on the bucket: s3rver on 127.0.0.1 in a process of its own, ${presign.s3Cpu === undefined ? '' : `which used ${percent(presign.s3Cpu)} of a core`}`,
      `   and is not among the others; ${ingestSeconds} s after a 2 s warm-up)`,
      phaseHeader('POST'),
      phaseRow('upload URLs', presign, 0),
      ...failureLines(presign),
      `   ${raised}`,
    );
  }
  if (ingest || presign) lines.push('', ...projection(ingest, presign));
  if (still) {
    const widths = [24, 22, 9, 10, 22];
    lines.push(
      '',
      `6. A still screen (the same picture 15 times a second, 1280×720, ${DEFAULT_RECORDER_SETTINGS.screen.videoBitsPerSecond / 1000} kbit/s, ${STILL_SECONDS} s): keyframes Chromium wrote, by ffprobe`,
      '   ' + row(['type', 'keyframe interval', 'file', 'keyframes', 'longest without one'], widths),
      ...still.map((run) =>
        '   ' + row([run.mimeType, run.keyframeIntervalMs ? `${run.keyframeIntervalMs / 1000} s (Proctorkit's)` : 'none (the default)', seconds(run.durationS * 1000), String(run.keyframes), seconds(run.longestGapS * 1000)], widths),
      ),
      '   a player seeks by decoding from the keyframe before the target: the longest stretch without one is the most a seek decodes',
    );
  }
  console.log(lines.join('\n') + '\n');
}

/** Whether the kit stored the paced chunks about as fast as they were sent. */
function keptUp(ingest: IngestResult): boolean {
  const { load } = ingest.paced;
  return load.succeeded / load.elapsedS >= 0.95 * ingest.pacedRate && summarize(load.latencies).p50 < 1000;
}

function projection(ingest: IngestResult | undefined, presign: Phase | undefined): string[] {
  const chunksNeeded = EVENT.candidates * CHUNKS_PER_CANDIDATE_PER_S;
  const bitsPerCandidate = EVENT.feeds.reduce((sum, feed) => sum + DEFAULT_RECORDER_SETTINGS[feed].videoBitsPerSecond, 0);
  const bytesNeeded = (EVENT.candidates * bitsPerCandidate) / 8;
  const rate = (phase: Phase) => phase.load.succeeded / phase.load.elapsedS;
  const factor = (value: number) => `${value.toFixed(2)}×`;
  const lines = [
    `5. Projection: ${EVENT.candidates.toLocaleString('en')} candidates × ${EVENT.feeds.length} feeds, one chunk per feed every ${DEFAULT_RECORDER_SETTINGS.webcam.timesliceMs / 1000} s = ${chunksNeeded.toLocaleString('en')} chunks/s,`,
    `   ${mb(bytesNeeded)}/s at ${EVENT.feeds.map((feed) => DEFAULT_RECORDER_SETTINGS[feed].videoBitsPerSecond / 1000).join(' + ')} kbit/s (headroom = measured ÷ needed; ≥ 1× means one kit process keeps up)`,
  ];
  if (ingest) {
    // The most the kit stored in either phase: on a busy machine the unpaced phase can come out lower.
    const chunks = Math.max(rate(ingest.saturated), rate(ingest.paced));
    const cpuPerChunk = ingest.paced.kitCpu / rate(ingest.paced);
    lines.push(
      `   filesystem path: ${chunks.toFixed(0)} chunks/s, ${mb(chunks * chunkBytes)}/s at most (the better phase) → headroom ${factor(chunks / chunksNeeded)} by chunks, ${factor((chunks * chunkBytes) / bytesNeeded)} by bytes;`,
      `     at the paced rate the kit used ${(cpuPerChunk * 100).toFixed(1)} % of a core per 100 chunks/s → ~${(cpuPerChunk * chunksNeeded).toFixed(0)} % of one core for ${chunksNeeded.toLocaleString('en')} chunks/s`,
    );
  }
  if (presign) {
    const urls = rate(presign);
    lines.push(
      `   S3 path: ${urls.toFixed(0)} upload URLs/s → headroom ${factor(urls / chunksNeeded)} (media bytes go straight to the bucket);`,
      `     the kit used ${((presign.kitCpu / urls) * 100).toFixed(1)} % of a core per 100 URLs/s → ~${((presign.kitCpu / urls) * chunksNeeded).toFixed(0)} % of one core for ${chunksNeeded.toLocaleString('en')} URLs/s`,
    );
  }
  return lines;
}
