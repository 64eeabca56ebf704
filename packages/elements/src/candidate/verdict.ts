import { html, nothing } from 'lit';
import type { VerdictSummary } from '@proctorkit/core';

const VERDICT_TEXT = {
  accepted: 'accepted.',
  rejected: 'not accepted.',
  inconclusive: 'the review is not conclusive; the exam site will contact you.',
} as const;

/**
 * The review's verdict on the ended page, when the host lets candidates see it: a calm line, with
 * the reason when the exam was not accepted.
 */
export function renderVerdict(verdict: VerdictSummary | undefined) {
  if (!verdict) return nothing;
  return html`<div class="verdict" part="verdict" role="status" data-verdict=${verdict.verdict}>
    <p>Your exam was reviewed: <strong>${VERDICT_TEXT[verdict.verdict]}</strong></p>
    ${verdict.verdict === 'rejected' && verdict.reason ? html`<p>Reason: ${verdict.reason}</p>` : nothing}
  </div>`;
}
