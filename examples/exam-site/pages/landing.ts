import { escapeHtml, layout } from './layout.js';

export function landingPage(error?: string): string {
  return layout({
    title: 'Home',
    body: `
<h1>Demo exam: Algorithms, autumn session</h1>
<p class="lead">This site embeds Proctorkit: candidates are supervised live by webcam and screen.</p>
<div style="display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem">
  <form class="card" action="/candidate" method="get">
    <h2 style="margin-top:0;font-size:1.1rem">Take the exam</h2>
    <label for="name">Your name</label>
    <p><input id="name" name="name" placeholder="e.g. Alice Martin" required autocomplete="name"></p>
    ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
    <button class="button" type="submit">Continue as candidate</button>
  </form>
  <div class="card">
    <h2 style="margin-top:0;font-size:1.1rem">Supervise</h2>
    <p class="lead">Watch every candidate of the demo exam live, 16 per page.</p>
    <a class="button secondary" href="/supervisor">Open the supervisor view</a>
  </div>
  <div class="card">
    <h2 style="margin-top:0;font-size:1.1rem">Review</h2>
    <p class="lead">After the exam: replay a candidate’s feeds on one timeline, flag incidents, sign the verdict, print the report.</p>
    <a class="button secondary" href="/review">Open the review</a>
  </div>
  <div class="card">
    <h2 style="margin-top:0;font-size:1.1rem">Test your setup</h2>
    <p class="lead">Check your camera, microphone, screen sharing and connection before the exam day.</p>
    <a class="button secondary" href="/check">Test your setup</a>
  </div>
</div>`,
  });
}
