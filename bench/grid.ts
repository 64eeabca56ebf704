// Supervisor grid benchmark: `npm run bench:grid [-- --candidates 16 --window 10]`.
//
// Starts the demo site in-process, N fake candidates in one Chromium and the supervisor page in
// another (so its CPU is measured alone), then measures per stream: time to first decoded frame,
// decoded fps and resolution; and the supervisor browser's CPU. Last, one more candidate joins the
// live grid: time from each of its feeds going live to its first frame on the grid. Prints the
// figures next to the goals.
//
// The phone feed does not exist yet. Its decode load is stood in for by extra candidates: N
// candidates × 3 feeds = 3N streams, so ⌈N/2⌉ extra "Phone stand-in" candidates add their webcam and
// screen, and the grid shows all of them on one page (page-size N + ⌈N/2⌉, plus one slot for the
// late joiner measured last). The supervisor then decodes as many thumbnails as N candidates with a
// phone each would send.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { createExamSite, demoCandidateId } from '../examples/exam-site/app.js';
import { temporaryDataDir } from '../examples/exam-site/data-dir.js';
import { candidateName, closeCandidates, startCandidates, type CandidateHandle } from '../scripts/crowd-lib.js';
import { launchChromium } from '../test/support/chromium.js';
import { cli, stopOnSignalOrTimeout } from '../scripts/cli.js';
import { browserCpu, browserPercent, machineCpu } from './cpu.js';

const GOAL_FIRST_FRAME_S = 1.5;
const GOAL_CPU_PERCENT = 60;
const GOAL_CPU_STREAMS = 48;
const FIRST_FRAME_TIMEOUT_MS = 60_000;
const WARM_UP_MS = 3_000;
const POLL_MS = 50;
const HARD_LIMIT_MS = 170_000;
const VIEWPORT = { width: 1920, height: 1080 };

const USAGE = `Usage: npm run bench:grid -- [options]

Measures one supervisor page receiving every candidate's feeds: time to first frame per stream,
decoded fps and resolution, and the supervisor browser's CPU.

Options:
  --candidates N   candidates (default 16). Each has webcam + screen; their phone feeds are stood
                   in by ⌈N/2⌉ extra candidates (the phone feed is not built yet)
  --no-phone       no phone stand-ins: 2 streams per candidate
  --window S       seconds over which fps and CPU are measured (default 10)
  --fps N          fake devices' frame rate (default 15)
  -h, --help       show this help`;

const { values, fail, positive } = cli('bench:grid', USAGE, {
  candidates: { type: 'string', default: '16' },
  'no-phone': { type: 'boolean', default: false },
  window: { type: 'string', default: '10' },
  fps: { type: 'string', default: '15' },
});
const candidates = positive('--candidates', values.candidates, true);
const windowS = positive('--window', values.window, false);
const fps = positive('--fps', values.fps, true);
const standIns = values['no-phone'] ? 0 : Math.ceil(candidates / 2);
const pages = candidates + standIns;
const streams = pages * 2;

checkBundle();

// --- Set-up ------------------------------------------------------------------------------------

const started = performance.now();
const exam = createExamSite({ data: temporaryDataDir() });
const site = await exam.listen(0, '127.0.0.1');
const browsers: Browser[] = [];
let crowd: CandidateHandle[] = [];
let exitCode = 0;
let cleaning: Promise<void> | undefined;

const cleanUp = (code: number) =>
  (cleaning ??= (async () => {
    const force = setTimeout(() => {
      for (const browser of browsers) browser.process()?.kill('SIGKILL');
      process.exit(code || 1);
    }, 15_000);
    force.unref();
    await closeCandidates(crowd);
    await Promise.all(browsers.map((browser) => browser.close().catch(() => undefined)));
    await exam.kit.close();
    site.server.closeAllConnections();
    await new Promise((resolve) => site.server.close(resolve));
    clearTimeout(force);
    process.exit(code);
  })());

stopOnSignalOrTimeout('bench:grid', HARD_LIMIT_MS, cleanUp);

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const log = (message: string) => console.log(`[${seconds(performance.now() - started).padStart(8)}] ${message}`);

