/// <reference path="../../../elements/test-support/mocha-globals.d.ts" />
// A paired phone against the real kit: it publishes the phone feed to a supervisor, after its
// connection drops it comes back by itself, feed and all, and it records the phone feed into runs
// the kit finishes, a reloaded phone page uploading what the last one left.
import { expect, waitUntil } from '@open-wc/testing';
import { expiryOf } from '../../test-fixtures/token-expiry.js';
import type { Feed, RecordingManifest, RecordingRun, SessionEvent } from '../protocol/index.js';
import { CandidateSession } from '../session/candidate-session.js';
import { SupervisorRoom } from '../session/supervisor-room.js';
import { PhoneSession } from './phone-session.js';

async function token(query: Record<string, string>, tokenPath = '/test-token'): Promise<string> {
  const response = await fetch(`${tokenPath}?${new URLSearchParams(query)}`);
  return ((await response.json()) as { token: string }).token;
}

const closing: { close(): void }[] = [];
afterEach(() => {
  for (const one of closing.splice(0)) one.close();
});

function phoneFrames(room: SupervisorRoom, sessionId: string): Promise<number> {
  return room.getStats().then((rows) => rows.find((r) => r.sessionId === sessionId && r.feed === 'phone')?.framesDecoded ?? 0);
}

/** Whether phone frames are being decoded now: more in a moment than before. */
async function flowing(room: SupervisorRoom, sessionId: string): Promise<boolean> {
  const before = await phoneFrames(room, sessionId);
  await new Promise((resolve) => setTimeout(resolve, 500));
  return (await phoneFrames(room, sessionId)) > before;
}

/**
 * A candidate connected to the kit at `/proctor`, and its phone's pairing secret. It captures and
 * records nothing unless `webcam`: then its webcam, from consent, in this same browser.
 */
async function pairedCandidate({ webcam = false } = {}): Promise<{ candidate: CandidateSession; candidateId: string; sessionId: string; secret: string }> {
  const candidateId = `phone-rec-${crypto.randomUUID().slice(0, 8)}`;
  const candidate = new CandidateSession({ server: '/proctor', token: await token({ candidateId, name: 'Ada' }), feeds: webcam ? ['webcam'] : [], record: webcam });
  closing.push(candidate);
  candidate.connect();
  await waitUntil(() => candidate.state.value.session, 'the candidate connected');
  const secret = new URL((await candidate.pairPhone()).url).searchParams.get('pairing')!;
  return { candidate, candidateId, sessionId: candidate.state.value.session!.sessionId, secret };
}

/** Ends the exam as a supervisor, and hands back that supervisor's token for reading the session. */
async function endExam(candidateId: string, sessionId: string): Promise<string> {
  const supervisor = await token({ role: 'supervisor', candidates: candidateId });
  const room = new SupervisorRoom({ server: '/proctor', token: supervisor });
  closing.push(room);
  room.connect();
  await waitUntil(() => room.state.value.connection === 'open', 'the supervisor connected');
  await room.terminate(sessionId, 'Recording test over.');
  return supervisor;
}

/** A feed's runs once the kit lists `count` of them, every one finished. */
async function completeRuns(sessionId: string, supervisor: string, feed: Feed, count: number): Promise<RecordingRun[]> {
  let runs: RecordingRun[] = [];
  await waitUntil(
    async () => {
      const response = await fetch(`/proctor/sessions/${sessionId}/recordings`, { headers: { authorization: `Bearer ${supervisor}` } });
      const { recordings } = (await response.json()) as RecordingManifest;
      runs = recordings.find((r) => r.feed === feed)?.runs ?? [];
      return runs.length === count && runs.every((r) => r.state === 'complete');
    },
    `the kit never listed ${count} complete ${feed} runs`,
    { timeout: 20_000, interval: 200 },
  );
  return runs;
}

