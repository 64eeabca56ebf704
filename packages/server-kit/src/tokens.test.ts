import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { KitError } from './errors.js';
import { createProctorKit } from './kit.js';
import { memoryStore } from './store/memory/memory-store.js';
import {
  OTHER_SECRET,
  SECRET,
  candidateClaims,
  signRaw,
  supervisorClaims,
  unsignedToken,
} from './test-helpers.js';
import { TokenIssuer } from './tokens.js';

const issuer = new TokenIssuer(SECRET, '4h');
const now = () => Math.floor(Date.now() / 1000);

/** Asserts that `token` is refused as unauthorized, with a message matching `reason`. */
async function assertRefused(token: string, reason: RegExp): Promise<void> {
  await assert.rejects(issuer.verify(token), (error: unknown) => {
    assert.ok(error instanceof KitError);
    assert.equal(error.code, 'unauthorized');
    assert.equal(error.status, 401);
    assert.match(error.message, reason);
    return true;
  });
}

async function assertBadClaims(claims: unknown, field: RegExp): Promise<void> {
  await assert.rejects(issuer.issue(claims as never), (error: unknown) => {
    assert.ok(error instanceof KitError);
    assert.equal(error.code, 'bad-message');
    assert.match(error.message, /^issueToken: /);
    assert.match(error.message, field);
    return true;
  });
}

describe('issuing and verifying tokens', () => {
  test('round-trips a candidate token', async () => {
    const claims = candidateClaims('cand-1');
    assert.deepEqual((await issuer.verify(await issuer.issue(claims))).claims, claims);
  });

  test('round-trips a supervisor token with a list of candidates or "*"', async () => {
    const named = supervisorClaims(['cand-1', 'cand-2']);
    assert.deepEqual((await issuer.verify(await issuer.issue(named))).claims, named);
    const all = supervisorClaims('*');
    assert.deepEqual((await issuer.verify(await issuer.issue(all))).claims, all);
  });

  test('signs HS256 JWTs for proctorkit that expire after the default lifetime', async () => {
    const token = await issuer.issue(candidateClaims('cand-1'));
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'HS256', typ: 'JWT' });
    const payload = decodeJwt(token);
    assert.equal(payload.iss, 'proctorkit');
    assert.equal(payload.aud, 'proctorkit');
    assert.ok(Math.abs(payload.exp! - payload.iat! - 4 * 3600) <= 1, `expires in 4 h, got ${payload.exp! - payload.iat!} s`);
  });

  test('uses expiresIn as seconds or as a duration string', async () => {
    const inSeconds = decodeJwt(await issuer.issue(candidateClaims('cand-1'), { expiresIn: 90 }));
    assert.ok(Math.abs(inSeconds.exp! - now() - 90) <= 1);
    const inWords = decodeJwt(await issuer.issue(candidateClaims('cand-1'), { expiresIn: '10m' }));
    assert.ok(Math.abs(inWords.exp! - now() - 600) <= 1);
  });

  test('uses the kit tokenTtl as the default lifetime', async () => {
    const kit = createProctorKit({ secret: SECRET, logger: 'silent', store: memoryStore(), tokenTtl: 120 });
    try {
      const payload = decodeJwt(await kit.issueToken(candidateClaims('cand-1')));
      assert.ok(Math.abs(payload.exp! - now() - 120) <= 1);
    } finally {
      await kit.close();
    }
  });

  test('trims the display name before signing', async () => {
    const claims = (await issuer.verify(await issuer.issue({ ...candidateClaims('cand-1'), name: '  Ada  ' }))).claims;
    assert.equal(claims.name, 'Ada');
  });

  test('verifies tokens of another issuer instance with the same secret', async () => {
    const token = await new TokenIssuer(SECRET, '1h').issue(candidateClaims('cand-1'));
    assert.deepEqual((await issuer.verify(token)).claims, candidateClaims('cand-1'));
  });
});

