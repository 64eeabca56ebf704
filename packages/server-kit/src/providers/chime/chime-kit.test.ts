import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { PROTOCOL_VERSION, type ProviderInfo } from '@proctorkit/core/protocol';
import { FakeChime, type FakeChimeOptions } from '../../../test-fixtures/fake-chime/fake-chime.js';
import { TestServer, commands, within, type MessageOf } from '../../test-helpers.js';
import { sqliteStore } from '../../store/sqlite/sqlite-store.js';
import { chimeProvider, type ChimeProviderOptions } from './chime-provider.js';

// The SDK warns once per process that its 2027 releases need Node 22 (see docs/guide/chime.md).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

async function chimeKit(t: TestContext, fakeOptions: FakeChimeOptions = {}, options: Partial<ChimeProviderOptions> = {}) {
  const fake = await FakeChime.start({ tps: 100, ...fakeOptions });
  t.after(() => fake.close());
  const provider = chimeProvider({
    region: 'us-east-1',
    endpoint: fake.endpoint,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'not-a-secret' },
    maxRequestsPerSecond: 50,
    progressIntervalMs: 50,
    backoff: { baseMs: 20, capMs: 500 },
    ...options,
  });
  const server = await TestServer.start(t, { provider });
  return { fake, provider, server };
}

function role(info: ProviderInfo): string {
  return info.name === 'chime' && info.state === 'ready' ? info.role : `${info.name}:${'state' in info ? info.state : ''}`;
}

function meetingId(message: MessageOf<'session.media'>): string {
  const { provider } = message;
  assert.ok(provider.name === 'chime' && provider.state === 'ready');
  return provider.meeting.MeetingId;
}

const subscribe = (sessionId: string) =>
  ({ v: PROTOCOL_VERSION, type: 'feed.subscribe', sessionId, feeds: ['webcam', 'screen'], quality: 'thumbnail' }) as const;

