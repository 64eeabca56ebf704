import { html, nothing } from 'lit';
import type { VerdictSummary } from '@proctorkit/core';

const VERDICT_TEXT = {
  accepted: 'accepted.',
  rejected: 'not accepted.',
  inconclusive: 'the review is not conclusive; the exam site will contact you.',
} as const;

/**
 * The review's verdict on the ended page, when the host lets candidates see it: one calm line,
 * with the reason when the exam was not accepted.
 */
export function renderVerdict(verdict: VerdictSummary | undefined) {
  if (!verdict) return nothing;
  return html`<p class="verdict" part="verdict" role="status" data-verdict=${verdict.verdict}>
    Your exam was reviewed: <strong>${VERDICT_TEXT[verdict.verdict]}</strong>
    ${verdict.verdict === 'rejected' && verdict.reason ? `Reason: ${verdict.reason}` : nothing}
  </p>`;
}
