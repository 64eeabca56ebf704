import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import type { SessionEvent } from '@proctorkit/core';
import { launchChromium } from '../support/chromium.js';
import { dropSchema, TEST_DATABASE_URL, testSchemaName } from '../../packages/server-kit/src/store/postgres/postgres-test-support.js';
import { startExamSiteProcess, type ExamSiteProcess } from '../support/exam-site-process.js';
import { startRedisProcess, type RedisProcess } from '../support/redis-process.js';
import { startTcpBalancer, type TcpBalancer } from '../support/tcp-balancer.js';

const A = 0;
const B = 1;

let redis: RedisProcess;
let sites: ExamSiteProcess[] = [];
let balancer: TcpBalancer;
let browser: Browser;
let candidate: Page;
let supervisor: Page;
let sessionId: string;
const schema = testSchemaName();

/**
 * Runs `body` with the supervisor's grid in its page. With `retries`, a command that throws (the
 * page is not connected yet) is sent again every 250 ms, as a person would click again.
 */
function grid<T>(body: (grid: HTMLElementTagNameMap['proctor-grid'], id: string) => T | Promise<T>, retries = 0): Promise<T> {
  return supervisor.evaluate(
    async (source, id, retries) => {
      const run = new Function('grid', 'id', `return (${source})(grid, id)`);
      for (let attempt = 0; ; attempt++) {
        try {
          return await run(document.querySelector('proctor-grid'), id);
        } catch (error) {
          if (attempt >= retries) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    },
    body.toString(),
    sessionId,
    retries,
  ) as Promise<T>;
}

/** The session's log, read over REST through the balancer with the supervisor's token. */
function sessionLog(): Promise<SessionEvent[]> {
  return supervisor.evaluate(async (id) => {
    const token = document.querySelector('proctor-grid')!.getAttribute('token');
    const response = await fetch(`/proctor/sessions/${id}/events`, { headers: { authorization: `Bearer ${token}` } });
    return (await response.json()).events;
  }, sessionId);
}

/** Resolves once the supervisor's page shows `text` (in its event feed): it heard of it live. */
function supervisorShows(text: string, timeout = 15_000): Promise<unknown> {
  // A source string: the test's transpiler names nested functions with a helper the page lacks.
  return supervisor.waitForFunction(
    `(() => {
      const textOf = (node) =>
        (node instanceof Element && node.shadowRoot ? textOf(node.shadowRoot) : '') +
        (node.nodeType === Node.TEXT_NODE ? node.textContent : [...node.childNodes].map(textOf).join(' '));
      return textOf(document.body).includes(${JSON.stringify(text)});
    })()`,
    { timeout, polling: 200 },
  );
}

/** Resolves once the candidate's page shows a message with `text`. */
function candidateReads(text: string, timeout = 15_000): Promise<unknown> {
  return candidate.waitForFunction((t) => document.querySelector('proctor-candidate')!.state!.messages.some((m) => m.text === t), { timeout, polling: 200 }, text);
}

/** Resolves once the supervisor decodes new frames of the candidate's webcam. */
async function webcamDecoding(timeoutMs = 20_000): Promise<void> {
  const decoded = async () => (await grid((g) => g.getStats())).find((row) => row.feed === 'webcam')?.framesDecoded ?? 0;
  const deadline = Date.now() + timeoutMs;
  let last = await decoded();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await decoded();
    if (now > 0 && now !== last) return;
    last = now;
  }
  assert.fail('the supervisor decodes no new webcam frames');
}

describe('two demo instances on PostgreSQL and Redis behind a load balancer', { timeout: 240_000 }, () => {
  before(async () => {
    redis = await startRedisProcess();
    const env = {
      PROCTOR_DATABASE_URL: TEST_DATABASE_URL,
      PROCTOR_DATABASE_SCHEMA: schema,
      PROCTOR_REDIS_URL: redis.url,
      PROCTOR_REDIS_PREFIX: schema,
      PROCTOR_SECRET: randomBytes(32).toString('hex'),
    };
    // One after the other: the first creates the schema.
    sites = [await startExamSiteProcess({ env }), await startExamSiteProcess({ env })];
    assert.match(sites[A]!.output, /instances: +Redis/);
    balancer = await startTcpBalancer(sites.map((site) => Number(new URL(site.url).port)));
    browser = await launchChromium();

    balancer.prefer(A);
    candidate = await browser.newPage();
    await candidate.evaluateOnNewDocument(() => {
      const paused: unknown[] = [];
      (window as unknown as { paused: unknown[] }).paused = paused;
      document.addEventListener('proctor-paused', (event) => paused.push((event as CustomEvent).detail));
    });
    await candidate.goto(`${balancer.url}/candidate?name=${encodeURIComponent('Ines Instance')}&steps=none`);
    await candidate.locator('pierce/button.primary').click();
    await candidate.waitForFunction(() => {
      const state = document.querySelector('proctor-candidate')?.state;
      return state?.session?.clock.startedAt != null && state.feeds.webcam.state === 'live';
    }, { polling: 200 });
    sessionId = await candidate.evaluate(() => document.querySelector('proctor-candidate')!.state!.session!.sessionId);

    balancer.prefer(B);
    supervisor = await browser.newPage();
    await supervisor.goto(`${balancer.url}/supervisor`);
    await supervisor.waitForFunction((id) => document.querySelector('proctor-grid')!.sessions.some((s) => s.sessionId === id), { polling: 200 }, sessionId);
  });

  after(async () => {
    await browser?.close();
    await balancer?.close();
    await Promise.all(sites.map((site) => site.stop()));
    await redis?.stop();
    await dropSchema(schema);
  });

  test('a candidate on one instance and a supervisor on the other: live video, commands and events both ways', async () => {
    await webcamDecoding();
    await grid((g, id) => g.extend(id, 7));
    await candidate.waitForFunction(() => document.querySelector('proctor-candidate')!.state!.session!.clock.extendedMs === 7 * 60_000, { polling: 200 });
    await grid((g, id) => g.message(id, 'Across instances.'));
    await candidateReads('Across instances.');

    const messageId = await candidate.evaluate(() => document.querySelector('proctor-candidate')!.state!.messages.at(-1)!.messageId);
    await candidate.evaluate((id) => document.querySelector('proctor-candidate')!.acknowledge(id), messageId);
    await supervisorShows('Saw the message ✓');
    await candidate.evaluate(() => document.querySelector('proctor-candidate')!.log('e2e.candidate-note', { from: 'A' }));
    await supervisorShows('e2e.candidate-note');
  });

  test('Redis restarted mid-exam: what was said meanwhile reaches each page, and commands are live again', async () => {
    const restarted = redis.restart(3_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Written while the instances cannot hear each other: each lands in the store only.
    await grid((g, id) => g.message(id, 'Said while Redis was away.'), 60);
    await candidate.evaluate(() => document.querySelector('proctor-candidate')!.log('e2e.while-redis-away', { note: 1 }));
    await restarted;
    await candidateReads('Said while Redis was away.', 30_000);
    await supervisorShows('e2e.while-redis-away', 30_000);

    await grid((g, id) => g.message(id, 'Redis is back.'));
    await candidateReads('Redis is back.', 5_000);
    await webcamDecoding();
  });

  test('the candidate\'s instance killed: the page reconnects through the balancer to the other, same session, nothing lost', async () => {
    const before = await sessionLog();
    const clockBefore = await candidate.evaluate(() => document.querySelector('proctor-candidate')!.state!.session!.clock);

    await sites[A]!.kill();
    await candidate.waitForFunction(
      (count) => {
        const state = document.querySelector('proctor-candidate')!.state!;
        return state.connection === 'open' && state.session!.lastSeq > count;
      },
      { timeout: 30_000, polling: 200 },
      before.length,
    );
    assert.equal(await candidate.evaluate(() => document.querySelector('proctor-candidate')!.state!.session!.sessionId), sessionId);
    assert.deepEqual(await candidate.evaluate(() => document.querySelector('proctor-candidate')!.state!.session!.clock), clockBefore);

    await grid((g, id) => g.pause(id), 60);
    await candidate.waitForFunction(() => (window as unknown as { paused: unknown[] }).paused.length > 0, { timeout: 10_000, polling: 200 });
    await webcamDecoding(30_000);

    const log = await sessionLog();
    assert.deepEqual(log.slice(0, before.length), before, 'every event of before, with the same numbers');
    assert.deepEqual(log.map((e) => e.seq), log.map((_, i) => i + 1), 'no gaps, nothing doubled');
    assert.equal(log.filter((e) => e.type === 'session.started').length, 1);
    assert.equal(log.filter((e) => e.type === 'message.sent' && e.data.text === 'Said while Redis was away.').length, 1);
  });
});
