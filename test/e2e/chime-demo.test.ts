import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeChime } from '../../packages/server-kit/test-fixtures/fake-chime/fake-chime.js';
import { startControlCrowd, type ControlCrowd } from '../../scripts/crowd-control-only.js';
import { examSiteRefusal, startExamSiteProcess, type ExamSiteProcess } from '../support/exam-site-process.js';

const CANDIDATES = 100;
const TPS = 20;
/** A meeting that came this long after the welcome waited in the queue: 20 meetings' worth at 20 requests/s. */
const QUEUED_MS = 1000;

// The SDK's note that its 2027 releases need Node 22 (docs/guide/chime.md) is not this test's news.
const QUIET_SDK = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

describe('the demo site on Amazon Chime (a fake control plane), no media', { timeout: 60_000 }, () => {
  let fake: FakeChime;
  let site: ExamSiteProcess;
  let crowd: ControlCrowd | undefined;

  before(async () => {
    fake = await FakeChime.start({ tps: TPS });
    site = await startExamSiteProcess({
      env: {
        ...QUIET_SDK,
        PROCTOR_PROVIDER: 'chime',
        PROCTOR_CHIME_ENDPOINT: fake.endpoint,
        PROCTOR_CHIME_TPS: String(TPS),
        AWS_REGION: '',
        AWS_ACCESS_KEY_ID: '',
        AWS_PROFILE: '',
      },
    });
  });

  after(async () => {
    await crowd?.close();
    await site?.stop();
    await fake?.close();
  });

  test(`gives each of ${CANDIDATES} candidates joining at once its meeting, telling the waiting ones their place, with no error`, async () => {
    assert.match(site.output, /media: +chime \(the Chime control plane at http:\/\/127\.0\.0\.1:\d+, media in us-east-1, 20 requests\/s, dummy credentials\)/);
    crowd = startControlCrowd({ url: site.url, count: CANDIDATES });
    // 100 meetings at 20 requests/s take 5 s.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      crowd.settled(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not settled in 40 s: ${JSON.stringify(crowd!.counts())}`)), 40_000);
      }),
    ]);
    clearTimeout(timer);

    assert.deepEqual(crowd.failures.lines(), [], 'no error');
    assert.equal(crowd.failures.total, 0);
    for (const candidate of crowd.candidates) {
      assert.deepEqual(candidate.welcomed, { name: 'chime', state: 'pending' }, `${candidate.name}: welcomed while its meeting is created`);
      const media = candidate.media;
      assert.ok(
        media?.name === 'chime' && media.state === 'ready' && media.role === 'candidate',
        `${candidate.name}: session.media with its meeting, not ${JSON.stringify(media)?.slice(0, 100)}`,
      );
      assert.deepEqual(
        media.attendees.map((a) => a.feed),
        ['webcam', 'screen', 'phone'],
      );
      assert.ok(fake.meeting(media.meeting.MeetingId), `${candidate.name}: its meeting exists`);
      assert.ok(candidate.started, `${candidate.name}: started`);
    }
    assert.equal(new Set(crowd.candidates.map((c) => c.sessionId)).size, CANDIDATES, 'one session each');
    assert.equal(fake.succeeded('CreateMeetingWithAttendees').length, CANDIDATES, 'exactly one meeting created per candidate');
    assert.equal(fake.liveMeetings().length, CANDIDATES);

    const queued = crowd.candidates.filter((c) => c.readyAt! - c.welcomeAt! > QUEUED_MS);
    assert.ok(queued.length >= CANDIDATES / 2, `most waited in the queue: ${queued.length}`);
    for (const candidate of queued) {
      assert.ok(candidate.places.length > 0, `${candidate.name} waited ${Math.round(candidate.readyAt! - candidate.welcomeAt!)} ms and was told its place`);
    }
    const longest = Math.max(...crowd.candidates.map((c) => c.places[0] ?? 0));
    assert.ok(longest >= CANDIDATES / 2, `the queue was long: ${longest} ahead at most`);
  });
});

describe('the demo site refuses a bad media configuration', { timeout: 60_000 }, () => {
  for (const [what, env, message] of [
    ['an unknown provider', { PROCTOR_PROVIDER: 'zoom' }, /PROCTOR_PROVIDER must be "local" or "chime", not "zoom"/],
    [
      'a rate that is not a number',
      { PROCTOR_PROVIDER: 'chime', PROCTOR_CHIME_ENDPOINT: 'http://127.0.0.1:9', PROCTOR_CHIME_TPS: 'fast' },
      /PROCTOR_CHIME_TPS must be a number of requests per second > 0, not "fast"/,
    ],
    [
      'a rate of zero',
      { PROCTOR_PROVIDER: 'chime', PROCTOR_CHIME_ENDPOINT: 'http://127.0.0.1:9', PROCTOR_CHIME_TPS: '0' },
      /PROCTOR_CHIME_TPS must be a number/,
    ],
    ['chime with neither a Region nor an endpoint', { PROCTOR_PROVIDER: 'chime', AWS_REGION: '', PROCTOR_CHIME_ENDPOINT: '' }, /needs AWS_REGION/],
  ] as const) {
    test(`exits with code 2 and one clear line for ${what}`, async () => {
      const { code, stdout, stderr } = await examSiteRefusal({ env: { ...QUIET_SDK, ...env } });
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.match(stderr, message);
      assert.equal(stderr.trim().split('\n').length, 1, `one line: ${stderr}`);
    });
  }
});
