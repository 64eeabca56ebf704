/**
 * The waits (ms) between a delivery's attempts when its endpoint fails: 5 s, 1 min, 5 min, 30 min,
 * 2 h, 6 h, 12 h, 24 h. Nine attempts over about 45 hours, then the delivery has failed.
 */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [5_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];

/** Each wait is drawn from ±20% around the schedule's, so endpoints that failed together are not retried together. */
const JITTER = 0.2;
/** The longest `Retry-After` the kit honours; a longer one waits this long. */
export const MAX_RETRY_AFTER_MS = 86_400_000;

/**
 * When a delivery is tried again after its `attempts`-th attempt failed (ms from now), or
 * `undefined` once the schedule is spent. A `Retry-After` the endpoint asked for is waited at least.
 */
export function retryDelay(schedule: readonly number[], attempts: number, retryAfterMs?: number, random: () => number = Math.random): number | undefined {
  const wait = schedule[attempts - 1];
  if (wait === undefined) return undefined;
  const jittered = Math.round(wait * (1 - JITTER + 2 * JITTER * random()));
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}

/** A `Retry-After` header's wait in ms (seconds or an HTTP date), `undefined` when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day and month; Date.parse would read a bare "-5" as a year.
  const date = /^[A-Za-z]{3}, /.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
