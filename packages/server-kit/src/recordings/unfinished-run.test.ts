import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { newClock, noFeeds } from '@proctorkit/core/protocol';
import { memoryStore } from '../store/memory/memory-store.js';
import { EXAM, TestServer } from '../test-helpers.js';
import { fileRecordingStore } from './file-recording-store.js';
import { chunkKey } from './recording-keys.js';
import { RecordingClient, cut, recorded } from './recording-test-support.js';

test('a run whose chunks all arrived but whose finish was cut short (a restart) is finished when its manifest is read', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'proctorkit-unfinished-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const recordingStore = fileRecordingStore({ directory });
  const sessionId = 'session-unfinished';
  const runId = randomUUID();
  const chunks = cut(await recorded('webm'));
  // What a kit stopped between the run's last chunk and its file leaves behind.
  const store = memoryStore();
  const startedAt = Date.now() - 10_000;
  await store.createSession({
    sessionId,
    examId: EXAM,
    candidateId: 'ada',
    name: 'Candidate ada',
    connected: false,
    feeds: noFeeds(),
    joinedAt: startedAt,
    clock: newClock(3_600_000),
    recordings: [{ feed: 'webcam', runId, mimeType: 'video/webm;codecs=vp8', startedAt, endedAt: startedAt + 6_000, endReason: 'exam-ended', chunks: chunks.length, state: 'uploading' }],
  });
  for (const [seq, bytes] of chunks.entries()) await recordingStore.putNew(chunkKey(sessionId, 'webcam', runId, seq), bytes, 'video/webm');

  const server = await TestServer.start(t, { store, recordingStore });
  const manifest = await new RecordingClient(server, await server.supervisorToken(['ada']), sessionId).settledManifest();
  const [run] = manifest.recordings[0]!.runs;
  assert.equal(run!.state, 'complete');
  assert.ok(Math.abs(run!.durationMs! - 6_000) < 1_000, `duration ${run!.durationMs} ms`);
});
