import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { CloseCode, PROTOCOL_VERSION, type PhonePairing, type PhoneRedeemed } from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import { sqliteStore } from '../store/sqlite/sqlite-store.js';
import { EXAM, TestServer, assertError, candidateClaims, delay, supervisorClaims, within } from '../test-helpers.js';

const authTime = (token: string) => decodeJwt(token).auth_time as number;

async function pairPhone(server: TestServer, sessionId: string, candidateToken: string): Promise<string> {
  const created = await fetch(`${server.origin}/proctor/sessions/${sessionId}/phone/pairings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${candidateToken}` },
  });
  const { code } = (await created.json()) as PhonePairing;
  const redeemed = await fetch(`${server.origin}/proctor/phone/redeem`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  return ((await redeemed.json()) as PhoneRedeemed).token;
}

describe('bounded token renewal', () => {
  test('renewals keep the lifetime the host chose and stop at tokenMaxAge after the first token', async (t) => {
    const server = await TestServer.start(t, { tokenTtl: 3, tokenMaxAge: 4 });
    const first = await server.kit.issueToken(candidateClaims('ada'), { expiresIn: 2 });
    const client = await server.hello(first);
    await client.next('session.welcome');
    await delay(4500);
    const renewed = client.all('session.token').map((m) => decodeJwt(m.token));
    assert.ok(renewed.length >= 1, 'the page got renewed tokens while the chain was young');
    for (const payload of renewed) {
      assert.ok(payload.exp! - payload.iat! <= 2, 'never longer-lived than the token the host issued');
      assert.ok(payload.exp! <= authTime(first) + 4, 'never past tokenMaxAge from the first token');
      assert.equal(payload.auth_time, authTime(first));
    }
    const last = client.all('session.token').at(-1)!.token;
    await client.close();
    const refused = await server.hello(last);
    assert.equal((await refused.closeEvent()).code, CloseCode.unauthorized, 'the chain ended with its maximum age');
  });

  test("a candidate's tokens are renewed no later than its session's end plus the grace", async (t) => {
    const server = await TestServer.start(t, { tokenGraceAfterEnd: 4 });
    const ada = await server.hello(await server.kit.issueToken(candidateClaims('ada'), { expiresIn: 2 }));
    const { session } = await ada.next('session.welcome');
    const ended = await server.kit.sessions.terminate(session!.sessionId, 'Barred.');
    await delay(5000);
    const expiries = ada.all('session.token').map((m) => m.expiresAt);
    assert.ok(expiries.length >= 1, 'the page was renewed within the grace');
    // Token times are whole seconds.
    for (const expiresAt of expiries) assert.ok(expiresAt <= ended.clock.endedAt! + 4000, `${expiresAt} is past the grace`);
  });

  test('issueToken refuses a lifetime beyond tokenMaxAge', async (t) => {
    const server = await TestServer.start(t, { tokenTtl: '30m', tokenMaxAge: '1h' });
    await assert.rejects(server.kit.issueToken(candidateClaims('ada'), { expiresIn: '2h' }), /at most the kit's tokenMaxAge/);
    await assert.rejects(TestServer.start(t, { tokenTtl: '2h', tokenMaxAge: '1h' }), /must not be longer than `tokenMaxAge`/);
  });
});

describe('kit.revoke', () => {
  test('a removed supervisor is closed, refused everywhere and renewed no more; a new token lets them back', async (t) => {
    const server = await TestServer.start(t, { tokenTtl: 30 });
    const token = await server.kit.issueToken(supervisorClaims('*'), { expiresIn: 3 });
    const supervisor = await server.hello(token);
    await supervisor.next('session.welcome');
    const other = await server.supervisor('*', { supervisorId: 'sup-2' });

    assert.equal(await server.kit.revoke({ examId: EXAM, supervisorId: 'sup-1' }), 1);
    const closed = await supervisor.closeEvent();
    assert.equal(closed.code, CloseCode.unauthorized);
    assert.match(closed.reason, /revoked/);
    assert.ok(other.client.isOpen, 'other supervisors keep watching');

    await assertError(await server.get('/sessions', token), 401, 'unauthorized', /revoked/);
    const again = await server.hello(token);
    assert.equal((await again.closeEvent()).code, CloseCode.unauthorized);
    await delay(2500);
    assert.deepEqual(supervisor.all('session.token'), [], 'no renewal reached the closed page');

    const readmitted = await server.kit.issueToken(supervisorClaims('*'));
    assert.equal((await server.get('/sessions', readmitted)).status, 200);
  });

  test('a barred candidate loses the exam page and the paired phone; their tokens are refused', async (t) => {
    const server = await TestServer.start(t);
    const candidateToken = await server.candidateToken('ada');
    const ada = await server.candidate('ada');
    const phoneToken = await pairPhone(server, ada.session.sessionId, candidateToken);
    const phone = await server.hello(phoneToken);
    await phone.next('session.welcome');
    const bob = await server.candidate('bob');

    assert.equal(await server.kit.revoke({ examId: EXAM, candidateId: 'ada' }), 2);
    assert.equal((await ada.client.closeEvent()).code, CloseCode.unauthorized);
    assert.equal((await phone.closeEvent()).code, CloseCode.unauthorized);
    await assertError(await server.get(`/sessions/${ada.session.sessionId}`, candidateToken), 401, 'unauthorized');
    await assertError(await server.get(`/sessions/${ada.session.sessionId}`, phoneToken), 401, 'unauthorized');
    bob.client.send({ v: PROTOCOL_VERSION, type: 'clock.ping', id: 1 });
    await within(bob.client.next('clock.pong'), 'another candidate to go on');
  });

  test('a revocation outlives a restart of the kit', async (t) => {
    const directory = await mkdtemp(join(tmpdir(), 'proctorkit-revoke-'));
    t.after(() => rm(directory, { recursive: true, force: true }));
    const path = join(directory, 'proctorkit.db');
    const first = await TestServer.start(t, { store: sqliteStore({ path }) });
    const token = await first.supervisorToken('*');
    await first.kit.revoke({ examId: EXAM, supervisorId: 'sup-1' });
    await first.kit.close();
    const again = await TestServer.start(t, { store: sqliteStore({ path }) });
    await assertError(await again.get('/sessions', token), 401, 'unauthorized', /revoked/);
  });

  test('refuses a person that is not one', async (t) => {
    const server = await TestServer.start(t);
    await assert.rejects(server.kit.revoke({ examId: EXAM } as never), (error: unknown) => error instanceof KitError && error.code === 'bad-message');
    await assert.rejects(server.kit.revoke({ examId: 'a/b', candidateId: 'x' }), KitError);
  });
});
