import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium } from '../support/chromium.js';
import { examSiteRefusal, startExamSiteProcess, type ExamSiteProcess } from '../support/exam-site-process.js';
import { freePort } from '../support/free-port.js';

/** The /webhooks table as a person reads it: one object per row, by column. */
async function webhookRows(page: Page, url: string): Promise<Array<{ event: string; candidate: string; session: string; webhookId: string; signature: string }>> {
  await page.goto(`${url}/webhooks`);
  return page.$$eval('tbody tr', (rows) =>
    rows
      .filter((row) => row.cells.length > 1)
      .map((row) => ({
        event: row.cells[1]!.textContent!.trim(),
        candidate: row.cells[2]!.textContent!.trim(),
        session: row.cells[3]!.querySelector('code')!.title,
        webhookId: row.cells[4]!.textContent!.trim(),
        signature: row.cells[5]!.textContent!.trim(),
      })),
  );
}

/** Polls the /webhooks page until `done` holds for its rows (deliveries take a moment). */
async function waitForRows(page: Page, url: string, done: (rows: Awaited<ReturnType<typeof webhookRows>>) => boolean) {
  for (let attempt = 0; attempt < 40; attempt++) {
    const rows = await webhookRows(page, url);
    if (done(rows)) return rows;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the webhooks page never showed them: ${JSON.stringify(await webhookRows(page, url))}`);
}

const whsec = () => `whsec_${randomBytes(32).toString('base64')}`;

describe('the demo with no webhook configured', { timeout: 90_000 }, () => {
  let browser: Browser;
  let site: ExamSiteProcess;

  before(async () => {
    site = await startExamSiteProcess();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await site?.stop();
  });

  test('its own receiver verifies the session.started and session.ended of an exam the supervisor ended, and lists them', async () => {
    assert.match(site.output, /webhooks: +to this site's own receiver, listed on http:\/\/127\.0\.0\.1:\d+\/webhooks/);
    const supervisor = await browser.newPage();
    await supervisor.goto(`${site.url}/supervisor`);
    const candidate = await browser.newPage();
    await candidate.goto(`${site.url}/candidate?name=${encodeURIComponent('Wanda Webhook')}&steps=none`);
    await candidate.locator('pierce/button.primary').click();
    await candidate.waitForFunction(() => document.querySelector('proctor-candidate')?.state?.session?.clock.startedAt != null);
    const sessionId = await candidate.evaluate(() => document.querySelector('proctor-candidate')!.state!.session!.sessionId);

    await supervisor.bringToFront();
    await supervisor.locator('proctor-grid >>> proctor-tile[aria-label^="Wanda Webhook"]').click();
    await supervisor.locator('proctor-grid >>> proctor-controls >>> button.end').click();
    await supervisor.locator('proctor-grid >>> proctor-controls >>> textarea#reason').fill('Thank you, the exam is over.');
    await supervisor.locator('proctor-grid >>> proctor-controls >>> dialog button[type="submit"]').click();

    const page = await browser.newPage();
    const rows = await waitForRows(page, site.url, (rows) => rows.some((row) => row.session === sessionId && row.event.includes('session.ended')));
    const ours = rows.filter((row) => row.session === sessionId);
    assert.deepEqual(
      ours.map((row) => row.event).reverse(),
      ['Exam startedsession.started', 'Exam ended (terminated)session.ended'],
      'newest first, in words and by type',
    );
    for (const row of ours) {
      assert.equal(row.candidate, 'wanda-webhook');
      assert.equal(row.signature, '✓ verified');
      assert.match(row.webhookId, new RegExp(`^evt_${sessionId}_\\d+$`));
    }
    assert.match(await page.$eval('.lead', (lead) => lead.textContent!), /own receiver/);
    assert.match(await page.$eval('.site-header nav', (nav) => nav.textContent!), /Webhooks/, 'linked from every page, the supervisor one too');
  });

  test('refuses a delivery that is not signed with its secret, and counts it', async () => {
    const forged = JSON.stringify({ type: 'session.ended', timestamp: new Date().toISOString(), data: {} });
    const answer = await fetch(`${site.url}/webhooks/receiver`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': 'evt_forged_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
      body: forged,
    });
    assert.equal(answer.status, 400);
    const page = await browser.newPage();
    await page.goto(`${site.url}/webhooks`);
    assert.match(await page.$eval('.counts', (counts) => counts.textContent!), /1 refused as unverified/);
    assert.ok((await webhookRows(page, site.url)).every((row) => row.webhookId !== 'evt_forged_1'));
  });
});

describe('the demo with PROCTOR_WEBHOOK_URL', { timeout: 60_000 }, () => {
  test('delivers there, and the banner and the /webhooks page say so', async () => {
    const port = await freePort();
    // Pointed at its own receiver by the variables, so that the deliveries are seen arriving.
    const target = `http://127.0.0.1:${port}/webhooks/receiver`;
    const site = await startExamSiteProcess({ env: { PORT: String(port), PROCTOR_WEBHOOK_URL: target, PROCTOR_WEBHOOK_SECRET: whsec() } });
    const browser = await launchChromium();
    try {
      assert.match(site.output, new RegExp(`webhooks: +to ${target}`));
      const candidate = await browser.newPage();
      await candidate.goto(`${site.url}/candidate?name=${encodeURIComponent('Uma Url')}&steps=none`);
      await candidate.locator('pierce/button.primary').click();
      await candidate.waitForFunction(() => document.querySelector('proctor-candidate')?.state?.session?.clock.startedAt != null);
      const page = await browser.newPage();
      await waitForRows(page, site.url, (rows) => rows.some((row) => row.candidate === 'uma-url' && row.event.includes('session.started')));
      assert.match(await page.$eval('.lead', (lead) => lead.textContent!), new RegExp(`sends its webhooks to ${target}`));
    } finally {
      await browser.close();
      await site.stop();
    }
  });
});

