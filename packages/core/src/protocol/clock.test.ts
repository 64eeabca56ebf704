import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ClockStateSchema,
  clockEnd,
  clockEndsAt,
  clockExtend,
  clockPause,
  clockRemainingMs,
  clockResume,
  clockStart,
  isRunning,
  newClock,
  parse,
  type ClockState,
} from './index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Server time when the candidate starts, in every test. */
const T0 = 1_700_000_000_000;

const started = (durationMs = HOUR): ClockState => clockStart(newClock(durationMs), T0);

describe('a clock before the start', () => {
  test('has the whole duration left, whatever the time', () => {
    const clock = newClock(HOUR);
    assert.equal(clockRemainingMs(clock, T0), HOUR);
    assert.equal(clockRemainingMs(clock, T0 + 10 * HOUR), HOUR);
    assert.equal(clockEndsAt(clock, T0), null);
    assert.equal(isRunning(clock), false);
  });

  test('is a plain, valid state with nothing started, paused or ended', () => {
    assert.deepEqual(newClock(HOUR), {
      durationMs: HOUR,
      extendedMs: 0,
      startedAt: null,
      pausedAt: null,
      pausedMs: 0,
      endedAt: null,
      endReason: null,
    });
    assert.equal(parse(ClockStateSchema, newClock(HOUR)).ok, true);
  });

  test('counts an extension granted before the start', () => {
    const clock = clockExtend(newClock(HOUR), 10 * MINUTE);
    assert.equal(clockRemainingMs(clock, T0), HOUR + 10 * MINUTE);
    assert.equal(clockEndsAt(clockStart(clock, T0), T0), T0 + HOUR + 10 * MINUTE);
  });

  test('ignores a pause or a resume', () => {
    const clock = newClock(HOUR);
    assert.equal(clockPause(clock, T0), clock);
    assert.equal(clockResume(clock, T0), clock);
  });
});

describe('a running clock', () => {
  test('starts at the given time and ends a duration later', () => {
    const clock = started();
    assert.equal(clock.startedAt, T0);
    assert.equal(isRunning(clock), true);
    assert.equal(clockEndsAt(clock, T0), T0 + HOUR);
  });

  test('runs down with time, to zero and no further', () => {
    const clock = started();
    assert.equal(clockRemainingMs(clock, T0), HOUR);
    assert.equal(clockRemainingMs(clock, T0 + 15 * MINUTE), 45 * MINUTE);
    assert.equal(clockRemainingMs(clock, T0 + HOUR - 1), 1);
    assert.equal(clockRemainingMs(clock, T0 + HOUR), 0);
    assert.equal(clockRemainingMs(clock, T0 + 2 * HOUR), 0);
  });

  test('does not start again', () => {
    const clock = started();
    assert.equal(clockStart(clock, T0 + MINUTE), clock);
    assert.equal(clockEndsAt(clockStart(clock, T0 + MINUTE), T0), T0 + HOUR);
  });

  test('gets the extension added to the time left and the end', () => {
    const clock = clockExtend(started(), 5 * MINUTE);
    assert.equal(clock.extendedMs, 5 * MINUTE);
    assert.equal(clockRemainingMs(clock, T0 + HOUR), 5 * MINUTE);
    assert.equal(clockEndsAt(clock, T0), T0 + HOUR + 5 * MINUTE);
    assert.equal(clockExtend(clock, 5 * MINUTE).extendedMs, 10 * MINUTE, 'extensions add up');
  });

  test('does not change the state it is given', () => {
    const clock = started();
    const copy = structuredClone(clock);
    clockPause(clock, T0 + MINUTE);
    clockExtend(clock, MINUTE);
    clockEnd(clock, T0 + MINUTE, 'terminated');
    assert.deepEqual(clock, copy);
  });
});

