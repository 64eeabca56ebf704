// The demo site on the Chime provider (a fake control plane), in a real browser with the built
// bundle: the pages download the Chime chunk, run the real Chime SDK (which cannot reach the fake
// media servers, and retries quietly) and the exam itself goes on.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { FakeChime } from '../../packages/server-kit/test-fixtures/fake-chime/fake-chime.js';
import { launchChromium } from '../support/chromium.js';
import { chimeDemoEnv, startExamSiteProcess, type ExamSiteProcess } from '../support/exam-site-process.js';

describe('pages on a Chime server kit', { timeout: 60_000 }, () => {
  let fake: FakeChime;
  let site: ExamSiteProcess;
  let browser: Browser;
  const requested: string[] = [];
  const pageErrors: string[] = [];

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(`${path}: ${String(error)}`));
    await page.goto(`${site.url}${path}`);
    await page.bringToFront();
    return page;
  }

  before(async () => {
    fake = await FakeChime.start({ tps: 20 });
    site = await startExamSiteProcess({ env: chimeDemoEnv(fake.endpoint) });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await site?.stop();
    await fake?.close();
  });

  test("the candidate's page loads the Chime chunk, joins its meeting's feeds and starts the exam", async () => {
    const page = await open('/candidate?name=Chime%20Candidate&steps=none');
    await page.locator('pierce/button.primary').click();
    await page.waitForFunction('document.querySelector("proctor-candidate")?.clock.started === true', { timeout: 20_000 });
    const assets = requested.filter((url) => url.includes('/assets/'));
    assert.equal(assets.filter((url) => url.includes('/proctorkit-chime-sdk-')).length, 1, `the Chime SDK chunk, once: ${JSON.stringify(assets)}`);
    assert.equal(fake.succeeded('CreateMeetingWithAttendees').length, 1);

    const supervisor = await open('/supervisor');
    await supervisor.waitForFunction('document.querySelector("proctor-grid")?.shadowRoot?.querySelector("proctor-tile") !== null', { timeout: 10_000 });
    // The supervisor joined the meeting as a receive-only attendee.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const attendees = fake.succeeded('CreateAttendee').length + fake.succeeded('BatchCreateAttendee').length;
    assert.ok(attendees >= 1 || [...fake.liveMeetings()[0]!.attendees.keys()].some((id) => id.endsWith('/supervisor')), 'the supervisor has an attendee');
    assert.deepEqual(pageErrors, []);
  });
});
