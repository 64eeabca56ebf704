import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ClaimsSchema, HostIdSchema, covers, parse, type SupervisorClaims } from './index.js';

const candidate = { role: 'candidate', examId: 'exam-1', candidateId: 'cand-1', name: 'Ada Lovelace' };
const supervisor = { role: 'supervisor', examId: 'exam-1', supervisorId: 'sup-1', name: 'Sam', candidates: ['cand-1'] };

describe('host ids', () => {
  test('accept the characters hosts use for ids', () => {
    for (const id of ['42', 'cand-1', 'ada.lovelace@example.org', 'exam:2024+spring', 'A_b', 'x'.repeat(128)]) {
      assert.equal(parse(HostIdSchema, id).ok, true, id);
    }
  });

  test('refuse a slash, which would break Chime attendee ids', () => {
    assert.deepEqual(parse(HostIdSchema, 'cand/1'), {
      ok: false,
      message: 'may contain only letters, digits and . _ @ : + -',
    });
  });

  test('refuse empty, overlong, spaced and non-string ids', () => {
    assert.deepEqual(parse(HostIdSchema, ''), { ok: false, message: 'must not be empty' });
    assert.deepEqual(parse(HostIdSchema, 'x'.repeat(129)), { ok: false, message: 'must be at most 128 characters' });
    assert.equal(parse(HostIdSchema, 'cand 1').ok, false);
    assert.equal(parse(HostIdSchema, 'cand\n1').ok, false);
    assert.equal(parse(HostIdSchema, 1).ok, false);
  });
});

describe('token claims', () => {
  test('accept a candidate and a supervisor', () => {
    assert.deepEqual(parse(ClaimsSchema, candidate), { ok: true, value: candidate });
    assert.deepEqual(parse(ClaimsSchema, supervisor), { ok: true, value: supervisor });
    assert.equal(parse(ClaimsSchema, { ...supervisor, candidates: '*' }).ok, true);
  });

  test("accept a candidate's exam length in whole minutes from 1 to 1440", () => {
    for (const durationMinutes of [1, 90, 1440]) {
      assert.deepEqual(parse(ClaimsSchema, { ...candidate, durationMinutes }), { ok: true, value: { ...candidate, durationMinutes } });
    }
    for (const durationMinutes of [0, 1441, 1.5, '90']) {
      const result = parse(ClaimsSchema, { ...candidate, durationMinutes });
      assert.match((result as { message: string }).message, /^durationMinutes: /, String(durationMinutes));
    }
    assert.match((parse(ClaimsSchema, { ...supervisor, durationMinutes: 60 }) as { message: string }).message, /^durationMinutes: /);
  });

  test('trim the display name and refuse a blank one', () => {
    const result = parse(ClaimsSchema, { ...candidate, name: '  Ada  ' });
    assert.ok(result.ok);
    assert.equal(result.value.name, 'Ada');
    assert.match((parse(ClaimsSchema, { ...candidate, name: '   ' }) as { message: string }).message, /^name: /);
  });

  test('name the field of a bad candidate id', () => {
    const result = parse(ClaimsSchema, { ...candidate, candidateId: 'a/b' });
    assert.deepEqual(result, { ok: false, message: 'candidateId: may contain only letters, digits and . _ @ : + -' });
  });

  test('refuse an unknown role', () => {
    assert.match((parse(ClaimsSchema, { ...candidate, role: 'admin' }) as { message: string }).message, /^role: /);
  });

  test('refuse fields a role does not have, so a token grants nothing unplanned', () => {
    assert.match((parse(ClaimsSchema, { ...candidate, admin: true }) as { message: string }).message, /^admin: /);
    assert.match((parse(ClaimsSchema, { ...candidate, candidates: '*' }) as { message: string }).message, /^candidates: /);
  });

  test("accept a phone bound to one session and pairing, and refuse one missing or widening them", () => {
    const phone = { role: 'phone', examId: 'exam-1', candidateId: 'cand-1', name: 'Ada Lovelace', sessionId: crypto.randomUUID(), pairingId: crypto.randomUUID() };
    assert.equal(parse(ClaimsSchema, phone).ok, true);
    const { pairingId: _pairing, ...noPairing } = phone;
    assert.match((parse(ClaimsSchema, noPairing) as { message: string }).message, /^pairingId: /);
    assert.equal(parse(ClaimsSchema, { ...phone, sessionId: 'not an id' }).ok, false);
    assert.equal(parse(ClaimsSchema, { ...phone, candidates: '*' }).ok, false);
  });

  test('refuse a supervisor whose candidates are neither "*" nor a list of ids', () => {
    for (const candidates of ['all', ['ok', 'bad/id'], undefined, 3]) {
      assert.equal(parse(ClaimsSchema, { ...supervisor, candidates }).ok, false, JSON.stringify(candidates));
    }
  });
});

describe('covers', () => {
  const named = supervisor as SupervisorClaims;
  const all = { ...named, candidates: '*' } as SupervisorClaims;

  test('covers the candidates the token names in its exam', () => {
    assert.equal(covers(named, 'exam-1', 'cand-1'), true);
    assert.equal(covers(named, 'exam-1', 'cand-2'), false);
  });

  test('covers every candidate of its exam with "*"', () => {
    assert.equal(covers(all, 'exam-1', 'anyone'), true);
  });

  test('never covers another exam', () => {
    assert.equal(covers(named, 'exam-2', 'cand-1'), false);
    assert.equal(covers(all, 'exam-2', 'anyone'), false);
  });

  test('covers nobody with an empty list', () => {
    assert.equal(covers({ ...named, candidates: [] }, 'exam-1', 'cand-1'), false);
  });
});
