/// <reference path="../../../../elements/test-support/mocha-globals.d.ts" />
// The Chime provider's browser half against a real server kit on the Chime provider (fake control
// plane) with a fake of the Chime browser SDK: what joins which meeting, what the supervisor sees.
import { expect, waitUntil } from '@open-wc/testing';
import { FakeChimeSdk, Status } from '../../../test-fixtures/fake-chime-sdk.js';
import { CandidateSession } from '../../session/candidate-session.js';
import { SupervisorRoom } from '../../session/supervisor-room.js';
import { loadChimeSdk } from './chime-sdk.js';

const SERVER = '/proctor-chime';
/** A kit on Chime at 4 requests a second, where a few joins always make a queue. */
const SLOW_SERVER = '/proctor-chime-slow';

async function token(query: Record<string, string>, base = SERVER): Promise<string> {
  const response = await fetch(`${base === '/proctor' ? '/test-token' : `${base}/test-token`}?${new URLSearchParams(query)}`);
  return ((await response.json()) as { token: string }).token;
}

function uniqueId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanUp of cleanups.splice(0)) cleanUp();
});

async function candidate(sdk: FakeChimeSdk, candidateId = uniqueId('cand')) {
  const session = new CandidateSession({ server: SERVER, token: await token({ candidateId, name: candidateId }), chimeSdk: sdk.loader });
  cleanups.push(() => session.close());
  session.connect();
  await waitUntil(() => session.state.value.session, 'the candidate was not welcomed', { timeout: 5000 });
  return { session, candidateId, sessionId: session.state.value.session!.sessionId };
}

async function room(sdk: FakeChimeSdk, candidates: string[]) {
  const supervisor = new SupervisorRoom({
    server: SERVER,
    token: await token({ role: 'supervisor', candidates: candidates.join(',') }),
    chimeSdk: sdk.loader,
  });
  cleanups.push(() => supervisor.close());
  supervisor.connect();
  await waitUntil(() => supervisor.state.value.sessions.length === candidates.length, 'the room did not list its candidates', { timeout: 5000 });
  return supervisor;
}

