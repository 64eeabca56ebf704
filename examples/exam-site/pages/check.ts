import { escapeHtml, layout } from './layout.js';

/**
 * The standalone setup test: `<proctor-device-check>` on its own page, before any exam. Its token
 * serves only the network test: the check opens no session and logs nothing.
 */
export function checkPage({ token }: { token: string }): string {
  return layout({
    title: 'Test your setup',
    body: `
<h1>Test your setup</h1>
<p class="lead">Before the exam day, check that your camera, microphone, screen sharing and connection work in this browser.</p>
<proctor-device-check server="/proctor" token="${escapeHtml(token)}"></proctor-device-check>
<p id="next" hidden><a class="button" href="/">Go to the exam</a></p>
<script type="module">
  const check = document.querySelector('proctor-device-check');
  check.addEventListener('proctor-device-check-complete', (event) => {
    document.getElementById('next').hidden = event.detail.verdict === 'fail';
  });
</script>`,
  });
}
