import type { Parsed } from './parse.js';

/**
 * The deepest nesting of arrays and objects that inbound JSON may have (a message, an HTTP body).
 * Every real message nests fewer than 10 levels; the bound keeps recursive work on hostile input
 * (a schema's check, `JSON.stringify`) far from the stack's limit.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * How deeply `value` nests arrays and objects: 0 for a scalar, 1 for `{}` or `[1]`. Counted
 * without recursion, so any input is safe; counting stops once past `limit`.
 */
export function jsonDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === 'object' && child !== null) stack.push([child, level]);
    }
  }
  return deepest;
}

/** Parses untrusted JSON text and refuses nesting deeper than `maxDepth` before anything else walks it. */
export function parseJson(text: string, maxDepth = MAX_JSON_DEPTH): Parsed<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'Message is not valid JSON.' };
  }
  if (jsonDepth(value, maxDepth) > maxDepth) return { ok: false, message: `JSON nests deeper than ${maxDepth} levels.` };
  return { ok: true, value };
}
