// Screenshots the demo pages as a person sees them: `npm run screenshots -- [--url http://127.0.0.1:3000]`.
// Writes docs/screenshots/*.png. With no --url it starts the demo site itself.
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Page } from 'puppeteer-core';
import { createExamSite } from '../examples/exam-site/app.js';
import { launchChromium } from '../test/support/chromium.js';

const { values } = parseArgs({ options: { url: { type: 'string' }, out: { type: 'string', default: 'docs/screenshots' } } });
mkdirSync(values.out!, { recursive: true });

const site = values.url ? undefined : await createExamSite().listen(0, '127.0.0.1');
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
  await onboarding.close();

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
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
  site?.server.close();
  // The demo site's kit keeps timers: leave without waiting for them.
  process.exit();
}
