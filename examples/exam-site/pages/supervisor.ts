import { escapeHtml, layout } from './layout.js';

export function supervisorPage({ token }: { token: string }): string {
  return layout({
    title: 'Supervisor',
    wide: true,
    body: `
<style>
  .how-to { color: var(--muted); margin: 0 0 1rem; padding-left: 1.2rem; font-size: 0.92rem; line-height: 1.5; columns: 2 28rem; column-gap: 2.5rem; }
  .how-to strong { color: var(--ink); }
</style>
<h1>Supervising: Algorithms, autumn session</h1>
<ul class="how-to">
  <li><strong>Tiles</strong> show each candidate's time left and, in orange, the integrity signals you have not looked at yet. Signals inform; they prove nothing.</li>
  <li><strong>Click a candidate</strong> (or press Enter on it) to see them large with their event log. Esc returns to the grid.</li>
  <li><strong>In the large view:</strong> pause or resume, add time, send a message (you see when it was read), ask for a room scan through the candidate’s paired phone, or end the exam with a reason the candidate sees.</li>
  <li><strong>For everyone</strong>, when a technical problem hits the whole room: <em>Pause all</em>, <em>Resume all</em>, <em>Extend all</em>. Click a line of <em>Events</em> to open that candidate.</li>
</ul>
<proctor-grid server="/proctor" token="${escapeHtml(token)}" page-size="16"></proctor-grid>`,
  });
}
