import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_RETRY_SCHEDULE, MAX_RETRY_AFTER_MS, parseRetryAfter, retryDelay } from './retry-schedule.js';

describe('retryDelay', () => {
  test('follows the schedule within ±20%, then gives up', () => {
    assert.equal(retryDelay(DEFAULT_RETRY_SCHEDULE, 1, undefined, () => 0), 4000);
    assert.equal(retryDelay(DEFAULT_RETRY_SCHEDULE, 1, undefined, () => 0.5), 5000);
    assert.equal(retryDelay(DEFAULT_RETRY_SCHEDULE, 2, undefined, () => 1), 72_000);
    assert.equal(retryDelay(DEFAULT_RETRY_SCHEDULE, 8, undefined, () => 0.5), 86_400_000);
    assert.equal(retryDelay(DEFAULT_RETRY_SCHEDULE, 9), undefined, 'nine attempts, then failed');
  });

  test("waits at least an endpoint's Retry-After, up to a day", () => {
    assert.equal(retryDelay([1000], 1, 30_000, () => 0.5), 30_000);
    assert.equal(retryDelay([60_000], 1, 1000, () => 0.5), 60_000, 'a shorter Retry-After never shortens the schedule');
    assert.equal(retryDelay([1000], 1, 10 * MAX_RETRY_AFTER_MS, () => 0.5), MAX_RETRY_AFTER_MS);
    assert.equal(retryDelay([1000], 2, 30_000), undefined, 'nor lengthens it');
  });
});

describe('parseRetryAfter', () => {
  test('reads seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-5', now), undefined);
  });
});
