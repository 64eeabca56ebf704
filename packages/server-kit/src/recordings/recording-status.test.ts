import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { PROTOCOL_VERSION } from '@proctorkit/core/protocol';
import { TestServer } from '../test-helpers.js';
import { RecordingClient, cut, recorded } from './recording-test-support.js';

const backlog = (feed: string, pendingMs: number) => ({ v: PROTOCOL_VERSION, type: 'recording.backlog', feed, pendingMs });

describe('what supervisors see of a session’s recording', () => {
  test('each feed says whether it is recorded, what waits to upload on the page, and how its run ended', async (t) => {
    const server = await TestServer.start(t);
    const candidate = await server.candidate('ada');
    const supervisor = await server.supervisor(['ada']);
    assert.equal(supervisor.list.sessions[0]!.recording, undefined, 'nothing is said before anything was recorded');
    const page = new RecordingClient(server, await server.candidateToken('ada'), candidate.session.sessionId);

    const runId = randomUUID();
    assert.equal((await page.start('webcam', { runId })).status, 201);
    const recording = await supervisor.client.next('session.updated', (m) => m.session.recording?.webcam.state === 'recording');
    assert.deepEqual(recording.session.recording, {
      webcam: { state: 'recording', pendingMs: 0 },
      screen: { state: 'off', pendingMs: 0 },
      phone: { state: 'off', pendingMs: 0 },
    });

    candidate.client.send(backlog('webcam', 12_000));
    const behind = await supervisor.client.next('session.updated', (m) => m.session.recording?.webcam.pendingMs === 12_000);
    assert.equal(behind.session.recording!.webcam.state, 'recording');

    const chunks = cut(await recorded('webm'));
    for (const [seq, bytes] of chunks.entries()) assert.ok((await page.chunk('webcam', runId, seq, bytes)).ok);
    assert.equal((await page.end('webcam', runId, chunks.length)).status, 200);
    const uploading = await supervisor.client.next('session.updated', (m) => m.session.recording?.webcam.state === 'uploading');
    assert.equal(uploading.session.recording!.webcam.pendingMs, 12_000, 'the page still holds what it reported');

    candidate.client.send(backlog('webcam', 0));
    await supervisor.client.next('session.updated', (m) => m.session.recording?.webcam.state === 'complete');
    const summary = await server.kit.sessions.get(candidate.session.sessionId);
    assert.deepEqual(summary!.recording!.webcam, { state: 'complete', pendingMs: 0 });
  });

  test('a candidate’s page reports only its own feeds’ backlog, and a bad report is refused without a change', async (t) => {
    const server = await TestServer.start(t);
    const candidate = await server.candidate('ada');

    candidate.client.send(backlog('phone', 4_000));
    assert.equal((await candidate.client.error('recording.backlog')).code, 'forbidden');
    candidate.client.send(backlog('webcam', -1));
    assert.equal((await candidate.client.error('recording.backlog')).code, 'bad-message');
    candidate.client.send(backlog('screen', 86_400_001));
    assert.equal((await candidate.client.error('recording.backlog')).code, 'bad-message');
    candidate.client.send(backlog('screen', 1.5));
    assert.equal((await candidate.client.error('recording.backlog')).code, 'bad-message');

    const summary = await server.kit.sessions.get(candidate.session.sessionId);
    assert.equal(summary!.recording, undefined);
  });

  test('a supervisor cannot report a backlog', async (t) => {
    const server = await TestServer.start(t);
    await server.candidate('ada');
    const supervisor = await server.supervisor(['ada']);
    supervisor.client.send(backlog('webcam', 4_000));
    assert.equal((await supervisor.client.error('recording.backlog')).code, 'forbidden');
  });
});
