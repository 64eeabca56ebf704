import * as v from 'valibot';
import { HostIdSchema, NameSchema } from './ids.js';

/** What a candidate token grants: one candidate's session of one exam. */
export const CandidateClaimsSchema = v.strictObject({
  role: v.literal('candidate'),
  examId: HostIdSchema,
  candidateId: HostIdSchema,
  name: NameSchema,
  /** The exam's length for this candidate; default: the kit's `examDurationMinutes`. */
  durationMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1440))),
});

/** What a supervisor token grants: watching the named candidates of one exam, or `'*'` for all. */
export const SupervisorClaimsSchema = v.strictObject({
  role: v.literal('supervisor'),
  examId: HostIdSchema,
  supervisorId: HostIdSchema,
  name: NameSchema,
  candidates: v.union([v.literal('*'), v.pipe(v.array(HostIdSchema), v.maxLength(10_000))]),
});

export const ClaimsSchema = v.variant('role', [CandidateClaimsSchema, SupervisorClaimsSchema]);

export type CandidateClaims = v.InferOutput<typeof CandidateClaimsSchema>;
export type SupervisorClaims = v.InferOutput<typeof SupervisorClaimsSchema>;
/** The claims of a Proctorkit token, by role. */
export type Claims = CandidateClaims | SupervisorClaims;

/** Whether a supervisor's claims cover a candidate. */
export function supervises(claims: SupervisorClaims, examId: string, candidateId: string): boolean {
  if (claims.examId !== examId) return false;
  return claims.candidates === '*' || claims.candidates.includes(candidateId);
}