/** Why each run ended, by run id, from the session's log as a supervisor reads it. */
async function runEndReasons(sessionId: string, supervisor: string): Promise<Record<string, string>> {
  const response = await fetch(`/proctor/sessions/${sessionId}/events?after=0`, { headers: { authorization: `Bearer ${supervisor}` } });
  const { events } = (await response.json()) as { events: SessionEvent[] };
  const reasons: Record<string, string> = {};
  for (const { type, data } of events) if (type === 'recording.ended') reasons[data.runId as string] = data.reason as string;
  return reasons;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PhoneSession', function () {
  this.timeout(30_000);

  it('publishes the phone feed, and reconnects by itself after a drop', async () => {
    const candidateId = `phone-${crypto.randomUUID().slice(0, 8)}`;
    const candidate = new CandidateSession({ server: '/proctor', token: await token({ candidateId, name: 'Ada' }) });
    closing.push(candidate);
    candidate.connect();
    await waitUntil(() => candidate.state.value.session, 'the candidate connected');
    const sessionId = candidate.state.value.session!.sessionId;

    const pairing = await candidate.pairPhone();
    const phone = new PhoneSession({ server: '/proctor', pairing: { pairing: new URL(pairing.url).searchParams.get('pairing')! } });
    closing.push(phone);
    await phone.start();
    const phoneFeed = () => candidate.state.value.session?.feeds.phone;
    await waitUntil(() => phoneFeed() === 'live', 'the phone feed went live', { timeout: 10_000 });
    expect(phone.state.value.name).to.equal('Ada');

    const room = new SupervisorRoom({ server: '/proctor', token: await token({ role: 'supervisor', candidates: candidateId }) });
    closing.push(room);
    room.connect();
    await waitUntil(() => room.state.value.sessions.length === 1, 'the supervisor sees the session');
    room.show([sessionId]);
    await waitUntil(() => flowing(room, sessionId), 'the supervisor decodes phone frames', { timeout: 10_000 });

    // Drop the phone's connection under it, as a network change would.
    (phone as unknown as { channel: { socket: WebSocket } }).channel.socket.close();
    await waitUntil(() => phoneFeed() === 'lost', 'the phone shows as lost', { timeout: 5000 });
    await waitUntil(() => phoneFeed() === 'live' && phone.state.value.connection === 'open', 'the phone came back', { timeout: 10_000 });
    await waitUntil(() => flowing(room, sessionId), 'phone frames flow again', { timeout: 10_000 });
  });

  it('comes back after a reload with the token renewed while it was connected, once the first expired', async () => {
    // Tokens of this kit last 3 s: the phone's first one has expired when the page reloads.
    const server = '/proctor-short-tokens';
    const candidateId = `phone-${crypto.randomUUID().slice(0, 8)}`;
    const candidate = new CandidateSession({ server, token: await token({ candidateId, name: 'Ada' }, `${server}/test-token`), feeds: [] });
    closing.push(candidate);
    candidate.connect();
    await waitUntil(() => candidate.state.value.session, 'the candidate connected');
    const secret = new URL((await candidate.pairPhone()).url).searchParams.get('pairing')!;
    const saved = () => (JSON.parse(sessionStorage.getItem(`proctorkit-phone:${secret}`) ?? '{}') as { token?: string }).token;

    const phone = new PhoneSession({ server, pairing: { pairing: secret } });
    closing.push(phone);
    await phone.start();
    const first = saved()!;
    await waitUntil(() => saved() !== first, 'the renewed token was kept for a reload', { timeout: 5000 });
    await waitUntil(() => Date.now() > expiryOf(first) + 100, 'the first token expired', { timeout: 5000 });
    phone.close();

    const reloaded = new PhoneSession({ server, pairing: { pairing: secret } });
    closing.push(reloaded);
    await reloaded.start();
    await waitUntil(() => reloaded.state.value.connection === 'open', 'the reloaded phone was let in', { timeout: 5000 });
    expect(reloaded.state.value.error).to.equal(undefined);
    await waitUntil(() => candidate.state.value.session?.feeds.phone === 'live', 'the phone feed is live again', { timeout: 10_000 });
  });

  it('records the phone camera from capture to the end of the exam into one complete run of that length, beside the exam page’s own recording in the same browser', async function () {
    this.timeout(45_000);
    const { candidate, candidateId, sessionId, secret } = await pairedCandidate({ webcam: true });
    await candidate.consent();
    const phone = new PhoneSession({ server: '/proctor', pairing: { pairing: secret } });
    closing.push(phone);
    await phone.start();
    await waitUntil(() => phone.state.value.recording?.recording.includes('phone'), 'the phone camera is never recorded', { timeout: 10_000 });
    const started = performance.now();
    await sleep(6_000);

    const supervisor = await endExam(candidateId, sessionId);
    await waitUntil(() => phone.state.value.ended, 'the phone never saw the end');
    const recordedMs = performance.now() - started;
    expect(await phone.drainRecordings(15_000)).to.equal(true, 'every chunk uploaded');
    expect(phone.state.value.recording?.recording).to.deep.equal([], 'recording stopped at the end of the exam');
    expect(phone.state.value.recording?.pendingChunks).to.equal(0);
    expect(await candidate.drainRecordings(15_000)).to.equal(true, 'every webcam chunk uploaded');

    const [webcamRun] = await completeRuns(sessionId, supervisor, 'webcam', 1);
    expect(webcamRun!.chunks.missing).to.deep.equal([], 'the phone page leaves the exam page’s recording alone');
    const [run, ...more] = await completeRuns(sessionId, supervisor, 'phone', 1);
    expect(more).to.deep.equal([]);
    expect(run!.chunks.missing).to.deep.equal([]);
    expect(run!.chunks.received).to.be.at.least(2);
    expect(run!.mimeType).to.match(/^video\/(mp4|webm)/);
    // Never longer than the time recorded; shorter by the encoder's start, which takes seconds on a busy machine.
    expect(run!.durationMs).to.be.within(recordedMs / 2, recordedMs + 500, `file ${run!.durationMs} ms, recorded ${Math.round(recordedMs)} ms`);
    expect(await runEndReasons(sessionId, supervisor)).to.deep.equal({ [webcamRun!.runId]: 'exam-ended', [run!.runId]: 'exam-ended' });
  });

  it('starts a new run each time the camera starts again, and a reloaded phone page uploads the run the last one left', async function () {
    this.timeout(60_000);
    const { candidateId, sessionId, secret } = await pairedCandidate();
    /** Waits until the phone records, then long enough for a whole chunk of the run. */
    const recordAWhile = async (phone: PhoneSession) => {
      await waitUntil(() => phone.state.value.recording?.recording.includes('phone'), 'the phone camera is never recorded', { timeout: 10_000 });
      await sleep(4_500);
    };

    const first = new PhoneSession({ server: '/proctor', pairing: { pairing: secret } });
    closing.push(first);
    await first.start();
    await recordAWhile(first);
    await first.switchCamera();
    await recordAWhile(first);
    // The page goes away while recording: its open run waits in IndexedDB.
    first.close();

    const reloaded = new PhoneSession({ server: '/proctor', pairing: { pairing: secret } });
    closing.push(reloaded);
    await reloaded.start();
    await recordAWhile(reloaded);
    const lost = reloaded.state.value.camera.track!;
    closing.push({ close: () => lost.stop() });
    lost.dispatchEvent(new Event('ended'));
    await waitUntil(() => reloaded.state.value.recording?.recording.length === 0, 'the lost camera is still recorded');
    await reloaded.retryCamera();
    await recordAWhile(reloaded);

    const supervisor = await endExam(candidateId, sessionId);
    await waitUntil(() => reloaded.state.value.ended, 'the phone never saw the end');
    expect(await reloaded.drainRecordings(15_000)).to.equal(true, 'every chunk uploaded, the last page’s included');

    const runs = await completeRuns(sessionId, supervisor, 'phone', 4);
    for (const run of runs) {
      expect(run.chunks.missing).to.deep.equal([]);
      expect(run.chunks.received).to.be.at.least(1);
      // About 4.5 s each (the last until the exam ended), less the encoder's start.
      expect(run.durationMs).to.be.within(1_500, 8_000);
    }
    const reasons = await runEndReasons(sessionId, supervisor);
    const byStart = [...runs].sort((a, b) => a.startedAt - b.startedAt);
    expect(byStart.map((r) => reasons[r.runId])).to.deep.equal(['stopped', 'page-closed', 'camera-lost', 'exam-ended']);
  });
});
