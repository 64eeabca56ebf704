/// <reference path="../../../elements/test-support/mocha-globals.d.ts" />
// Direct uploads against a real kit whose recordings go to an S3 bucket (s3rver) in headless
// Chromium with the fake camera: the page PUTs each chunk to the bucket with a URL the kit signed,
// never through the kit, and the kit finishes the run from the bucket. What the kit and the bucket
// were asked comes from the test server (test/support/wtr-s3.ts), which can also hold an upload
// until its URL has expired.
import { expect, waitUntil } from '@open-wc/testing';
import type { RecordingManifest, RecordingRun } from '../protocol/index.js';
import { CandidateSession } from '../session/candidate-session.js';
import { ChunkOutbox } from './chunk-outbox.js';
import { SessionRecorder } from './session-recorder.js';
import { expectPlayableAndSeekable } from '../../test-fixtures/finished-file.js';

const SERVER = '/proctor-s3';
/** The test kit's upload URLs last 3 s (S3_KIT_URL_SECONDS in test/support/wtr-s3.ts). */
const URL_LIFETIME_MS = 3_000;

interface KitRequest {
  method: string;
  path: string;
  status: number;
}

interface BucketRequest {
  method: string;
  path: string;
  origin?: string;
  status: number;
  contentMd5?: string;
  storedMd5?: string;
}

async function token(query: Record<string, string>): Promise<string> {
  const response = await fetch(`${SERVER}/test-token?${new URLSearchParams(query)}`);
  return ((await response.json()) as { token: string }).token;
}

async function observed<T>(what: 'kit-requests' | 'bucket-requests', sessionId: string): Promise<T[]> {
  return (await (await fetch(`${SERVER}-observed/${what}?session=${sessionId}`)).json()) as T[];
}

/** The PUTs of a run's chunks the bucket answered, in the order it answered them. */
async function bucketPuts(sessionId: string, runId: string): Promise<BucketRequest[]> {
  return (await observed<BucketRequest>('bucket-requests', sessionId)).filter((r) => r.method === 'PUT' && r.path.includes(`/${runId}/`));
}

function seqOf(request: { path: string }): number {
  return Number(/\/(\d{6})$/.exec(request.path)![1]);
}

function hexOfBase64(base64: string): string {
  return [...atob(base64)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}

async function completeRuns(sessionId: string, supervisor: string, runs: number): Promise<RecordingRun[]> {
  let last: RecordingRun[] = [];
  await waitUntil(
    async () => {
      const response = await fetch(`${SERVER}/sessions/${sessionId}/recordings`, { headers: { authorization: `Bearer ${supervisor}` } });
      last = ((await response.json()) as RecordingManifest).recordings.flatMap((f) => f.runs);
      return last.length === runs && last.every((r) => r.state === 'complete');
    },
    'the runs never completed',
    { timeout: 20_000, interval: 200 },
  );
  return last;
}

const closing: { close(): void }[] = [];
afterEach(() => {
  for (const one of closing.splice(0)) one.close();
});

/** A connected candidate (recording nothing itself), a fake camera, and an outbox of the test's own. */
async function candidate(name: string) {
  const candidateId = `${name}-${crypto.randomUUID().slice(0, 8)}`;
  const candidateToken = await token({ candidateId, name: 'Ada' });
  const session = new CandidateSession({ server: SERVER, token: candidateToken, feeds: [], record: false });
  closing.push(session);
  session.connect();
  await waitUntil(() => session.state.value.session, 'the candidate connected');
  const camera = (await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } })).getVideoTracks()[0]!;
  closing.push({ close: () => camera.stop() });
  const outbox = new ChunkOutbox(`proctorkit-recordings-test-${crypto.randomUUID()}`);
  const supervisor = await token({ role: 'supervisor', candidates: candidateId });
  return { sessionId: session.state.value.session!.sessionId, candidateToken, camera, outbox, supervisor };
}