describe('refusing tokens', () => {
  test('refuses an expired token', async () => {
    await assertRefused(await signRaw(candidateClaims('cand-1'), { exp: now() - 10 }), /^Token has expired\.$/);
    await assertRefused(await issuer.issue(candidateClaims('cand-1'), { expiresIn: -10 }), /expired/);
  });

  test('refuses a correctly signed token that never expires', async () => {
    await assertRefused(await signRaw(candidateClaims('cand-1'), { exp: null }), /"exp" is invalid/);
  });

  test('refuses a token signed with another secret', async () => {
    const forged = await new TokenIssuer(OTHER_SECRET, '1h').issue(supervisorClaims('*'));
    await assertRefused(forged, /^Token signature is invalid\.$/);
  });

  test('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await issuer.issue(candidateClaims('cand-1'))).split('.');
    const payload = Buffer.from(JSON.stringify({ ...supervisorClaims('*'), iss: 'proctorkit', aud: 'proctorkit', exp: now() + 60 }))
      .toString('base64url');
    await assertRefused(`${header}.${payload}.${signature}`, /signature is invalid/);
  });

  test('refuses malformed tokens', async () => {
    for (const token of ['', 'garbage', 'a.b.c', 'a.b', '...', `${'x'.repeat(20)}.${'y'.repeat(20)}.${'z'.repeat(20)}`]) {
      await assertRefused(token, /^Token is malformed\.$/);
    }
  });

  test('refuses an unsigned token (alg none)', async () => {
    await assertRefused(unsignedToken(supervisorClaims('*')), /malformed/);
  });

  test('refuses a token signed with another algorithm, even with the right secret', async () => {
    await assertRefused(await signRaw(supervisorClaims('*'), { alg: 'HS512' }), /malformed/);
    await assertRefused(await signRaw(supervisorClaims('*'), { alg: 'HS384' }), /malformed/);
  });

  test('refuses a token for another issuer or audience', async () => {
    await assertRefused(await signRaw(candidateClaims('cand-1'), { issuer: 'someone-else' }), /^Token claim "iss" is invalid\.$/);
    await assertRefused(await signRaw(candidateClaims('cand-1'), { audience: 'another-app' }), /^Token claim "aud" is invalid\.$/);
  });

  test('refuses a token that is not valid yet', async () => {
    await assertRefused(await signRaw(candidateClaims('cand-1'), { nbf: now() + 600 }), /"nbf"/);
  });

  test('refuses a correctly signed token whose claims are invalid, naming the claim', async () => {
    await assertRefused(
      await signRaw({ ...candidateClaims('cand-1'), candidateId: 'cand/1' }),
      /^Token claims are invalid: candidateId: /,
    );
    await assertRefused(await signRaw({ ...candidateClaims('cand-1'), role: 'admin' }), /^Token claims are invalid: role: /);
    await assertRefused(await signRaw({ role: 'candidate', examId: 'exam-1' }), /^Token claims are invalid: /);
    await assertRefused(await signRaw({ ...supervisorClaims(['ok', 'not ok']) }), /^Token claims are invalid: candidates/);
  });

  test('refuses a correctly signed token that carries claims the kit does not know', async () => {
    await assertRefused(await signRaw({ ...candidateClaims('cand-1'), admin: true }), /^Token claims are invalid: admin: /);
  });

  test('ignores the registered JWT claims when reading the kit claims', async () => {
    const token = await signRaw({ ...candidateClaims('cand-1'), jti: 'id-1', sub: 'someone' });
    assert.deepEqual((await issuer.verify(token)).claims, candidateClaims('cand-1'));
  });
});

describe('issueToken', () => {
  test('throws bad-message naming the field of invalid claims', async () => {
    await assertBadClaims({ ...candidateClaims('cand-1'), candidateId: 'cand/1' }, /candidateId: /);
    await assertBadClaims({ ...candidateClaims('cand-1'), examId: '' }, /examId: must not be empty/);
    await assertBadClaims({ ...candidateClaims('cand-1'), name: '   ' }, /name: /);
    await assertBadClaims({ ...candidateClaims('cand-1'), role: 'admin' }, /role: /);
    await assertBadClaims({ ...supervisorClaims('*'), candidates: 'all' }, /candidates: /);
    await assertBadClaims({ ...candidateClaims('cand-1'), extra: 1 }, /extra: /);
    await assertBadClaims(null, /issueToken: /);
  });

  test('throws the same way through the kit', async () => {
    const kit = createProctorKit({ secret: SECRET, logger: 'silent', store: memoryStore() });
    try {
      await assert.rejects(kit.issueToken({ ...candidateClaims('cand-1'), candidateId: 'a/b' }), {
        name: 'KitError',
        code: 'bad-message',
      });
    } finally {
      await kit.close();
    }
  });
});

describe('the secret', () => {
  test('must be at least 32 bytes', () => {
    for (const secret of ['', 'short', 'x'.repeat(31), 'é'.repeat(15)]) {
      assert.throws(
        () => createProctorKit({ secret, logger: 'silent' }),
        (error: unknown) => error instanceof KitError && error.code === 'bad-message' && /at least 32 bytes/.test(error.message),
        `refuses a secret of ${Buffer.byteLength(secret)} bytes`,
      );
    }
  });

  test('counts bytes, not characters', () => {
    assert.doesNotThrow(() => new TokenIssuer('x'.repeat(32), '1h'));
    assert.doesNotThrow(() => new TokenIssuer('é'.repeat(16), '1h'));
  });

  test('must be a string', () => {
    assert.throws(() => createProctorKit({ secret: undefined as unknown as string, logger: 'silent' }), { code: 'bad-message' });
    assert.throws(() => new TokenIssuer(Buffer.alloc(64) as unknown as string, '1h'), { code: 'bad-message' });
  });
});
