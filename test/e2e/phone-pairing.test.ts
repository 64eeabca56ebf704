import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { demoCandidateId } from '../../examples/exam-site/app.js';
import { launchChromium } from '../support/chromium.js';
import { startExamSiteProcess, type ExamSiteProcess } from '../support/exam-site-process.js';

// Phone pairing across separate pages: the candidate's (`/pair`: <proctor-candidate> with
// <proctor-phone-pairing>), phones in their own browser contexts (`/phone`), and the supervisor's
// grid. Expiry of links and codes is covered by the server kit's tests (packages/server-kit/src/phone).

interface StatsRow {
  candidateId: string;
  feed: string;
  framesDecoded: number;
}

const NAME = 'Phoebe Phone';
const ID = demoCandidateId(NAME);
/** A phone-sized screen. */
const PHONE_VIEWPORT = { width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

let site: ExamSiteProcess;
let browser: Browser;
let candidate: Page;
let supervisor: Page;
const contexts: BrowserContext[] = [];
let firstPhone: Page;
let firstLink: string;

// Strings, not functions: tsx's keepNames wraps named functions in a helper the page lacks.
const SENDING = `(() => { const phone = document.querySelector('proctor-phone'); return phone.status === 'connected' && phone.state.camera.state === 'live'; })()`;

function gridStats(): Promise<StatsRow[]> {
  return supervisor.evaluate(`document.querySelector('proctor-grid').getStats()`) as Promise<StatsRow[]>;
}

function phoneFrames(rows: StatsRow[]): number {
  return rows.find((r) => r.candidateId === ID && r.feed === 'phone')?.framesDecoded ?? 0;
}

/** Polls the supervisor's stats until `done` holds, failing with the last rows after `timeoutMs`. */
async function waitForStats(done: (rows: StatsRow[]) => boolean, timeoutMs = 15_000): Promise<StatsRow[]> {
  const deadline = Date.now() + timeoutMs;
  let rows: StatsRow[] = [];
  while (Date.now() < deadline) {
    rows = await gridStats();
    if (done(rows)) return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`supervisor stats never matched: ${JSON.stringify(rows)}`);
}

/** A page of its own browser context: a phone shares nothing (storage, cookies) with the computer. */
async function phonePage(url: string): Promise<Page> {
  const context = await browser.createBrowserContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.setViewport(PHONE_VIEWPORT);
  await page.goto(url);
  await page.bringToFront();
  // The element's view loads on demand. Poll for it: a selector wait watches the document's
  // mutations, and misses content that appears later inside a shadow root.
  await page.waitForFunction(`!!document.querySelector('proctor-phone').shadowRoot.querySelector('button.primary')`, { polling: 100 });
  return page;
}

function shadowText(page: Page, host: string, selector: string): Promise<string> {
  return page.evaluate(
    `document.querySelector(${JSON.stringify(host)}).shadowRoot.querySelector(${JSON.stringify(selector)})?.textContent.replace(/\\s+/g, ' ').trim() ?? ''`,
  ) as Promise<string>;
}

describe('phone pairing end to end', { timeout: 90_000 }, () => {
  before(async () => {
    site = await startExamSiteProcess();
    browser = await launchChromium({ cameras: 3 });
    candidate = await browser.newPage();
    await candidate.goto(`${site.url}/pair?name=${encodeURIComponent(NAME)}`);
    await candidate.bringToFront();
    await candidate.locator('proctor-candidate >>> button::-p-text(I agree)').click();
    await candidate.waitForFunction(
      `(() => { const feeds = document.querySelector('proctor-candidate').state?.feeds; return feeds?.webcam.state === 'live' && feeds.screen.state === 'live'; })()`,
    );
    supervisor = await browser.newPage();
    await supervisor.goto(`${site.url}/supervisor`);
  });

  after(async () => {
    await browser?.close();
    await site?.stop();
  });

  test('the pairing panel shows a QR code, the short code and the time left', async () => {
    await candidate.bringToFront();
    await candidate.locator('proctor-phone-pairing >>> button::-p-text(Pair your phone)').click();
    await candidate.waitForFunction(`document.querySelector('proctor-phone-pairing').shadowRoot.querySelector('[part="qr"]')?.naturalWidth > 0`);
    assert.match(await shadowText(candidate, 'proctor-phone-pairing', '[part="code"]'), /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    assert.match(await shadowText(candidate, 'proctor-phone-pairing', '[part="expires"]'), /^Works once · expires in (5:00|4:\d\d)\.$/);
    assert.equal(await shadowText(candidate, 'proctor-phone-pairing', '[part="status"]'), 'Waiting for your phone…');
    firstLink = (await candidate.evaluate(`document.querySelector('proctor-phone-pairing').shadowRoot.querySelector('#link').value`)) as string;
    assert.equal(new URL(firstLink).pathname, '/phone');
  });

  test("a phone opening the link sends its camera: the supervisor decodes it and every page shows it", async (t) => {
    firstPhone = await phonePage(firstLink);
    assert.match(await shadowText(firstPhone, 'proctor-phone', '[part="consent"]'), /This phone’s camera shows your room to the exam supervisor/);
    const clickedAt = Date.now();
    await firstPhone.locator('proctor-phone >>> button::-p-text(Connect this phone)').click();
    await firstPhone.waitForFunction(SENDING, { timeout: 15_000 });
    const sendingAt = Date.now();
    await supervisor.bringToFront();
    await waitForStats((rows) => phoneFrames(rows) > 0);
    const decodedAt = Date.now();
    t.diagnostic(`phone: consent → sending ${sendingAt - clickedAt} ms, → first phone frame decoded at the supervisor ${decodedAt - clickedAt} ms`);

    await supervisor.waitForFunction(
      `document.querySelector('proctor-grid').shadowRoot.querySelector('proctor-tile').shadowRoot.querySelector('figure[data-feed="phone"] figcaption')?.textContent === 'Phone · live'`,
    );
    assert.equal(await shadowText(firstPhone, 'proctor-phone', '[part="status"]'), 'Connected — the supervisor can see this camera');
    await candidate.waitForFunction(`document.querySelector('proctor-phone-pairing').phone === 'live'`);
    assert.equal(await shadowText(candidate, 'proctor-phone-pairing', '[part="status"]'), 'Phone connected ✓');
  });

  test('the supervisor asks for a room scan and the phone shows it', async () => {
    await supervisor.bringToFront();
    await supervisor.locator('proctor-grid >>> proctor-tile').click();
    await supervisor.locator('proctor-grid >>> proctor-controls >>> button::-p-text(Ask for a room scan)').click();
    await firstPhone.waitForFunction(`!!document.querySelector('proctor-phone').shadowRoot.querySelector('[part="room-scan"]')`);
    assert.match(await shadowText(firstPhone, 'proctor-phone', '[part="room-scan"]'), /^Show your room, Demo supervisor asks\./);
    await supervisor.waitForFunction(
      `[...document.querySelector('proctor-grid').shadowRoot.querySelectorAll('proctor-event-feed')].some((feed) => feed.shadowRoot.textContent.includes('Room scan requested by Demo supervisor'))`,
    );
    await firstPhone.bringToFront();
    await firstPhone.locator('proctor-phone >>> button::-p-text(Done)').click();
    await firstPhone.waitForFunction(`!document.querySelector('proctor-phone').shadowRoot.querySelector('[part="room-scan"]')`);
  });

  test('pairing again with the short code on another phone replaces the first, and its frames reach the supervisor', async () => {
    await candidate.bringToFront();
    await candidate.locator('proctor-phone-pairing >>> button::-p-text(Pair again)').click();
    await candidate.waitForFunction(`!!document.querySelector('proctor-phone-pairing').shadowRoot.querySelector('[part="code"]')`);
    const code = await shadowText(candidate, 'proctor-phone-pairing', '[part="code"]');

    const secondPhone = await phonePage(`${site.url}/phone`);
    await secondPhone.locator('proctor-phone >>> #code').fill(code.replace('-', '').toLowerCase());
    assert.equal(await secondPhone.evaluate(`document.querySelector('proctor-phone').shadowRoot.querySelector('#code').value`), code);
    await secondPhone.locator('proctor-phone >>> button::-p-text(Connect this phone)').click();
    await secondPhone.waitForFunction(SENDING, { timeout: 15_000 });

    await firstPhone.waitForFunction(`document.querySelector('proctor-phone').status === 'replaced'`);
    assert.equal(await shadowText(firstPhone, 'proctor-phone', 'h2'), 'Another phone was paired');
    assert.equal(await firstPhone.evaluate(`document.querySelector('proctor-phone').state.camera.state`), 'off');
    await firstPhone.close();
    await candidate.waitForFunction(`!document.querySelector('proctor-phone-pairing').shadowRoot.querySelector('[part="pairing"]')`);

    // The first phone is gone: phone frames still arriving can only be the second phone's.
    await supervisor.bringToFront();
    const before = phoneFrames(await waitForStats((rows) => phoneFrames(rows) > 0));
    await waitForStats((rows) => phoneFrames(rows) > before + 5);
    assert.equal(await shadowText(candidate, 'proctor-phone-pairing', '[part="status"]'), 'Phone connected ✓');
    await supervisor.waitForFunction(
      `[...document.querySelector('proctor-grid').shadowRoot.querySelectorAll('proctor-event-feed')].some((feed) => feed.shadowRoot.textContent.includes('Phone replaced: another phone was paired'))`,
    );
  });

  test('the used link opened again says it was already used', async () => {
    const third = await phonePage(firstLink);
    await third.locator('proctor-phone >>> button::-p-text(Connect this phone)').click();
    await third.waitForFunction(`document.querySelector('proctor-phone').status === 'refused'`);
    assert.match(await shadowText(third, 'proctor-phone', '[part="problem"]'), /This pairing was already used\. Show a new QR code on the exam page\./);
    assert.equal(await third.evaluate(`document.querySelector('proctor-phone').state.camera.state`), 'off', 'a refused phone never opens its camera');
  });
});
