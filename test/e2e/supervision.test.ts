import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import type { SessionEvent } from '@proctorkit/core';
import { launchChromium } from '../support/chromium.js';
import { startExamSiteProcess, type ExamSiteProcess } from '../support/exam-site-process.js';

let site: ExamSiteProcess;
let browser: Browser;
let supervisor: Page;

/** Opens a candidate page, consents, and waits until the exam clock runs. Records the element's events. */
async function startCandidate(name: string): Promise<{ page: Page; sessionId: string }> {
  const page = await browser.newPage();
  await page.evaluateOnNewDocument(() => {
    const seen: { type: string; detail: unknown }[] = [];
    (window as unknown as { proctorEvents: typeof seen }).proctorEvents = seen;
    for (const type of ['proctor-paused', 'proctor-resumed', 'proctor-time-extended', 'proctor-message', 'proctor-ended']) {
      document.addEventListener(type, (event) => seen.push({ type, detail: (event as CustomEvent).detail }));
    }
  });
  await page.goto(`${site.url}/candidate?name=${encodeURIComponent(name)}&steps=none`);
  await page.bringToFront();
  await page.locator('pierce/button.primary').click();
  await page.waitForFunction(() => document.querySelector('proctor-candidate')?.state?.session?.clock.startedAt != null);
  const sessionId = await page.evaluate(() => document.querySelector('proctor-candidate')!.state!.session!.sessionId);
  return { page, sessionId };
}

function candidateEvents(page: Page): Promise<{ type: string; detail: Record<string, unknown> }[]> {
  return page.evaluate(() => (window as unknown as { proctorEvents: { type: string; detail: Record<string, unknown> }[] }).proctorEvents);
}

async function waitForCandidateEvent(page: Page, type: string): Promise<Record<string, unknown>> {
  await page.waitForFunction(
    (t) => (window as unknown as { proctorEvents: { type: string }[] }).proctorEvents.some((e) => e.type === t),
    { timeout: 5_000 },
    type,
  );
  return (await candidateEvents(page)).findLast((e) => e.type === type)!.detail;
}

function candidateClock(page: Page): Promise<{ remainingMs: number; paused: boolean }> {
  return page.evaluate(() => document.querySelector('proctor-candidate')!.clock);
}

function candidateText(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector('proctor-candidate')!.shadowRoot!.textContent ?? '');
}

/** The session's log as the supervisor's token reads it over REST. */
function sessionLog(sessionId: string): Promise<SessionEvent[]> {
  return supervisor.evaluate(async (id) => {
    const token = document.querySelector('proctor-grid')!.getAttribute('token');
    const response = await fetch(`/proctor/sessions/${id}/events`, { headers: { authorization: `Bearer ${token}` } });
    return (await response.json()).events;
  }, sessionId);
}