describe('Chime provider (browser half)', function () {
  this.timeout(20_000);

  it('sends each captured feed as its own attendee and starts the clock once the meeting is ready', async () => {
    const sdk = new FakeChimeSdk();
    const { session, candidateId } = await candidate(sdk);
    await session.consent();
    await waitUntil(() => session.clock().started, 'the clock did not start', { timeout: 5000 });

    // The clock does not wait for Chime to connect: the meeting sessions join beside it.
    await waitUntil(() => sdk.sender(`${candidateId}/webcam`)?.state === 'live' && sdk.sender(`${candidateId}/screen`)?.state === 'live', 'the feeds did not join', {
      timeout: 5000,
    });
    const webcam = sdk.sender(`${candidateId}/webcam`);
    const screen = sdk.sender(`${candidateId}/screen`);
    // Both go as video inputs (not content share), each a clone of the captured track.
    const captured = session.state.value.feeds.webcam.track!;
    expect(webcam!.sentTrack).to.exist.and.not.equal(captured);
    expect(webcam!.sentTrack!.label).to.equal(captured.label);
    expect(screen!.sentTrack!.label).to.equal(session.state.value.feeds.screen.track!.label);
    expect(sdk.live('viewer')).to.have.length(0);
    expect(session.state.value.preparing).to.equal(undefined);
  });

  it('tells candidates waiting for their meeting how many are ahead, and starts their clocks once it is ready', async () => {
    const sdk = new FakeChimeSdk();
    // 8 joins at the kit's 4 requests/s: a queue of ≈ 2 s, however slowly a loaded box lets them in.
    const ids = Array.from({ length: 8 }, () => uniqueId('burst'));
    const tokens = await Promise.all(ids.map((candidateId) => token({ candidateId, name: candidateId }, SLOW_SERVER)));
    const sessions = tokens.map((t) => new CandidateSession({ server: SLOW_SERVER, token: t, chimeSdk: sdk.loader }));
    let mostAhead = 0;
    for (const session of sessions) {
      cleanups.push(() => session.close());
      session.state.subscribe(({ preparing }) => (mostAhead = Math.max(mostAhead, preparing?.ahead ?? 0)));
      session.connect();
    }
    // The last ones wait longest: they consent at once, and their clocks start once their meetings are ready.
    const last = sessions.slice(-3);
    await Promise.all(last.map((session) => session.consent()));
    await waitUntil(() => last.every((session) => session.clock().started), 'not every clock started', { timeout: 10_000 });
    expect(mostAhead).to.be.greaterThan(0);
    await waitUntil(() => sessions.every((session) => session.state.value.preparing === undefined), 'some were still preparing', { timeout: 5000 });
  });

  it('shows the supervisor each feed bound by its attendee, small until focused', async () => {
    const sdk = new FakeChimeSdk();
    const { session, candidateId, sessionId } = await candidate(sdk);
    await session.consent();
    const supervisor = await room(sdk, [candidateId]);
    supervisor.show([sessionId]);

    await waitUntil(() => {
      const feeds = supervisor.streams.value.get(sessionId);
      return feeds?.webcam && feeds.screen;
    }, 'the supervisor did not get both feeds', { timeout: 5000 });
    const feeds = supervisor.streams.value.get(sessionId)!;
    expect(feeds.webcam!.getVideoTracks()[0]).to.equal(sdk.sender(`${candidateId}/webcam`)!.sentTrack);
    expect(feeds.screen!.getVideoTracks()[0]).to.equal(sdk.sender(`${candidateId}/screen`)!.sentTrack);

    const [viewer] = sdk.live('viewer');
    expect(viewer!.join.attendee.ExternalUserId).to.match(/\/supervisor$/);
    // Every feed's attendee (the phone's too, for when it pairs), thumbnails until focused.
    expect(viewer!.wishes.map((w) => w.size)).to.deep.equal(['small', 'small', 'small']);
    supervisor.focus(sessionId);
    expect(viewer!.wishes.map((w) => w.size)).to.deep.equal(['large', 'large', 'large']);

    const stats = await supervisor.getStats();
    expect(stats.map((s) => s.feed).sort()).to.deep.equal(['screen', 'webcam']);
    expect(stats.every((s) => s.candidateId === candidateId && s.width > 0)).to.equal(true);
  });

  it('holds one meeting session per candidate on screen, and leaves those paged away', async () => {
    const sdk = new FakeChimeSdk();
    const candidates = await Promise.all(Array.from({ length: 18 }, () => candidate(sdk)));
    const supervisor = await room(sdk, candidates.map((c) => c.candidateId));
    const ids = candidates.map((c) => c.sessionId);

    supervisor.show(ids.slice(0, 4));
    await waitUntil(() => sdk.live('viewer').length === 4, 'the first page did not join', { timeout: 5000 });
    const firstPage = sdk.live('viewer');

    supervisor.show(ids.slice(4, 8));
    await waitUntil(() => sdk.live('viewer').length === 4 && firstPage.every((s) => s.state === 'stopped'), 'paging did not swap the meetings', {
      timeout: 5000,
    });

    // More candidates on screen than a page holds: never more than 16 meeting sessions.
    supervisor.show(ids);
    await waitUntil(() => sdk.live('viewer').length === 16, 'the pool did not fill', { timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sdk.live('viewer')).to.have.length(16);
  });

  it('retries a stop Chime can recover from and reports a terminal one as a lost feed', async () => {
    const sdk = new FakeChimeSdk();
    const { session, candidateId, sessionId } = await candidate(sdk);
    await session.consent();
    const supervisor = await room(sdk, [candidateId]);
    await waitUntil(() => sdk.sender(`${candidateId}/webcam`)?.state === 'live', 'the webcam did not join', { timeout: 5000 });

    const webcam = sdk.sender(`${candidateId}/webcam`)!;
    webcam.failWith(Status.SignalingInternalServerError, false);
    expect(webcam.state).to.equal('stopped');
    await waitUntil(() => webcam.state === 'live', 'the link did not reconnect', { timeout: 5000 });

    const summary = () => supervisor.state.value.sessions.find((s) => s.sessionId === sessionId)!;
    await waitUntil(() => summary().feeds.webcam === 'live', 'the webcam was not live', { timeout: 5000 });
    sdk.sender(`${candidateId}/screen`)!.failWith(Status.JoinedFromAnotherDevice, true);
    await waitUntil(() => summary().feeds.screen === 'lost', 'the supervisor did not see the screen lost', { timeout: 5000 });
    supervisor.loadHistory(sessionId);
    await waitUntil(
      () => supervisor.state.value.events.get(sessionId)?.some((e) => e.type === 'log.chime.feed-stopped' && e.data.status === 'AudioJoinedFromAnotherDevice'),
      'the stop was not logged with its reason',
      { timeout: 5000 },
    );
  });

  it("writes Chime's meeting events into the session log", async () => {
    const sdk = new FakeChimeSdk();
    const { session, candidateId, sessionId } = await candidate(sdk);
    await session.consent();
    const supervisor = await room(sdk, [candidateId]);
    await waitUntil(() => sdk.sender(`${candidateId}/webcam`)?.state === 'live', 'the webcam did not join', { timeout: 5000 });
    sdk.sender(`${candidateId}/webcam`)!.emit('signalingDropped', { signalingDroppedErrorMessage: 'socket closed', attendeeId: 'secret-ish' });
    sdk.sender(`${candidateId}/webcam`)!.emit('audioInputSelected', {});

    supervisor.loadHistory(sessionId);
    await waitUntil(() => supervisor.state.value.events.get(sessionId)?.some((e) => e.type === 'log.chime.signaling-dropped'), 'no signaling-dropped line', {
      timeout: 5000,
    });
    const lines = supervisor.state.value.events.get(sessionId)!.filter((e) => e.type.startsWith('log.chime.'));
    const dropped = lines.find((e) => e.type === 'log.chime.signaling-dropped')!;
    expect(dropped.data).to.deep.equal({ feed: 'webcam', signalingDroppedErrorMessage: 'socket closed' });
    expect(lines.some((e) => e.type === 'log.chime.meeting-start-succeeded' && e.data.feed === 'screen')).to.equal(true);
    expect(lines.some((e) => e.type.includes('audio-input'))).to.equal(false);
  });

  it('rejoins when the meeting of a watched session ends under the supervisor', async () => {
    const sdk = new FakeChimeSdk();
    const { session, candidateId, sessionId } = await candidate(sdk);
    await session.consent();
    const supervisor = await room(sdk, [candidateId]);
    supervisor.show([sessionId]);
    await waitUntil(() => sdk.live('viewer').length === 1, 'the supervisor did not join', { timeout: 5000 });
    const first = sdk.live('viewer')[0]!;
    first.failWith(Status.MeetingEnded, true);
    expect(supervisor.streams.value.get(sessionId)).to.equal(undefined);
    await waitUntil(() => sdk.live('viewer').length === 1 && sdk.live('viewer')[0] !== first, 'the supervisor did not rejoin', { timeout: 8000 });
    await waitUntil(() => supervisor.streams.value.get(sessionId)?.webcam, 'the webcam did not come back', { timeout: 5000 });
  });
});

describe('Chime SDK loading', function () {
  this.timeout(20_000);

  it('a page on the local provider never downloads the Chime SDK', async () => {
    const candidateId = uniqueId('local');
    const session = new CandidateSession({ server: '/proctor', token: await token({ candidateId, name: candidateId }, '/proctor') });
    cleanups.push(() => session.close());
    session.connect();
    await session.consent();
    await waitUntil(() => session.clock().started, 'the local exam did not start', { timeout: 5000 });
    const requested = performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(requested.some((url) => /chime-sdk-module|amazon-chime/.test(url))).to.equal(false);
  });

  it('loads the real SDK on demand and makes meeting sessions with it', async () => {
    const sdk = await loadChimeSdk();
    expect(await loadChimeSdk()).to.equal(sdk);
    expect(performance.getEntriesByType('resource').some((entry) => entry.name.includes('chime-sdk-module'))).to.equal(true);
    const meeting = {
      MeetingId: 'a0000000-0000-4000-8000-000000000001',
      MediaRegion: 'us-east-1',
      MediaPlacement: {
        AudioHostUrl: 'audio.invalid:3478',
        AudioFallbackUrl: 'wss://audio.invalid/calls/x',
        SignalingUrl: 'wss://signal.invalid/control/x',
        TurnControlUrl: 'https://turn.invalid/v2/turn_sessions',
      },
    };
    const attendee = { ExternalUserId: 'sup-1/supervisor', AttendeeId: 'b0000000-0000-4000-8000-000000000002', JoinToken: 'join-token' };
    const viewer = sdk.createMeetingSession({ meeting, attendee }, 'viewer');
    expect(viewer.audioVideo.start).to.be.a('function');
    viewer.chooseVideos([{ attendeeId: 'c0000000-0000-4000-8000-000000000003', size: 'large' }]);
    expect(sdk.statusName(5)).to.equal('MeetingEnded');
  });
});
