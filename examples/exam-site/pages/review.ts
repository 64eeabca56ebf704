import type { SessionSummary } from '@proctorkit/server-kit';
import { escapeHtml, layout } from './layout.js';

const STATUS_WORDS: Record<SessionSummary['status'], string> = {
  connecting: 'Connecting',
  preparing: 'Preparing',
  live: 'In progress',
  'feed-lost': 'In progress, a feed lost',
  offline: 'Offline',
  ended: 'Ended',
};

const VERDICT_WORDS: Record<string, string> = { accepted: 'Accepted', rejected: 'Rejected', inconclusive: 'Inconclusive' };

/** `/review`: the demo exam's sessions, each opening in the review player. */
export function reviewListPage({ sessions, notice }: { sessions: readonly SessionSummary[]; notice?: string }): string {
  const rows = [...sessions].sort((a, b) => b.joinedAt - a.joinedAt).map(sessionRow).join('\n');
  return layout({
    title: 'Review',
    wide: true,
    body: `
<style>
  .sessions { width: 100%; max-width: 72rem; border-collapse: collapse; background: #fff; border: 1px solid var(--line); border-radius: 12px; overflow: hidden; font-size: 0.95rem; }
  .sessions th, .sessions td { text-align: left; padding: 0.6rem 0.9rem; border-bottom: 1px solid var(--line); }
  .sessions th { background: #f9fafb; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.03em; color: var(--muted); }
  .sessions td small { display: block; color: var(--muted); }
  .verdict { font-weight: 600; }
  .verdict.accepted { color: #047857; } .verdict.rejected { color: #b91c1c; } .verdict.inconclusive { color: #92400e; }
  .none { color: var(--muted); }
  .empty { text-align: center; color: var(--muted); padding: 2rem; }
</style>
<h1>Review: Algorithms, autumn session</h1>
<p class="lead">Replay a candidate’s recordings on one timeline with their log, flag incidents, add notes, sign the verdict and print the report. The reviewer here is a demo account that covers every candidate; a reviewer never commands a live exam.</p>
${notice ? `<p class="error" role="alert">${escapeHtml(notice)}</p>` : ''}
<table class="sessions">
  <thead><tr><th>Candidate</th><th>Status</th><th>Joined</th><th>Verdict</th><th><span class="visually-hidden">Open</span></th></tr></thead>
  <tbody>
${rows || '<tr><td class="empty" colspan="5">No sessions yet. <a href="/">Take the exam as a candidate</a>, then come back.</td></tr>'}
  </tbody>
</table>
<script type="module">
  for (const time of document.querySelectorAll('time[datetime]')) time.textContent = new Date(time.dateTime).toLocaleString();
</script>`,
  });
}

function sessionRow(session: SessionSummary): string {
  const joined = new Date(session.joinedAt).toISOString();
  const verdict = session.verdict
    ? `<span class="verdict ${session.verdict.verdict}">${VERDICT_WORDS[session.verdict.verdict]}</span>`
    : '<span class="none">Not yet</span>';
  return `    <tr>
      <td>${escapeHtml(session.name)}<small>${escapeHtml(session.candidateId)}</small></td>
      <td>${STATUS_WORDS[session.status]}</td>
      <td><time datetime="${joined}">${joined.slice(0, 16).replace('T', ' ')} UTC</time></td>
      <td>${verdict}</td>
      <td><a class="button secondary" href="/review?session=${encodeURIComponent(session.sessionId)}" aria-label="Review ${escapeHtml(session.name)}">Review</a></td>
    </tr>`;
}

/** `/review?session=<id>`: one session in `<proctor-review>`. */
export function reviewPage({ token, sessionId, name }: { token: string; sessionId: string; name: string }): string {
  return layout({
    title: `Review · ${name}`,
    wide: true,
    body: `
<p><a href="/review">‹ All sessions</a></p>
<h1>Review: ${escapeHtml(name)}</h1>
<proctor-review server="/proctor" token="${escapeHtml(token)}" session="${escapeHtml(sessionId)}"></proctor-review>`,
  });
}