/** Polls the session's log until `done` holds. */
async function waitForLog(sessionId: string, done: (log: SessionEvent[]) => boolean, timeoutMs = 10_000): Promise<SessionEvent[]> {
  const deadline = Date.now() + timeoutMs;
  let log: SessionEvent[] = [];
  while (Date.now() < deadline) {
    log = await sessionLog(sessionId);
    if (done(log)) return log;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail(`the log never matched: ${log.map((e) => e.type).join(', ')}`);
}

describe('supervising a candidate live', { timeout: 180_000 }, () => {
  before(async () => {
    site = await startExamSiteProcess();
    browser = await launchChromium();
    supervisor = await browser.newPage();
    await supervisor.goto(`${site.url}/supervisor`);
  });

  after(async () => {
    await browser?.close();
    await site?.stop();
  });

  test('pause, resume, extend, message with acknowledgement, and terminate reach the candidate', async () => {
    const { page, sessionId } = await startCandidate('Dana Scully');
    await supervisor.bringToFront();
    await supervisor.waitForFunction((id) => document.querySelector('proctor-grid')!.sessions.some((s) => s.sessionId === id), {}, sessionId);

    await supervisor.evaluate((id) => document.querySelector('proctor-grid')!.pause(id), sessionId);
    await waitForCandidateEvent(page, 'proctor-paused');
    const pausedAt = await candidateClock(page);
    assert.equal(pausedAt.paused, true);
    assert.match(await candidateText(page), /paused/i);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const stillPaused = await candidateClock(page);
    assert.ok(Math.abs(stillPaused.remainingMs - pausedAt.remainingMs) < 100, 'the clock stands still while paused');

    await supervisor.evaluate((id) => document.querySelector('proctor-grid')!.resume(id), sessionId);
    await waitForCandidateEvent(page, 'proctor-resumed');
    assert.equal((await candidateClock(page)).paused, false);

    const beforeExtend = (await candidateClock(page)).remainingMs;
    await supervisor.evaluate((id) => document.querySelector('proctor-grid')!.extend(id, 5), sessionId);
    const extended = await waitForCandidateEvent(page, 'proctor-time-extended');
    assert.equal(extended.minutes, 5);
    const afterExtend = (await candidateClock(page)).remainingMs;
    assert.ok(afterExtend - beforeExtend > 4.9 * 60_000, `extended by ${afterExtend - beforeExtend} ms`);

    await supervisor.evaluate((id) => document.querySelector('proctor-grid')!.message(id, 'Please keep your face in view.'), sessionId);
    const message = await waitForCandidateEvent(page, 'proctor-message');
    assert.equal(message.text, 'Please keep your face in view.');
    assert.match(await candidateText(page), /Please keep your face in view\./);
    await page.evaluate((id) => document.querySelector('proctor-candidate')!.acknowledge(id), message.messageId as string);
    await waitForLog(sessionId, (log) => log.some((e) => e.type === 'message.acked' && e.data.messageId === message.messageId));

    await supervisor.evaluate((id) => document.querySelector('proctor-grid')!.terminate(id, 'A second person is in the room.'), sessionId);
    const ended = await waitForCandidateEvent(page, 'proctor-ended');
    assert.deepEqual(ended, { reason: 'terminated', message: 'A second person is in the room.' });
    assert.match(await candidateText(page), /A second person is in the room\./);
    const tracks = await page.evaluate(() => {
      const feeds = document.querySelector('proctor-candidate')!.state!.feeds;
      return [feeds.webcam.track?.readyState ?? 'none', feeds.screen.track?.readyState ?? 'none'];
    });
    assert.ok(tracks.every((t) => t !== 'live'), `capture stopped: ${tracks}`);

    const types = (await sessionLog(sessionId)).map((e) => e.type);
    for (const type of ['session.started', 'session.paused', 'session.resumed', 'session.extended', 'message.sent', 'message.acked', 'session.ended']) {
      assert.ok(types.includes(type), `log has ${type}: ${types.join(', ')}`);
    }
    await page.close();
  });

  test('a candidate offline for 30 s loses no event and keeps the right clock', async () => {
    const { page, sessionId } = await startCandidate('Fox Mulder');
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    const network = (offline: boolean) =>
      cdp.send('Network.emulateNetworkConditions', { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    await network(true);
    const offlineAt = Date.now();
    for (let question = 1; question <= 5; question += 1) {
      await page.evaluate((q) => document.querySelector('proctor-candidate')!.log('e2e.offline-note', { question: q }), question);
    }
    // While the candidate is away, the supervisor pauses, resumes and writes: the page must catch up.
    await supervisor.evaluate(async (id) => {
      const grid = document.querySelector('proctor-grid')!;
      await grid.pause(id);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await grid.resume(id);
      await grid.message(id, 'Are you still there?');
    }, sessionId);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 30_000 - (Date.now() - offlineAt))));
    await network(false);

    await page.waitForFunction(
      () => document.querySelector('proctor-candidate')!.state!.messages.some((m) => m.text === 'Are you still there?'),
      { timeout: 20_000 },
    );
    const log = await waitForLog(sessionId, (events) => events.filter((e) => e.type === 'log.e2e.offline-note').length >= 5);
    const opened = log.filter((e) => e.type === 'log.e2e.offline-note').map((e) => e.data.question);
    assert.deepEqual(opened, [1, 2, 3, 4, 5], 'every log line arrives exactly once, in order');
    assert.deepEqual(log.map((e) => e.seq), log.map((_, i) => i + 1), 'the log has no gaps');

    const [clock, serverRemaining] = await Promise.all([
      candidateClock(page),
      supervisor.evaluate((id) => {
        const grid = document.querySelector('proctor-grid')!;
        const session = grid.sessions.find((s) => s.sessionId === id)!;
        const c = session.clock;
        const now = Date.now();
        return c.startedAt! + c.durationMs + c.extendedMs + c.pausedMs - now;
      }, sessionId),
    ]);
    assert.equal(clock.paused, false);
    assert.ok(Math.abs(clock.remainingMs - serverRemaining) < 1_000, `clock off by ${clock.remainingMs - serverRemaining} ms`);
    await page.close();
  });
});
