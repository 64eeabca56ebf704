import assert from 'node:assert/strict';
import { localBus } from '../../bus/local/local-bus.js';
import { sharedRate } from '../../limits/shared-rate-limit.js';
import { describe, test, type TestContext } from 'node:test';
import {
  ProviderInfoSchema,
  newClock,
  noFeeds,
  parse,
  type ChimeProviderInfo,
  type ProviderInfo,
} from '@proctorkit/core/protocol';
import { FakeChime, type FakeChimeOptions } from '../../../test-fixtures/fake-chime/fake-chime.js';
import { KitError } from '../../errors.js';
import type { SessionRecord } from '../../store/session-store.js';
import { within } from '../../test-helpers.js';
import type { ProviderHost, SessionRef } from '../provider.js';
import { chimeProvider, type ChimeProvider, type ChimeProviderOptions } from './chime-provider.js';

// The SDK warns once per process that its 2027 releases need Node 22 (see docs/guide/chime.md).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ACCESS_KEY = 'AKIDPROCTORKITTEST';
const EXAM = 'exam-1';

type CandidateInfo = Extract<ChimeProviderInfo, { role: 'candidate' }>;
type SupervisorInfo = Extract<ChimeProviderInfo, { role: 'supervisor' }>;

/** A kit stand-in that records what the provider tells it. */
class RecordingHost implements ProviderHost {
  readonly warnings: string[] = [];
  private readonly kept = new Map<string, unknown>();
  /** Stands in for the kit's store. */
  readonly records = {
    get: async (sessionId: string) => structuredClone(this.kept.get(sessionId)),
    put: async (sessionId: string, record: unknown) => void this.kept.set(sessionId, structuredClone(record)),
    delete: async (sessionId: string) => void this.kept.delete(sessionId),
  };
  readonly errors: string[] = [];
  readonly logger = {
    error: (message: string) => this.errors.push(message),
    warn: (message: string) => this.warnings.push(message),
    info: () => {},
    debug: () => {},
  };
  readonly bus = localBus();
  sharedRate(name: string, perSecond: number) {
    return sharedRate(this.bus, name, perSecond, this.logger);
  }
  /** Supervisors the kit would name for each session. */
  readonly supervisors = new Map<string, string[]>();
  readonly places = new Map<string, number[]>();
  readonly ready = new Map<string, ProviderInfo[]>();
  readonly failed: string[] = [];
  readonly preparingNow = new Set<string>();
  readonly everPreparing = new Set<string>();
  private readonly waiters = new Set<() => void>();

  supervisorsOf(session: SessionRef): string[] {
    return this.supervisors.get(session.sessionId) ?? [];
  }

  setPreparing(sessionId: string, preparing: boolean): void {
    if (preparing) {
      this.preparingNow.add(sessionId);
      this.everPreparing.add(sessionId);
    } else this.preparingNow.delete(sessionId);
    this.wake();
  }

  progress(sessionId: string, ahead: number): void {
    this.places.set(sessionId, [...(this.places.get(sessionId) ?? []), ahead]);
  }

  mediaReady(sessionId: string, info: ProviderInfo): void {
    const checked = parse(ProviderInfoSchema, JSON.parse(JSON.stringify(info)));
    assert.ok(checked.ok, `the join info fits the protocol: ${checked.ok ? '' : checked.message}`);
    this.ready.set(sessionId, [...(this.ready.get(sessionId) ?? []), info]);
    this.wake();
  }

  mediaFailed(sessionId: string, message: string): void {
    this.failed.push(`${sessionId}: ${message}`);
    this.wake();
  }

  /** The `count`-th join info the session's candidate got. */
  async readyInfo(sessionId: string, count = 1, ms = 5000): Promise<CandidateInfo> {
    await this.until(() => (this.ready.get(sessionId)?.length ?? 0) >= count, `join info #${count} of ${sessionId}`, ms);
    return candidate(this.ready.get(sessionId)![count - 1]!);
  }

  until(check: () => boolean, what: string, ms = 5000): Promise<void> {
    if (check()) return Promise.resolve();
    let wake = () => {};
    const done = new Promise<void>((resolve) => {
      wake = () => {
        if (check()) resolve();
      };
    });
    this.waiters.add(wake);
    return within(done, what, ms).finally(() => this.waiters.delete(wake));
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }
}

