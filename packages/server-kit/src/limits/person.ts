import type { Claims } from '@proctorkit/core/protocol';

/**
 * Someone the host gave tokens to: a candidate of an exam (their pages and paired phone alike), a
 * supervisor or a reviewer of an exam.
 */
export type Person = { examId: string; candidateId: string } | { examId: string; supervisorId: string } | { examId: string; reviewerId: string };

/** The person a token speaks for. */
export function personOf(claims: Claims): Person {
  if (claims.role === 'supervisor') return { examId: claims.examId, supervisorId: claims.supervisorId };
  if (claims.role === 'reviewer') return { examId: claims.examId, reviewerId: claims.reviewerId };
  return { examId: claims.examId, candidateId: claims.candidateId };
}

/**
 * One key per person, for budgets, limits and revocations. Each part is a JSON string, so no id,
 * whatever characters it holds, can spell another person's key.
 */
export function personKey(person: Person): string {
  if ('supervisorId' in person) return JSON.stringify(['supervisor', person.examId, person.supervisorId]);
  if ('reviewerId' in person) return JSON.stringify(['reviewer', person.examId, person.reviewerId]);
  return JSON.stringify(['candidate', person.examId, person.candidateId]);
}
