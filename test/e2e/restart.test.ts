import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import type { SessionEvent } from '@proctorkit/core';
import { launchChromium } from '../support/chromium.js';
import { examSiteRefusal, startExamSiteProcess, type ExamSiteProcess } from '../support/exam-site-process.js';
import { freePort } from '../support/free-port.js';
import { dropSchema, TEST_DATABASE_URL, testSchemaName } from '../../packages/server-kit/src/store/postgres/postgres-test-support.js';

/** What each store needs of the demo's environment, and how to clean up after it. */
const STORES = [
  { name: 'SQLite (the default)', env: (): Record<string, string> => ({}), cleanUp: async (_env: Record<string, string>) => {} },
  {
    name: 'PostgreSQL',
    env: (): Record<string, string> => ({
      PROCTOR_DATABASE_URL: TEST_DATABASE_URL,
      PROCTOR_DATABASE_SCHEMA: testSchemaName(),
      PROCTOR_SECRET: randomBytes(32).toString('hex'),
    }),
    cleanUp: (env: Record<string, string>) => dropSchema(env.PROCTOR_DATABASE_SCHEMA!),
  },
];

function sessionLog(supervisor: Page, sessionId: string): Promise<SessionEvent[]> {
  return supervisor.evaluate(async (id) => {
    const token = document.querySelector('proctor-grid')!.getAttribute('token');
    const response = await fetch(`/proctor/sessions/${id}/events`, { headers: { authorization: `Bearer ${token}` } });
    return (await response.json()).events;
  }, sessionId);
}

for (const backend of STORES) describe(`the demo on ${backend.name} killed and started again`, { timeout: 120_000 }, () => {
  let browser: Browser;
  let site: ExamSiteProcess;
  let env: Record<string, string>;
  let dataDirectory: string;

  before(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'proctorkit-restart-'));
    env = { PORT: String(await freePort()), PROCTOR_DATA_DIR: dataDirectory, ...backend.env() };
    site = await startExamSiteProcess({ env });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await site?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
    await backend.cleanUp(env);
  });

  test('brings the session back: same id, its whole log, its clock; the pages reconnect and commands work', async () => {
    const supervisor = await browser.newPage();
    await supervisor.goto(`${site.url}/supervisor`);
    const candidate = await browser.newPage();
    await candidate.evaluateOnNewDocument(() => {
      const paused: unknown[] = [];
      (window as unknown as { paused: unknown[] }).paused = paused;
      document.addEventListener('proctor-paused', (event) => paused.push((event as CustomEvent).detail));
    });
    await candidate.goto(`${site.url}/candidate?name=${encodeURIComponent('Rita Restart')}&steps=none`);
    await candidate.locator('pierce/button.primary').click();
    await candidate.waitForFunction(() => document.querySelector('proctor-candidate')?.state?.session?.clock.startedAt != null);
    const sessionId = await candidate.evaluate(() => document.querySelector('proctor-candidate')!.state!.session!.sessionId);

    await supervisor.evaluate((id) => document.querySelector('proctor-grid')!.extend(id, 7), sessionId);
    await supervisor.evaluate((id) => document.querySelector('proctor-grid')!.message(id, 'Please stay in view.'), sessionId);
    await candidate.waitForFunction(() => document.querySelector('proctor-candidate')!.state!.messages.some((m) => m.text === 'Please stay in view.'));
    const before = await sessionLog(supervisor, sessionId);
    const clockBefore = await candidate.evaluate(() => document.querySelector('proctor-candidate')!.state!.session!.clock);
    assert.equal(clockBefore.extendedMs, 7 * 60_000);

    await site.kill();
    site = await startExamSiteProcess({ env });

    // The candidate's page comes back by itself, to the same session.
    await candidate.waitForFunction(
      (countBefore) => {
        const state = document.querySelector('proctor-candidate')!.state!;
        return state.connection === 'open' && state.session!.lastSeq > countBefore;
      },
      { timeout: 30_000 },
      before.length,
    );
    assert.equal(await candidate.evaluate(() => document.querySelector('proctor-candidate')!.state!.session!.sessionId), sessionId);
    const clockAfter = await candidate.evaluate(() => document.querySelector('proctor-candidate')!.state!.session!.clock);
    assert.deepEqual(clockAfter, clockBefore, 'the clock is the one of before, extension included');

    const log = await sessionLog(supervisor, sessionId);
    assert.deepEqual(log.slice(0, before.length), before, 'every event of before, with the same numbers');
    assert.deepEqual(log.map((e) => e.seq), log.map((_, i) => i + 1));
    assert.ok(log.slice(before.length).some((e) => e.type === 'session.joined'), 'the reconnect is in the log');
    assert.equal(log.filter((e) => e.type === 'session.started').length, 1);

    // The supervisor's page reconnected too, and its commands reach the candidate.
    await supervisor.evaluate(async (id) => {
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          return await document.querySelector('proctor-grid')!.pause(id);
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      throw new Error('the supervisor page never reconnected');
    }, sessionId);
    await candidate.waitForFunction(() => (window as unknown as { paused: unknown[] }).paused.length > 0, { timeout: 10_000 });
  });
});

describe('the demo on PostgreSQL, misconfigured', () => {
  for (const [env, message] of [
    [{ PROCTOR_DATABASE_URL: 'mysql://db/exams' }, /PROCTOR_DATABASE_URL must be a postgres:\/\/ URL/],
    [{ PROCTOR_DATABASE_URL: TEST_DATABASE_URL, PROCTOR_SECRET: '' }, /PROCTOR_SECRET .* is required with PROCTOR_DATABASE_URL/],
    [{ PROCTOR_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/exams', PROCTOR_SECRET: 'x'.repeat(32) }, /the store cannot be used/],
  ] as const) {
    test(`exits 2 with one line: ${message.source.slice(0, 40)}`, async () => {
      const { code, stdout, stderr } = await examSiteRefusal({ env });
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.match(stderr, message);
      assert.equal(stderr.trim().split('\n').length, 1, `one line: ${stderr}`);
    });
  }
});
