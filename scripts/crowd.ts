// A crowd of fake candidates for the demo: `npm run demo:crowd -- --candidates 16 [--url http://127.0.0.1:3000]`.
// Each is a headless Chromium page with a fake webcam and screen that consents and stays live
// until Ctrl-C / SIGTERM. Start the demo site first (`npm start`), then open /supervisor.
// With --no-media, the candidates are control-channel clients only (scripts/crowd-control-only.ts).
import type { Browser } from 'puppeteer-core';
import { launchChromium } from '../test/support/chromium.js';
import { runControlCrowd } from './crowd-control-only.js';
import { checkSite, closeCandidates, startCandidates, type CandidateHandle } from './crowd-lib.js';
import { cli } from './cli.js';

const USAGE = `Usage: npm run demo:crowd -- [options]

Starts fake candidates (headless Chromium, fake webcam and screen) on a running demo exam site.
Each opens /candidate?name=<name>, consents and publishes both feeds, then stays live until
Ctrl-C or SIGTERM.

Options:
  --candidates N   how many candidates (default 16)
  --url URL        the demo site (default http://127.0.0.1:3000; start it with \`npm start\`)
  --offset N       start the names at index N, to run a second crowd on the same site (default 0)
  --browsers N     spread the candidates over N Chromium instances (default 1)
  --fps N          fake devices' frame rate (default 15)
  --no-media       no browsers: each candidate is a control-channel client that gets its token
                   from the candidate page, reports its feeds live and starts, with no media
                   (e.g. thousands of candidates, or Chime's join queue); prints counts as it goes
  -h, --help       show this help
`;

const { values, fail } = cli('demo:crowd', USAGE, {
  candidates: { type: 'string', default: '16' },
  url: { type: 'string', default: 'http://127.0.0.1:3000' },
  offset: { type: 'string', default: '0' },
  browsers: { type: 'string', default: '1' },
  fps: { type: 'string', default: '15' },
  'no-media': { type: 'boolean', default: false },
});

const count = wholeNumber('--candidates', values.candidates, 1);
const offset = wholeNumber('--offset', values.offset, 0);
const browserCount = Math.min(wholeNumber('--browsers', values.browsers, 1), count);
const fps = wholeNumber('--fps', values.fps, 1);
const url = originOf(values.url);

function originOf(text: string): string {
  try {
    return new URL(text).origin;
  } catch {
    return fail(`--url must be a URL such as http://127.0.0.1:3000, not "${text}".`);
  }
}

function wholeNumber(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) fail(`${flag} must be a whole number ≥ ${min}, not "${text}".`);
  return value;
}

// Stop on Ctrl-C / SIGTERM at any point: during start-up too. npm may forward the signal a
// second time; it is ignored while stopping.
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stop.signal.aborted) return;
    console.log(`\n${signal}: stopping the crowd…`);
    stop.abort(new Error(signal));
  });
}

try {
  await checkSite(url);
} catch (error) {
  fail((error as Error).message);
}

if (values['no-media']) process.exit(await runControlCrowd({ url, count, offset, signal: stop.signal }));

const browsers: Browser[] = [];
let candidates: CandidateHandle[] = [];
let exitCode = 0;
try {
  console.log(`Starting ${count} candidate${count === 1 ? '' : 's'} on ${url} (${browserCount} Chromium instance${browserCount === 1 ? '' : 's'})…`);
  for (let i = 0; i < browserCount && !stop.signal.aborted; i++) {
    // The crowd handles signals itself, so it can close its pages before the browser.
    browsers.push(await launchChromium({ fps, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false }));
  }
  candidates = await startCandidates({
    browser: browsers,
    url,
    count,
    offset,
    signal: stop.signal,
    onLive: (live, total, candidate) => console.log(`${live}/${total} candidates live (${candidate.name})`),
  });
  console.log(`All ${count} candidates live. Watch them at ${url}/supervisor — Ctrl-C to stop.`);
  await new Promise<void>((resolve) => {
    if (stop.signal.aborted) resolve();
    stop.signal.addEventListener('abort', () => resolve(), { once: true });
    for (const browser of browsers) {
      browser.on('disconnected', () => {
        if (!stop.signal.aborted) {
          exitCode = 1;
          console.error('demo:crowd: a Chromium instance exited unexpectedly.');
          resolve();
        }
      });
    }
  });
} catch (error) {
  if (!stop.signal.aborted) {
    exitCode = 1;
    console.error(`demo:crowd: ${(error as Error).message}`);
  }
} finally {
  const force = setTimeout(() => {
    console.error('demo:crowd: Chromium did not close within 15 s; exiting anyway.');
    process.exit(1);
  }, 15_000);
  force.unref();
  await closeCandidates(candidates);
  await Promise.all(browsers.map((browser) => browser.close().catch(() => undefined)));
  clearTimeout(force);
  const closedBrowsers = `${browsers.length} browser${browsers.length === 1 ? '' : 's'}`;
  console.log(candidates.length ? `Closed ${candidates.length} candidate${candidates.length === 1 ? '' : 's'} and ${closedBrowsers}.` : `Closed ${closedBrowsers}.`);
}
process.exit(exitCode);
