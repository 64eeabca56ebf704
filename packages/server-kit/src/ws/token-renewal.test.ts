import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import { decodeJwt } from 'jose';
import { CloseCode, PROTOCOL_VERSION } from '@proctorkit/core/protocol';
import { EXAM, TestServer, candidateClaims, delay, within } from '../test-helpers.js';
import type { SignedToken } from '../tokens.js';
import { RENEW_BEFORE_MS, TokenRenewal } from './token-renewal.js';

const HOUR = 3_600_000;
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A renewal on mocked time whose new tokens live `ttlMs`; `sent` lists when each was handed out. */
function renewalOnMockedTime(ttlMs: number) {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  const sent: { at: number; renewed: SignedToken }[] = [];
  const renewal = new TokenRenewal({
    renew: async () => ({ token: `token-${sent.length + 1}`, issuedAt: Date.now(), expiresAt: Date.now() + ttlMs }),
    send: (renewed) => sent.push({ at: Date.now(), renewed }),
    onError: (error) => assert.fail(String(error)),
  });
  return { renewal, sent };
}

async function advance(ms: number): Promise<void> {
  mock.timers.tick(ms);
  await settle();
}

describe('TokenRenewal', () => {
  test('hands out a new token five minutes before the current one expires, and again for each new one', async (t) => {
    t.after(() => mock.timers.reset());
    const { renewal, sent } = renewalOnMockedTime(4 * HOUR);
    renewal.scheduleFor(4 * HOUR);
    await advance(4 * HOUR - RENEW_BEFORE_MS - 1);
    assert.equal(sent.length, 0);
    await advance(1);
    assert.deepEqual(sent.map((s) => s.at), [4 * HOUR - RENEW_BEFORE_MS]);
    await advance(4 * HOUR - RENEW_BEFORE_MS);
    assert.deepEqual(sent.map((s) => s.renewed.token), ['token-1', 'token-2']);
    renewal.stop();
  });

  test('renews a short-lived token halfway through its life', async (t) => {
    t.after(() => mock.timers.reset());
    const { renewal, sent } = renewalOnMockedTime(60_000);
    renewal.scheduleFor(60_000);
    await advance(29_999);
    assert.equal(sent.length, 0);
    await advance(1);
    assert.deepEqual(sent.map((s) => s.at), [30_000]);
    renewal.stop();
  });

  test('waits at least a second between renewals, however short the tokens', async (t) => {
    t.after(() => mock.timers.reset());
    const { renewal, sent } = renewalOnMockedTime(500);
    renewal.scheduleFor(500);
    await advance(999);
    assert.equal(sent.length, 0);
    await advance(1);
    await advance(1000);
    assert.deepEqual(sent.map((s) => s.at), [1000, 2000]);
    renewal.stop();
  });

  test('hands out nothing once stopped', async (t) => {
    t.after(() => mock.timers.reset());
    const { renewal, sent } = renewalOnMockedTime(HOUR);
    renewal.scheduleFor(HOUR);
    renewal.stop();
    await advance(2 * HOUR);
    assert.deepEqual(sent, []);
  });
});

describe('token renewal on the control channel', () => {
  test('a connected candidate gets a new token before its own expires, and comes back with it after the first expired', async (t) => {
    const server = await TestServer.start(t, { tokenTtl: 30 });
    const first = await server.kit.issueToken(candidateClaims('cand-1'), { expiresIn: 2 });
    const client = await server.hello(first);
    const { session } = await client.next('session.welcome');

    const renewed = await within(client.next('session.token'), 'a renewed token', 5000);
    const { exp: firstExp } = decodeJwt(first);
    const renewedPayload = decodeJwt(renewed.token);
    assert.equal(renewed.expiresAt, renewedPayload.exp! * 1000);
    assert.equal(renewedPayload.exp! - renewedPayload.iat!, 2, 'the new token lives as long as the one the host issued');
    const { iat: _iat, exp: _exp, ...sameClaims } = renewedPayload;
    const { iat: _iat1, exp: _exp1, ...firstClaims } = decodeJwt(first);
    assert.deepEqual(sameClaims, firstClaims);

    await client.close();
    await delay(Math.max(0, firstExp! * 1000 - Date.now() + 50));

    const refused = await server.hello(first);
    assert.equal((await refused.closeEvent()).code, CloseCode.unauthorized);
    const back = await server.hello(renewed.token);
    assert.equal((await back.next('session.welcome')).session?.sessionId, session!.sessionId);
  });

  test('a renewed supervisor token opens the kit’s REST API too', async (t) => {
    const server = await TestServer.start(t, { tokenTtl: 30 });
    const first = await server.kit.issueToken({ role: 'supervisor', examId: EXAM, supervisorId: 'sup-1', name: 'Supervisor', candidates: '*' }, { expiresIn: 2 });
    const client = await server.hello(first);
    await client.next('session.welcome');
    const renewed = await within(client.next('session.token'), 'a renewed token', 5000);
    const response = await server.get('/sessions', renewed.token);
    assert.equal(response.status, 200);
  });

  test('hands out no token with renewTokens: false', async (t) => {
    const server = await TestServer.start(t, { renewTokens: false });
    const client = await server.hello(await server.kit.issueToken(candidateClaims('cand-1'), { expiresIn: 2 }));
    await client.next('session.welcome');
    await delay(1500);
    client.send({ v: PROTOCOL_VERSION, type: 'clock.ping', id: 1 });
    await client.next('clock.pong');
    assert.deepEqual(client.all('session.token'), []);
  });
});
