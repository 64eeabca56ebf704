import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { demoCandidateId } from '../../examples/exam-site/app.js';
import { launchChromium } from '../support/chromium.js';
import { startExamSiteProcess, type ExamSiteProcess } from '../support/exam-site-process.js';

interface StatsRow {
  candidateId: string;
  feed: string;
  framesDecoded: number;
  width: number;
  height: number;
}

const NAMES = ['Alice Martin', 'Bao Nguyen', 'Chidi Okafor'];
const IDS = NAMES.map(demoCandidateId);

let site: ExamSiteProcess;
let browser: Browser;
let supervisor: Page;
const candidates = new Map<string, Page>();
/** Every URL the pages requested. */
const requested: string[] = [];

function gridStats(page: Page): Promise<StatsRow[]> {
  return page.evaluate(() => document.querySelector('proctor-grid')!.getStats());
}

/** Polls the supervisor's stats until `done` holds, failing with the last rows after `timeoutMs`. */
async function waitForStats(done: (rows: StatsRow[]) => boolean, timeoutMs = 15_000): Promise<StatsRow[]> {
  const deadline = Date.now() + timeoutMs;
  let rows: StatsRow[] = [];
  while (Date.now() < deadline) {
    rows = await gridStats(supervisor);
    if (done(rows)) return rows;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail(`supervisor stats never matched: ${JSON.stringify(rows)}`);
}

function decoded(rows: StatsRow[], candidateId: string, feed: string): boolean {
  return rows.some((r) => r.candidateId === candidateId && r.feed === feed && r.framesDecoded > 0);
}

describe('live video from candidates to the supervisor grid', { timeout: 120_000 }, () => {
  before(async () => {
    site = await startExamSiteProcess();
    browser = await launchChromium();
    for (const [index, name] of NAMES.entries()) {
      const page = await browser.newPage();
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(`${site.url}/candidate?name=${encodeURIComponent(name)}&steps=none`);
      await page.bringToFront();
      await page.locator('pierce/button.primary').click();
      await page.waitForFunction(() => {
        const feeds = document.querySelector('proctor-candidate')?.state?.feeds;
        return feeds?.webcam.state === 'live' && feeds.screen.state === 'live';
      });
      candidates.set(IDS[index]!, page);
    }
    supervisor = await browser.newPage();
    supervisor.on('request', (request) => requested.push(request.url()));
    await supervisor.goto(`${site.url}/supervisor`);
    await supervisor.bringToFront();
  });

  after(async () => {
    await browser?.close();
    await site?.stop();
  });

  test('the supervisor decodes webcam and screen frames of every candidate', async () => {
    const rows = await waitForStats((r) => IDS.every((id) => decoded(r, id, 'webcam') && decoded(r, id, 'screen')));
    for (const id of IDS) {
      const webcam = rows.find((r) => r.candidateId === id && r.feed === 'webcam')!;
      assert.ok(webcam.width > 0 && webcam.width <= 320, `webcam thumbnail of ${id} is ${webcam.width} wide`);
      assert.ok(webcam.height <= 240, `webcam thumbnail of ${id} is ${webcam.height} high`);
    }
    const tiles = await supervisor.$$eval('pierce/proctor-tile', (els) => els.map((el) => el.getAttribute('status')));
    assert.deepEqual(tiles, ['live', 'live', 'live']);
  });

  test('pages on the local provider never download the Chime chunk', () => {
    assert.ok(requested.some((url) => url.endsWith('/assets/proctorkit-elements.js')));
    assert.deepEqual(requested.filter((url) => /chime/i.test(url)), []);
  });

  test('focusing a candidate switches its webcam to full quality', async () => {
    await supervisor.locator('pierce/proctor-tile[data-session]').click();
    // Full quality is sent unscaled; the encoder may still adapt while bandwidth estimation ramps up.
    const rows = await waitForStats((r) => r.some((row) => row.feed === 'webcam' && row.width > 320));
    assert.equal(rows.filter((r) => r.feed === 'webcam').length, 1, 'only the focused candidate stays subscribed');
    await supervisor.keyboard.press('Escape');
    await waitForStats((r) => IDS.every((id) => decoded(r, id, 'webcam')));
  });

  test('paging subscribes only the candidates on the visible page', async () => {
    await supervisor.evaluate(() => document.querySelector('proctor-grid')!.setAttribute('page-size', '2'));
    const first = await waitForStats(
      (r) => decoded(r, IDS[0]!, 'webcam') && decoded(r, IDS[1]!, 'webcam') && !r.some((row) => row.candidateId === IDS[2]),
    );
    assert.deepEqual(new Set(first.map((r) => r.candidateId)), new Set([IDS[0], IDS[1]]));

    await supervisor.locator('pierce/button[aria-label="Next page"]').click();
    const second = await waitForStats(
      (r) => decoded(r, IDS[2]!, 'webcam') && r.every((row) => row.candidateId === IDS[2]),
    );
    assert.deepEqual(new Set(second.map((r) => r.candidateId)), new Set([IDS[2]]));
    await supervisor.evaluate(() => {
      const grid = document.querySelector('proctor-grid')!;
      grid.setAttribute('page-size', '16');
      grid.page = 0;
    });
  });

  test('a candidate who closes the page shows as offline within 5 seconds', async () => {
    const page = candidates.get(IDS[1]!)!;
    const closedAt = Date.now();
    await page.close();
    await supervisor.waitForFunction(
      (id) => document.querySelector('proctor-grid')!.sessions.find((s) => s.candidateId === id)?.status === 'offline',
      { timeout: 5_000, polling: 100 },
      IDS[1],
    );
    const elapsed = Date.now() - closedAt;
    assert.ok(elapsed < 5_000, `offline after ${elapsed} ms`);
    const status = await supervisor.$$eval('pierce/proctor-tile', (els) =>
      els.map((el) => (el as HTMLElement & { session?: { candidateId: string } }).session?.candidateId + ':' + el.getAttribute('status')),
    );
    assert.ok(status.includes(`${IDS[1]}:offline`), status.join(', '));
  });
});