function candidate(info: ProviderInfo | undefined): CandidateInfo {
  assert.ok(info && info.name === 'chime' && info.state === 'ready' && info.role === 'candidate', `candidate join info, not ${JSON.stringify(info)}`);
  return info;
}

function supervisor(info: ProviderInfo | undefined): SupervisorInfo {
  assert.ok(info && info.name === 'chime' && info.state === 'ready' && info.role === 'supervisor', `supervisor join info, not ${JSON.stringify(info)}`);
  return info;
}

let sessionCount = 0;

function session(candidateId = `cand-${sessionCount + 1}`): SessionRecord {
  return {
    sessionId: `session-${String(++sessionCount).padStart(6, '0')}`,
    examId: EXAM,
    candidateId,
    name: `Candidate ${candidateId}`,
    connected: true,
    feeds: noFeeds(),
    joinedAt: Date.now(),
    clock: newClock(3_600_000),
  };
}

interface Setup {
  fake: FakeChime;
  provider: ChimeProvider;
  host: RecordingHost;
}

async function setup(t: TestContext, fakeOptions: FakeChimeOptions = {}, options: Partial<ChimeProviderOptions> = {}): Promise<Setup> {
  const fake = await FakeChime.start(fakeOptions);
  const provider = chimeProvider({
    region: 'eu-central-1',
    endpoint: fake.endpoint,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: 'not-a-secret' },
    maxRequestsPerSecond: 50,
    progressIntervalMs: 50,
    backoff: { baseMs: 20, capMs: 500 },
    ...options,
  });
  const host = new RecordingHost();
  provider.attach!(host);
  t.after(async () => {
    await provider.close!();
    await fake.close();
  });
  return { fake, provider, host };
}

/** Joins a candidate and waits for its meeting. */
async function joined({ provider, host }: Setup, record = session()): Promise<{ record: SessionRecord; info: CandidateInfo }> {
  assert.deepEqual(await provider.joinInfo(record), { name: 'chime', state: 'pending' });
  return { record, info: await host.readyInfo(record.sessionId) };
}

