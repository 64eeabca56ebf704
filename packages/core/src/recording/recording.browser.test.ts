/// <reference path="../../../elements/test-support/mocha-globals.d.ts" />
// Recording against the real kit in headless Chromium with the fake camera: a candidate's page
// records from consent to the end of the exam and the kit finishes a file of the right length; a
// page that went away leaves its chunks in IndexedDB and the next page drains them.
import { expect, waitUntil } from '@open-wc/testing';
import type { RecordingManifest } from '../protocol/index.js';
import { CandidateSession } from '../session/candidate-session.js';
import { SupervisorRoom } from '../session/supervisor-room.js';
import { ChunkOutbox } from './chunk-outbox.js';
import { SessionRecorder } from './session-recorder.js';
import { expectPlayableAndSeekable } from '../../test-fixtures/finished-file.js';

async function token(query: Record<string, string>): Promise<string> {
  const response = await fetch(`/test-token?${new URLSearchParams(query)}`);
  return ((await response.json()) as { token: string }).token;
}

const closing: { close(): void }[] = [];
afterEach(() => {
  for (const one of closing.splice(0)) one.close();
});

async function manifest(sessionId: string, supervisor: string): Promise<RecordingManifest> {
  const response = await fetch(`/proctor/sessions/${sessionId}/recordings`, { headers: { authorization: `Bearer ${supervisor}` } });
  return (await response.json()) as RecordingManifest;
}

async function settled(sessionId: string, supervisor: string, runs: number): Promise<RecordingManifest> {
  let last: RecordingManifest | undefined;
  await waitUntil(
    async () => {
      last = await manifest(sessionId, supervisor);
      const all = last.recordings.flatMap((f) => f.runs);
      return all.length === runs && all.every((r) => r.state === 'complete');
    },
    'the runs never completed',
    { timeout: 20_000, interval: 200 },
  );
  return last!;
}

