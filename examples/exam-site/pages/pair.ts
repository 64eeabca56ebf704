import { escapeHtml, layout } from './layout.js';

/**
 * The candidate's element beside `<proctor-phone-pairing>`, bound to the element's session: the
 * pairing panel on its own, as a page can place it (and as the end-to-end test drives it).
 */
export function pairPage({ name, token }: { name: string; token: string }): string {
  return layout({
    title: 'Pair a phone',
    body: `
<style>
  .pair-page { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1.25rem; align-items: start; }
</style>
<h1>Pair your phone</h1>
<p class="lead">Signed in as <strong>${escapeHtml(name)}</strong>. Start supervision, then pair your phone as a room camera.</p>
<div class="pair-page">
<proctor-candidate server="/proctor" token="${escapeHtml(token)}" exam-title="Algorithms, autumn session"></proctor-candidate>
<proctor-phone-pairing class="card"></proctor-phone-pairing>
</div>
<script type="module">
  await customElements.whenDefined('proctor-candidate');
  document.querySelector('proctor-phone-pairing').session = document.querySelector('proctor-candidate').session;
</script>`,
  });
}