describe('the demo with bad webhook variables', () => {
  for (const [problem, env, message] of [
    ['a secret that is no whsec_', { PROCTOR_WEBHOOK_URL: 'https://hooks.example.com/in', PROCTOR_WEBHOOK_SECRET: 'not-a-secret' }, /PROCTOR_WEBHOOK_SECRET must be whsec_ followed by the base64/],
    ['a whsec_ secret too short', { PROCTOR_WEBHOOK_URL: 'https://hooks.example.com/in', PROCTOR_WEBHOOK_SECRET: 'whsec_c2hvcnQ=' }, /PROCTOR_WEBHOOK_SECRET must be whsec_ followed by the base64 of 24 to 64/],
    ['a URL without a secret', { PROCTOR_WEBHOOK_URL: 'https://hooks.example.com/in' }, /PROCTOR_WEBHOOK_URL needs PROCTOR_WEBHOOK_SECRET/],
    ['a secret without a URL', { PROCTOR_WEBHOOK_SECRET: whsec() }, /PROCTOR_WEBHOOK_SECRET needs PROCTOR_WEBHOOK_URL/],
    ['a URL that is not http(s)', { PROCTOR_WEBHOOK_URL: 'ftp://hooks.example.com/in', PROCTOR_WEBHOOK_SECRET: whsec() }, /PROCTOR_WEBHOOK_URL must be an https:\/\/ URL/],
    ['http:// to another machine', { PROCTOR_WEBHOOK_URL: 'http://hooks.example.com/in', PROCTOR_WEBHOOK_SECRET: whsec() }, /PROCTOR_WEBHOOK_URL must be an https:\/\/ URL \(http:\/\/ only to localhost/],
  ] as const) {
    test(`${problem}: exits 2 with one line`, async () => {
      const { code, stdout, stderr } = await examSiteRefusal({ env });
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.match(stderr, message);
      assert.equal(stderr.trim().split('\n').length, 1, `one line: ${stderr}`);
    });
  }
});