describe('recording', function () {
  this.timeout(45_000);

  it('records the webcam from consent to the end of the exam into one file of that length', async () => {
    const candidateId = `rec-${crypto.randomUUID().slice(0, 8)}`;
    const session = new CandidateSession({ server: '/proctor', token: await token({ candidateId, name: 'Ada' }), feeds: ['webcam'] });
    closing.push(session);
    session.connect();
    await waitUntil(() => session.state.value.session, 'the candidate connected');
    const sessionId = session.state.value.session!.sessionId;
    expect(session.state.value.recording?.recording).to.deep.equal([], 'nothing is recorded before consent');
    await session.consent();
    await waitUntil(() => session.state.value.recording?.recording.includes('webcam'), 'the webcam is never recorded');
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 9_000));

    const supervisor = await token({ role: 'supervisor', candidates: candidateId });
    const room = new SupervisorRoom({ server: '/proctor', token: supervisor });
    closing.push(room);
    room.connect();
    await waitUntil(() => room.state.value.connection === 'open');
    await room.terminate(sessionId, 'Recording test over.');
    await waitUntil(() => session.state.value.ended, 'the exam never ended');
    const recordedMs = performance.now() - started;
    expect(await session.drainRecordings(15_000)).to.equal(true, 'every chunk uploaded');
    expect(session.state.value.recording?.pendingChunks).to.equal(0);

    const { recordings, gaps } = await settled(sessionId, supervisor, 1);
    const [run] = recordings[0]!.runs;
    expect(recordings[0]!.feed).to.equal('webcam');
    expect(run!.chunks.missing).to.deep.equal([]);
    expect(run!.chunks.received).to.be.at.least(3);
    expect(run!.mimeType, 'H.264 in MP4 where the browser records it').to.match(/^video\/mp4;codecs=avc1/);
    expect(Math.abs(run!.durationMs! - recordedMs)).to.be.below(1_000, `file ${run!.durationMs} ms, recorded ${Math.round(recordedMs)} ms`);
    expect(gaps).to.deep.equal([]);

    // The finished file plays and seeks in the browser: it has a duration, and the middle can be shown.
    await expectPlayableAndSeekable(run!.url!, supervisor);
  });

  it('tells the supervisors how much of a feed waits on the page to upload, and when it is all stored', async () => {
    const candidateId = `rec-backlog-${crypto.randomUUID().slice(0, 8)}`;
    const session = new CandidateSession({ server: '/proctor', token: await token({ candidateId, name: 'Ada' }), feeds: ['webcam'] });
    closing.push(session);
    session.connect();
    await waitUntil(() => session.state.value.session, 'the candidate connected');
    const sessionId = session.state.value.session!.sessionId;
    const room = new SupervisorRoom({ server: '/proctor', token: await token({ role: 'supervisor', candidates: candidateId }) });
    closing.push(room);
    room.connect();
    const seen = () => room.state.value.sessions.find((s) => s.sessionId === sessionId)?.recording?.webcam;

    // The chunks cannot reach the kit (the control channel still can): they wait on the page.
    const realFetch = window.fetch;
    window.fetch = (input, init) => (String(input).includes('/chunks/') ? Promise.reject(new TypeError('Failed to fetch')) : realFetch(input, init));
    try {
      await session.consent();
      await waitUntil(() => (seen()?.pendingMs ?? 0) >= 4_000, 'the supervisor never saw a backlog', { timeout: 20_000 });
      expect(seen()!.state).to.equal('recording');
    } finally {
      window.fetch = realFetch;
    }
    window.dispatchEvent(new Event('online'));
    await waitUntil(() => seen()?.pendingMs === 0, 'the supervisor never saw the backlog stored', { timeout: 20_000 });
    expect(seen()!.state).to.equal('recording');
  });

  it('keeps chunks the kit did not take across a page that went away, and the next page drains them as a run of its own', async () => {
    const candidateId = `rec-reload-${crypto.randomUUID().slice(0, 8)}`;
    const candidateToken = await token({ candidateId, name: 'Ada' });
    const session = new CandidateSession({ server: '/proctor', token: candidateToken, feeds: [], record: false });
    closing.push(session);
    session.connect();
    await waitUntil(() => session.state.value.session, 'the candidate connected');
    const sessionId = session.state.value.session!.sessionId;
    const outbox = new ChunkOutbox(`proctorkit-recordings-test-${crypto.randomUUID()}`);
    const camera = (await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } })).getVideoTracks()[0]!;
    closing.push({ close: () => camera.stop() });

    // The first page cannot reach the kit (its token is refused): its chunks wait in the outbox.
    const first = new SessionRecorder({ server: '/proctor', token: () => 'not.a.token', now: () => Date.now(), outbox, settings: { webcam: { timesliceMs: 1_000 } } });
    await first.bind(sessionId);
    await first.record('webcam', camera);
    await waitUntil(() => first.state.value.pendingChunks >= 3, 'chunks never waited', { timeout: 10_000 });
    expect(first.state.value.problem).to.match(/busy|connection/);
    first.close();

    const second = new SessionRecorder({ server: '/proctor', token: () => candidateToken, now: () => Date.now(), outbox, settings: { webcam: { timesliceMs: 1_000 } } });
    closing.push(second);
    await second.bind(sessionId);
    await second.record('webcam', camera);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await second.stopAll('exam-ended');
    expect(await second.drain(15_000)).to.equal(true);

    const supervisor = await token({ role: 'supervisor', candidates: candidateId });
    const { recordings, gaps } = await settled(sessionId, supervisor, 2);
    expect(recordings[0]!.runs.map((r) => r.chunks.missing)).to.deep.equal([[], []]);
    expect(recordings[0]!.runs[0]!.chunks.received).to.be.at.least(3);
    expect(gaps.map((g) => g.reason)).to.deep.equal(['page-closed']);
    expect(await outbox.runs(sessionId)).to.deep.equal([], 'the outbox is empty');
  });
});
