import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { RECORDING_CHUNK_MAX_BYTES } from '@proctorkit/core/protocol';
import { assertError, delay } from '../test-helpers.js';
import { decodeFrameAt, hasFfmpeg, probe } from './ffprobe-test-support.js';
import { parseRange } from './recording-routes.js';
import { ADA, BOB, RecordingClient, cut, phoneToken, recorded, recordingServer, type RecordingServer } from './recording-test-support.js';

const ffmpeg = await hasFfmpeg();

async function download(t: TestContext, kit: RecordingServer, url: string, extension: string): Promise<string> {
  const response = await fetch(`${kit.server.origin}${url}`, { headers: { authorization: `Bearer ${kit.supervisor}` } });
  assert.equal(response.status, 200);
  const dir = await mkdtemp(join(tmpdir(), 'proctorkit-download-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, `run.${extension}`);
  await writeFile(path, new Uint8Array(await response.arrayBuffer()));
  return path;
}

async function recordingEvents(kit: RecordingServer, sessionId = ADA) {
  return (await kit.server.kit.sessions.events(sessionId)).filter((e) => e.type.startsWith('recording.'));
}

describe('recording a feed through the kit', () => {
  test('a run of chunks becomes one seekable WebM with its duration, listed in the manifest and served with Range', async (t) => {
    const kit = await recordingServer(t);
    const candidate = new RecordingClient(kit.server, kit.ada);
    const startedAt = Date.now() - 6_000;
    const runId = await candidate.record('webcam', cut(await recorded('webm')), { startedAt, endedAt: startedAt + 6_000 });

    const manifest = await new RecordingClient(kit.server, kit.supervisor).settledManifest();
    assert.equal(manifest.recordings.length, 1);
    const [run, ...others] = manifest.recordings[0]!.runs;
    assert.deepEqual(others, []);
    assert.equal(manifest.recordings[0]!.feed, 'webcam');
    assert.equal(run!.runId, runId);
    assert.equal(run!.state, 'complete');
    assert.equal(run!.startedAt, startedAt);
    assert.equal(run!.endedAt, startedAt + 6_000);
    assert.equal(run!.mimeType, 'video/webm;codecs=vp8');
    assert.ok(Math.abs(run!.durationMs! - 6_000) < 1_000, `duration ${run!.durationMs} ms`);
    assert.deepEqual(run!.chunks, { received: 3, missing: [] });
    assert.match(run!.url!, new RegExp(`^/proctor/sessions/${ADA}/recordings/webcam/runs/${runId}/file\\?expires=\\d+&signature=[\\w-]{43}$`), 'a signed link');
    assert.deepEqual(manifest.gaps, []);

    const whole = await fetch(`${kit.server.origin}${run!.url}`, { headers: { authorization: `Bearer ${kit.supervisor}` } });
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('content-type'), 'video/webm');
    assert.match(whole.headers.get('cache-control') ?? '', /^private/);
    assert.equal(whole.headers.get('accept-ranges'), 'bytes');
    const bytes = new Uint8Array(await whole.arrayBuffer());
    assert.equal(bytes.length, run!.bytes);

    const part = await fetch(`${kit.server.origin}${run!.url}`, { headers: { authorization: `Bearer ${kit.supervisor}`, range: 'bytes=100-199' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 100-199/${run!.bytes}`);
    assert.deepEqual(new Uint8Array(await part.arrayBuffer()), bytes.slice(100, 200));
    const beyond = await fetch(`${kit.server.origin}${run!.url}`, { headers: { authorization: `Bearer ${kit.supervisor}`, range: `bytes=${run!.bytes}-` } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('content-range'), `bytes */${run!.bytes}`);

    assert.deepEqual((await recordingEvents(kit)).map((e) => e.type), ['recording.started', 'recording.ended', 'recording.complete']);
    assert.deepEqual(await kit.recordings.list(`recordings/${ADA}/webcam/${runId}/`), [], 'the chunks are gone once the file holds them');
  });

  test('ffprobe finds the duration within 1 s and decodes a frame in the middle', { skip: !ffmpeg && 'ffmpeg is not installed' }, async (t) => {
    const kit = await recordingServer(t);
    await new RecordingClient(kit.server, kit.ada).record('webcam', cut(await recorded('webm'), 4));
    const [run] = (await new RecordingClient(kit.server, kit.supervisor).settledManifest()).recordings[0]!.runs;
    const path = await download(t, kit, run!.url!, 'webm');
    const { durationS, formatName } = await probe(path);
    assert.match(formatName, /webm/);
    assert.ok(Math.abs(durationS - 6) < 1, `ffprobe says ${durationS} s`);
    await decodeFrameAt(path, durationS / 2);
  });

  test('an MP4 run is remuxed from the recorder’s fragments into one seekable MP4 with its duration', { skip: !ffmpeg && 'ffmpeg is not installed' }, async (t) => {
    const kit = await recordingServer(t);
    const mp4 = await recorded('mp4');
    await new RecordingClient(kit.server, kit.ada).record('screen', cut(mp4, 2), { mimeType: 'video/mp4;codecs=avc1' });
    const [run] = (await new RecordingClient(kit.server, kit.supervisor).settledManifest()).recordings[0]!.runs;
    assert.equal(run!.state, 'complete');
    assert.equal(run!.mimeType, 'video/mp4;codecs=avc1');
    assert.ok(Math.abs(run!.durationMs! - 6_000) < 1_000, `duration ${run!.durationMs} ms`);
    const path = await download(t, kit, run!.url!, 'mp4');
    assert.ok(Math.abs((await probe(path)).durationS - 6) < 1);
    await decodeFrameAt(path, 3);
  });

  test('the same chunk again succeeds and changes nothing; other bytes for a stored chunk are a conflict', async (t) => {
    const kit = await recordingServer(t);
    const candidate = new RecordingClient(kit.server, kit.ada);
    const [first, second] = cut(await recorded('webm'), 2);
    const runId = randomUUID();
    assert.equal((await candidate.start('webcam', { runId })).status, 201);
    assert.equal((await candidate.start('webcam', { runId })).status, 201, 'starting the same run again is no error');
    assert.equal((await candidate.chunk('webcam', runId, 0, first!)).status, 201);
    assert.equal((await candidate.chunk('webcam', runId, 0, first!)).status, 200);
    assert.equal((await candidate.chunk('webcam', runId, 1, second!)).status, 201);
    const other = Buffer.from(second!);
    other[10] ^= 0xff;
    await assertError(await candidate.chunk('webcam', runId, 1, other), 409, 'conflict', /other bytes/);
    const stored = await kit.recordings.read(`recordings/${ADA}/webcam/${runId}/000001`);
    assert.ok(stored);
    assert.equal(stored.bytes, second!.length, 'the stored chunk is the first one sent');
    assert.deepEqual((await recordingEvents(kit)).map((e) => e.type), ['recording.started'], 'one start logged');
  });

  test('a run ended before its last chunk arrived is finished when that chunk comes', async (t) => {
    const kit = await recordingServer(t);
    const candidate = new RecordingClient(kit.server, kit.ada);
    const chunks = cut(await recorded('webm'), 3);
    const runId = randomUUID();
    await candidate.start('webcam', { runId });
    await candidate.chunk('webcam', runId, 0, chunks[0]!);
    await candidate.chunk('webcam', runId, 2, chunks[2]!);
    assert.equal((await candidate.end('webcam', runId, 3)).status, 200);
    const supervisor = new RecordingClient(kit.server, kit.supervisor);
    const waiting = (await supervisor.manifest()).recordings[0]!.runs[0]!;
    assert.equal(waiting.state, 'uploading');
    assert.deepEqual(waiting.chunks, { received: 2, missing: [1] });
    await candidate.chunk('webcam', runId, 1, chunks[1]!);
    assert.equal((await supervisor.settledManifest()).recordings[0]!.runs[0]!.state, 'complete');
  });

  test('bytes that are no recording end the run incomplete, saying why, and keep its chunks', async (t) => {
    const kit = await recordingServer(t);
    const candidate = new RecordingClient(kit.server, kit.ada);
    const header = (await recorded('webm')).subarray(0, 4);
    const runId = await candidate.record('webcam', [Buffer.concat([header, Buffer.alloc(3000, 0xff)])]);
    const run = (await new RecordingClient(kit.server, kit.supervisor).settledManifest()).recordings[0]!.runs[0]!;
    assert.equal(run.state, 'incomplete');
    assert.equal(run.url, null);
    const incomplete = (await recordingEvents(kit)).find((e) => e.type === 'recording.incomplete');
    assert.match(String(incomplete?.data.problem), /could not be made into a file/);
    assert.equal((await kit.recordings.list(`recordings/${ADA}/webcam/${runId}/`)).length, 1);
  });

  test('the gaps between runs carry the reason the run before ended', async (t) => {
    const kit = await recordingServer(t);
    const candidate = new RecordingClient(kit.server, kit.ada);
    const chunks = cut(await recorded('webm'), 1);
    const t0 = Date.now() - 50_000;
    await candidate.record('screen', chunks, { startedAt: t0, endedAt: t0 + 10_000, reason: 'share-stopped' });
    await candidate.record('screen', chunks, { startedAt: t0 + 15_000, endedAt: t0 + 20_000, reason: 'page-closed' });
    await candidate.record('screen', chunks, { startedAt: t0 + 24_000, endedAt: t0 + 30_000 });
    const manifest = await new RecordingClient(kit.server, kit.supervisor).settledManifest();
    const runs = manifest.recordings[0]!.runs;
    assert.equal(runs.length, 3);
    // A closed page never said when its run stopped: its end is where its file ends.
    assert.equal(runs[1]!.endedAt, t0 + 15_000 + runs[1]!.durationMs!);
    assert.deepEqual(manifest.gaps, [
      { feed: 'screen', from: t0 + 10_000, to: t0 + 15_000, reason: 'share-stopped' },
      { feed: 'screen', from: runs[1]!.endedAt, to: t0 + 24_000, reason: 'page-closed' },
    ]);
  });

  test('the paired phone records the phone feed', async (t) => {
    const kit = await recordingServer(t);
    await new RecordingClient(kit.server, await phoneToken(kit.server)).record('phone', cut(await recorded('webm'), 2));
    const manifest = await new RecordingClient(kit.server, kit.supervisor).settledManifest();
    assert.deepEqual(manifest.recordings.map((f) => [f.feed, f.runs[0]!.state]), [['phone', 'complete']]);
  });

  test('deleteRecordings erases every chunk and file of the session, and the log says so', async (t) => {
    const kit = await recordingServer(t);
    const candidate = new RecordingClient(kit.server, kit.ada);
    await candidate.record('webcam', cut(await recorded('webm'), 2));
    await new RecordingClient(kit.server, kit.supervisor).settledManifest();
    // The run's chunks go once its file is stored, just after it reads complete.
    for (let i = 0; i < 200 && (await kit.recordings.list(`recordings/${ADA}/`)).length > 1; i++) await delay(25);
    await candidate.start('screen');
    assert.equal(await kit.server.kit.sessions.deleteRecordings(ADA), 1);
    assert.deepEqual(await kit.recordings.list(`recordings/${ADA}/`), []);
    assert.deepEqual(await new RecordingClient(kit.server, kit.supervisor).manifest(), { recordings: [], gaps: [] });
    const deleted = (await recordingEvents(kit)).at(-1)!;
    assert.equal(deleted.type, 'recording.deleted');
    assert.equal(deleted.source, 'host');
    assert.deepEqual(deleted.data, { runs: 2, objects: 1 });
  });
});

describe('the recording routes refuse', () => {
  /** Nothing was stored for the session, and nothing but the run's start logged. */
  async function assertNothingStored(kit: RecordingServer, sessionId = ADA): Promise<void> {
    assert.deepEqual(await kit.recordings.list(`recordings/${sessionId}/`), [], 'no chunk stored');
  }

  test('chunks that are not what the run records: wrong type, no WebM start, a new file mid-run, empty', async (t) => {
    const kit = await recordingServer(t);
    const candidate = new RecordingClient(kit.server, kit.ada);
    const [first, second] = cut(await recorded('webm'), 2);
    const runId = randomUUID();
    await candidate.start('webcam', { runId });
    await assertError(await candidate.chunk('webcam', runId, 0, first!, 'video/mp4'), 415, 'unsupported-type', /video\/webm/);
    await assertError(await candidate.chunk('webcam', runId, 0, first!, 'image/png'), 415, 'unsupported-type');
    await assertError(await candidate.chunk('webcam', runId, 0, second!), 400, 'bad-message', /Chunk 0 is not the start of a WebM file/);
    await assertError(await candidate.chunk('webcam', runId, 1, first!), 400, 'bad-message', /starts a new file/);
    await assertError(await candidate.chunk('webcam', runId, 0, new Uint8Array(0)), 400, 'bad-message', /empty/);
    await assertNothingStored(kit);
  });

  test('chunk numbers out of bounds, unknown runs and feeds, bad ids', async (t) => {
    const kit = await recordingServer(t);
    const candidate = new RecordingClient(kit.server, kit.ada);
    const [first] = cut(await recorded('webm'), 2);
    const runId = randomUUID();
    await candidate.start('webcam', { runId });
    for (const seq of ['-1', 'abc', '1.5', '100000', '007', '9999999']) {
      await assertError(await candidate.chunk('webcam', runId, seq, first!), 400, 'bad-message', /seq/);
    }
    await assertError(await candidate.chunk('webcam', randomUUID(), 0, first!), 404, 'not-found', /start the run first/);
    await assertError(await candidate.chunk('screen', runId, 0, first!), 404, 'not-found');
    await assertError(await candidate.chunk('microphone', runId, 0, first!), 400, 'bad-message', /feed/);
    await assertError(await candidate.chunk('webcam', 'x', 0, first!), 400, 'bad-message', /runId/);
    await candidate.chunk('webcam', runId, 0, first!);
    await candidate.end('webcam', runId, 1);
    await assertError(await candidate.chunk('webcam', runId, 1, first!), 400, 'bad-message', /ended with 1 chunks/);
    await assertError(await candidate.end('webcam', runId, 2), 409, 'conflict', /ended with 1 chunks/);
  });

  test('run starts and ends that do not follow the schema', async (t) => {
    const kit = await recordingServer(t);
    const candidate = new RecordingClient(kit.server, kit.ada);
    await assertError(await candidate.post('/webcam/runs', { runId: 'short' }), 400, 'bad-message');
    await assertError(await candidate.post('/webcam/runs', { runId: randomUUID(), mimeType: 'text/html', startedAt: Date.now() }), 400, 'bad-message', /video\/webm or video\/mp4/);
    await assertError(await candidate.post('/webcam/runs', { runId: randomUUID(), mimeType: 'video/webm', startedAt: Date.now(), extra: 1 }), 400, 'bad-message');
    await assertError(await candidate.request('/webcam/runs', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }), 415, 'unsupported-type');
    await assertError(await candidate.request('/webcam/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"runId":' }), 400, 'bad-message');
    await assertError(await candidate.request('/webcam/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"a":"${'x'.repeat(2000)}"}` }), 413, 'too-large');
    const runId = randomUUID();
    await candidate.start('webcam', { runId });
    await assertError(await candidate.start('screen', { runId }), 409, 'conflict', /another feed/);
    await assertError(await candidate.post(`/webcam/runs/${runId}/end`, { chunks: -1, endedAt: Date.now(), reason: 'exam-ended' }), 400, 'bad-message');
    await assertError(await candidate.post(`/webcam/runs/${runId}/end`, { chunks: 1, endedAt: Date.now(), reason: 'bored' }), 400, 'bad-message');
    await assertError(await candidate.post(`/webcam/runs/${randomUUID()}/end`, { chunks: 1, endedAt: Date.now(), reason: 'stopped' }), 404, 'not-found');
  });

  test('chunks larger than the cap, declared or not, with nothing stored', async (t) => {
    const kit = await recordingServer(t);
    const candidate = new RecordingClient(kit.server, kit.ada);
    const runId = randomUUID();
    await candidate.start('webcam', { runId });
    const big = Buffer.concat([(await recorded('webm')).subarray(0, 100), Buffer.alloc(RECORDING_CHUNK_MAX_BYTES)]);
    await assertError(await candidate.chunk('webcam', runId, 0, big), 413, 'too-large', /8 MB/);
    // Streamed without a length: refused once the cap passes.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(big.subarray(0, 1024 * 1024));
        for (let i = 1; i < 9; i++) controller.enqueue(new Uint8Array(1024 * 1024));
        controller.close();
      },
    });
    const streamed = await candidate.request(`/webcam/runs/${runId}/chunks/0`, { method: 'PUT', headers: { 'content-type': 'video/webm' }, body: stream, duplex: 'half' } as RequestInit);
    await assertError(streamed, 413, 'too-large');
    await assertNothingStored(kit);
  });

  test("chunks past the session's byte quota", async (t) => {
    const [first, second] = cut(await recorded('webm'), 2);
    const kit = await recordingServer(t, { limits: { recordingBytesPerSession: first!.length + 10 } });
    const candidate = new RecordingClient(kit.server, kit.ada);
    const runId = randomUUID();
    await candidate.start('webcam', { runId });
    assert.equal((await candidate.chunk('webcam', runId, 0, first!)).status, 201);
    await assertError(await candidate.chunk('webcam', runId, 1, second!), 413, 'too-large', /recordings reached/);
    assert.equal((await kit.recordings.list(`recordings/${ADA}/`)).length, 1);
  });

  test('tokens that may not record the feed, or not this session, or none', async (t) => {
    const kit = await recordingServer(t);
    const [first] = cut(await recorded('webm'), 2);
    const candidate = new RecordingClient(kit.server, kit.ada);
    const runId = randomUUID();
    await candidate.start('webcam', { runId });
    const supervisor = new RecordingClient(kit.server, kit.supervisor);
    await assertError(await supervisor.start('webcam'), 403, 'forbidden', /Supervisors do not record/);
    await assertError(await supervisor.chunk('webcam', runId, 0, first!), 403, 'forbidden');
    await assertError(await candidate.start('phone'), 403, 'forbidden', /paired phone/);
    await assertError(await new RecordingClient(kit.server, await phoneToken(kit.server)).start('webcam'), 403, 'forbidden', /phone feed only/);
    await assertError(await new RecordingClient(kit.server, await phoneToken(kit.server, 'pairing-old')).start('phone'), 401, 'unauthorized', /replaced by a newer pairing/);
    await assertError(await new RecordingClient(kit.server, kit.ada, BOB).start('webcam'), 404, 'not-found');
    await assertError(await new RecordingClient(kit.server, undefined).chunk('webcam', runId, 0, first!), 401, 'unauthorized');
    await assertError(await new RecordingClient(kit.server, 'not.a.token').start('webcam'), 401, 'unauthorized');
    await assertNothingStored(kit);
  });

  test('the manifest and the files to anyone but the candidate’s supervisors and reviewers', async (t) => {
    const kit = await recordingServer(t);
    const runId = await new RecordingClient(kit.server, kit.ada).record('webcam', cut(await recorded('webm'), 2));
    const { url } = (await new RecordingClient(kit.server, kit.supervisor).settledManifest()).recordings[0]!.runs[0]!;
    await assertError(await new RecordingClient(kit.server, kit.ada).request(''), 403, 'forbidden');
    const bobsSupervisor = await kit.server.supervisorToken(['bob']);
    await assertError(await new RecordingClient(kit.server, bobsSupervisor).request(''), 404, 'not-found');
    await assertError(await fetch(`${kit.server.origin}${url}`, { headers: { authorization: `Bearer ${bobsSupervisor}` } }), 404, 'not-found');
    await assertError(await fetch(`${kit.server.origin}${url}`, { headers: { authorization: `Bearer ${kit.ada}` } }), 403, 'forbidden');
    await assertError(await fetch(`${kit.server.origin}${url!.split('?')[0]}`), 401, 'unauthorized', /Bearer/);
    const reviewer = await kit.server.kit.issueToken({ role: 'reviewer', examId: 'exam-1', reviewerId: 'rev-1', name: 'Reviewer', candidates: ['ada'] });
    assert.equal((await new RecordingClient(kit.server, reviewer).manifest()).recordings[0]!.runs[0]!.runId, runId, 'a reviewer of the candidate reads the manifest');
    assert.equal((await fetch(`${kit.server.origin}${url!.split('?')[0]}`, { headers: { authorization: `Bearer ${reviewer}` } })).status, 200, 'and the file');
    await assertError(await new RecordingClient(kit.server, kit.supervisor).request(`/webcam/runs/${runId}x/file`), 404, 'not-found');
  });

  test('a run after the exam ended', async (t) => {
    const kit = await recordingServer(t);
    await kit.server.kit.sessions.terminate(ADA, 'Ended for the test.');
    await assertError(await new RecordingClient(kit.server, kit.ada).start('webcam'), 409, 'conflict', /exam has ended/);
  });

  test('a flood of chunk uploads past the request rate, with Retry-After', async (t) => {
    const kit = await recordingServer(t, { limits: { requestsPerMinute: 20 } });
    const candidate = new RecordingClient(kit.server, kit.ada);
    const runId = randomUUID();
    await candidate.start('webcam', { runId });
    const [first] = cut(await recorded('webm'), 2);
    const answers = await Promise.all(Array.from({ length: 40 }, () => candidate.chunk('webcam', runId, 0, first!)));
    const limited = answers.filter((r) => r.status === 429);
    assert.ok(limited.length >= 19, `${limited.length} of 40 refused`);
    assert.ok(Number(limited[0]!.headers.get('retry-after')) >= 1);
    assert.ok(answers.every((r) => [200, 201, 429].includes(r.status)));
    assert.equal((await kit.recordings.list(`recordings/${ADA}/`)).length, 1);
  });
});

test('parseRange reads one range of bytes, and says which cannot be served', () => {
  assert.deepEqual(parseRange('bytes=0-99', 1000), { start: 0, end: 99 });
  assert.deepEqual(parseRange('bytes=900-', 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange('bytes=-100', 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange('bytes=990-2000', 1000), { start: 990, end: 999 });
  assert.deepEqual(parseRange('bytes=-5000', 1000), { start: 0, end: 999 });
  assert.equal(parseRange('bytes=0-1,5-6', 1000), undefined, 'several ranges: the whole file');
  for (const bad of ['bytes=1000-', 'bytes=5-1', 'bytes=-0', 'bytes=-', 'items=0-1', 'bytes=abc']) assert.equal(parseRange(bad, 1000), null, bad);
});