try {
  const noSignals = { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false };
  const candidateBrowser = await launchChromium({ fps, ...noSignals });
  browsers.push(candidateBrowser);
  const supervisorBrowser = await launchChromium({ fps, ...noSignals, defaultViewport: VIEWPORT });
  browsers.push(supervisorBrowser);
  log(`demo site on ${site.url}; starting ${pages} candidate pages (${candidates} candidates${standIns ? ` + ${standIns} phone stand-ins` : ''})…`);

  const standInName = (index: number) => `Phone stand-in ${String(index + 1).padStart(2, '0')}`;
  crowd = await startCandidates({
    browser: candidateBrowser,
    url: site.url,
    count: pages,
    name: (index) => (index < candidates ? candidateName(index) : standInName(index - candidates)),
    onLive: (live, total) => {
      if (live === total || live % 8 === 0) log(`${live}/${total} candidates live`);
    },
  });

  // --- Time to first frame -----------------------------------------------------------------------

  const supervisor = (await supervisorBrowser.pages())[0] ?? (await supervisorBrowser.newPage());
  // Before the page's scripts run: show every candidate on one page, and note when the grid asks
  // for each session's feeds (the candidate publishes to this supervisor on that request).
  await supervisor.evaluateOnNewDocument(`(() => {
    window.__bench = { subscribedAt: {}, answeredAt: {} };
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      try {
        const message = JSON.parse(data);
        if (message.type === 'feed.subscribe' && !(message.sessionId in window.__bench.subscribedAt)) {
          window.__bench.subscribedAt[message.sessionId] = performance.now();
        }
        if (message.type === 'rtc.answer' && !(message.peer in window.__bench.answeredAt)) {
          window.__bench.answeredAt[message.peer] = performance.now();
        }
      } catch {}
      return send.call(this, data);
    };
    new MutationObserver((records, observer) => {
      const grid = document.querySelector('proctor-grid');
      if (!grid) return;
      grid.setAttribute('page-size', '${pages + 1}');
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  })()`);
  log(`opening the supervisor page (${VIEWPORT.width}×${VIEWPORT.height}, page-size ${pages + 1}, ${streams} streams expected)…`);
  await supervisor.goto(`${site.url}/supervisor`);
  const arrival = await supervisor.evaluate(
    async (expected: number, timeoutMs: number, pollMs: number) => {
      type Row = { sessionId: string; candidateId: string; feed: string; framesDecoded: number };
      const grid = document.querySelector('proctor-grid') as (Element & { getStats?: () => Promise<Row[]> }) | null;
      const first: Record<string, { sessionId: string; candidateId: string; feed: string; at: number }> = {};
      const seen: Record<string, { candidateId: string; feed: string; framesDecoded: number }> = {};
      const end = performance.now() + timeoutMs;
      while (performance.now() < end && Object.keys(first).length < expected) {
        const rows = typeof grid?.getStats === 'function' ? await grid.getStats() : [];
        const at = performance.now();
        for (const row of rows) {
          const key = `${row.sessionId}/${row.feed}`;
          seen[key] = { candidateId: row.candidateId, feed: row.feed, framesDecoded: row.framesDecoded };
          if (row.framesDecoded > 0 && !first[key]) first[key] = { sessionId: row.sessionId, candidateId: row.candidateId, feed: row.feed, at };
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
      const bench = (window as unknown as { __bench: { subscribedAt: Record<string, number>; answeredAt: Record<string, number> } }).__bench;
      const tiles = grid?.shadowRoot?.querySelectorAll('proctor-tile').length ?? 0;
      return { first: Object.values(first), seen, subscribedAt: bench.subscribedAt, answeredAt: bench.answeredAt, tiles };
    },
    streams,
    FIRST_FRAME_TIMEOUT_MS,
    POLL_MS,
  );

  if (arrival.first.length < streams) {
    const missing = Object.values(arrival.seen)
      .filter((row) => row.framesDecoded === 0)
      .map((row) => `${row.candidateId}/${row.feed}`);
    throw new Error(
      `only ${arrival.first.length} of ${streams} streams decoded a frame within ${FIRST_FRAME_TIMEOUT_MS / 1000} s ` +
        `(${arrival.tiles} tiles shown; connected without frames: ${missing.join(', ') || 'none'}; ` +
        `${streams - Object.keys(arrival.seen).length} streams never connected).`,
    );
  }
  const fromLoad = arrival.first.map((row) => row.at);
  const between = (from: Record<string, number>, to: (sessionId: string) => number | undefined) =>
    arrival.first.flatMap(({ sessionId }) => {
      const start = from[sessionId];
      const end = to(sessionId);
      return start === undefined || end === undefined ? [] : [end - start];
    });
  const firstFrameAt = (sessionId: string) => Math.min(...arrival.first.filter((row) => row.sessionId === sessionId).map((row) => row.at));
  const fromSubscribe = arrival.first
    .filter((row) => arrival.subscribedAt[row.sessionId] !== undefined)
    .map((row) => row.at - arrival.subscribedAt[row.sessionId]!);
  const subscribeToAnswer = between(arrival.subscribedAt, (sessionId) => arrival.answeredAt[sessionId]);
  const answerToFrame = between(arrival.answeredAt, firstFrameAt);
  const firstSubscribe = Math.min(...Object.values(arrival.subscribedAt));
  log(`all ${streams} streams decoding, ${seconds(Math.max(...fromLoad))} after the supervisor page started loading`);

  // Show every tile: grow the viewport if the grid is taller than the screen.
  const height = await supervisor.evaluate(() => document.documentElement.scrollHeight);
  const viewport = { ...VIEWPORT, height: Math.max(VIEWPORT.height, Math.min(height, 4000)) };
  if (viewport.height !== VIEWPORT.height) await supervisor.setViewport(viewport);

  // --- fps and CPU over the window ----------------------------------------------------------------

  await sleep(WARM_UP_MS);
  const supervisorCdp = await supervisorBrowser.target().createCDPSession();
  const candidateCdp = await candidateBrowser.target().createCDPSession();
  const gridStats = () =>
    supervisor.evaluate(() =>
      (document.querySelector('proctor-grid') as unknown as { getStats(): Promise<{ sessionId: string; candidateId: string; feed: string; framesDecoded: number; width: number; height: number }[]> }).getStats(),
    );
  log(`measuring for ${windowS} s…`);
  const sample = async () => ({
    at: performance.now(),
    rows: await gridStats(),
    supervisor: await browserCpu(supervisorCdp),
    candidates: await browserCpu(candidateCdp),
    machine: machineCpu(),
    node: process.cpuUsage(),
  });
  const before = await sample();
  await sleep(windowS * 1000);
  const after = await sample();
  const elapsedS = (after.at - before.at) / 1000;

  const framesBefore = new Map(before.rows.map((row) => [`${row.sessionId}/${row.feed}`, row.framesDecoded]));
  const rates = after.rows.map((row) => (row.framesDecoded - (framesBefore.get(`${row.sessionId}/${row.feed}`) ?? row.framesDecoded)) / elapsedS);
  const stalled = rates.filter((rate) => rate === 0).length;
  const sizes = after.rows.map((row) => ({ width: row.width, height: row.height })).sort((a, b) => a.width * a.height - b.width * b.height);
  const medianSize = sizes[Math.floor((sizes.length - 1) / 2)];
  const sizeCounts = countBy(sizes.map((size) => `${size.width}×${size.height}`));
  const supervisorCpu = browserPercent(before.supervisor, after.supervisor, elapsedS);
  const candidateCpu = browserPercent(before.candidates, after.candidates, elapsedS);
  const machine = ((after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total)) * 100 * cpus().length;
  const nodeCpu = ((after.node.user + after.node.system - before.node.user - before.node.system) / 1e6 / elapsedS) * 100;
  const otherCpu = Math.max(0, machine - supervisorCpu.total - candidateCpu.total - nodeCpu);

  // --- A candidate joining while the grid is live: their feeds live → first frame on the grid ----

  const lateName = candidateName(pages);
  log(`measuring a late joiner (${lateName}) while the ${streams} streams play…`);
  const lateFrames = supervisor.evaluate(
    async (candidateId: string, timeoutMs: number, pollMs: number) => {
      type Row = { candidateId: string; feed: string; framesDecoded: number };
      const grid = document.querySelector('proctor-grid') as unknown as { getStats(): Promise<Row[]> };
      const first: Record<string, number> = {};
      const end = performance.now() + timeoutMs;
      while (performance.now() < end && Object.keys(first).length < 2) {
        const rows = await grid.getStats();
        const now = Date.now();
        for (const row of rows) if (row.candidateId === candidateId && row.framesDecoded > 0) first[row.feed] ??= now;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
      return first;
    },
    demoCandidateId(lateName),
    30_000,
    POLL_MS,
  );
  const [late] = await startCandidates({
    browser: candidateBrowser,
    url: site.url,
    count: 1,
    name: () => lateName,
    onPage: (page) =>
      page.evaluateOnNewDocument(`document.addEventListener('proctor-feed-live', (event) => {
        (window.__live ??= {})[event.detail.feed] ??= Date.now();
      }, true)`),
  });
  crowd.push(late!);
  const liveAt = await late!.page.evaluate(() => (window as unknown as { __live: Record<string, number> }).__live);
  const lateFirst = await lateFrames;
  const lateDelays = Object.fromEntries(
    Object.entries(liveAt).map(([feed, at]) => [feed, lateFirst[feed] === undefined ? undefined : lateFirst[feed] - at]),
  ) as Record<string, number | undefined>;
  const lateWorst = Math.max(...Object.values(lateDelays).map((delay) => delay ?? Infinity));

  // --- Report ------------------------------------------------------------------------------------

  const mark = (ok: boolean) => (ok ? 'MET' : 'MISSED');
  const firstFrameMax = Math.max(...fromLoad) / 1000;
  console.log(`
Proctorkit supervisor grid bench
  ${candidates} candidates × ${standIns ? 3 : 2} feeds → ${streams} thumbnails on one supervisor page (${arrival.tiles} tiles; page-size ${pages + 1} leaves room for the late joiner)
  ${standIns ? `phone feed: not built yet — stood in by ${standIns} extra candidates ("Phone stand-in NN"), whose webcam + screen add ${standIns * 2} streams` : 'no phone stand-ins (--no-phone)'}
  candidates: ${pages} pages in one Chromium, fake devices at ${fps} fps; supervisor: a separate Chromium, ${viewport.width}×${viewport.height}
  machine: ${cpus().length} cores, shared by both browsers and the demo site

Time to first frame (getStats polled every ${POLL_MS} ms)
  a candidate joining the live grid, from each feed live on their page to its first frame on the grid:
                                   ${Object.entries(lateDelays).map(([feed, delay]) => `${feed} ${delay === undefined ? 'never (30 s)' : seconds(delay)}`).join(', ')}   goal ≤ ${GOAL_FIRST_FRAME_S} s after publish: ${mark(lateWorst <= GOAL_FIRST_FRAME_S * 1000)}
  opening the grid with all ${streams} streams at once, per stream:
  from supervisor page load:       median ${seconds(median(fromLoad))}, max ${seconds(Math.max(...fromLoad))}   ≤ ${GOAL_FIRST_FRAME_S} s for every stream: ${mark(firstFrameMax <= GOAL_FIRST_FRAME_S)}
  from the grid's subscribe:       median ${seconds(median(fromSubscribe))}, max ${seconds(Math.max(...fromSubscribe))}   (the candidates publish to this supervisor on that request)
    page load → first subscribe:   ${seconds(firstSubscribe)}
    subscribe → answer sent:       median ${seconds(median(subscribeToAnswer))}, max ${seconds(Math.max(...subscribeToAnswer))}   (server relay, candidate's offer, supervisor's answer)
    answer → first frame:          median ${seconds(median(answerToFrame))}, max ${seconds(Math.max(...answerToFrame))}   (ICE, DTLS, first key frame, decode; per session)

Decoded, over ${elapsedS.toFixed(1)} s after a ${WARM_UP_MS / 1000} s warm-up (${after.rows.length} streams)
  fps per stream:                  median ${median(rates).toFixed(1)}, min ${Math.min(...rates).toFixed(1)} (source ${fps} fps)${stalled ? `; ${stalled} stream(s) decoded nothing` : ''}
  resolution:                      median ${medianSize ? `${medianSize.width}×${medianSize.height}` : 'n/a'} (${Object.entries(sizeCounts).map(([size, n]) => `${n}× ${size}`).join(', ')})

CPU over the same window (% of one core)
  supervisor browser:              ${supervisorCpu.total.toFixed(0)} % (${breakdown(supervisorCpu.byType)})   goal ≤ ${GOAL_CPU_PERCENT} % for ${GOAL_CPU_STREAMS} thumbnails: ${streams === GOAL_CPU_STREAMS ? mark(supervisorCpu.total <= GOAL_CPU_PERCENT) : `not comparable (${streams} thumbnails)`}
  candidates' browser:             ${candidateCpu.total.toFixed(0)} % (${pages} pages encoding ${streams} streams)
  demo site + bench (Node):        ${nodeCpu.toFixed(0)} %
  rest of the machine:             ${otherCpu.toFixed(0)} %${otherCpu > 20 ? ' (other processes were busy: figures are noisier)' : ''}
  whole machine:                   ${machine.toFixed(0)} % of ${cpus().length * 100} %${machine > cpus().length * 100 * 0.9 ? ' — saturated: the supervisor competes with the candidates for CPU, figures are pessimistic' : ''}
`);
} catch (error) {
  exitCode = 1;
  console.error(`bench:grid: ${(error as Error).message}`);
}
await cleanUp(exitCode);

// --- Helpers -------------------------------------------------------------------------------------

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function median(values: number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

function breakdown(byType: Record<string, number>): string {
  return Object.entries(byType)
    .sort(([, a], [, b]) => b - a)
    .map(([type, percent]) => `${type} ${percent.toFixed(0)} %`)
    .join(', ');
}


/** The demo site serves the built elements bundle: make sure it exists and is not older than the sources. */
function checkBundle(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const bundle = join(root, 'packages/elements/dist/proctorkit-elements.js');
  if (!existsSync(bundle)) fail('the elements bundle is missing: run `npm run build` first.');
  const built = statSync(bundle).mtimeMs;
  const newer = ['packages/elements/src', 'packages/core/src'].some((dir) => newerThan(join(root, dir), built));
  if (newer) console.warn('bench:grid: warning: sources changed since the elements bundle was built; run `npm run build` to measure them.');
}

function newerThan(dir: string, time: number): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() ? newerThan(path, time) : !entry.name.endsWith('.test.ts') && statSync(path).mtimeMs > time) return true;
  }
  return false;
}
