/**
 * The tests every {@link KitStore} passes unchanged (memory, SQLite, …), as `abstract-level`'s suite
 * runs against every store: a behaviour only one adapter has is a bug in the interface.
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { newClock, noFeeds } from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import type { EventDraft, EventToAppend, KitStore, StoredPairing } from './kit-store.js';
import type { SessionRecord } from './session-store.js';
import { endedClock, photo, run } from './store-test-records.js';

/** Opens a fresh, empty store for one test; `reopen`, for durable adapters, opens the same data again. */
export type OpenStore = (t: TestContext) => Promise<{ store: KitStore; reopen?: () => Promise<KitStore> }>;

const draft = (type: string, at = 1): EventDraft => ({ type, at, source: 'server', data: {} });

let pairings = 0;
function pairing(sessionId: string, n: number): StoredPairing {
  const id = `${++pairings}-${n}-${Math.random().toString(36).slice(2, 8)}`;
  return { pairingId: `pairing-${id}`, sessionId, linkHash: `link-${id}`, codeHash: `code-${id}`, expiresAt: 300 };
}

/** An update that writes `record` (when given) and `events`, whatever is stored. */
function write(store: KitStore, sessionId: string, record: SessionRecord | undefined, events: EventToAppend[]) {
  return store.update(sessionId, () => ({ ...(record ? { record } : {}), events }));
}

let sessions = 0;
function record(examId = 'exam-1', candidateId = `cand-${++sessions}`): SessionRecord {
  return {
    sessionId: `session-${sessions}-${Math.random().toString(36).slice(2, 10)}`,
    examId,
    candidateId,
    name: `Candidate ${candidateId}`,
    connected: false,
    feeds: noFeeds(),
    joinedAt: 1_700_000_000_000,
    clock: newClock(3_600_000),
  };
}

