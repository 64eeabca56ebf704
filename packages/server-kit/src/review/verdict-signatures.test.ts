import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VerdictEntry } from '@proctorkit/core/protocol';
import { OTHER_SECRET, SECRET } from '../test-helpers.js';
import { VerdictSigner, type VerdictSession } from './verdict-signatures.js';

const session: VerdictSession = { sessionId: 'session-1', examId: 'exam-1', candidateId: 'ada' };
const by = { role: 'reviewer' as const, id: 'rev-1', name: 'Dr. Reyes' };

/** Two entries as the kit writes them: a rejection, and its revision. */
function chain(signer: VerdictSigner): VerdictEntry[] {
  const first = { verdictId: 'v-1', verdict: 'rejected' as const, reason: 'Helped.', by, signedAt: 1_000 };
  const firstSignature = signer.sign({ ...session, ...first });
  const second = { verdictId: 'v-2', verdict: 'accepted' as const, comment: 'It was the invigilator.', by, signedAt: 2_000, revises: 'v-1', previous: firstSignature };
  return [
    { ...first, seq: 7, signature: firstSignature },
    { ...second, seq: 9, signature: signer.sign({ ...session, ...second }) },
  ];
}

test('a chain of verdicts as signed verifies', () => {
  const signer = new VerdictSigner(SECRET);
  assert.deepEqual(signer.verifyChain(session, chain(signer)), [true, true]);
  assert.match(chain(signer)[0]!.signature, /^[\w-]{43}$/, 'HMAC-SHA256 in base64url');
});

test('any changed field, another session, a dropped entry or another secret breaks the signature', () => {
  const signer = new VerdictSigner(SECRET);
  const [first, second] = chain(signer) as [VerdictEntry, VerdictEntry];
  assert.deepEqual(signer.verifyChain(session, [{ ...first, verdict: 'accepted' }, second]), [false, true]);
  assert.deepEqual(signer.verifyChain(session, [{ ...first, reason: 'Helped a lot.' }, second]), [false, true]);
  assert.deepEqual(signer.verifyChain(session, [{ ...first, by: { ...by, name: 'Someone else' } }, second]), [false, true]);
  assert.deepEqual(signer.verifyChain(session, [{ ...first, signedAt: 1_001 }, second]), [false, true]);
  assert.deepEqual(signer.verifyChain({ ...session, candidateId: 'bob' }, [first, second]), [false, false]);
  assert.deepEqual(signer.verifyChain(session, [second]), [false], 'a revision without the verdict it revises');
  assert.deepEqual(signer.verifyChain(session, [first, { ...second, previous: 'x' }]), [true, false]);
  assert.deepEqual(new VerdictSigner(OTHER_SECRET).verifyChain(session, [first, second]), [false, false]);
});