describe('direct upload to S3', function () {
  this.timeout(45_000);

  it('puts every chunk straight into the bucket, none through the kit, and the kit finishes a seekable file from them', async () => {
    const { sessionId, candidateToken, camera, outbox, supervisor } = await candidate('direct');
    const recorder = new SessionRecorder({ server: SERVER, token: () => candidateToken, now: () => Date.now(), outbox, settings: { webcam: { timesliceMs: 1_000 } } });
    closing.push(recorder);
    await recorder.bind(sessionId);
    await recorder.record('webcam', camera);
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    await recorder.stopAll('exam-ended');
    const recordedMs = performance.now() - started;
    expect(await recorder.drain(15_000)).to.equal(true, 'every chunk uploaded');
    expect(recorder.state.value.problem).to.equal(undefined);

    const [run] = await completeRuns(sessionId, supervisor, 1);
    expect(run!.chunks.missing).to.deep.equal([]);
    const chunks = run!.chunks.received;
    // An MP4 recorder cuts its fragments at keyframes (every 2 s), whatever the timeslice.
    expect(chunks).to.be.at.least(2);
    // Loose: a busy machine's MediaRecorder drops frames (recording.browser.test.ts checks the length).
    expect(run!.durationMs).to.be.above(recordedMs / 2, `file ${run!.durationMs} ms, recorded ${Math.round(recordedMs)} ms`);

    // The bytes went from this page to the bucket: one PUT per chunk, from this origin, each with
    // the MD5 of the bytes the bucket stored (S3 refuses a body that does not match it).
    const puts = await bucketPuts(sessionId, run!.runId);
    const stored = puts.filter((p) => p.status === 200);
    expect(stored.map(seqOf).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: chunks }, (_, seq) => seq));
    for (const put of puts) expect(put.origin).to.equal(location.origin);
    for (const put of stored) expect(hexOfBase64(put.contentMd5!)).to.equal(put.storedMd5);
    // The kit only signed: it was asked where each chunk goes, and no chunk's bytes were PUT to it.
    const kit = await observed<KitRequest>('kit-requests', sessionId);
    expect(kit.filter((r) => r.method === 'PUT')).to.deep.equal([]);
    expect(kit.filter((r) => r.method === 'POST' && /\/chunks\/\d+\/upload$/.test(r.path) && r.status === 200)).to.have.length.of.at.least(chunks);

    await expectPlayableAndSeekable(run!.url!, supervisor);
  });

  it('asks again for a URL that expired before its chunk reached the bucket, and the chunk arrives', async () => {
    const { sessionId, candidateToken, camera, outbox, supervisor } = await candidate('expired');
    // The first chunk's PUT reaches the bucket only after its URL has expired.
    await fetch(`${SERVER}-observed/delay-next-bucket-put?ms=${URL_LIFETIME_MS + 1_500}`, { method: 'POST' });
    const recorder = new SessionRecorder({ server: SERVER, token: () => candidateToken, now: () => Date.now(), outbox, settings: { webcam: { timesliceMs: 1_000 } } });
    closing.push(recorder);
    await recorder.bind(sessionId);
    await recorder.record('webcam', camera);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await recorder.stopAll('exam-ended');
    expect(await recorder.drain(20_000)).to.equal(true, 'every chunk uploaded');

    const [run] = await completeRuns(sessionId, supervisor, 1);
    expect(run!.chunks.missing).to.deep.equal([]);
    const puts = await bucketPuts(sessionId, run!.runId);
    expect(puts[0]).to.include({ status: 403 }, 'the bucket refused the expired URL');
    const refused = seqOf(puts[0]!);
    expect(puts.filter((p) => seqOf(p) === refused).map((p) => p.status)).to.deep.equal([403, 200], 'the chunk was put again with a new URL');
    expect(puts.filter((p) => p.status === 200).map(seqOf).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: run!.chunks.received }, (_, seq) => seq));
  });

  it('remembers that a run uploads directly, so the next page drains what the first left straight to the bucket', async () => {
    const { sessionId, candidateToken, camera, outbox, supervisor } = await candidate('reload');
    // The first page's token stops working once its run started: its chunks wait in the outbox.
    let firstToken = candidateToken;
    const first = new SessionRecorder({ server: SERVER, token: () => firstToken, now: () => Date.now(), outbox, settings: { webcam: { timesliceMs: 1_000 } } });
    await first.bind(sessionId);
    await first.record('webcam', camera);
    await waitUntil(async () => (await outbox.runs(sessionId))[0]?.announced, 'the run never started on the kit', { timeout: 10_000, interval: 50 });
    firstToken = 'not.a.token';
    await waitUntil(() => first.state.value.pendingChunks >= 2, 'chunks never waited', { timeout: 10_000 });
    // The stopped MediaRecorder still hands over a last slice, after the next page ended the run: it must not undo that end.
    first.close();
    const [left] = await outbox.runs(sessionId);
    expect(left).to.include({ announced: true, upload: 'direct' });

    const second = new SessionRecorder({ server: SERVER, token: () => candidateToken, now: () => Date.now(), outbox, settings: { webcam: { timesliceMs: 1_000 } } });
    closing.push(second);
    await second.bind(sessionId);
    await second.record('webcam', camera);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await second.stopAll('exam-ended');
    expect(await second.drain(15_000)).to.equal(true);

    const runs = await completeRuns(sessionId, supervisor, 2);
    expect(runs.map((r) => r.chunks.missing)).to.deep.equal([[], []]);
    const leftRun = runs.find((r) => r.runId === left!.runId)!;
    const stored = (await bucketPuts(sessionId, leftRun.runId)).filter((p) => p.status === 200);
    expect(stored.map(seqOf).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: leftRun.chunks.received }, (_, seq) => seq));
    expect((await observed<KitRequest>('kit-requests', sessionId)).filter((r) => r.method === 'PUT')).to.deep.equal([], 'no chunk went through the kit');
    expect(await outbox.runs(sessionId)).to.deep.equal([], 'the outbox is empty');
  });
});
