import * as v from 'valibot';

/** Why a session ended. */
export type EndReason = 'expired' | 'terminated' | 'finished';

export const EndReasonSchema = v.picklist(['expired', 'terminated', 'finished']);

/**
 * A session's exam clock as the server keeps it. Every field is server time (ms since epoch) or
 * a duration in ms; clients derive the remaining time from it and their estimate of server time.
 */
export interface ClockState {
  /** The exam's length when it started, without extensions. */
  durationMs: number;
  /** Time added by supervisors or the host. */
  extendedMs: number;
  /** When the candidate started; `null` before. */
  startedAt: number | null;
  /** When the current pause began; `null` while running. */
  pausedAt: number | null;
  /** Total length of the pauses that ended. */
  pausedMs: number;
  /** When the session ended; `null` while it goes on. */
  endedAt: number | null;
  endReason: EndReason | null;
}

const Ms = v.pipe(v.number(), v.integer(), v.minValue(0));
const Moment = v.nullable(Ms);

export const ClockStateSchema = v.object({
  durationMs: Ms,
  extendedMs: Ms,
  startedAt: Moment,
  pausedAt: Moment,
  pausedMs: Ms,
  endedAt: Moment,
  endReason: v.nullable(EndReasonSchema),
});

/** A clock that has not started. */
export function newClock(durationMs: number): ClockState {
  return { durationMs, extendedMs: 0, startedAt: null, pausedAt: null, pausedMs: 0, endedAt: null, endReason: null };
}

/** When the exam ends at the current pace, or `null` before it starts. A pause pushes it back. */
export function clockEndsAt(clock: ClockState, now: number): number | null {
  if (clock.startedAt === null) return null;
  const paused = clock.pausedMs + (clock.pausedAt === null ? 0 : Math.max(0, now - clock.pausedAt));
  return clock.startedAt + clock.durationMs + clock.extendedMs + paused;
}

/** Time left at `now`: the whole duration before the start, zero once ended. */
export function clockRemainingMs(clock: ClockState, now: number): number {
  if (clock.endedAt !== null) return 0;
  const endsAt = clockEndsAt(clock, now);
  if (endsAt === null) return clock.durationMs + clock.extendedMs;
  return Math.max(0, endsAt - now);
}

export function clockStart(clock: ClockState, now: number): ClockState {
  return clock.startedAt === null && clock.endedAt === null ? { ...clock, startedAt: now } : clock;
}

export function clockPause(clock: ClockState, now: number): ClockState {
  return isRunning(clock) && clock.pausedAt === null ? { ...clock, pausedAt: now } : clock;
}

export function clockResume(clock: ClockState, now: number): ClockState {
  if (clock.pausedAt === null || clock.endedAt !== null) return clock;
  return { ...clock, pausedAt: null, pausedMs: clock.pausedMs + Math.max(0, now - clock.pausedAt) };
}

export function clockExtend(clock: ClockState, ms: number): ClockState {
  return clock.endedAt === null ? { ...clock, extendedMs: clock.extendedMs + ms } : clock;
}

export function clockEnd(clock: ClockState, now: number, reason: EndReason): ClockState {
  if (clock.endedAt !== null) return clock;
  const resumed = clockResume(clock, now);
  return { ...resumed, endedAt: now, endReason: reason };
}

/** Started and not ended (paused or not). */
export function isRunning(clock: ClockState): boolean {
  return clock.startedAt !== null && clock.endedAt === null;
}