describe('pausing and resuming', () => {
  test('freezes the time left while paused', () => {
    const paused = clockPause(started(), T0 + 10 * MINUTE);
    assert.equal(paused.pausedAt, T0 + 10 * MINUTE);
    assert.equal(isRunning(paused), true, 'a paused exam still runs, it is not over');
    assert.equal(clockRemainingMs(paused, T0 + 10 * MINUTE), 50 * MINUTE);
    assert.equal(clockRemainingMs(paused, T0 + 30 * MINUTE), 50 * MINUTE);
    assert.equal(clockRemainingMs(paused, T0 + 5 * HOUR), 50 * MINUTE, 'a long pause never runs out');
  });

  test('moves the end back by the length of the pause, while it lasts', () => {
    const paused = clockPause(started(), T0 + 10 * MINUTE);
    assert.equal(clockEndsAt(paused, T0 + 10 * MINUTE), T0 + HOUR);
    assert.equal(clockEndsAt(paused, T0 + 25 * MINUTE), T0 + HOUR + 15 * MINUTE);
  });

  test('continues from where it stopped after a resume', () => {
    const resumed = clockResume(clockPause(started(), T0 + 10 * MINUTE), T0 + 25 * MINUTE);
    assert.equal(resumed.pausedAt, null);
    assert.equal(resumed.pausedMs, 15 * MINUTE);
    assert.equal(clockRemainingMs(resumed, T0 + 25 * MINUTE), 50 * MINUTE);
    assert.equal(clockRemainingMs(resumed, T0 + 35 * MINUTE), 40 * MINUTE);
    assert.equal(clockEndsAt(resumed, T0 + 35 * MINUTE), T0 + HOUR + 15 * MINUTE);
  });

  test('adds up several pauses', () => {
    let clock = started();
    clock = clockResume(clockPause(clock, T0 + MINUTE), T0 + 3 * MINUTE);
    clock = clockResume(clockPause(clock, T0 + 10 * MINUTE), T0 + 15 * MINUTE);
    assert.equal(clock.pausedMs, 7 * MINUTE);
    assert.equal(clockEndsAt(clock, T0 + 20 * MINUTE), T0 + HOUR + 7 * MINUTE);
    assert.equal(clockRemainingMs(clock, T0 + 20 * MINUTE), 47 * MINUTE);
  });

  test('keeps the first pause when paused twice', () => {
    const paused = clockPause(started(), T0 + 10 * MINUTE);
    const again = clockPause(paused, T0 + 20 * MINUTE);
    assert.equal(again, paused);
    assert.equal(clockRemainingMs(again, T0 + 30 * MINUTE), 50 * MINUTE);
  });

  test('ignores a resume while running', () => {
    const clock = started();
    assert.equal(clockResume(clock, T0 + MINUTE), clock);
  });

  test('extends while paused: the time left grows, and stays frozen', () => {
    const clock = clockExtend(clockPause(started(), T0 + 10 * MINUTE), 5 * MINUTE);
    assert.equal(clockRemainingMs(clock, T0 + 20 * MINUTE), 55 * MINUTE);
    assert.equal(clockRemainingMs(clockResume(clock, T0 + 20 * MINUTE), T0 + 25 * MINUTE), 50 * MINUTE);
  });

  test('never counts a negative pause when the resume time is before the pause', () => {
    const resumed = clockResume(clockPause(started(), T0 + 10 * MINUTE), T0 + 9 * MINUTE);
    assert.equal(resumed.pausedMs, 0);
  });
});

describe('ending', () => {
  test('leaves no time, records when and why', () => {
    const ended = clockEnd(started(), T0 + 20 * MINUTE, 'terminated');
    assert.equal(ended.endedAt, T0 + 20 * MINUTE);
    assert.equal(ended.endReason, 'terminated');
    assert.equal(clockRemainingMs(ended, T0 + 20 * MINUTE), 0);
    assert.equal(clockRemainingMs(ended, T0), 0, 'even for an earlier time');
    assert.equal(isRunning(ended), false);
    assert.equal(parse(ClockStateSchema, ended).ok, true);
  });

  test('closes a pause that is open at the end', () => {
    const ended = clockEnd(clockPause(started(), T0 + 10 * MINUTE), T0 + 30 * MINUTE, 'terminated');
    assert.equal(ended.pausedAt, null);
    assert.equal(ended.pausedMs, 20 * MINUTE);
  });

  test('keeps the first end: ending twice, or later changes, change nothing', () => {
    const ended = clockEnd(started(), T0 + HOUR, 'expired');
    assert.equal(clockEnd(ended, T0 + 2 * HOUR, 'terminated'), ended);
    assert.equal(clockPause(ended, T0 + 2 * HOUR), ended);
    assert.equal(clockResume(ended, T0 + 2 * HOUR), ended);
    assert.equal(clockExtend(ended, MINUTE), ended);
    assert.equal(clockStart(ended, T0 + 2 * HOUR), ended);
  });

  test('can end a session that never started, which then never starts', () => {
    const ended = clockEnd(newClock(HOUR), T0, 'terminated');
    assert.equal(ended.startedAt, null);
    assert.equal(clockRemainingMs(ended, T0), 0);
    assert.equal(clockStart(ended, T0 + 1), ended);
  });
});

describe('ClockStateSchema', () => {
  test('refuses fractions, negative times and unknown end reasons', () => {
    assert.match((parse(ClockStateSchema, { ...newClock(HOUR), durationMs: 1020.0000000000001 }) as { message: string }).message, /^durationMs: /);
    assert.match((parse(ClockStateSchema, { ...newClock(HOUR), pausedMs: -1 }) as { message: string }).message, /^pausedMs: /);
    assert.match((parse(ClockStateSchema, { ...newClock(HOUR), endReason: 'bored' }) as { message: string }).message, /^endReason: /);
  });

  test('accepts every end reason', () => {
    for (const reason of ['expired', 'terminated', 'finished'] as const) {
      assert.equal(parse(ClockStateSchema, clockEnd(started(), T0 + 1, reason)).ok, true, reason);
    }
  });
});
