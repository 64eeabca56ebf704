import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, test, type TestContext } from 'node:test';
import { PROTOCOL_VERSION } from '@proctorkit/core/protocol';
import { ADA, photoServer, submit, upload, uploaded } from '../http/identity-test-support.js';
import type { ProctorKitOptions } from '../kit.js';
import { OTHER_EXAM, START, commandId, type TestServer } from '../test-helpers.js';

/** A `command.identity` as a supervisor's page sends it. */
function verdict(target: string, value: 'approved' | 'rejected' | string, reason?: string, id = commandId()) {
  return { v: PROTOCOL_VERSION, type: 'command.identity', id, target, verdict: value, ...(reason === undefined ? {} : { reason }) } as const;
}

/** Uploads both photos as Ada and submits them. */
async function takeAndSubmit(server: TestServer, ada: string): Promise<void> {
  await uploaded(await upload(server, ada, 'document'));
  await uploaded(await upload(server, ada, 'face'));
  assert.equal((await submit(server, ada)).status, 200);
}

/** Ada on her exam page, with her photos submitted, and her supervisor. */
async function submitted(t: TestContext, options: Partial<ProctorKitOptions> = {}) {
  const kit = await photoServer(t, options);
  const candidate = await kit.server.candidate('ada');
  const supervisor = await kit.server.supervisor(['ada']);
  await takeAndSubmit(kit.server, kit.ada);
  await supervisor.client.next('session.updated', (m) => m.session.identity?.status === 'submitted');
  return { ...kit, candidate, supervisor };
}

describe('command.identity', () => {
  test('approves: done for the supervisor, status and event for the candidate and the supervisors', async (t) => {
    const { candidate, supervisor } = await submitted(t);
    const approve = verdict(ADA, 'approved');
    assert.deepEqual(await supervisor.client.command(approve), { v: 1, type: 'command.done', id: approve.id, sessionIds: [ADA] });
    const { session } = await candidate.client.next('session.updated', (m) => m.session.identity?.status === 'approved');
    assert.deepEqual(session.identity, { required: false, status: 'approved' });
    const event = await candidate.client.nextEvent('identity.approved');
    assert.deepEqual([event.source, event.by, event.data], ['supervisor', 'Supervisor', {}]);
    assert.deepEqual(await supervisor.client.nextEvent('identity.approved'), event);
  });

  test('rejects with the reason the candidate sees, who may retake and submit again', async (t) => {
    const { server, ada, candidate, supervisor } = await submitted(t);
    await supervisor.client.command(verdict(ADA, 'rejected', '  The document is not readable.  '));
    const { session } = await candidate.client.next('session.updated', (m) => m.session.identity?.status === 'rejected');
    assert.deepEqual(session.identity, { required: false, status: 'rejected', reason: 'The document is not readable.' });
    assert.deepEqual((await candidate.client.nextEvent('identity.rejected')).data, { reason: 'The document is not readable.' });

    await uploaded(await upload(server, ada, 'document'));
    assert.equal((await submit(server, ada)).status, 200);
    const again = await supervisor.client.next('session.updated', (m) => m.session.identity?.status === 'submitted');
    assert.deepEqual(again.session.identity, { required: false, status: 'submitted' }, 'the old reason is gone');
  });

  test('refuses a rejection without a reason, and records nothing', async (t) => {
    const { server, candidate, supervisor } = await submitted(t);
    for (const reason of [undefined, '   ']) {
      const error = await supervisor.client.commandError(verdict(ADA, 'rejected', reason));
      assert.equal(error.code, 'bad-message');
      assert.match(error.message, /reason/);
    }
    await candidate.client.sync();
    assert.equal((await server.kit.sessions.get(ADA))?.identity?.status, 'submitted');
    assert.equal(candidate.client.sessionEvents().some((e) => e.type === 'identity.rejected'), false);
  });

  test('refuses a verdict before the candidate submitted, and to every candidate', async (t) => {
    const { server, ada } = await photoServer(t);
    const candidate = await server.candidate('ada');
    const supervisor = await server.supervisor(['ada']);
    const early = await supervisor.client.commandError(verdict(ADA, 'approved'));
    assert.equal(early.code, 'conflict');
    assert.match(early.message, /not submitted/);
    await takeAndSubmit(server, ada);
    const byCandidate = await candidate.client.commandError(verdict(ADA, 'approved'));
    assert.equal(byCandidate.code, 'forbidden');
    assert.equal((await server.kit.sessions.get(ADA))?.identity?.status, 'submitted');
  });

  test('answers not-found to a supervisor of another exam or of other candidates', async (t) => {
    const { server } = await submitted(t);
    for (const supervisor of [await server.supervisor('*', { examId: OTHER_EXAM }), await server.supervisor(['bob'])]) {
      assert.equal((await supervisor.client.commandError(verdict(ADA, 'approved'))).code, 'not-found');
    }
    assert.equal((await server.kit.sessions.get(ADA))?.identity?.status, 'submitted');
  });

  test('may change a verdict; the same verdict again records nothing', async (t) => {
    const { candidate, supervisor } = await submitted(t);
    await supervisor.client.command(verdict(ADA, 'approved'));
    await supervisor.client.command(verdict(ADA, 'approved'));
    await supervisor.client.command(verdict(ADA, 'rejected', 'Wrong person.'));
    await candidate.client.next('session.updated', (m) => m.session.identity?.status === 'rejected');
    await candidate.client.sync();
    const types = candidate.client.sessionEvents().map((e) => e.type).filter((type) => type === 'identity.approved' || type === 'identity.rejected');
    assert.deepEqual(types, ['identity.approved', 'identity.rejected']);
  });
});

