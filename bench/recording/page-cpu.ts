// Part one of `npm run bench:recording`: what recording costs the candidate's browser, and how many
// bytes a minute each feed records. A kit in this process (sessions in memory, recordings in a
// temporary directory) serves a small candidate page (candidate-page.ts, bundled with esbuild from
// core's sources); headless Chromium with the fake camera and screen captures both feeds, once
// with recording off and once with it on, each in a fresh browser (with a baseline, also once with
// bare MediaRecorders at the same settings, to tell the encoders' cost from the rest). After the run with recording,
// the exam ends, the page uploads what is left, and the kit's manifest gives each feed's bytes and
// duration.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import express from 'express';
import type { Browser, Page } from 'puppeteer-core';
import type { Feed, RecordingManifest } from '@proctorkit/core/protocol';
import { createProctorKit, fileRecordingStore, memoryStore, type ProctorKit } from '@proctorkit/server-kit';
import { launchChromium } from '../../test/support/chromium.js';
import { sleep } from '../control/stats.js';
import { browserCpu, browserPercent, machineCpu, machinePercent, ownPercent } from './cpu.js';
import type { Resources } from './resources.js';

export interface PageCpuOptions {
  /** Seconds over which CPU is measured, per run. */
  seconds: number;
  /** Runs with recording off, then on, this many times. */
  rounds: number;
  /** Seconds between both feeds live and the start of the measure. */
  warmUpSeconds: number;
  /** The fake devices' frame rate. */
  fps: number;
  /**
   * Also a run with bare MediaRecorders (no Proctorkit recording) at the same settings: the
   * browser's encoders alone. `mimeType` '' records what Proctorkit would pick.
   */
  baseline?: { mimeType: string };
  log(message: string): void;
}

/** How a run records: not at all, with bare MediaRecorders, or with Proctorkit. */
export type RecordMode = 'off' | 'bare' | 'on';

/** One run's CPU over the window, % of one core. */
export interface PageCpuRun {
  mode: RecordMode;
  /** Every process of the candidate's browser. */
  browser: { total: number; byType: Record<string, number> };
  /** The kit and the bench (this Node process). */
  node: number;
  machine: number;
  seconds: number;
}

/** One feed's recording, from the kit's manifest once its run was finished into a file. */
export interface RecordedFeed {
  feed: Feed;
  mimeType: string;
  bytes: number;
  /** From the run's start to its end, as the page reported them. */
  recordedMs: number;
  /** The finished file's own duration. */
  fileDurationMs: number | null;
  chunks: number;
  state: string;
}

/** What a feed was captured at, from its track's settings. */
export interface CapturedSize {
  feed: string;
  width: number;
  height: number;
  frameRate: number;
}

export interface PageCpuResult {
  /** The mean of the rounds. */
  off: PageCpuRun;
  on: PageCpuRun;
  bare?: { run: PageCpuRun; mimeTypes: string[] };
  /** On − off of the whole browser, per round. */
  differences: number[];
  /** From the last round with recording on. */
  recorded: RecordedFeed[];
  captured: CapturedSize[];
}

const EXAM_ID = 'bench-recording-page';
const LIVE_TIMEOUT_MS = 30_000;
const DRAIN_TIMEOUT_MS = 30_000;
const FINISH_TIMEOUT_MS = 30_000;

const PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>bench:recording candidate</title></head>
  <body>
    <button id="consent">I agree: start the camera and screen sharing</button>
    <script type="module" src="/candidate-page.js"></script>
  </body>
