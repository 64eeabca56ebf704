import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import type { SignalCode } from '../protocol/index.js';
import { Absence } from './absence.js';

let reports: [SignalCode, Record<string, unknown>][];
let absence: Absence;

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000 });
  reports = [];
  absence = new Absence({ begin: 'page-hidden', end: 'page-visible' }, 1_000, (code, data) => reports.push([code, data]));
});

afterEach(() => {
  absence.cancel();
  mock.timers.reset();
});

test('a hidden page is reported once it stays hidden for the minimum, then how long it was hidden', () => {
  absence.begin();
  mock.timers.tick(999);
  assert.deepEqual(reports, []);
  mock.timers.tick(1);
  assert.deepEqual(reports, [['page-hidden', { since: 1_000 }]]);
  mock.timers.tick(4_000);
  absence.end();
  assert.deepEqual(reports[1], ['page-visible', { durationMs: 5_000 }]);
});

test('a glance away shorter than the minimum is not reported', () => {
  absence.begin();
  mock.timers.tick(500);
  absence.end();
  mock.timers.tick(5_000);
  assert.deepEqual(reports, []);
});

test('a long spell is reported even when the page’s timer ran late', () => {
  absence.begin();
  // Date moves without the timer firing, as in a throttled background page.
  mock.timers.setTime(4_000);
  absence.end();
  assert.deepEqual(reports, [
    ['page-hidden', { since: 1_000 }],
    ['page-visible', { durationMs: 3_000 }],
  ]);
});

test('leaving again during a spell keeps when it began', () => {
  absence.begin();
  mock.timers.tick(600);
  absence.begin();
  mock.timers.tick(400);
  assert.deepEqual(reports, [['page-hidden', { since: 1_000 }]]);
});
