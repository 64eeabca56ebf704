// Recording does not depend on the media path: a candidate's page on the Chime provider (a fake
// control plane; the real Chime SDK in the page cannot reach its media servers and retries quietly)
// records its feeds in the browser and uploads them to the kit as on the local provider.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'puppeteer-core';
import { FakeChime } from '../../packages/server-kit/test-fixtures/fake-chime/fake-chime.js';
import { DEFAULT_RECORDER_SETTINGS } from '../../packages/core/src/recording/recorder-settings.js';
import { decodeFrameAt, hasFfmpeg, probe } from '../../packages/server-kit/src/recordings/ffprobe-test-support.js';
import { launchChromium } from '../support/chromium.js';
import { chimeDemoEnv, startExamSiteProcess, type ExamSiteProcess } from '../support/exam-site-process.js';
import { downloadRun, settled, supervisorToken, waitForManifest } from '../support/recordings.js';

const ffmpeg = await hasFfmpeg();

describe('recording on a Chime server kit', { timeout: 90_000 }, () => {
  let fake: FakeChime;
  let site: ExamSiteProcess;
  let browser: Browser;
  let downloads: string;

  before(async () => {
    fake = await FakeChime.start({ tps: 20 });
    site = await startExamSiteProcess({ env: chimeDemoEnv(fake.endpoint) });
    browser = await launchChromium();
    downloads = await mkdtemp(join(tmpdir(), 'proctorkit-e2e-recording-chime-'));
  });

  after(async () => {
    await browser?.close();
    await site?.stop();
    await fake?.close();
    if (downloads) await rm(downloads, { recursive: true, force: true });
  });

  test("the candidate's webcam and screen each end as one complete run the supervisor can play", { skip: !ffmpeg && 'ffmpeg is not installed' }, async () => {
    const candidate = await browser.newPage();
    await candidate.goto(`${site.url}/candidate?name=${encodeURIComponent('Chime Recorder')}&steps=none`);
    await candidate.bringToFront();
    await candidate.locator('pierce/button.primary').click();
    await candidate.waitForFunction(() => document.querySelector('proctor-candidate')?.clock.started === true, { timeout: 20_000 });
    await candidate.waitForFunction(() => document.querySelector('proctor-candidate')!.state!.recording?.recording.length === 2, { timeout: 20_000 });
    assert.equal(await candidate.evaluate(() => document.querySelector('proctor-candidate')!.session!.feeds.length), 2);
    assert.equal(fake.succeeded('CreateMeetingWithAttendees').length, 1, 'the session is on Chime');
    const sessionId = await candidate.evaluate(() => document.querySelector('proctor-candidate')!.state!.session!.sessionId);

    // Two chunks' worth, then the supervisor ends the exam and the recorders stop with it.
    await new Promise((resolve) => setTimeout(resolve, 2 * DEFAULT_RECORDER_SETTINGS.webcam.timesliceMs + 1_000));
    const supervisor = await browser.newPage();
    await supervisor.goto(`${site.url}/supervisor`);
    const token = await supervisorToken(supervisor);
    await supervisor.waitForFunction((id) => document.querySelector('proctor-grid')!.sessions.some((s) => s.sessionId === id), { timeout: 10_000 }, sessionId);
    await supervisor.evaluate((id) => document.querySelector('proctor-grid')!.terminate(id, 'End of the recording test.'), sessionId);
    await candidate.waitForFunction(() => document.querySelector('proctor-candidate')!.state!.ended !== undefined, { timeout: 10_000 });

    const manifest = await waitForManifest(site.url, token, sessionId, settled, 45_000);
    assert.deepEqual(manifest.recordings.map((r) => [r.feed, r.runs.length]), [['webcam', 1], ['screen', 1]]);
    assert.deepEqual(manifest.gaps, []);
    const webcam = manifest.recordings[0]!.runs[0]!;
    assert.equal(webcam.state, 'complete', JSON.stringify(webcam));
    assert.deepEqual(webcam.chunks.missing, []);
    assert.equal(manifest.recordings[1]!.runs[0]!.state, 'complete');

    const path = join(downloads, 'webcam.mp4');
    await downloadRun(site.url, token, webcam, path);
    const { durationS } = await probe(path);
    assert.ok(durationS >= 2 * DEFAULT_RECORDER_SETTINGS.webcam.timesliceMs / 1000 - 1, `the file holds the exam's ${durationS} s`);
    await decodeFrameAt(path, durationS / 2);
  });
});