describe('requireIdentityCheck', () => {
  test('tells the candidate’s page and the supervisors that an identity check is required', async (t) => {
    const { server } = await photoServer(t, { requireIdentityCheck: true });
    const candidate = await server.candidate('ada');
    assert.deepEqual(candidate.welcome.session?.identity, { required: true, status: 'none' });
    const supervisor = await server.supervisor(['ada']);
    assert.deepEqual(supervisor.list.sessions.map((s) => s.identity), [{ required: true, status: 'none' }]);
  });

  test('holds the clock until the approval, then starts it without the page asking again', async (t) => {
    const { server, candidate, supervisor } = await submitted(t, { requireIdentityCheck: true });
    candidate.client.send(START);
    await candidate.client.sync();
    assert.equal((await server.kit.sessions.get(ADA))?.clock.startedAt, null, 'not started before the approval');
    assert.equal(candidate.client.sessionEvents().some((e) => e.type === 'session.started'), false);

    const before = Date.now();
    await supervisor.client.command(verdict(ADA, 'approved'));
    const { session } = await candidate.client.next('session.updated', (m) => m.session.clock.startedAt !== null);
    assert.ok(session.clock.startedAt! >= before);
    assert.equal(session.identity?.status, 'approved');
    await candidate.client.sync();
    const types = candidate.client.sessionEvents().map((e) => e.type);
    assert.deepEqual(types.slice(types.indexOf('identity.approved')), ['identity.approved', 'session.started']);
  });

  test('keeps the clock stopped after a rejection; the approval that follows starts it', async (t) => {
    const { server, candidate, supervisor } = await submitted(t, { requireIdentityCheck: true });
    await supervisor.client.command(verdict(ADA, 'rejected', 'Blurred.'));
    candidate.client.send(START);
    await candidate.client.sync();
    assert.equal((await server.kit.sessions.get(ADA))?.clock.startedAt, null);
    await server.kit.sessions.verifyIdentity(ADA, 'approved');
    await candidate.client.next('session.updated', (m) => m.session.clock.startedAt !== null);
    candidate.client.send(START);
    await candidate.client.sync();
    assert.equal(candidate.client.sessionEvents().filter((e) => e.type === 'session.started').length, 1);
  });

  test('starts the clock on the candidate’s start when the approval came first', async (t) => {
    const { candidate, supervisor } = await submitted(t, { requireIdentityCheck: true });
    await supervisor.client.command(verdict(ADA, 'approved'));
    await candidate.client.next('session.updated', (m) => m.session.identity?.status === 'approved');
    candidate.client.send(START);
    await candidate.client.next('session.updated', (m) => m.session.clock.startedAt !== null);
  });

  test('forgets a waiting start when the page reloads: the new page asks again', async (t) => {
    const { server, candidate, supervisor } = await submitted(t, { requireIdentityCheck: true });
    candidate.client.send(START);
    await candidate.client.sync();
    await candidate.client.close();
    const reloaded = await server.candidate('ada');
    await supervisor.client.command(verdict(ADA, 'approved'));
    await reloaded.client.next('session.updated', (m) => m.session.identity?.status === 'approved');
    assert.equal((await server.kit.sessions.get(ADA))?.clock.startedAt, null, 'the reloaded page has not asked to start');
    reloaded.client.send(START);
    await reloaded.client.next('session.updated', (m) => m.session.clock.startedAt !== null);
  });

  test('starts the clock at once when not required', async (t) => {
    const { server } = await photoServer(t);
    const started = await server.started('ada');
    assert.equal(started.welcome.session?.identity, undefined, 'no identity check in the summary');
  });
});

describe('kit.sessions identity API', () => {
  test('verifyIdentity checks the verdict and logs it as the host', async (t) => {
    const { server, candidate } = await submitted(t);
    await assert.rejects(server.kit.sessions.verifyIdentity(ADA, 'rejected'), { name: 'KitError', code: 'bad-message', message: /reason: is required to reject/ });
    await assert.rejects(server.kit.sessions.verifyIdentity(ADA, 'maybe' as 'approved'), { code: 'bad-message' });
    await assert.rejects(server.kit.sessions.verifyIdentity('nope', 'approved'), { code: 'bad-message' });
    const summary = await server.kit.sessions.verifyIdentity(ADA, 'rejected', 'Not the registered candidate.');
    assert.deepEqual(summary.identity, { required: false, status: 'rejected', reason: 'Not the registered candidate.' });
    const event = await candidate.client.nextEvent('identity.rejected');
    assert.equal(event.source, 'host');
  });

  test('deleteIdentityPhotos deletes the files, keeps the verdict and logs the deletion', async (t) => {
    const { server, directory, supervisor } = await submitted(t);
    await server.kit.sessions.verifyIdentity(ADA, 'approved');
    const photoIds = (await server.kit.sessions.events(ADA)).filter((e) => e.type === 'identity.photo').map((e) => e.data.photoId);
    assert.equal(await server.kit.sessions.deleteIdentityPhotos(ADA), 2);
    assert.deepEqual(await readdir(`${directory}/${ADA}`), []);
    const deleted = await supervisor.client.nextEvent('identity.deleted');
    assert.deepEqual(deleted.data, { photoIds });
    const response = await server.get(`/sessions/${ADA}/identity`, await server.supervisorToken(['ada']));
    assert.deepEqual(await response.json(), { identity: { required: false, status: 'approved', photos: [] } });
    assert.equal((await server.get(`/sessions/${ADA}/identity/photos/${photoIds[0]}`, await server.supervisorToken('*'))).status, 404);
    assert.equal(await server.kit.sessions.deleteIdentityPhotos(ADA), 0, 'deleting again deletes nothing');
  });
});
