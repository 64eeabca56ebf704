// Review player benchmark: `npm run bench:review [-- --minutes 10 --rounds 3]`.
//
// A real kit on 127.0.0.1 holds one candidate's ended exam of `--minutes` minutes: webcam, screen
// and phone recorded as Chromium records them (H.264 in fragmented MP4, ffmpeg-made), uploaded
// through the kit's routes and finished by it, and a log with an integrity signal every 40 s.
// Headless Chromium opens it in `<proctor-review>` as a reviewer, `--rounds` times in a fresh
// browser context (nothing cached), and measures:
//   1. time from the element's creation to every feed's first frame (goal ≤ 1 s);
//   2. seek-to-marker latency: a marker clicked until every feed presents a frame within 150 ms of
//      it (goal ≤ 300 ms);
//   3. drift between feeds while playing at 2×: the spread of their positions, sampled every 100 ms
//      (goal ≤ 150 ms).
// Needs `npm run build` (the elements bundle) and ffmpeg.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FEEDS, type SessionEvent } from '@proctorkit/core/protocol';
import { cli, stopOnSignalOrTimeout } from '../scripts/cli.js';
import { launchChromium } from '../test/support/chromium.js';
import { summarize } from './control/stats.js';
import { openPlayer, playAndSampleDrift, seekToMarker, type PlayedWindow, type RunStarts } from './review/player-page.js';
import { seedSession } from './review/seeded-session.js';

const GOALS = { firstFramesMs: 1000, seekMs: 300, driftMs: 150 };

const USAGE = `Usage: npm run bench:review -- [options]

Opens a recorded three-feed session in <proctor-review> in headless Chromium and measures the time
to every feed's first frame, seek-to-marker latency and the drift between feeds at 2×.

Options:
  --minutes N       length of the recorded exam (default 10)
  --rounds N        times the session is opened, each in a fresh browser context (default 3)
  --seeks N         markers clicked per round (default 8)
  --play-seconds S  seconds of 2× playback per round (default 20)
  -h, --help        show this help`;

const { values, positive, fail } = cli('bench:review', USAGE, {
  minutes: { type: 'string', default: '10' },
  rounds: { type: 'string', default: '3' },
  seeks: { type: 'string', default: '8' },
  'play-seconds': { type: 'string', default: '20' },
});
const minutes = positive('--minutes', values.minutes, true);
const rounds = positive('--rounds', values.rounds, true);
const seeks = positive('--seeks', values.seeks, true);
const playSeconds = positive('--play-seconds', values['play-seconds'], false);

const bundleBuilt = (() => {
  try {
    return existsSync(createRequire(import.meta.url).resolve('@proctorkit/elements/bundle'));
  } catch {
    return false;
  }
})();
if (!bundleBuilt) fail('the elements bundle is missing: run `npm run build` first.');

const log = (message: string) => console.log(`· ${message}`);
const session = await seedSession({ minutes, log });
const browser = await launchChromium();
stopOnSignalOrTimeout('bench:review', 15 * 60_000, async (code) => {
  await browser.close().catch(() => {});
  await session.close().catch(() => {});
  process.exit(code);
});

const runStarts: RunStarts = Object.fromEntries(session.manifest.recordings.map((r) => [r.feed, r.runs[0]!.startedAt]));
const events = (await (await fetch(`${session.url}/proctor/sessions/${session.sessionId}/events?after=0`, { headers: { authorization: `Bearer ${session.reviewerToken}` } })).json()) as { events: SessionEvent[] };
const signals = events.events.filter((event) => event.type.startsWith('signal.'));

