import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { SignalGate, type IntegritySignal } from './signal-gate.js';

let signals: IntegritySignal[];
let gate: SignalGate;

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000 });
  signals = [];
  gate = new SignalGate((signal) => signals.push(signal), 10_000);
});

afterEach(() => {
  gate.close();
  mock.timers.reset();
});

const codes = () => signals.map((signal) => signal.code);

test('a covered webcam is reported once until it is uncovered', () => {
  gate.push('webcam-covered', { luminance: 2 });
  gate.push('webcam-covered', { luminance: 1 });
  assert.deepEqual(signals, [{ code: 'webcam-covered', data: { luminance: 2 }, at: 1_000 }]);
  gate.clear('webcam-covered');
  gate.push('webcam-covered', { luminance: 3 });
  assert.deepEqual(codes(), ['webcam-covered', 'webcam-covered']);
});

test('a page is reported visible again only after it was reported hidden', () => {
  gate.push('page-visible', { durationMs: 5 });
  gate.push('page-hidden', { since: 1_000 });
  gate.push('page-hidden', { since: 1_000 });
  gate.push('page-visible', { durationMs: 1_500 });
  gate.push('page-visible', { durationMs: 1_500 });
  assert.deepEqual(codes(), ['page-hidden', 'page-visible']);
});

test('the first copy is reported at once, the rest of the window as one count at its end', () => {
  gate.push('copy');
  assert.deepEqual(signals, [{ code: 'copy', data: { count: 1 }, at: 1_000 }]);
  mock.timers.tick(2_000);
  gate.push('copy');
  mock.timers.tick(1_000);
  gate.push('copy');
  gate.push('copy');
  assert.equal(signals.length, 1);
  mock.timers.tick(7_000);
  assert.deepEqual(signals[1], { code: 'copy', data: { count: 3 }, at: 3_000 });
});

test('copies and pastes are counted apart', () => {
  gate.push('copy');
  gate.push('paste');
  gate.push('paste');
  mock.timers.tick(10_000);
  assert.deepEqual(
    signals.map(({ code, data }) => [code, data.count]),
    [['copy', 1], ['paste', 1], ['paste', 1]],
  );
});

test('a burst of copies yields at most one signal per window', () => {
  for (let second = 0; second < 35; second += 1) {
    gate.push('copy');
    mock.timers.tick(1_000);
  }
  mock.timers.tick(20_000);
  assert.deepEqual(
    signals.map(({ data }) => data.count),
    [1, 9, 10, 10, 5],
  );
});

test('a quiet window lets the next copy be reported at once', () => {
  gate.push('copy');
  mock.timers.tick(10_000);
  mock.timers.tick(5_000);
  gate.push('copy');
  assert.deepEqual(
    signals.map(({ data, at }) => [data.count, at]),
    [[1, 1_000], [1, 16_000]],
  );
});

test('copies still waiting are reported when monitoring stops', () => {
  gate.push('paste');
  gate.push('paste');
  gate.push('paste');
  gate.close();
  assert.deepEqual(
    signals.map(({ data }) => data.count),
    [1, 2],
  );
  mock.timers.tick(10_000);
  assert.equal(signals.length, 2);
});