describe('the kit on Amazon Chime', () => {
  test("a restarted kit rejoins each session's stored meeting instead of creating another", async (t) => {
    const fake = await FakeChime.start({ tps: 100 });
    t.after(() => fake.close());
    const directory = await mkdtemp(join(tmpdir(), 'proctorkit-chime-'));
    t.after(() => rm(directory, { recursive: true, force: true }));
    const path = join(directory, 'proctorkit.db');
    const provider = () =>
      chimeProvider({ region: 'us-east-1', endpoint: fake.endpoint, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'not-a-secret' }, maxRequestsPerSecond: 50 });

    const first = await TestServer.start(t, { provider: provider(), store: sqliteStore({ path }) });
    const before = await first.candidate('ada');
    const created = meetingId(await before.client.next('session.media'));
    await first.kit.close();

    const again = await TestServer.start(t, { provider: provider(), store: sqliteStore({ path }) });
    const after = await again.candidate('ada');
    assert.equal(after.session.sessionId, before.session.sessionId);
    const { provider: info } = after.welcome;
    assert.ok(info.name === 'chime' && info.state === 'ready' && info.role === 'candidate', 'the stored meeting comes with the welcome');
    assert.equal(info.meeting.MeetingId, created);
    assert.equal(fake.count('CreateMeetingWithAttendees'), 1, 'no second meeting');
  });

  test('welcomes a candidate at once, tells it its place, then sends its meeting; supervisors see it preparing', async (t) => {
    const { fake, server } = await chimeKit(t, {}, { maxRequestsPerSecond: 2 });
    const watcher = await server.supervisor('*');
    assert.deepEqual(watcher.welcome.provider, { name: 'chime', state: 'pending' });
    const early = await Promise.all(['c0', 'c1', 'c2'].map((id) => server.candidate(id)));
    const { client, welcome, session } = await server.candidate('c3');
    assert.deepEqual(welcome.provider, { name: 'chime', state: 'pending' });
    const preparing = await client.next('session.preparing');
    assert.equal(preparing.sessionId, session.sessionId);
    assert.ok(preparing.ahead >= 1, `${preparing.ahead} ahead`);
    const media = await client.next('session.media');
    assert.equal(role(media.provider), 'candidate');
    assert.ok(fake.meeting(meetingId(media)));
    for (const { client: other } of early) assert.equal(role((await other.next('session.media')).provider), 'candidate');
    await watcher.client.next('session.updated', (m) => m.session.sessionId === session.sessionId && m.session.status === 'preparing');
    await watcher.client.next('session.updated', (m) => m.session.sessionId === session.sessionId && m.session.status === 'connecting');
    assert.deepEqual(client.all('error'), []);
  });

  test('puts a supervisor named in the token in the meeting from the start, and adds others when they subscribe', async (t) => {
    const { fake, server } = await chimeKit(t);
    const named = await server.supervisor(['ada'], { supervisorId: 'sup-named' });
    const everyone = await server.supervisor('*', { supervisorId: 'sup-all' });
    const ada = await server.candidate('ada');
    const candidateMedia = await ada.client.next('session.media');
    assert.deepEqual(fake.succeeded('CreateMeetingWithAttendees')[0]?.externalUserIds, [
      'ada/webcam',
      'ada/screen',
      'ada/phone',
      'sup-named/supervisor',
    ]);

    named.client.send(subscribe(ada.session.sessionId));
    const view = await named.client.next('session.media');
    assert.equal(view.sessionId, ada.session.sessionId);
    assert.equal(meetingId(view), meetingId(candidateMedia));
    assert.ok(view.provider.name === 'chime' && view.provider.state === 'ready' && view.provider.role === 'supervisor');
    assert.equal(view.provider.attendee.ExternalUserId, 'sup-named/supervisor');
    assert.equal(fake.count('CreateAttendee'), 0, 'the named supervisor was in the meeting already');

    everyone.client.send(subscribe(ada.session.sessionId));
    const otherView = await everyone.client.next('session.media');
    assert.ok(otherView.provider.name === 'chime' && otherView.provider.state === 'ready' && otherView.provider.role === 'supervisor');
    assert.equal(otherView.provider.attendee.ExternalUserId, 'sup-all/supervisor');
    assert.equal(fake.count('CreateAttendee', 201), 1);
  });

  test('sends a supervisor who subscribed while the meeting was created its view once, when it is ready', async (t) => {
    const { fake, server } = await chimeKit(t, {}, { maxRequestsPerSecond: 2 });
    const supervisor = await server.supervisor('*');
    await server.candidate('first');
    const { client, session } = await server.candidate('second');
    supervisor.client.send(subscribe(session.sessionId));
    const media = await client.next('session.media');
    const view = await supervisor.client.next('session.media', (m) => m.sessionId === session.sessionId);
    assert.equal(meetingId(view), meetingId(media));
    await supervisor.client.sync();
    assert.equal(supervisor.client.all('session.media').length, 1);
    // It subscribed before the request started, so the meeting was created with it.
    assert.ok(fake.succeeded('CreateMeetingWithAttendees')[1]?.externalUserIds?.includes('sup-1/supervisor'));
    assert.equal(fake.count('CreateAttendee'), 0);
  });

  test('gives a rejoining candidate its meeting in the welcome', async (t) => {
    const { fake, server } = await chimeKit(t);
    const first = await server.candidate('bo');
    const media = await first.client.next('session.media');
    await first.client.close();
    const again = await server.candidate('bo');
    assert.equal(role(again.welcome.provider), 'candidate');
    assert.deepEqual(again.welcome.provider, media.provider);
    assert.equal(fake.count('CreateMeetingWithAttendees'), 1);
  });

  test('deletes the meeting when a supervisor ends the session', async (t) => {
    const { fake, server } = await chimeKit(t);
    const supervisor = await server.supervisor('*');
    const { client, session } = await server.candidate('cy');
    const id = meetingId(await client.next('session.media'));
    await supervisor.client.command(commands.terminate(session.sessionId, 'Phone in use.'));
    await client.nextEvent('session.ended');
    for (let i = 0; i < 100 && fake.count('DeleteMeeting') === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(fake.count('DeleteMeeting', 204), 1);
    assert.equal(fake.meeting(id), undefined);
  });

  test('shows candidates no error while Chime throttles a join storm', async (t) => {
    const { fake, provider, server } = await chimeKit(t, { tps: 3 }, { maxRequestsPerSecond: 12, backoff: { baseMs: 50, capMs: 400 } });
    const candidates = await Promise.all(Array.from({ length: 10 }, (_, i) => server.candidate(`storm-${i}`)));
    // About 3 s at 3 requests per second; a client waits 2 s at most for one message.
    await within(
      (async () => {
        while (fake.succeeded('CreateMeetingWithAttendees').length < 10) await new Promise((resolve) => setTimeout(resolve, 50));
      })(),
      'ten meetings',
      15_000,
    );
    const media = await Promise.all(candidates.map(({ client }) => client.next('session.media')));
    assert.equal(new Set(media.map(meetingId)).size, 10);
    assert.ok(fake.count(undefined, 429) > 0, 'Chime throttled');
    assert.ok(provider.stats.throttled > 0);
    for (const { client } of candidates) assert.deepEqual(client.all('error'), []);
  });
});
