import { escapeHtml, layout } from './layout.js';

export function candidatePage({ name, token }: { name: string; token: string }): string {
  return layout({
    title: 'Exam',
    body: `
<h1>Algorithms, autumn session</h1>
<p class="lead">Signed in as <strong>${escapeHtml(name)}</strong>. Start supervision, then your exam opens.</p>
<proctor-candidate server="/proctor" token="${escapeHtml(token)}" exam-title="Algorithms, autumn session"></proctor-candidate>
<section id="exam" class="card" style="margin-top:1rem" hidden>
  <h2 style="margin-top:0;font-size:1.1rem">Your exam</h2>
  <p>Supervision is on. Questions appear here.</p>
</section>
<script type="module">
  const candidate = document.querySelector('proctor-candidate');
  const exam = document.getElementById('exam');
  candidate.addEventListener('proctor-feed-live', () => { exam.hidden = false; });
  candidate.addEventListener('proctor-session-error', (event) => {
    exam.hidden = true;
    console.warn('supervision ended:', event.detail.code);
  });
</script>`,
  });
}