</html>`;

export async function measurePageCpu(options: PageCpuOptions, resources: Resources): Promise<PageCpuResult> {
  const directory = await mkdtemp(join(tmpdir(), 'proctorkit-bench-recording-page-'));
  resources.add(() => rm(directory, { recursive: true, force: true }));
  const bundle = await bundleCandidatePage();
  const kit = createProctorKit({ secret: randomBytes(32).toString('hex'), logger: 'silent', store: memoryStore(), recordingStore: fileRecordingStore({ directory }) });
  const app = express();
  app.get('/', (_request, response) => void response.type('html').send(PAGE));
  app.get('/candidate-page.js', (_request, response) => void response.type('text/javascript').send(bundle));
  app.use('/proctor', kit.router);
  const server = createServer(app);
  kit.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const closeServer = resources.add(async () => {
    await kit.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const offRuns: PageCpuRun[] = [];
  const bareRuns: PageCpuRun[] = [];
  const onRuns: PageCpuRun[] = [];
  let last: Awaited<ReturnType<typeof measureRun>> | undefined;
  let bareMimeTypes: string[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    offRuns.push((await measureRun('off', round)).cpu);
    if (options.baseline) {
      const bare = await measureRun('bare', round);
      bareRuns.push(bare.cpu);
      bareMimeTypes = bare.bareMimeTypes;
    }
    last = await measureRun('on', round);
    onRuns.push(last.cpu);
  }
  await closeServer();
  return {
    off: mean(offRuns),
    on: mean(onRuns),
    ...(bareRuns.length ? { bare: { run: mean(bareRuns), mimeTypes: bareMimeTypes } } : {}),
    differences: onRuns.map((on, index) => on.browser.total - offRuns[index]!.browser.total),
    recorded: last!.recorded,
    captured: last!.captured,
  };

  async function measureRun(mode: RecordMode, round: number): Promise<{ cpu: PageCpuRun; recorded: RecordedFeed[]; captured: CapturedSize[]; bareMimeTypes: string[] }> {
    const label = `${options.rounds > 1 ? `round ${round}, ` : ''}${mode === 'bare' ? 'bare MediaRecorders' : `recording ${mode}`}`;
    const candidateId = `page-${round}-recording-${mode}`;
    const token = await kit.issueToken({ role: 'candidate', examId: EXAM_ID, candidateId, name: `Candidate (${label})` });
    const browser = await launchChromium({ fps: options.fps, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
    const closeBrowser = resources.add(() => closeChromium(browser));
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    const query = new URLSearchParams({ record: { off: '0', bare: 'bare', on: '1' }[mode], ...(mode === 'bare' && options.baseline?.mimeType ? { mime: options.baseline.mimeType } : {}) });
    await page.goto(`${origin}/?${query}#${token}`);
    await page.waitForFunction(() => window.benchSession?.state.value.session !== undefined, { timeout: LIVE_TIMEOUT_MS });
    await page.click('#consent');
    await page.waitForFunction(
      (mode: RecordMode) => {
        const state = window.benchSession!.state.value;
        const live = state.feeds.webcam.state === 'live' && state.feeds.screen.state === 'live';
        if (mode === 'bare') return live && Object.keys(window.benchBareRecorders ?? {}).length === 2;
        return live && (mode === 'off' || state.recording?.recording.length === 2);
      },
      { timeout: LIVE_TIMEOUT_MS },
      mode,
    );
    const bareMimeTypes = mode === 'bare' ? await page.evaluate(() => Object.values(window.benchBareRecorders!)) : [];
    options.log(`${label}: webcam and screen live${mode === 'off' ? '' : ' and recorded'}; measuring ${options.seconds} s after a ${options.warmUpSeconds} s warm-up…`);
    await sleep(options.warmUpSeconds * 1000);

    const cdp = await browser.target().createCDPSession();
    const before = { at: performance.now(), browser: await browserCpu(cdp), machine: machineCpu(), node: process.cpuUsage() };
    await sleep(options.seconds * 1000);
    const after = { browser: await browserCpu(cdp), machine: machineCpu() };
    const seconds = (performance.now() - before.at) / 1000;
    const cpu: PageCpuRun = {
      mode,
      browser: browserPercent(before.browser, after.browser, seconds),
      node: ownPercent(before.node, seconds),
      machine: machinePercent(before.machine, after.machine),
      seconds,
    };
    const captured = await page.evaluate(() => {
      const state = window.benchSession!.state.value;
      return (['webcam', 'screen'] as const).map((feed) => {
        const { width = 0, height = 0, frameRate = 0 } = state.feeds[feed].track?.getSettings() ?? {};
        return { feed, width, height, frameRate };
      });
    });
    const recorded = mode === 'on' ? await finishRecording(kit, page, origin) : [];
    await closeBrowser();
    return { cpu, recorded, captured, bareMimeTypes };
  }
}

