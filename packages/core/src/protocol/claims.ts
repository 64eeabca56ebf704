import * as v from 'valibot';
import { GeneratedIdSchema, HostIdSchema, NameSchema } from './ids.js';

/** What a candidate token grants: one candidate's session of one exam. */
export const CandidateClaimsSchema = v.strictObject({
  role: v.literal('candidate'),
  examId: HostIdSchema,
  candidateId: HostIdSchema,
  name: NameSchema,
  /** The exam's length for this candidate; default: the kit's `examDurationMinutes`. */
  durationMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1440))),
});

/** The candidates a supervisor's or reviewer's token covers: listed, or `'*'` for all of the exam's. */
const CandidatesSchema = v.union([v.literal('*'), v.pipe(v.array(HostIdSchema), v.maxLength(10_000))]);

/** What a supervisor token grants: watching the named candidates of one exam, or `'*'` for all. */
export const SupervisorClaimsSchema = v.strictObject({
  role: v.literal('supervisor'),
  examId: HostIdSchema,
  supervisorId: HostIdSchema,
  name: NameSchema,
  candidates: CandidatesSchema,
});

/**
 * What a reviewer token grants: replaying the named candidates' sessions of one exam (or `'*'` for
 * all), live or ended — reading their recordings, identity photos and reports, and writing flags,
 * notes and verdicts. A reviewer never commands a live exam.
 */
export const ReviewerClaimsSchema = v.strictObject({
  role: v.literal('reviewer'),
  examId: HostIdSchema,
  reviewerId: HostIdSchema,
  name: NameSchema,
  candidates: CandidatesSchema,
});

/**
 * What a phone token grants: publishing the `phone` feed of one candidate's session, for as long
 * as it stays the session's latest pairing. The kit issues it when a pairing link is redeemed.
 */
export const PhoneClaimsSchema = v.strictObject({
  role: v.literal('phone'),
  examId: HostIdSchema,
  candidateId: HostIdSchema,
  name: NameSchema,
  sessionId: GeneratedIdSchema,
  pairingId: GeneratedIdSchema,
});

export const ClaimsSchema = v.variant('role', [CandidateClaimsSchema, SupervisorClaimsSchema, ReviewerClaimsSchema, PhoneClaimsSchema]);

export type CandidateClaims = v.InferOutput<typeof CandidateClaimsSchema>;
export type SupervisorClaims = v.InferOutput<typeof SupervisorClaimsSchema>;
export type ReviewerClaims = v.InferOutput<typeof ReviewerClaimsSchema>;
export type PhoneClaims = v.InferOutput<typeof PhoneClaimsSchema>;
/** The claims of a Proctorkit token, by role. */
export type Claims = CandidateClaims | SupervisorClaims | ReviewerClaims | PhoneClaims;

/** Whether a supervisor's or a reviewer's claims cover a candidate: who may watch it, and review its sessions. */
export function covers(claims: SupervisorClaims | ReviewerClaims, examId: string, candidateId: string): boolean {
  if (claims.examId !== examId) return false;
  return claims.candidates === '*' || claims.candidates.includes(candidateId);
}

/** The host id of the person a supervisor's or reviewer's token names. */
export function reviewerIdOf(claims: SupervisorClaims | ReviewerClaims): string {
  return claims.role === 'supervisor' ? claims.supervisorId : claims.reviewerId;
}
