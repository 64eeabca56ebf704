import type { Claims } from '@proctorkit/core/protocol';

/**
 * Someone the host gave tokens to: a candidate of an exam (their pages and paired phone alike), or
 * a supervisor of an exam.
 */
export type Person = { examId: string; candidateId: string } | { examId: string; supervisorId: string };

/** The person a token speaks for. */
export function personOf(claims: Claims): Person {
  return claims.role === 'supervisor'
    ? { examId: claims.examId, supervisorId: claims.supervisorId }
    : { examId: claims.examId, candidateId: claims.candidateId };
}

/**
 * One key per person, for budgets, limits and revocations. Each part is a JSON string, so no id,
 * whatever characters it holds, can spell another person's key.
 */
export function personKey(person: Person): string {
  return 'supervisorId' in person
    ? JSON.stringify(['supervisor', person.examId, person.supervisorId])
    : JSON.stringify(['candidate', person.examId, person.candidateId]);
}