export function describeStore(name: string, open: OpenStore): void {
  describe(`${name} (the store conformance suite)`, () => {
    test('creates a session once per candidate of an exam, and finds it by id, candidate and exam', async (t) => {
      const { store } = await open(t);
      const ada = record('exam-1', 'ada');
      assert.deepEqual(await store.createSession(ada), ada);
      const second = { ...record('exam-1', 'ada'), name: 'Another page' };
      assert.deepEqual(await store.createSession(second), ada, 'the first page of a candidate wins');
      const other = await store.createSession(record('exam-2', 'ada'));
      assert.deepEqual(await store.getSession(ada.sessionId), ada);
      assert.deepEqual(await store.findSession('exam-1', 'ada'), ada);
      assert.equal(await store.findSession('exam-1', 'nobody'), undefined);
      assert.equal(await store.getSession('nothing'), undefined);
      assert.deepEqual((await store.listSessions('exam-1')).map((s) => s.sessionId), [ada.sessionId]);
      assert.deepEqual((await store.listSessions('exam-2')).map((s) => s.sessionId), [other.sessionId]);
    });

    test('numbers each session from 1 without gaps, apart from other sessions, with the record in the same commit', async (t) => {
      const { store } = await open(t);
      const a = await store.createSession(record());
      const b = await store.createSession(record());
      assert.equal(await store.lastSeq(a.sessionId), 0);
      const first = await write(store, a.sessionId, { ...a, name: 'Renamed' }, [{ draft: draft('session.joined') }, { draft: draft('session.started') }]);
      assert.deepEqual(first, { record: { ...a, name: 'Renamed' }, events: [{ ...draft('session.joined'), seq: 1 }, { ...draft('session.started'), seq: 2 }], lastSeq: 2 });
      assert.equal((await store.getSession(a.sessionId))?.name, 'Renamed');
      assert.deepEqual((await write(store, b.sessionId, undefined, [{ draft: draft('session.joined') }])).lastSeq, 1);
      assert.deepEqual(await write(store, a.sessionId, undefined, []), { record: { ...a, name: 'Renamed' }, events: [], lastSeq: 2 });
      assert.equal(await store.lastSeq(a.sessionId), 2);
    });

    test('an update reads the stored session and its seq; one that throws writes nothing', async (t) => {
      const { store } = await open(t);
      const a = await store.createSession(record());
      await write(store, a.sessionId, undefined, [{ draft: draft('session.joined') }]);
      const seen: [string, number][] = [];
      await store.update(a.sessionId, (stored, lastSeq) => {
        seen.push([stored.name, lastSeq]);
        stored.name = 'Changed in the update';
        return { record: stored, events: [{ draft: draft('log.renamed') }] };
      });
      assert.deepEqual(seen, [[a.name, 1]]);
      await assert.rejects(
        store.update(a.sessionId, (stored) => {
          stored.name = 'Never stored';
          throw new KitError('conflict', 'refused');
        }),
        /refused/,
      );
      assert.equal((await store.getSession(a.sessionId))?.name, 'Changed in the update');
      assert.equal(await store.lastSeq(a.sessionId), 2);
      await assert.rejects(write(store, 'no-such-session', undefined, []), (error: unknown) => error instanceof KitError && error.code === 'not-found');
    });

    test('updates of one session run one at a time: none is lost', async (t) => {
      const { store } = await open(t);
      const a = await store.createSession({ ...record(), name: '0' });
      await Promise.all(
        Array.from({ length: 30 }, () =>
          store.update(a.sessionId, (stored) => ({ record: { ...stored, name: String(Number(stored.name) + 1) }, events: [{ draft: draft('log.counted') }] })),
        ),
      );
      assert.equal((await store.getSession(a.sessionId))?.name, '30');
      assert.equal(await store.lastSeq(a.sessionId), 30);
    });

    test('records a client event id once per session; a resend takes no number', async (t) => {
      const { store } = await open(t);
      const a = await store.createSession(record());
      const b = await store.createSession(record());
      const signal = { draft: draft('signal.copy'), clientEventId: 'evt-1' };
      assert.equal((await write(store, a.sessionId, undefined, [signal])).events[0]?.seq, 1);
      const again = await write(store, a.sessionId, undefined, [signal, { draft: draft('signal.paste'), clientEventId: 'evt-2' }]);
      assert.deepEqual(again.events.map((e) => [e.seq, e.type]), [[2, 'signal.paste']]);
      assert.equal((await write(store, b.sessionId, undefined, [signal])).events[0]?.seq, 1, 'another session has ids of its own');
      await write(store, a.sessionId, undefined, [{ draft: draft('log.x') }, { draft: draft('log.x') }]);
      assert.equal(await store.lastSeq(a.sessionId), 4, 'events without a client id are never deduplicated');
    });

    test('lists at most `limit` events after `afterSeq`, in order', async (t) => {
      const { store } = await open(t);
      const a = await store.createSession(record());
      await write(store, a.sessionId, undefined, Array.from({ length: 5 }, (_, i) => ({ draft: draft(`log.step-${i}`, i) })));
      assert.deepEqual((await store.listEvents(a.sessionId, 0, 10)).map((e) => e.seq), [1, 2, 3, 4, 5]);
      assert.deepEqual((await store.listEvents(a.sessionId, 2, 2)).map((e) => [e.seq, e.type]), [[3, 'log.step-2'], [4, 'log.step-3']]);
      assert.deepEqual(await store.listEvents(a.sessionId, 5, 10), []);
      assert.deepEqual(await store.listEvents('nobody', 0, 10), []);
    });

    test('lists the sessions whose exam has not ended, of every exam', async (t) => {
      const { store } = await open(t);
      const running = await store.createSession(record('exam-1'));
      const ended = await store.createSession(record('exam-2'));
      await write(store, ended.sessionId, { ...ended, clock: { ...ended.clock, startedAt: 1, endedAt: 2, endReason: 'terminated' } }, []);
      assert.deepEqual((await store.listOpenSessions()).map((s) => s.sessionId), [running.sessionId]);
    });

    test('lists the ended sessions that still hold recordings or photos, oldest end first, up to a limit: what a retention sweep deletes', async (t) => {
      const { store } = await open(t);
      const cutoff = 10_000;
      const create = (fields: Partial<SessionRecord>) => store.createSession({ ...record(), ...fields });
      const withRun = (runId: string): Partial<SessionRecord> => ({ recordings: [run(runId)] });
      const withPhoto: Partial<SessionRecord> = { identity: { status: 'approved', photos: [photo] } };

      const endedLate = await create({ ...withRun('run-1'), clock: endedClock(3000) });
      const endedEarly = await create(withPhoto);
      await write(store, endedEarly.sessionId, { ...endedEarly, clock: endedClock(1000) }, []);
      const photosAfterTheEnd = await create({ clock: endedClock(2000) });
      await write(store, photosAfterTheEnd.sessionId, { ...photosAfterTheEnd, ...withPhoto, ...withRun('run-2') }, []);
      const sameEndCreatedLater = await create({ ...withRun('run-3'), clock: endedClock(3000) });
      const mediaRemoved = await create({ ...withRun('run-4'), ...withPhoto, clock: endedClock(500) });
      await write(store, mediaRemoved.sessionId, { ...mediaRemoved, recordings: [], identity: { status: 'approved', photos: [] } }, []);
      const photosRemoved = await create({ ...withPhoto, clock: endedClock(600) });
      await write(store, photosRemoved.sessionId, { ...photosRemoved, identity: undefined }, []);
      await create({ ...withRun('run-5'), clock: endedClock(cutoff) });
      await create({ ...withPhoto, clock: endedClock(cutoff + 1) });
      await create({ ...withRun('run-6'), ...withPhoto });
      await create({ clock: endedClock(100) });

      const listed = await store.listEndedWithMedia(cutoff, 10);
      assert.deepEqual(
        listed.map((s) => s.sessionId),
        [endedEarly, photosAfterTheEnd, endedLate, sameEndCreatedLater].map((s) => s.sessionId),
      );
      assert.deepEqual(listed[1], await store.getSession(photosAfterTheEnd.sessionId), 'the records as stored');
      assert.deepEqual((await store.listEndedWithMedia(cutoff, 2)).map((s) => s.sessionId), [endedEarly.sessionId, photosAfterTheEnd.sessionId]);
      assert.deepEqual(await store.listEndedWithMedia(1000, 10), [], 'none ended before the first end');

      await write(store, endedEarly.sessionId, { ...endedEarly, clock: endedClock(1000), identity: { status: 'approved', photos: [] } }, []);
      assert.deepEqual((await store.listEndedWithMedia(cutoff, 1)).map((s) => s.sessionId), [photosAfterTheEnd.sessionId], 'a swept session leaves the list');
    });

    test('counts reviewers’ screenshots as media a retention sweep deletes', async (t) => {
      const { store } = await open(t);
      const shots = await store.createSession({ ...record(), clock: endedClock(1000) });
      await write(store, shots.sessionId, { ...shots, screenshots: [{ screenshotId: 'shot-1', contentType: 'image/jpeg' }] }, []);
      assert.deepEqual((await store.listEndedWithMedia(10_000, 10)).map((s) => s.sessionId), [shots.sessionId]);
      await write(store, shots.sessionId, { ...shots, screenshots: [] }, []);
      assert.deepEqual(await store.listEndedWithMedia(10_000, 10), []);
    });

    test('keeps what it stored when the caller changes its objects afterwards', async (t) => {
      const { store } = await open(t);
      const a = record();
      await store.createSession(a);
      const event = draft('log.x');
      await write(store, a.sessionId, a, [{ draft: event }]);
      a.name = 'changed';
      a.feeds.webcam = 'live';
      event.type = 'log.changed';
      const stored = await store.getSession(a.sessionId);
      assert.notEqual(stored?.name, 'changed');
      assert.equal(stored?.feeds.webcam, 'off');
      assert.equal((await store.listEvents(a.sessionId, 0, 1))[0]?.type, 'log.x');
    });

    test('keeps sessions with identity, phone and waiting start as they were', async (t) => {
      const { store } = await open(t);
      const a: SessionRecord = {
        ...record(),
        preparing: true,
        startRequested: true,
        identity: { status: 'rejected', reason: 'Blurred.', photos: [{ photoId: 'photo-1', kind: 'face', contentType: 'image/png', bytes: 10, at: 5 }] },
        phone: { pairingId: 'pairing-1', pairedAt: 9 },
      };
      await store.createSession(a);
      assert.deepEqual(await store.getSession(a.sessionId), a);
    });

    test('a pairing redeems once, by its link or its code; both then answer used', async (t) => {
      const { store } = await open(t);
      const first = pairing('s1', 1);
      assert.equal(await store.putPairing(first, 0, 0), true);
      const [byLink, byCode] = await Promise.all([store.takePairing(first.linkHash, 10, 500), store.takePairing(first.codeHash, 10, 500)]);
      assert.deepEqual([byLink, byCode].filter((taken) => taken !== 'used'), [first], 'exactly one of two redeems at once wins');
      assert.equal(await store.takePairing(first.linkHash, 20, 500), 'used');
      assert.equal(await store.takePairing('unknown-hash', 20, 500), undefined);
      assert.equal(await store.takePairing(first.codeHash, 600, 900), undefined, 'forgotten once used long enough');
    });

    test("a session's new pairing voids its pending one; an expired one redeems nothing; a taken code is refused", async (t) => {
      const { store } = await open(t);
      const first = pairing('s1', 1);
      const second = pairing('s1', 2);
      const other = pairing('s2', 3);
      await store.putPairing(first, 0, 0);
      await store.putPairing(other, 0, 0);
      assert.equal(await store.putPairing(second, 10, 400), true);
      assert.equal(await store.takePairing(first.codeHash, 20, 400), 'used');
      assert.deepEqual(await store.takePairing(other.codeHash, 20, 400), other, "another session's pairing stays");
      assert.equal(await store.takePairing(second.linkHash, second.expiresAt, 999), undefined, 'expired');
      assert.equal(await store.putPairing({ ...pairing('s3', 4), codeHash: other.codeHash }, 30, 400), false);
    });

    test("keeps the provider's record of each session as JSON, replaced and deleted whole", async (t) => {
      const { store } = await open(t);
      assert.equal(await store.getProviderRecord('s1'), undefined);
      const meeting = { meeting: { MeetingId: 'm-1', nested: [1, 'two', { three: null }] }, generation: 0 };
      await store.putProviderRecord('s1', meeting);
      await store.putProviderRecord('s2', { other: true });
      assert.deepEqual(await store.getProviderRecord('s1'), meeting);
      await store.putProviderRecord('s1', { generation: 1 });
      assert.deepEqual(await store.getProviderRecord('s1'), { generation: 1 });
      await store.deleteProviderRecord('s1');
      assert.equal(await store.getProviderRecord('s1'), undefined);
      assert.deepEqual(await store.getProviderRecord('s2'), { other: true });
    });

    test('keeps the latest revocation of each person, and lists those since a time', async (t) => {
      const { store } = await open(t);
      await store.putRevocation('["candidate","exam-1","ada"]', 1000);
      await store.putRevocation('["supervisor","exam-1","sam"]', 2000);
      await store.putRevocation('["candidate","exam-1","ada"]', 3000);
      const all = await store.listRevocations(0);
      assert.deepEqual(all.sort((a, b) => a.at - b.at), [
        { personKey: '["supervisor","exam-1","sam"]', at: 2000 },
        { personKey: '["candidate","exam-1","ada"]', at: 3000 },
      ]);
      assert.deepEqual(await store.listRevocations(2500), [{ personKey: '["candidate","exam-1","ada"]', at: 3000 }]);
    });

    test('queues one webhook delivery per endpoint of an event in its commit, with its seq; none for a resend nor a change that threw', async (t) => {
      const { store } = await open(t);
      const a = await store.createSession(record());
      const started = { draft: draft('session.started', 100), clientEventId: 'evt-1', notify: ['ep-1', 'ep-2'] };
      await write(store, a.sessionId, undefined, [{ draft: draft('session.joined', 90) }, started]);
      await write(store, a.sessionId, undefined, [started]);
      await assert.rejects(
        store.update(a.sessionId, () => {
          throw new KitError('conflict', 'refused');
        }),
      );
      const queued = await store.listDeliveries({ sessionId: a.sessionId, limit: 10 });
      assert.deepEqual(
        queued.map((d) => [d.endpointId, d.seq, d.state, d.attempts, d.nextAttemptAt, d.createdAt]),
        [['ep-1', 2, 'pending', 0, 100, 100], ['ep-2', 2, 'pending', 0, 100, 100]],
      );
      assert.notEqual(queued[0]!.deliveryId, queued[1]!.deliveryId);
      assert.deepEqual(await store.listDeliveries({ sessionId: 'nobody', limit: 10 }), []);
    });

    test('claims due deliveries of the endpoints asked for, oldest first, once per lease', async (t) => {
      const { store } = await open(t);
      const a = await store.createSession(record());
      for (const at of [30, 10, 20, 500]) await write(store, a.sessionId, undefined, [{ draft: draft('session.ended', at), notify: ['ep-1'] }]);
      await write(store, a.sessionId, undefined, [{ draft: draft('session.ended', 5), notify: ['ep-other'] }]);
      const claimed = await store.claimDeliveries(['ep-1'], 100, 1000, 2);
      assert.deepEqual(claimed.map((d) => [d.seq, d.nextAttemptAt]), [[2, 1100], [3, 1100]], 'the two oldest due, leased for 1000 ms');
      assert.deepEqual((await store.claimDeliveries(['ep-1'], 100, 1000, 10)).map((d) => d.seq), [1], 'not those leased, nor those not due');
      assert.deepEqual(await store.claimDeliveries(['ep-1'], 200, 1000, 10), []);
      assert.deepEqual((await store.claimDeliveries(['ep-1'], 1100, 1000, 10)).map((d) => d.seq).sort(), [1, 2, 3, 4], 'taken again once their lease ran out');
      assert.deepEqual((await store.claimDeliveries(['ep-other', 'ep-1'], 1100, 1000, 10)).map((d) => d.seq), [5]);
      const [fifth] = await store.claimDeliveries(['ep-other'], 2100, 1000, 1);
      await store.releaseDelivery(fifth!, 2200);
      await store.releaseDelivery({ ...fifth!, nextAttemptAt: 1 }, 0);
      const [released] = await store.claimDeliveries(['ep-other'], 2200, 1000, 1);
      assert.deepEqual([released?.seq, released?.attempts], [5, 0], 'a delivery given back is due again, not attempted; a stale lease gives back nothing');
      assert.deepEqual(await store.claimDeliveries([], 9999, 1000, 10), []);
    });

    test('of claims at the same time, each delivery goes to one', async (t) => {
      const { store } = await open(t);
      const a = await store.createSession(record());
      await write(store, a.sessionId, undefined, Array.from({ length: 20 }, (_, i) => ({ draft: draft('session.ended', i), notify: ['ep-1'] })));
      const claims = await Promise.all(Array.from({ length: 4 }, () => store.claimDeliveries(['ep-1'], 100, 1000, 8)));
      const seqs = claims.flat().map((d) => d.seq);
      assert.equal(seqs.length, 20);
      assert.equal(new Set(seqs).size, 20);
    });

    test('records attempts of claimed deliveries in the delivery log, by session and state; a replay queues one again at once', async (t) => {
      const { store } = await open(t);
      const a = await store.createSession(record());
      const b = await store.createSession(record());
      await write(store, a.sessionId, undefined, [{ draft: draft('session.started', 1), notify: ['ep-1'] }, { draft: draft('session.ended', 2), notify: ['ep-1'] }]);
      await write(store, b.sessionId, undefined, [{ draft: draft('session.started', 3), notify: ['ep-1'] }]);
      const [started, ended, other] = await store.claimDeliveries(['ep-1'], 10, 1000, 10);
      assert.equal(await store.recordAttempt(ended!, { state: 'pending', at: 20, retryAt: 80, error: 'connect ECONNREFUSED' }), true);
      assert.equal(await store.recordAttempt(other!, { state: 'failed', at: 30, status: 410, error: 'Gone' }), true);
      assert.equal(await store.recordAttempt(started!, { state: 'pending', at: 10, retryAt: 5010, status: 503, error: 'The endpoint answered 503.' }), true);
      assert.equal(await store.recordAttempt(started!, { state: 'delivered', at: 11, status: 200 }), false, 'a lease records one attempt');
      const [endedAgain, startedAgain] = await store.claimDeliveries(['ep-1'], 5010, 1000, 10);
      assert.deepEqual([endedAgain?.deliveryId, startedAgain?.deliveryId], [ended!.deliveryId, started!.deliveryId]);
      assert.equal(await store.recordAttempt(startedAgain!, { state: 'delivered', at: 5020, status: 200 }), true);

      const log = await store.listDeliveries({ sessionId: a.sessionId, limit: 10 });
      assert.deepEqual(log[0], { ...started, state: 'delivered', attempts: 2, nextAttemptAt: 5020, lastAttemptAt: 5020, lastStatus: 200 });
      assert.deepEqual(log[1], { ...ended, state: 'pending', attempts: 1, nextAttemptAt: 6010, lastAttemptAt: 20, lastError: 'connect ECONNREFUSED' });
      assert.deepEqual((await store.listDeliveries({ state: 'failed', limit: 10 })).map((d) => [d.deliveryId, d.lastStatus]), [[other!.deliveryId, 410]]);
      assert.deepEqual((await store.listDeliveries({ state: 'pending', limit: 10 })).map((d) => d.deliveryId), [ended!.deliveryId]);
      assert.equal((await store.listDeliveries({ limit: 2 })).length, 2);

      const replayed = await store.replayDelivery(other!.deliveryId, 9000);
      assert.deepEqual(replayed, { ...other, state: 'pending', attempts: 0, nextAttemptAt: 9000, lastAttemptAt: 30, lastStatus: 410, lastError: 'Gone' });
      await store.replayDelivery(ended!.deliveryId, 9000);
      assert.equal(await store.recordAttempt(endedAgain!, { state: 'delivered', at: 9001, status: 200 }), false, 'an attempt a replay overtook is not recorded');
      assert.deepEqual((await store.claimDeliveries(['ep-1'], 9000, 1000, 10)).map((d) => d.deliveryId).sort(), [ended!.deliveryId, other!.deliveryId].sort());
      assert.equal(await store.replayDelivery('dlv_unknown', 9000), undefined);
    });

    test('keeps the webhook endpoints that answered 410, the latest time of each', async (t) => {
      const { store } = await open(t);
      assert.deepEqual(await store.listDisabledEndpoints(), []);
      await store.disableEndpoint({ endpointId: 'ep-1', config: 'config-a', at: 10 });
      await store.disableEndpoint({ endpointId: 'ep-2', config: 'config-b', at: 20 });
      await store.disableEndpoint({ endpointId: 'ep-1', config: 'config-c', at: 30 });
      assert.deepEqual((await store.listDisabledEndpoints()).sort((x, y) => x.at - y.at), [
        { endpointId: 'ep-2', config: 'config-b', at: 20 },
        { endpointId: 'ep-1', config: 'config-c', at: 30 },
      ]);
    });

    test('brings everything back when opened again (durable adapters)', async (t) => {
      const { store, reopen } = await open(t);
      if (!reopen) return t.skip('this adapter keeps nothing past its process');
      const a = await store.createSession(record());
      await write(store, a.sessionId, { ...a, name: 'Kept' }, [{ draft: draft('session.joined'), clientEventId: 'evt-1', notify: ['ep-1'] }]);
      await store.putRevocation('["candidate","exam-1","ada"]', 1000);
      await store.disableEndpoint({ endpointId: 'ep-2', config: 'config-a', at: 10 });
      await store.close();
      const again = await reopen();
      assert.equal((await again.getSession(a.sessionId))?.name, 'Kept');
      assert.deepEqual((await again.listEvents(a.sessionId, 0, 10)).map((e) => e.seq), [1]);
      assert.deepEqual((await write(again, a.sessionId, undefined, [{ draft: draft('x.y'), clientEventId: 'evt-1' }])).events, [], 'client ids too');
      assert.deepEqual(await again.listRevocations(0), [{ personKey: '["candidate","exam-1","ada"]', at: 1000 }]);
      assert.deepEqual((await again.claimDeliveries(['ep-1'], 100, 1000, 10)).map((d) => [d.sessionId, d.seq]), [[a.sessionId, 1]], 'the webhook outbox');
      assert.deepEqual(await again.listDisabledEndpoints(), [{ endpointId: 'ep-2', config: 'config-a', at: 10 }]);
      await again.close();
    });
  });
}
