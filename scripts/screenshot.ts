// Screenshots the demo pages as a person sees them: `npm run screenshots -- [--url http://127.0.0.1:3000]`.
// Writes docs/screenshots/*.png. With no --url it starts the demo site itself.
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Page } from 'puppeteer-core';
import { bindServer, createExamSite, type BoundServer } from '../examples/exam-site/app.js';
import { temporaryDataDir } from '../examples/exam-site/data-dir.js';
import { ownReceiverEndpoint } from '../examples/exam-site/webhook-from-env.js';
import { launchChromium } from '../test/support/chromium.js';

const { values } = parseArgs({ options: { url: { type: 'string' }, out: { type: 'string', default: 'docs/screenshots' } } });
mkdirSync(values.out!, { recursive: true });

// A demo of its own starts from no sessions, and sends its webhooks to its own receiver as `npm start` does.
async function ownSite(): Promise<BoundServer> {
  const bound = await bindServer(0, '127.0.0.1');
  const endpoint = ownReceiverEndpoint(bound.server)!;
  createExamSite({ data: temporaryDataDir(), webhook: { endpoint, ownReceiver: true } }).serve(bound.server);
  return bound;
}
const site = values.url ? undefined : await ownSite();
const base = values.url ?? site!.url;
const browser = await launchChromium();

async function shot(page: Page, name: string) {
  await page.bringToFront();
  await new Promise((r) => setTimeout(r, 1500));
  await page.screenshot({ path: `${values.out}/${name}.png` });
  console.log(`${values.out}/${name}.png`);
}

