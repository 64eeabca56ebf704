import type { CandidateState } from '@proctorkit/core';

/** The steps a candidate goes through before the exam, in order. */
export type Stage = 'consent' | 'device-check' | 'phone' | 'identity' | 'exam';

/** Whether the candidate's phone is asked for as a third camera. */
export type PhoneStep = 'off' | 'optional' | 'required';

/** What decides where the candidate is. */
export interface OnboardingInput {
  state: CandidateState;
  /** The candidate agreed (the capture may wait for the device check). */
  agreed: boolean;
  deviceCheck: boolean;
  /** The candidate went on from the device check. */
  deviceChecked: boolean;
  phone: PhoneStep;
  /** The candidate went on from the phone step (paired, or skipped when optional). */
  phoneDone: boolean;
  /** The host asks for the identity check even when the kit does not require it. */
  identityCheck: boolean;
}

/** The steps on the way for these settings, for the step indicator. */
export function stagesOf({ deviceCheck, phone, identityCheck, state }: OnboardingInput): Stage[] {
  const identity = identityCheck || state.session?.identity?.required === true;
  return ['consent', ...(deviceCheck ? ['device-check' as const] : []), ...(phone !== 'off' ? ['phone' as const] : []), ...(identity ? ['identity' as const] : []), 'exam'];
}

/**
 * Where the candidate is. A running exam (e.g. after a reload) goes straight to the exam, once the
 * candidate agreed again on this page: nothing is captured before.
 */
export function stageOf(input: OnboardingInput): Stage {
  const { state } = input;
  if (examRunning(state)) return state.consented ? 'exam' : 'consent';
  if (!state.consented) return input.agreed && input.deviceCheck && !input.deviceChecked ? 'device-check' : 'consent';
  if (input.phone !== 'off' && !input.phoneDone) return 'phone';
  const identity = state.session?.identity;
  const wanted = input.identityCheck || identity?.required === true;
  // Submitted and not required: the exam goes on while the supervisor looks.
  if (wanted && identity?.status !== 'approved' && (identity?.required || identity?.status !== 'submitted')) return 'identity';
  return 'exam';
}

/** Whether the clock may start: at the exam, or once the photos are in (the kit waits for the approval it requires). */
export function mayStart(stage: Stage, state: CandidateState): boolean {
  return stage === 'exam' || (stage === 'identity' && state.session?.identity?.status === 'submitted');
}

/** Whether the exam's clock started (and it has not ended): a page opened now rejoins it. */
export function examRunning(state: CandidateState): boolean {
  return state.session?.clock.startedAt != null && !state.ended;
}