const firstFrames: number[] = [];
const seekLatencies: number[] = [];
const seekErrors: number[] = [];
const spreads: number[] = [];
const frameDrifts: PlayedWindow['frameDrift'][] = [];
let advanced = 0;
for (let round = 1; round <= rounds; round++) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1440, height: 900 });
  // A page in a background tab gets no animation frames, and its videos may not paint.
  await page.bringToFront();
  // tsx keeps functions' names with a helper the page does not have; the measuring functions are sent to the page as they are.
  await page.evaluateOnNewDocument('globalThis.__name = (fn) => fn');
  await page.goto(session.url);
  log(`round ${round}: opening the session in <proctor-review>…`);
  const frames = await openPlayer(page, { server: '/proctor', token: session.reviewerToken, sessionId: session.sessionId });
  firstFrames.push(Math.max(...Object.values(frames)));
  log(`round ${round}: first frames ${FEEDS.map((feed) => `${feed} ${Math.round(frames[feed]!)} ms`).join(', ')}`);
  // Markers spread over the session, visited in a shuffled order: each seek lands far from the last.
  const picks = shuffled(Array.from({ length: seeks }, (_, i) => signals[Math.floor((i * signals.length) / seeks)]!), round);
  for (const signal of picks) {
    const { latencyMs, errorMs } = await seekToMarker(page, signal.seq, signal.occurredAt ?? signal.at, runStarts);
    seekLatencies.push(latencyMs);
    seekErrors.push(...Object.values(errorMs));
  }
  const played = await playAndSampleDrift(page, 2, playSeconds, runStarts);
  spreads.push(...played.spreads);
  frameDrifts.push(played.frameDrift);
  advanced += played.advancedMs;
  await context.close();
}

const first = summarize(firstFrames);
const seek = summarize(seekLatencies);
const drift = summarize(spreads);
const mark = (value: number, goal: number) => (value <= goal ? '✓' : '✗');
console.log(`
bench:review — a ${minutes}-minute session, webcam + screen + phone (${session.manifest.recordings.map((r) => `${r.feed} ${(r.runs[0]!.bytes / 1024 ** 2).toFixed(1)} MB`).join(', ')}), ${rounds} round(s)

                                   p50       p99       max      goal
first frame of every feed     ${ms(first.p50)} ${ms(first.p99)} ${ms(first.max)}   ≤ ${GOALS.firstFramesMs} ms ${mark(first.max, GOALS.firstFramesMs)}   (${first.n} opens)
seek to a marker              ${ms(seek.p50)} ${ms(seek.p99)} ${ms(seek.max)}   ≤ ${GOALS.seekMs} ms  ${mark(seek.p99, GOALS.seekMs)}   (${seek.n} seeks; landed within ${Math.round(summarize(seekErrors).max)} ms of the marker)
drift between feeds at 2×     ${ms(drift.p50)} ${ms(drift.p99)} ${ms(drift.max)}   ≤ ${GOALS.driftMs} ms  ${mark(drift.p99, GOALS.driftMs)}   (${drift.n} samples of the feeds' currentTime over ${(rounds * playSeconds).toFixed(0)} s; played ${(advanced / 1000 / (rounds * playSeconds)).toFixed(2)}× real time)
  per presented frame, 2×              p95 ${ms(Math.max(...frameDrifts.map((d) => d.p95Ms)))} max ${ms(Math.max(...frameDrifts.map((d) => d.maxMs)))}   (${sum(frameDrifts.map((d) => d.samples))} frames against the player's clock, one frame interval included; ${sum(frameDrifts.map((d) => d.nudges))} rate nudges, ${sum(frameDrifts.map((d) => d.corrections))} hard seeks, ${sum(frameDrifts.map((d) => d.stalls))} waits)
`);
await browser.close();
await session.close();
process.exit(0);

/** `list` in an order that differs per round, and never twice the same in a row. */
function shuffled<T>(list: T[], round: number): T[] {
  const step = [3, 5, 7].find((s) => list.length % s !== 0) ?? 1;
  return list.map((_, i) => list[(i * step + round) % list.length]!);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function ms(value: number): string {
  return `${Math.round(value)} ms`.padStart(9);
}