try {
  const landing = await browser.newPage();
  await landing.goto(`${base}/`);
  await shot(landing, 'landing');

  const check = await browser.newPage();
  await check.setViewport({ width: 1280, height: 1100 });
  await check.goto(`${base}/check`);
  await check.locator('pierce/button.primary').click();
  await check.locator('pierce/[data-check="screen"] button').click();
  await check.waitForFunction(() => document.querySelector('proctor-device-check')?.result, { timeout: 30_000 });
  await shot(check, 'device-check');

  // The steps before the exam, as the demo candidate page walks through them.
  const onboarding = await browser.newPage();
  await onboarding.setViewport({ width: 1280, height: 1000 });
  await onboarding.goto(`${base}/candidate?name=${encodeURIComponent('Dana Steps')}`);
  await shot(onboarding, 'candidate-consent');
  await onboarding.locator('pierce/button.primary').click();
  await onboarding.locator('pierce/proctor-device-check').wait();
  await onboarding.evaluate('document.querySelector("proctor-candidate").shadowRoot.querySelector("proctor-device-check").start()');
  await onboarding.waitForFunction(
    () => document.querySelector('proctor-candidate')?.shadowRoot?.querySelector('proctor-device-check')?.result,
    { timeout: 30_000 },
  );
  await shot(onboarding, 'candidate-setup-check');
  await onboarding.locator('pierce/.step .actions button.primary').click();
  await onboarding.locator('pierce/proctor-phone-pairing').wait();
  await shot(onboarding, 'candidate-phone-step');
  await onboarding.locator('pierce/.step .actions button.secondary').click();
  await onboarding.locator('pierce/proctor-identity-check').wait();
  await shot(onboarding, 'candidate-identity-step');
  // Photos of the ID document and the face (take, use, take, use), then submit: the exam starts.
  const identityButton = `document.querySelector('proctor-candidate').shadowRoot.querySelector('proctor-identity-check').shadowRoot.querySelector('button.primary:not([disabled])')`;
  for (let step = 0; step < 5; step++) {
    await onboarding.waitForFunction(`!!${identityButton}`, { polling: 100 });
    await onboarding.evaluate(`${identityButton}.click()`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await onboarding.waitForFunction(`document.querySelector('proctor-candidate').clock.started`);

  const names = ['Alice Martin', 'Bao Nguyen', 'Chidi Okafor'];
  const candidates: Page[] = [];
  for (const name of names) {
    const page = await browser.newPage();
    await page.goto(`${base}/candidate?name=${encodeURIComponent(name)}&steps=none`);
    candidates.push(page);
  }
  for (const page of candidates) {
    await page.bringToFront();
    await page.locator('pierce/button.primary').click();
  }
  await candidates[0]!.bringToFront();
  await candidates[0]!.locator('pierce/video').wait();
  await shot(candidates[0]!, 'candidate-live');

  const supervisor = await browser.newPage();
  await supervisor.setViewport({ width: 1440, height: 900 });
  await supervisor.goto(`${base}/supervisor`);
  await supervisor.waitForFunction(
    () => (document.querySelector('proctor-grid')?.shadowRoot?.querySelectorAll('proctor-tile').length ?? 0) >= 3,
  );
  await shot(supervisor, 'supervisor-grid');
  await supervisor.locator('pierce/proctor-tile').click();
  await shot(supervisor, 'supervisor-focus');

  // Phone pairing: the pairing panel with its QR code, the phone page at a phone's size (consent,
  // live, a room scan), and the phone feed in the supervisor's large view.
  const pairing = await browser.newPage();
  await pairing.setViewport({ width: 1280, height: 900 });
  await pairing.goto(`${base}/pair?name=${encodeURIComponent('Dana Phone')}`);
  await pairing.locator('proctor-candidate >>> button::-p-text(I agree)').click();
  await pairing.locator('proctor-phone-pairing >>> button::-p-text(Pair your phone)').click();
  await pairing.waitForFunction(`document.querySelector('proctor-phone-pairing').shadowRoot.querySelector('[part="qr"]')?.naturalWidth > 0`);
  await shot(pairing, 'phone-pairing');
  const link = (await pairing.evaluate(`document.querySelector('proctor-phone-pairing').shadowRoot.querySelector('#link').value`)) as string;
  const phone = await (await browser.createBrowserContext()).newPage();
  await phone.setViewport({ width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await phone.goto(link);
  // Polled: the phone element's view loads on demand, inside its shadow root.
  await phone.waitForFunction(`!!document.querySelector('proctor-phone').shadowRoot.querySelector('button.primary')`, { polling: 100 });
  await shot(phone, 'phone-consent');
  await phone.locator('proctor-phone >>> button::-p-text(Connect this phone)').click();
  await phone.waitForFunction(`document.querySelector('proctor-phone').state?.camera.state === 'live'`);
  await shot(phone, 'phone-live');
  await supervisor.bringToFront();
  await supervisor.locator('pierce/button.back').click();
  await supervisor.locator('proctor-grid >>> proctor-tile[aria-label^="Dana Phone"]').click();
  await supervisor.locator('proctor-grid >>> proctor-controls >>> button::-p-text(Ask for a room scan)').click();
  await phone.waitForFunction(`!!document.querySelector('proctor-phone').shadowRoot.querySelector('[part="room-scan"]')`);
  await shot(phone, 'phone-room-scan');
  await shot(supervisor, 'supervisor-phone');

  // The identity check waiting for the supervisor, beside the candidate's name.
  await supervisor.locator('pierce/button.back').click();
  await supervisor.locator('proctor-grid >>> proctor-tile[aria-label^="Dana Steps"]').click();
  await supervisor.waitForFunction(
    `document.querySelector('proctor-grid').shadowRoot.querySelector('proctor-identity-review')?.shadowRoot.querySelectorAll('img').length >= 2`,
    { polling: 200 },
  );
  await shot(supervisor, 'supervisor-identity');

  // Recording on a slow uplink: the candidate's page and the supervisor's tile say how much waits to
  // upload; once the exam ends, the page shows the upload's progress.
  const slow = candidates[1]!;
  const uplink = await slow.createCDPSession();
  await uplink.send('Network.emulateNetworkConditions', { offline: false, latency: 300, downloadThroughput: 500_000, uploadThroughput: 6_000 });
  await slow.waitForFunction(`(document.querySelector('proctor-candidate').state?.recording?.pendingMs ?? 0) >= 12000`, { timeout: 60_000, polling: 500 });
  await shot(slow, 'candidate-recording-backlog');
  await supervisor.bringToFront();
  await supervisor.locator('pierce/button.back').click();
  await supervisor.waitForFunction(
    `[...document.querySelector('proctor-grid').shadowRoot.querySelectorAll('proctor-tile')].some((t) => /Rec · \\d/.test(t.shadowRoot.textContent))`,
    { timeout: 30_000, polling: 500 },
  );
  await shot(supervisor, 'supervisor-recording');
  await supervisor.bringToFront();
  await supervisor.locator(`proctor-grid >>> proctor-tile[aria-label^="${names[1]}"]`).click();
  await supervisor.locator('proctor-grid >>> proctor-controls >>> button.end').click();
  await supervisor.locator('proctor-grid >>> proctor-controls >>> textarea#reason').fill('Thank you, the exam is over.');
  await supervisor.locator('proctor-grid >>> proctor-controls >>> dialog button[type="submit"]').click();
  await slow.waitForFunction(`!!document.querySelector('proctor-candidate').shadowRoot.querySelector('[part="upload"]')`, { timeout: 30_000, polling: 200 });
  await shot(slow, 'candidate-ended-uploading');
  // The uplink back to normal: the rest uploads, and the exam can be replayed below.
  await uplink.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  // What the site's webhook receiver verified: the exams started, the one just ended.
  const webhooks = await browser.newPage();
  await webhooks.setViewport({ width: 1440, height: 800 });
  await webhooks.goto(`${base}/webhooks`);
  await shot(webhooks, 'webhooks');

  // Review: the exam's sessions, the ended one replayed with a verdict signed, and the candidate's
  // page telling them (the demo lets candidates see their verdict).
  const review = await browser.newPage();
  await review.setViewport({ width: 1440, height: 1000 });
  await review.goto(`${base}/review`);
  await shot(review, 'review-list');
  await review.locator(`a[aria-label="Review ${names[1]}"]`).click();
  // Once the slow candidate's upload is done, the player (which fetches the manifest again every 15 s) shows the recording.
  await review.waitForFunction(
    `[...(document.querySelector('proctor-review')?.shadowRoot?.querySelectorAll('[part~="feed"] video') ?? [])].some((v) => v.readyState >= 2)`,
    { timeout: 90_000, polling: 200 },
  );
  await review.locator('proctor-review >>> [part~="verdicts"] input[value="accepted"]').click();
  await review.locator('proctor-review >>> #verdict-comment').fill('Nothing in the recordings or the log calls the result into question.');
  await review.locator('proctor-review >>> [part~="verdicts"] button[type="submit"]').click();
  await review.waitForFunction(`!!document.querySelector('proctor-review').shadowRoot.querySelector('.verdict-entry')`, { polling: 200 });
  await review.evaluate(() => window.scrollTo(0, 0));
  await shot(review, 'review-session');
  await slow.waitForFunction(`!!document.querySelector('proctor-candidate').shadowRoot.querySelector('[part~="verdict"]')`, { timeout: 30_000, polling: 200 });
  await shot(slow, 'candidate-verdict');
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
  site?.server.close();
  // The demo site's kit keeps timers: leave without waiting for them.
  process.exit();
}