describe('chimeProvider', () => {
  test('creates one meeting per session, one send-only video attendee per feed, through the given endpoint', async (t) => {
    const setupResult = await setup(t);
    const { fake, host } = setupResult;
    const { record, info } = await joined(setupResult, session('ada'));
    assert.deepEqual(
      info.attendees.map((a) => [a.feed, a.ExternalUserId]),
      [
        ['webcam', 'ada/webcam'],
        ['screen', 'ada/screen'],
        ['phone', 'ada/phone'],
      ],
    );
    const [call] = fake.succeeded('CreateMeetingWithAttendees');
    assert.equal(call?.externalMeetingId, record.sessionId);
    assert.equal(call?.clientRequestToken, `${record.sessionId}_0`);
    assert.deepEqual(call?.capabilities?.['ada/webcam'], { Audio: 'None', Video: 'Send', Content: 'None' });
    const meeting = fake.meeting(info.meeting.MeetingId);
    assert.ok(meeting, 'the meeting exists on the control plane');
    assert.equal(meeting.MediaRegion, 'eu-central-1');
    for (const attendee of info.attendees) {
      assert.equal(meeting.attendees.get(attendee.ExternalUserId)?.JoinToken, attendee.JoinToken);
    }
    assert.ok(info.meeting.MediaPlacement.EventIngestionUrl, 'event ingestion is on by default');
    assert.deepEqual(
      fake.calls.map((c) => c.accessKeyId),
      [ACCESS_KEY],
      'every request was signed with the static credentials, none went elsewhere',
    );
    assert.deepEqual([...host.everPreparing], [record.sessionId]);
    assert.equal(host.preparingNow.size, 0, 'no longer preparing');
  });

  test('creates the meeting once when the answer is lost and the request retried, or several pages join at once', async (t) => {
    const setupResult = await setup(t);
    const { fake, provider, host } = setupResult;
    fake.loseAnswers(500);
    const record = session();
    await Promise.all([provider.joinInfo(record), provider.joinInfo(record), provider.joinInfo(record)]);
    const info = await host.readyInfo(record.sessionId);
    const creates = fake.calls.filter((c) => c.operation === 'CreateMeetingWithAttendees');
    assert.deepEqual(
      creates.map((c) => [c.status, c.clientRequestToken]),
      [
        [500, `${record.sessionId}_0`],
        [201, `${record.sessionId}_0`],
      ],
    );
    assert.deepEqual(
      fake.liveMeetings().map((m) => m.MeetingId),
      [info.meeting.MeetingId],
      'one meeting, the one the candidate got',
    );
    assert.equal(host.ready.get(record.sessionId)?.length, 1);
  });

  test('adds the assigned supervisors as receive-only attendees, batching beyond 10 per CreateMeetingWithAttendees', async (t) => {
    const setupResult = await setup(t);
    const { fake, provider, host } = setupResult;
    const record = session('bo');
    const supervisors = Array.from({ length: 12 }, (_, i) => `sup-${i + 1}`);
    host.supervisors.set(record.sessionId, supervisors);
    const { info } = await joined(setupResult, record);
    const [create] = fake.succeeded('CreateMeetingWithAttendees');
    const [batch] = fake.succeeded('BatchCreateAttendee');
    assert.deepEqual(create?.externalUserIds, [
      'bo/webcam',
      'bo/screen',
      'bo/phone',
      ...supervisors.slice(0, 7).map((id) => `${id}/supervisor`),
    ]);
    assert.deepEqual(create?.capabilities?.['sup-1/supervisor'], { Audio: 'None', Video: 'Receive', Content: 'None' });
    assert.deepEqual(
      batch?.externalUserIds,
      supervisors.slice(7).map((id) => `${id}/supervisor`),
    );
    assert.equal(fake.meeting(info.meeting.MeetingId)?.attendees.size, 15);
    for (const id of supervisors) {
      const view = supervisor(await provider.viewInfo!(record, id));
      assert.equal(view.meeting.MeetingId, info.meeting.MeetingId);
      assert.equal(view.attendee.ExternalUserId, `${id}/supervisor`);
      assert.deepEqual(
        view.feeds.map((f) => [f.feed, f.AttendeeId]),
        info.attendees.map((a) => [a.feed, a.AttendeeId]),
        'the feeds to bind tiles to, without their join tokens',
      );
    }
    assert.equal(fake.calls.length, 2, 'the assigned supervisors needed no further request');
  });

  test('adds a later supervisor with CreateAttendee, and those who ask while it waits in one BatchCreateAttendee', async (t) => {
    const setupResult = await setup(t, {}, { maxRequestsPerSecond: 5 });
    const { fake, provider } = setupResult;
    const { record, info } = await joined(setupResult);
    const [first, second, third] = await Promise.all(['s-1', 's-2', 's-3'].map((id) => provider.viewInfo!(record, id)));
    for (const [view, id] of [
      [first, 's-1'],
      [second, 's-2'],
      [third, 's-3'],
    ] as const) {
      assert.equal(supervisor(view).attendee.ExternalUserId, `${id}/supervisor`);
    }
    assert.deepEqual(fake.succeeded('BatchCreateAttendee')[0]?.externalUserIds, ['s-1/supervisor', 's-2/supervisor', 's-3/supervisor']);
    const late = supervisor(await provider.viewInfo!(record, 's-4'));
    assert.equal(late.meeting.MeetingId, info.meeting.MeetingId);
    assert.deepEqual(fake.succeeded('CreateAttendee')[0]?.externalUserIds, ['s-4/supervisor']);
    supervisor(await provider.viewInfo!(record, 's-2'));
    assert.equal(fake.count(), 3, 'a supervisor seen before costs no request');
  });

  test('hands a rejoining candidate the stored meeting at once, and checks it in the background', async (t) => {
    const setupResult = await setup(t);
    const { fake, provider } = setupResult;
    const { record, info } = await joined(setupResult);
    assert.deepEqual(await provider.joinInfo(record), info);
    await within(
      (async () => {
        while (fake.count('GetMeeting', 200) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      })(),
      'the background GetMeeting',
    );
    assert.equal(fake.count('CreateMeetingWithAttendees'), 1);
  });

  test('recreates a meeting Chime ended after idling, with a new ClientRequestToken, and tells the candidate', async (t) => {
    const setupResult = await setup(t, { idleMs: 150 });
    const { fake, provider, host } = setupResult;
    const { record, info } = await joined(setupResult);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(fake.meeting(info.meeting.MeetingId), undefined, 'Chime ended the idle meeting');
    // The stored meeting first (the check waits for an idle queue), then the new one.
    assert.deepEqual(await provider.joinInfo(record), info);
    const again = await host.readyInfo(record.sessionId, 2);
    assert.notEqual(again.meeting.MeetingId, info.meeting.MeetingId);
    assert.ok(fake.meeting(again.meeting.MeetingId));
    assert.deepEqual(
      fake.succeeded('CreateMeetingWithAttendees').map((c) => c.clientRequestToken),
      [`${record.sessionId}_0`, `${record.sessionId}_1`],
    );
    assert.equal(fake.count('GetMeeting', 404), 1);
    assert.deepEqual(await provider.joinInfo(record), again, 'the new meeting is stored');
    assert.deepEqual(host.failed, []);
  });

  test('recreates an ended meeting when a supervisor is added to it, with that supervisor in it', async (t) => {
    const setupResult = await setup(t);
    const { fake, provider, host } = setupResult;
    const { record, info } = await joined(setupResult);
    fake.endMeeting(info.meeting.MeetingId);
    host.supervisors.set(record.sessionId, ['sup-9']);
    const view = supervisor(await provider.viewInfo!(record, 'sup-9'));
    assert.notEqual(view.meeting.MeetingId, info.meeting.MeetingId);
    assert.equal(fake.count('CreateAttendee', 404), 1);
    assert.ok(fake.meeting(view.meeting.MeetingId)?.attendees.has('sup-9/supervisor'));
    assert.equal((await host.readyInfo(record.sessionId, 2)).meeting.MeetingId, view.meeting.MeetingId);
  });

  test('deletes the meeting when the session ends, and forgets it', async (t) => {
    const setupResult = await setup(t);
    const { fake, provider } = setupResult;
    const { record, info } = await joined(setupResult);
    await provider.sessionEnded!(record);
    assert.equal(fake.count('DeleteMeeting', 204), 1);
    assert.equal(fake.meeting(info.meeting.MeetingId), undefined);
    const ended = { ...record, clock: { ...record.clock, endedAt: Date.now(), endReason: 'terminated' as const } };
    assert.deepEqual(await provider.joinInfo(ended), { name: 'chime', state: 'pending' });
    assert.equal(await provider.viewInfo!(ended, 'sup-1'), undefined);
    assert.equal(fake.count('CreateMeetingWithAttendees'), 1, 'an ended session gets no new meeting');
  });

  test('creates no meeting for a session that ends while its request waits', async (t) => {
    const setupResult = await setup(t, {}, { maxRequestsPerSecond: 4 });
    const { fake, provider, host } = setupResult;
    const records = [session(), session(), session()];
    for (const record of records) await provider.joinInfo(record);
    await host.until(() => host.places.has(records[2]!.sessionId), 'the last one to wait');
    await provider.sessionEnded!(records[2]!);
    await host.readyInfo(records[1]!.sessionId);
    await host.until(() => host.preparingNow.size === 0, 'every preparation to finish');
    assert.deepEqual(
      fake.calls.map((c) => c.externalMeetingId),
      records.slice(0, 2).map((r) => r.sessionId),
    );
    assert.deepEqual(host.failed, [], 'ending is no failure');
  });

  test('serves sessions in the order they joined and tells each how many wait before it', async (t) => {
    const setupResult = await setup(t, { tps: 100 }, { maxRequestsPerSecond: 40 });
    const { fake, provider, host } = setupResult;
    const records = Array.from({ length: 24 }, () => session());
    for (const record of records) void provider.joinInfo(record);
    await Promise.all(records.map((r) => host.readyInfo(r.sessionId)));
    assert.deepEqual(
      fake.succeeded('CreateMeetingWithAttendees').map((c) => c.externalMeetingId),
      records.map((r) => r.sessionId),
    );
    records.forEach((record, index) => {
      const places = host.places.get(record.sessionId) ?? [];
      if (index === 0) return assert.deepEqual(places, [], 'the first went at once');
      // Everyone before it: the first in flight, the others waiting.
      assert.equal(places[0], index, `session #${index} was first told ${places[0]}`);
      for (let i = 1; i < places.length; i++) assert.ok(places[i]! < places[i - 1]!, `session #${index} never moved back: ${places}`);
    });
  });

  test('shows no error to anyone when Chime throttles: every session gets its meeting', async (t) => {
    const setupResult = await setup(t, { tps: 4 }, { maxRequestsPerSecond: 20, backoff: { baseMs: 50, capMs: 400 } });
    const { fake, provider, host } = setupResult;
    const records = Array.from({ length: 12 }, () => session());
    for (const record of records) void provider.joinInfo(record);
    await Promise.all(records.map((r) => host.readyInfo(r.sessionId, 1, 15_000)));
    assert.ok(fake.count(undefined, 429) > 0, 'Chime throttled');
    assert.ok(provider.stats.throttled > 0);
    assert.equal(fake.liveMeetings().length, 12, 'one meeting each, none twice');
    assert.equal(fake.succeeded('CreateMeetingWithAttendees').length, 12);
    assert.deepEqual(host.failed, []);
    assert.deepEqual(host.errors, []);
  });

  test('retries 5xx answers, and tells the candidate once Chime keeps failing', async (t) => {
    const setupResult = await setup(t);
    const { fake, provider, host } = setupResult;
    fake.failNext(503, 500);
    const { info } = await joined(setupResult);
    assert.ok(fake.meeting(info.meeting.MeetingId));
    fake.failNext(...Array.from({ length: 6 }, () => 503));
    const record = session();
    await provider.joinInfo(record);
    await host.until(() => host.failed.length === 1, 'the failure to be reported');
    assert.match(host.failed[0]!, /reload the page/);
    assert.equal(host.errors.length, 1, 'and logged for the operator');
    assert.equal(host.preparingNow.size, 0);
    assert.equal(provider.stats.transient, 8);
    // The candidate's next page tries again.
    await provider.joinInfo(record);
    await host.readyInfo(record.sessionId);
  });

  test('leaves out the event ingestion URL when it is switched off', async (t) => {
    const setupResult = await setup(t, {}, { eventIngestion: false });
    const { info } = await joined(setupResult);
    assert.equal(info.meeting.MediaPlacement.EventIngestionUrl, undefined);
    assert.ok(info.meeting.MediaPlacement.SignalingUrl);
  });

  test("keeps long host ids within Chime's 64 characters, distinct per feed and supervisor", async (t) => {
    const setupResult = await setup(t);
    const { provider } = setupResult;
    const long = 'c'.repeat(128);
    const { record, info } = await joined(setupResult, session(long));
    const ids = info.attendees.map((a) => a.ExternalUserId);
    for (const id of ids) assert.ok(id.length <= 64, id);
    assert.equal(new Set(ids).size, 3);
    assert.ok(ids[0]!.endsWith('/webcam'));
    const view = supervisor(await provider.viewInfo!(record, 's'.repeat(128)));
    assert.ok(view.attendee.ExternalUserId.length <= 64);
    assert.ok(view.attendee.ExternalUserId.endsWith('/supervisor'));
  });

  test('refuses options it cannot work with', () => {
    for (const options of [
      { region: 'Not a region' },
      { region: 'us-east-1', mediaRegion: '' },
      { region: 'us-east-1', maxRequestsPerSecond: 0 },
      { region: 'us-east-1', attendeesPerCreate: 2 },
      { region: 'us-east-1', attendeesPerCreate: 21 },
    ]) {
      assert.throws(() => chimeProvider(options), (error: unknown) => error instanceof KitError && error.code === 'bad-message', JSON.stringify(options));
    }
  });

  test('serves one kit only', async (t) => {
    const { provider } = await setup(t);
    assert.throws(() => provider.attach!(new RecordingHost()), (error: unknown) => error instanceof KitError && error.code === 'conflict');
  });
});
