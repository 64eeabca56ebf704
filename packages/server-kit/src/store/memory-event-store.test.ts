import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventDraft } from './event-store.js';
import { MemoryEventStore } from './memory-event-store.js';

const draft = (type: string, at = 1): EventDraft => ({ type, at, source: 'server', data: {} });

describe('MemoryEventStore', () => {
  test('numbers each session from 1, without gaps, apart from other sessions', async () => {
    const store = new MemoryEventStore();
    assert.equal(await store.lastSeq('a'), 0);
    assert.deepEqual(await store.append('a', draft('session.joined')), { ...draft('session.joined'), seq: 1 });
    assert.equal((await store.append('a', draft('session.started')))?.seq, 2);
    assert.equal((await store.append('b', draft('session.joined')))?.seq, 1);
    assert.equal(await store.lastSeq('a'), 2);
    assert.equal(await store.lastSeq('b'), 1);
  });

  test('lists at most `limit` events after `afterSeq`, in order', async () => {
    const store = new MemoryEventStore();
    for (let i = 0; i < 5; i++) await store.append('a', draft(`log.step-${i}`));
    assert.deepEqual((await store.list('a', 0, 10)).map((e) => e.seq), [1, 2, 3, 4, 5]);
    assert.deepEqual((await store.list('a', 2, 2)).map((e) => e.seq), [3, 4]);
    assert.deepEqual(await store.list('a', 5, 10), []);
    assert.deepEqual(await store.list('a', 99, 10), []);
    assert.deepEqual(await store.list('nobody', 0, 10), []);
  });

  test('records a client event id once per session', async () => {
    const store = new MemoryEventStore();
    assert.equal((await store.append('a', draft('signal.copy'), 'evt-1'))?.seq, 1);
    assert.equal(await store.append('a', draft('signal.copy'), 'evt-1'), undefined);
    assert.equal((await store.append('b', draft('signal.copy'), 'evt-1'))?.seq, 1, 'another session has its own ids');
    assert.equal((await store.append('a', draft('signal.paste'), 'evt-2'))?.seq, 2);
    assert.equal(await store.lastSeq('a'), 2);
  });

  test('never deduplicates events without a client id', async () => {
    const store = new MemoryEventStore();
    await store.append('a', draft('log.x'));
    await store.append('a', draft('log.x'));
    assert.equal(await store.lastSeq('a'), 2);
  });

  test('keeps what it stored when the caller changes its draft afterwards', async () => {
    const store = new MemoryEventStore();
    const input = draft('log.x');
    await store.append('a', input);
    input.type = 'log.changed';
    assert.equal((await store.list('a', 0, 1))[0]?.type, 'log.x');
  });
});
