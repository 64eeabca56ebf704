/**
 * The Sessions service on its own, with mocked timers and Date, so exams of an hour or a month
 * expire on time within a test.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { clockEndsAt, type CandidateClaims } from '@proctorkit/core/protocol';
import { Sessions, type SessionChange } from './sessions.js';
import { memoryStore } from './store/memory/memory-store.js';
import { candidateClaims } from './test-helpers.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = 1_700_000_000_000;
const SUPERVISOR = { source: 'supervisor', by: 'Sam' } as const;

/** Lets the promises a timer started run to the end (setImmediate is not mocked). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

async function advance(ms: number): Promise<void> {
  mock.timers.tick(ms);
  await settle();
}

function setup(defaultDurationMs = HOUR) {
  const changes: SessionChange[] = [];
  const connected = new Set<string>();
  const sessions = new Sessions({
    store: memoryStore(),
    defaultDurationMs,
    isConnected: (id) => connected.has(id),
    onChange: (change) => changes.push(change),
  });
  const open = async (claims: CandidateClaims = candidateClaims('ada')) => (await sessions.open(claims)).sessionId;
  const endReason = async (id: string) => (await sessions.require(id)).clock.endReason;
  const types = () => changes.flatMap((c) => c.events.map((e) => e.type));
  return { sessions, changes, connected, open, endReason, types };
}

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: T0 }));
afterEach(() => mock.timers.reset());

describe('expiry, on a mocked clock', () => {
  test('ends a started exam exactly when its time is up', async (t) => {
    const { sessions, open, endReason, changes } = setup();
    t.after(() => sessions.close());
    const id = await open();
    await sessions.start(id);
    await advance(HOUR - 1);
    assert.equal(await endReason(id), null, 'not a millisecond early');
    await advance(1);
    assert.equal(await endReason(id), 'expired');
    const ended = changes.at(-1)!;
    assert.deepEqual(ended.events.map((e) => [e.type, e.source, e.data]), [['session.ended', 'server', { reason: 'expired' }]]);
    assert.equal(ended.summary.status, 'ended');
    assert.equal(ended.summary.clock.endedAt, T0 + HOUR);
    assert.equal(ended.changed, true);
  });

  test('uses the length of the candidate token when it names one', async (t) => {
    const { sessions, open, endReason } = setup();
    t.after(() => sessions.close());
    const id = await open({ ...candidateClaims('ada'), durationMinutes: 90 });
    await sessions.start(id);
    await advance(HOUR);
    assert.equal(await endReason(id), null);
    await advance(30 * MINUTE);
    assert.equal(await endReason(id), 'expired');
  });

  test('an extension pushes the end back by its minutes', async (t) => {
    const { sessions, open, endReason } = setup();
    t.after(() => sessions.close());
    const id = await open();
    await sessions.start(id);
    await advance(30 * MINUTE);
    await sessions.extend(id, 10, SUPERVISOR);
    await advance(30 * MINUTE);
    assert.equal(await endReason(id), null, 'not at the original end');
    await advance(10 * MINUTE - 1);
    assert.equal(await endReason(id), null);
    await advance(1);
    assert.equal(await endReason(id), 'expired', 'at the extended end');
  });

  test('an extension before the start counts once the exam starts', async (t) => {
    const { sessions, open, endReason } = setup();
    t.after(() => sessions.close());
    const id = await open();
    await sessions.extend(id, 15, SUPERVISOR);
    await advance(2 * HOUR);
    assert.equal(await endReason(id), null, 'an exam that has not started never expires');
    await sessions.start(id);
    await advance(HOUR + 15 * MINUTE - 1);
    assert.equal(await endReason(id), null);
    await advance(1);
    assert.equal(await endReason(id), 'expired');
  });

  test('a pause holds the end for as long as it lasts; the rest runs after the resume', async (t) => {
    const { sessions, open, endReason } = setup();
    t.after(() => sessions.close());
    const id = await open();
    await sessions.start(id);
    await advance(10 * MINUTE);
    await sessions.pause(id, SUPERVISOR);
    await advance(3 * HOUR);
    assert.equal(await endReason(id), null, 'never while paused');
    const { summary } = await sessions.resume(id, SUPERVISOR);
    assert.equal(summary.clock.pausedMs, 3 * HOUR);
    assert.equal(clockEndsAt(summary.clock, Date.now()), T0 + 4 * HOUR);
    await advance(50 * MINUTE - 1);
    assert.equal(await endReason(id), null);
    await advance(1);
    assert.equal(await endReason(id), 'expired');
  });

  test('an extension during a pause adds to the time left after it', async (t) => {
    const { sessions, open, endReason } = setup();
    t.after(() => sessions.close());
    const id = await open();
    await sessions.start(id);
    await advance(50 * MINUTE);
    await sessions.pause(id, SUPERVISOR);
    await sessions.extend(id, 5, SUPERVISOR);
    await advance(HOUR);
    await sessions.resume(id, SUPERVISOR);
    await advance(15 * MINUTE - 1);
    assert.equal(await endReason(id), null);
    await advance(1);
    assert.equal(await endReason(id), 'expired');
  });

  test('an exam ended early is not ended again when its time would be up', async (t) => {
    const { sessions, open, types } = setup();
    t.after(() => sessions.close());
    const id = await open();
    await sessions.start(id);
    await sessions.terminate(id, 'Done.', SUPERVISOR);
    await advance(2 * HOUR);
    assert.deepEqual(types().filter((type) => type === 'session.ended'), ['session.ended']);
  });

  test('re-arms the timer for an exam longer than setTimeout can wait (~24.8 days)', async (t) => {
    const { sessions, open, endReason } = setup(30 * 24 * HOUR);
    t.after(() => sessions.close());
    const id = await open();
    await sessions.start(id);
    await advance(2 ** 31 - 1);
    assert.equal(await endReason(id), null, 'the first timer fires early and is re-armed');
    await advance(30 * 24 * HOUR - (2 ** 31 - 1) - 1);
    assert.equal(await endReason(id), null);
    await advance(1);
    assert.equal(await endReason(id), 'expired');
  });

  test('close() stops every expiry timer', async () => {
    const { sessions, open, endReason } = setup();
    const id = await open();
    await sessions.start(id);
    sessions.close();
    await advance(2 * HOUR);
    assert.equal(await endReason(id), null);
  });
});

describe('changes', () => {
  test('are announced only when they change something, with the events they appended', async (t) => {
    const { sessions, open, changes, connected } = setup();
    t.after(() => sessions.close());
    const id = await open();
    connected.add(id);
    await sessions.joined(id, 'Ada');
    await sessions.start(id);
    await sessions.start(id);
    await sessions.resume(id, SUPERVISOR);
    await sessions.setFeed(id, 'webcam', 'live');
    await sessions.setFeed(id, 'webcam', 'live');
    await sessions.message(id, 'Hello', SUPERVISOR);
    assert.deepEqual(
      changes.map((c) => [c.changed, c.events.map((e) => e.type)]),
      [
        [true, ['session.joined']],
        [true, ['session.started']],
        [true, ['feed.live']],
        [false, ['message.sent']],
      ],
    );
    assert.deepEqual(changes.map((c) => c.summary.lastSeq), [1, 2, 3, 4]);
  });

  test('record the feed state without an event when a feed goes off', async (t) => {
    const { sessions, open, connected } = setup();
    t.after(() => sessions.close());
    const id = await open();
    connected.add(id);
    await sessions.setFeed(id, 'screen', 'live');
    const off = await sessions.setFeed(id, 'screen', 'off');
    assert.equal(off.changed, true);
    assert.deepEqual(off.events, []);
    assert.equal(off.summary.feeds.screen, 'off');
  });

  test('refuse an unknown session as not-found', async () => {
    const { sessions } = setup();
    await assert.rejects(sessions.pause('no-such-session', SUPERVISOR), { name: 'KitError', code: 'not-found' });
    await assert.rejects(sessions.log('no-such-session', 'x', {}), { name: 'KitError', code: 'not-found' });
  });

  test('run one at a time per session, in the order they were asked', async (t) => {
    const { sessions, open, types } = setup();
    t.after(() => sessions.close());
    const id = await open();
    await sessions.start(id);
    await Promise.all([
      sessions.pause(id, SUPERVISOR),
      sessions.extend(id, 5, SUPERVISOR),
      sessions.resume(id, SUPERVISOR),
      sessions.pause(id, SUPERVISOR),
      sessions.log(id, 'note', {}),
    ]);
    assert.deepEqual(types(), ['session.started', 'session.paused', 'session.extended', 'session.resumed', 'session.paused', 'log.note']);
    const events = (await sessions.events(id, 0)).events;
    assert.deepEqual(events.map((e) => e.seq), [1, 2, 3, 4, 5, 6]);
  });

  test('opening the same candidate twice at once creates one session', async () => {
    const { sessions } = setup();
    const [a, b] = await Promise.all([sessions.open(candidateClaims('ada')), sessions.open(candidateClaims('ada'))]);
    assert.equal(a.sessionId, b.sessionId);
    assert.equal((await sessions.listByExam(a.examId)).length, 1);
  });
});
