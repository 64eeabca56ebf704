import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Signer, Verdict, VerdictEntry } from '@proctorkit/core/protocol';
import { derivedKey } from './derived-key.js';

/** What a verdict's signature covers: the entry, the session it concludes, and the entry it revises. */
export interface SignedVerdict {
  sessionId: string;
  examId: string;
  candidateId: string;
  verdictId: string;
  verdict: Verdict;
  reason?: string;
  comment?: string;
  by: Signer;
  signedAt: number;
  revises?: string;
  previous?: string;
}

/** The session a verdict concludes. */
export type VerdictSession = Pick<SignedVerdict, 'sessionId' | 'examId' | 'candidateId'>;

/**
 * Signs verdicts with HMAC-SHA256 (base64url) under a key derived from the kit's secret. The
 * signed text is a canonical JSON (fixed key order, absent fields as `null`) of the entry with its
 * session and the previous entry's signature, so an entry cannot be changed, moved to another
 * session, or dropped from a chain of revisions unnoticed.
 */
export class VerdictSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = derivedKey(secret, 'proctorkit verdict');
  }

  sign(verdict: SignedVerdict): string {
    return createHmac('sha256', this.key).update(canonical(verdict)).digest('base64url');
  }

  /**
   * Whether each entry of a session's verdicts (in log order) is intact: its own signature
   * matches, and it revises exactly the entry before it (the first revises none).
   */
  verifyChain(session: VerdictSession, entries: readonly VerdictEntry[]): boolean[] {
    return entries.map((entry, i) => {
      const before = entries[i - 1];
      const chained = before ? entry.revises === before.verdictId && entry.previous === before.signature : entry.revises === undefined && entry.previous === undefined;
      return chained && this.matches({ ...session, ...entry }, entry.signature);
    });
  }

  private matches(verdict: SignedVerdict, signature: string): boolean {
    const expected = Buffer.from(this.sign(verdict));
    const given = Buffer.from(typeof signature === 'string' ? signature : '');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

function canonical(v: SignedVerdict): string {
  return JSON.stringify({
    sessionId: v.sessionId,
    examId: v.examId,
    candidateId: v.candidateId,
    verdictId: v.verdictId,
    verdict: v.verdict,
    reason: v.reason ?? null,
    comment: v.comment ?? null,
    by: { role: v.by.role, id: v.by.id, name: v.by.name },
    signedAt: v.signedAt,
    revises: v.revises ?? null,
    previous: v.previous ?? null,
  });
}
