import type { SessionSummary } from '../protocol/index.js';

/**
 * Whether `summary` is older than `current`, the same session's latest: it was sent before an
 * event `current` already counts. Summaries of one session reach a page from several server
 * instances, not always in the order they were made.
 */
export function isOlder(summary: SessionSummary, current: SessionSummary | undefined): boolean {
  return current !== undefined && current.sessionId === summary.sessionId && summary.lastSeq < current.lastSeq;
}
