/** How an exam clock reads: digits on screen, words for screen readers. Shared by the candidate's page and the tiles. */

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Time left at which the candidate is told how much is left (5 minutes, then 1 minute). */
export const WARNINGS_MS = [5 * MINUTE, MINUTE] as const;

/**
 * Remaining time as digits: `mm:ss` up to an hour, `h:mm:ss` above. Seconds round up, so the clock
 * shows the whole duration at the start and reaches `00:00` only when time is up.
 */
export function formatRemaining(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / SECOND);
  const ss = pad(total % 60);
  if (total <= 3600) return `${pad(Math.floor(total / 60))}:${ss}`;
  return `${Math.floor(total / 3600)}:${pad(Math.floor((total % 3600) / 60))}:${ss}`;
}

/**
 * Remaining time in words, to the minute: "1 hour 5 minutes", "42 minutes", "less than a minute".
 * Whole minutes only, so a screen reader's label changes once a minute rather than every second.
 */
export function spokenRemaining(ms: number): string {
  const minutes = Math.floor(Math.ceil(Math.max(0, ms) / SECOND) / 60);
  if (minutes === 0) return ms > 0 ? 'less than a minute' : 'no time';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [];
  if (hours > 0) parts.push(plural(hours, 'hour'));
  if (rest > 0) parts.push(plural(rest, 'minute'));
  return parts.join(' ');
}

/** Words for a number of minutes: "5 minutes", "1 hour 30 minutes". */
export function spokenMinutes(minutes: number): string {
  return spokenRemaining(minutes * MINUTE);
}

/**
 * The warning threshold the clock went below between two readings (the lowest one crossed), or
 * `undefined`. A clock that starts already below a threshold crosses nothing.
 */
export function crossedWarning(beforeMs: number | undefined, afterMs: number): number | undefined {
  if (beforeMs === undefined || afterMs <= 0) return undefined;
  let crossed: number | undefined;
  for (const threshold of WARNINGS_MS) if (beforeMs > threshold && afterMs <= threshold) crossed = threshold;
  return crossed;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** About how much recording waits to upload: `12 s`, `3 min`. */
export function formatBacklog(ms: number): string {
  const seconds = Math.round(ms / SECOND);
  return seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}
