/**
 * The printable report in a real browser: Chromium opens it through its signed link (no token),
 * every image loads, and it prints to A4 pages. With `PROCTORKIT_PRINT_DIR` set, the PDF and a
 * PNG of the page as printed (print media, A4's printable width) are written there to look at.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser } from 'puppeteer-core';
import type { SessionReport } from '@proctorkit/core/protocol';
import { launchChromium } from '../../../../test/support/chromium.js';
import { upload, uploaded } from '../http/identity-test-support.js';
import { RecordingClient, cut, recorded } from '../recordings/recording-test-support.js';
import { ReviewCalls, created, okJson, reviewServer } from './review-test-support.js';

const BOB = 'session-bob-review';
/** A4's printable area at 96 dpi within the page's margins (12 mm at the sides, 30 mm together top and bottom). */
const PRINTABLE_WIDTH_PX = Math.round(((210 - 24) / 25.4) * 96);
const PRINTABLE_HEIGHT_PX = Math.round(((297 - 30) / 25.4) * 96);

/** A JPEG of a plain coloured frame with a label, as a screenshot or photo would be. */
async function frame(browser: Browser, label: string, color: string, width = 640, height = 360): Promise<Uint8Array<ArrayBuffer>> {
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  await page.setContent(`<body style="margin:0;background:${color};font:bold 48px sans-serif;color:#fff;display:grid;place-items:center;height:100vh">${label}</body>`);
  const bytes = await page.screenshot({ type: 'jpeg', quality: 70 });
  await page.close();
  return new Uint8Array(bytes);
}

test('the printable report opens by its link in Chromium, loads every image and prints to A4', { timeout: 60_000 }, async (t) => {
  const kit = await reviewServer(t);
  const browser = await launchChromium();
  t.after(() => browser.close());

  // Bob's exam: a recording with a gap, identity photos, an integrity signal, reviewers' records, an end, verdicts.
  const bob = await kit.server.candidateToken('bob');
  // The name a page's token gave at its last join, and an exam that started a minute ago.
  const start = Date.now() - 60_000;
  await kit.store.update(BOB, (record) => ({
    record: { ...record, name: 'Bob Martin', joinedAt: start - 90_000, clock: { ...record.clock, startedAt: start } },
    events: [],
  }));
  // An integrity signal from the candidate's page, which a reviewer dismisses below.
  await kit.store.update(BOB, () => ({ events: [{ draft: { type: 'signal.window-blur', at: start + 21_000, source: 'candidate', data: { durationMs: 4_000 } } }] }));
  const recorder = new RecordingClient(kit.server, bob, BOB);
  const chunks = cut(await recorded('webm'), 2);
  await recorder.record('webcam', chunks, { startedAt: start + 2_000, endedAt: start + 8_000, reason: 'camera-lost' });
  await recorder.record('webcam', chunks, { startedAt: start + 12_000, endedAt: start + 18_000 });
  for (const [kind, label, color] of [['document', 'ID', '#35506b'], ['face', 'Face', '#6b4a35']] as const) {
    await uploaded(await upload(kit.server, bob, kind, await frame(browser, label, color, 480, 320), { sessionId: BOB }));
  }
  await kit.server.kit.log(BOB, 'device-check.completed', {
    verdict: 'warn', at: Date.now(),
    camera: { verdict: 'pass', message: 'Your camera works (1280×720, 30 frames per second).' },
    microphone: { verdict: 'skipped', message: 'Not needed for this exam.' },
    screen: { verdict: 'pass', message: 'You share your whole screen.' },
    network: { verdict: 'warn', message: 'Your connection is slow: 1.2 Mbit/s up.' },
    browser: { verdict: 'pass', message: 'Your browser has everything supervision needs.' },
  });
  const reviewer = new ReviewCalls(kit.server, kit.tokens.reviewer, BOB);
  const supervisor = new ReviewCalls(kit.server, await kit.server.supervisorToken(['bob'], { supervisorId: 'sup-kim', name: 'Kim Park' }), BOB);
  for (let i = 0; i < 8; i++) {
    const image = await frame(browser, `Screen ${i + 1}`, ['#2d6a4f', '#1d3557', '#6d597a', '#b56576'][i % 4]!);
    await created(await reviewer.screenshot(image, { query: `feed=${i % 2 ? 'screen' : 'webcam'}&at=${start + 3_000 + i * 4_000}&width=640&height=360` }), 'screenshot');
  }
  await created(await supervisor.note({ at: start + 14_000, text: 'Candidate looked to the left for about ten seconds <script>alert(1)</script>.' }), 'note');
  await created(await reviewer.flag({ from: start + 9_000, to: start + 31_000, feeds: ['webcam', 'screen'], severity: 'high', reason: 'another-person', text: 'A second voice answers a question.' }), 'flag');
  await created(await reviewer.flag({ from: start + 8_000, to: start + 12_000, feeds: ['phone'], severity: 'low', reason: 'technical-problem' }), 'flag');
  await created(await reviewer.dismiss(1, { comment: 'Looked up the allowed formula sheet.' }), 'dismissal');
  await kit.server.kit.sessions.terminate(BOB, 'Ended by the invigilator after the second warning.');
  await created(await reviewer.verdict({ verdict: 'rejected', reason: 'Another person helped during question 4.', comment: 'See the flag at 00:09.' }), 'verdict');
  await created(await supervisor.verdict({ verdict: 'inconclusive', comment: 'The second voice may be a radio; asking the candidate.' }), 'verdict');

  const { report } = await okJson<{ report: SessionReport }>(await reviewer.report());
  const page = await browser.newPage();
  const response = await page.goto(`${kit.server.origin}${report.htmlUrl}`, { waitUntil: 'networkidle0' });
  assert.equal(response?.status(), 200);
  const images = await page.$$eval('img', (all) => all.map((img) => ({ src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0 })));
  assert.equal(images.length, 10, 'two identity photos and eight screenshots');
  assert.deepEqual(images.filter((img) => !img.loaded), [], 'every image loads through its signed link');
  assert.equal(await page.$$eval('script', (all) => all.length), 0);
  assert.match(await page.$eval('body', (b) => b.innerText), /about ten seconds <script>alert\(1\)<\/script>\./, 'a note’s markup shows as text');

  await page.emulateMediaType('print');
  const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  const pages = Buffer.from(pdf).toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
  assert.ok(pages >= 1 && pages <= 6, `${pages} A4 pages`);

  const directory = process.env.PROCTORKIT_PRINT_DIR;
  if (directory) {
    await mkdir(directory, { recursive: true });
    await writeFile(join(directory, 'review-report.pdf'), pdf);
    await page.setViewport({ width: PRINTABLE_WIDTH_PX, height: PRINTABLE_HEIGHT_PX, deviceScaleFactor: 1.5 });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    for (let y = 0, n = 1; y < height; y += PRINTABLE_HEIGHT_PX, n++) {
      const clip = { x: 0, y, width: PRINTABLE_WIDTH_PX, height: Math.min(PRINTABLE_HEIGHT_PX, height - y) };
      await writeFile(join(directory, `review-report-${n}.png`), await page.screenshot({ clip, captureBeyondViewport: true }));
    }
  }
});
