import { escapeHtml, layout } from './layout.js';

export function supervisorPage({ token }: { token: string }): string {
  return layout({
    title: 'Supervisor',
    wide: true,
    body: `
<h1>Supervising: Algorithms, autumn session</h1>
<p class="lead">Click a candidate (or press Enter on it) to see them large. Esc returns to the grid.</p>
<proctor-grid server="/proctor" token="${escapeHtml(token)}" page-size="16"></proctor-grid>`,
  });
}
