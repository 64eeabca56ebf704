import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { personKey } from './person.js';
import { RateLimit } from './rate-limit.js';

describe('RateLimit', () => {
  test('lets the capacity through at once, then refills at its rate', () => {
    const limit = new RateLimit(10, 10);
    assert.equal(limit.take('a', 6, 0), 0);
    assert.equal(limit.take('a', 6, 0), 200, 'two more tokens come in 200 ms');
    assert.equal(limit.take('a', 6, 200), 0);
    assert.equal(limit.take('b', 10, 200), 0, 'keys have buckets of their own');
  });

  test('spends nothing on a refusal', () => {
    const limit = RateLimit.per(10, 1000);
    assert.equal(limit.take('a', 8, 0), 0);
    assert.ok(limit.take('a', 8, 0) > 0);
    assert.equal(limit.take('a', 2, 0), 0, 'the refused take spent nothing');
  });

  test('refuses a cost above the capacity for a whole window', () => {
    const limit = RateLimit.per(10, 60_000);
    assert.equal(limit.take('a', 11, 0), 60_000);
  });

  test('forgets idle keys once it holds many', () => {
    const limit = new RateLimit(1, 1);
    for (let i = 0; i < 10_000; i++) limit.take(`k${i}`, 1, 0);
    // An hour later every bucket is full again: the next take sweeps them.
    assert.equal(limit.take('late', 1, 3_600_000), 0);
    assert.equal((limit as unknown as { buckets: Map<string, unknown> }).buckets.size, 1);
  });
});

describe('personKey', () => {
  test('cannot be spelled by another person, whatever characters their ids hold', () => {
    const keys = [
      personKey({ examId: 'e', supervisorId: 'sup-1' }),
      personKey({ examId: 'e', candidateId: 'supervisor:sup-1' }),
      personKey({ examId: 'e', candidateId: 'sup-1' }),
      personKey({ examId: 'e:x', candidateId: 'y' }),
      personKey({ examId: 'e', candidateId: 'x:y' }),
    ];
    assert.equal(new Set(keys).size, keys.length);
  });
});
