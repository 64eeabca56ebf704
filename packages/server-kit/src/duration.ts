import { KitError } from './errors.js';

const UNITS: [RegExp, number][] = [
  [/^(?:seconds?|secs?|s)$/, 1],
  [/^(?:minutes?|mins?|m)$/, 60],
  [/^(?:hours?|hrs?|h)$/, 3600],
  [/^(?:days?|d)$/, 86_400],
  [/^(?:weeks?|w)$/, 604_800],
  [/^(?:years?|yrs?|y)$/, 31_557_600],
];

/**
 * A kit option's duration in whole seconds: a number of seconds, or a string such as `'90s'`,
 * `'15m'`, `'4h'`, `'1 day'` (the units `jose` accepts for token lifetimes).
 */
export function durationSeconds(value: number | string, option: string): number {
  const seconds = typeof value === 'number' ? value : parse(value);
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) {
    throw new KitError('bad-message', `createProctorKit: \`${option}\` must be a positive number of seconds or a duration such as '4h'.`);
  }
  return Math.round(seconds);
}

function parse(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?) ?([a-z]+)$/i.exec(text.trim());
  if (!match) return undefined;
  const unit = UNITS.find(([pattern]) => pattern.test(match[2]!.toLowerCase()));
  return unit ? Number(match[1]) * unit[1] : undefined;
}
