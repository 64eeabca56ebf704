import { REVIEW_EVENT_TYPES, type SessionEvent, type SessionSummary } from '@proctorkit/core/protocol';

/** The page kinds of a session's own side: the candidate's exam page and its paired phone. */
export type OwnPage = 'candidate' | 'phone';

/**
 * A session's summary as one of its own pages receives it. The candidate's page sees the verdict
 * only when the host lets candidates see it (`showVerdictToCandidate`) and the exam has ended; a
 * phone never does.
 */
export function pageSummary(summary: SessionSummary, page: OwnPage, showVerdictToCandidate: boolean): SessionSummary {
  if (!summary.verdict) return summary;
  if (page === 'candidate' && showVerdictToCandidate && summary.clock.endedAt !== null) return summary;
  const { verdict: _hidden, ...rest } = summary;
  return rest;
}

/** What reviewers record: never shown to the candidate's side. */
const HIDDEN_TYPES = new Set<string>([...REVIEW_EVENT_TYPES, 'screenshot.deleted']);

/**
 * An event of the log as the candidate's own pages read it. What reviewers recorded (notes,
 * screenshots, flags, dismissals, verdicts) becomes an empty `review.recorded` at the same `seq`:
 * the pages follow the log without gaps, and learn nothing of its content or author.
 */
export function pageEvent(event: SessionEvent): SessionEvent {
  if (!HIDDEN_TYPES.has(event.type)) return event;
  return { seq: event.seq, at: event.at, type: 'review.recorded', source: 'server', data: {} };
}