/** Ends the exam, lets the page upload its last chunks, and reads each feed's finished run from the manifest. */
async function finishRecording(kit: ProctorKit, page: Page, origin: string): Promise<RecordedFeed[]> {
  const sessionId = await page.evaluate(() => window.benchSession!.state.value.session!.sessionId);
  await kit.sessions.terminate(sessionId, 'The recording bench is over.');
  // The recorders stop at the end of the exam; their last chunks go to the outbox, then to the kit.
  await page.waitForFunction(() => {
    const state = window.benchSession!.state.value;
    return state.ended !== undefined && state.recording?.recording.length === 0;
  }, { timeout: DRAIN_TIMEOUT_MS });
  const drained = await page.evaluate((timeoutMs: number) => window.benchSession!.drainRecordings(timeoutMs), DRAIN_TIMEOUT_MS);
  if (!drained) throw new Error(`the candidate's page had not uploaded every chunk ${DRAIN_TIMEOUT_MS / 1000} s after the exam ended`);

  const supervisor = await kit.issueToken({ role: 'supervisor', examId: EXAM_ID, supervisorId: 'bench-supervisor', name: 'Bench supervisor', candidates: '*' });
  const until = performance.now() + FINISH_TIMEOUT_MS;
  for (;;) {
    const response = await fetch(`${origin}/proctor/sessions/${sessionId}/recordings`, { headers: { authorization: `Bearer ${supervisor}` } });
    if (!response.ok) throw new Error(`the manifest answered ${response.status}: ${await response.text()}`);
    const manifest = (await response.json()) as RecordingManifest;
    const runs = manifest.recordings.flatMap(({ feed, runs }) => runs.map((run) => ({ feed, run })));
    const settled = runs.length > 0 && runs.every(({ run }) => run.state === 'complete' || run.state === 'incomplete');
    if (settled || performance.now() > until) {
      return runs.map(({ feed, run }) => ({
        feed,
        mimeType: run.mimeType,
        bytes: run.bytes,
        recordedMs: (run.endedAt ?? run.startedAt) - run.startedAt,
        fileDurationMs: run.durationMs,
        chunks: run.chunks.received,
        state: run.state,
      }));
    }
    await sleep(250);
  }
}

/** The mean of runs of equal windows. */
function mean(runs: PageCpuRun[]): PageCpuRun {
  const average = (pick: (run: PageCpuRun) => number) => runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
  const types = new Set(runs.flatMap((run) => Object.keys(run.browser.byType)));
  return {
    mode: runs[0]!.mode,
    browser: { total: average((run) => run.browser.total), byType: Object.fromEntries([...types].map((type) => [type, average((run) => run.browser.byType[type] ?? 0)])) },
    node: average((run) => run.node),
    machine: average((run) => run.machine),
    seconds: average((run) => run.seconds),
  };
}

/** Closes Chromium, killing it if it does not close within 10 s. */
async function closeChromium(browser: Browser): Promise<void> {
  const force = setTimeout(() => browser.process()?.kill('SIGKILL'), 10_000);
  await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
  clearTimeout(force);
}

/**
 * The candidate page as one browser module, from core's sources. The local provider never loads
 * the Amazon Chime SDK, so its loader's module is left out (it is CommonJS and large).
 */
async function bundleCandidatePage(): Promise<string> {
  const withoutChime: Plugin = {
    name: 'without-chime-sdk',
    setup(plugin) {
      plugin.onResolve({ filter: /chime-sdk-module\.js$/ }, (args) => ({ path: args.path, namespace: 'without-chime-sdk' }));
      plugin.onLoad({ filter: /.*/, namespace: 'without-chime-sdk' }, () => ({
        contents: 'export const chimeSdk = undefined;',
        loader: 'js',
      }));
    },
  };
  const result = await build({
    entryPoints: [fileURLToPath(new URL('candidate-page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['proctorkit-source'],
    plugins: [withoutChime],
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}
