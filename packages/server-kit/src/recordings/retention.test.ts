import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, test } from 'node:test';
import type { Screenshot } from '@proctorkit/core/protocol';
import { createProctorKit } from '../kit.js';
import { upload, uploaded } from '../http/identity-test-support.js';
import { memoryStore } from '../store/memory/memory-store.js';
import { ADA as REVIEWED_ADA, BOB as REVIEWED_BOB, ReviewCalls, created, reviewServer } from '../review/review-test-support.js';
import { SECRET, assertError, delay } from '../test-helpers.js';
import { ADA, BOB, RecordingClient, cut, recorded, recordingServer } from './recording-test-support.js';

/** Two seconds, in days. */
const TWO_SECONDS = 2 / 86_400;

async function until(condition: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(50);
  }
}

describe('retentionDays', () => {
  test('deletes the recordings and identity photos of an exam ended longer ago, logs it, and keeps those of running or recent exams', async (t) => {
    const kit = await recordingServer(t, { retentionDays: TWO_SECONDS, timings: { retentionSweepMs: 200 } });
    const sessions = kit.server.kit.sessions;
    await new RecordingClient(kit.server, kit.ada).record('webcam', cut(await recorded('webm'), 2));
    const photo = await uploaded(await upload(kit.server, kit.ada, 'face', undefined, { sessionId: ADA }));
    const bob = await kit.server.candidateToken('bob');
    await new RecordingClient(kit.server, bob, BOB).record('webcam', cut(await recorded('webm'), 2));
    await new RecordingClient(kit.server, kit.supervisor).settledManifest();

    await sessions.terminate(ADA, 'Finished early.');
    const endedAt = Date.now();
    await delay(1_000);
    assert.ok((await kit.recordings.list(`recordings/${ADA}/`)).length > 0, 'kept while the period runs');

    await until(async () => (await kit.recordings.list(`recordings/${ADA}/`)).length === 0, "Ada's recordings to go");
    assert.ok(Date.now() - endedAt >= 2_000, 'not before the period is over');
    const events = await sessions.events(ADA);
    const deleted = events.find((e) => e.type === 'recording.deleted')!;
    assert.equal(deleted.source, 'server');
    assert.equal(deleted.by, 'retention');
    await until(async () => (await sessions.events(ADA)).some((e) => e.type === 'identity.deleted'), 'the photo deletion in the log');
    const photoDeleted = (await sessions.events(ADA)).find((e) => e.type === 'identity.deleted')!;
    assert.deepEqual(photoDeleted.data, { photoIds: [photo.photoId] });
    const fetched = await kit.server.get(`/sessions/${ADA}/identity/photos/${photo.photoId}`, kit.supervisor);
    assert.equal(fetched.status, 404, 'the photo is gone');

    assert.ok((await kit.recordings.list(`recordings/${BOB}/`)).length > 0, 'a running exam keeps its recordings');
    assert.equal((await sessions.get(ADA))!.clock.endReason, 'terminated', 'the session and its log stay');
  });

  test('deletes the reviewers’ screenshots of an exam ended longer ago and logs it; a running exam keeps its own', async (t) => {
    const kit = await reviewServer(t, { retentionDays: TWO_SECONDS, timings: { retentionSweepMs: 100 } });
    const shot = await created<Screenshot>(await new ReviewCalls(kit.server, kit.tokens.reviewer, REVIEWED_ADA).screenshot(), 'screenshot');
    await created(await new ReviewCalls(kit.server, kit.tokens.reviewer, REVIEWED_BOB).screenshot(), 'screenshot');
    await until(async () => (await kit.server.kit.sessions.events(REVIEWED_ADA)).some((e) => e.type === 'screenshot.deleted'), 'the screenshot deletion in the log');
    const deleted = (await kit.server.kit.sessions.events(REVIEWED_ADA)).find((e) => e.type === 'screenshot.deleted')!;
    assert.deepEqual([deleted.source, deleted.by, deleted.data], ['server', 'retention', { screenshotIds: [shot.screenshotId] }]);
    await assertError(await new ReviewCalls(kit.server, kit.tokens.reviewer, REVIEWED_ADA).request(`/screenshots/${shot.screenshotId}`), 404, 'not-found');
    const left = await readdir(kit.photoDirectory, { recursive: true, withFileTypes: true });
    assert.deepEqual(left.filter((e) => e.isFile()).map((e) => e.parentPath.slice(kit.photoDirectory.length + 1)), [`${REVIEWED_BOB}/screenshots`], 'Bob’s screenshot stays');
  });

  test('kit.sessions.deleteRecordings deletes the screenshots too, and counts them', async (t) => {
    const kit = await reviewServer(t);
    await created(await new ReviewCalls(kit.server, kit.tokens.reviewer, REVIEWED_ADA).screenshot(), 'screenshot');
    await created(await new ReviewCalls(kit.server, kit.tokens.reviewer, REVIEWED_ADA).screenshot(), 'screenshot');
    assert.equal(await kit.server.kit.sessions.deleteRecordings(REVIEWED_ADA), 2);
    assert.deepEqual((await readdir(kit.photoDirectory, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()), []);
    assert.equal((await kit.server.kit.sessions.events(REVIEWED_ADA)).filter((e) => e.type === 'screenshot.deleted').length, 1);
    assert.equal(await kit.server.kit.sessions.deleteRecordings(REVIEWED_ADA), 0, 'nothing left: nothing logged');
    assert.equal((await kit.server.kit.sessions.events(REVIEWED_ADA)).filter((e) => e.type === 'screenshot.deleted').length, 1);
  });

  test('is refused unless a positive number of days', () => {
    for (const retentionDays of [0, -1, Number.NaN, Infinity]) {
      assert.throws(
        () => createProctorKit({ secret: SECRET, logger: 'silent', store: memoryStore(), retentionDays }),
        /retentionDays/,
        `retentionDays ${retentionDays}`,
      );
    }
  });
});
