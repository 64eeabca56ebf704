import { clockRemainingMs, type ClockState } from '@proctorkit/core';
import { formatRemaining } from '../shared/time-format.js';
import type { Countdown } from '../shared/clock-controller.js';

/** Where an exam clock stands, as a supervisor reads it. */
export type ClockPhase = 'not-started' | 'running' | 'paused' | 'ended';

/** A clock at one moment: its phase, the time left and that time as the candidate sees it. */
export interface ClockReading extends Countdown {
  phase: ClockPhase;
  /** The time left as `mm:ss` (`h:mm:ss` above an hour), as on the candidate's page. */
  remaining: string;
}

export function clockPhase(clock: ClockState): ClockPhase {
  if (clock.endedAt !== null) return 'ended';
  if (clock.startedAt === null) return 'not-started';
  return clock.pausedAt === null ? 'running' : 'paused';
}

/** Reads `clock` at server time `now`. */
export function readClock(clock: ClockState, now: number): ClockReading {
  const remainingMs = clockRemainingMs(clock, now);
  const phase = clockPhase(clock);
  return {
    phase,
    remainingMs,
    remaining: formatRemaining(remainingMs),
    started: phase === 'running' || phase === 'paused',
    paused: phase === 'paused',
  };
}
