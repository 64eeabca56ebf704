import { escapeHtml, layout } from './layout.js';

interface Question {
  text: string;
  choices: string[];
}

/** The demo exam. A real site renders its own questions; Proctorkit never sees them. */
const QUESTIONS: Question[] = [
  {
    text: 'What is the worst-case running time of quicksort when the first element is always the pivot?',
    choices: ['O(n log n)', 'O(n²)', 'O(n)', 'O(log n)'],
  },
  {
    text: 'Which data structure finds a value by its key in O(1) time on average?',
    choices: ['A balanced binary search tree', 'A hash table', 'A sorted array', 'A linked list'],
  },
  {
    text: 'Dijkstra’s shortest-path algorithm gives correct distances when all edge weights are…',
    choices: ['non-negative', 'integers', 'distinct', 'equal'],
  },
  {
    text: 'At most how many comparisons does binary search make on 1,000 sorted items?',
    choices: ['10', '100', '500', '1,000'],
  },
];

const LETTERS = ['A', 'B', 'C', 'D'];

function questionHtml(question: Question, index: number): string {
  const n = index + 1;
  const choices = question.choices
    .map(
      (choice, i) =>
        `<label class="choice"><input type="radio" name="q${n}" value="${LETTERS[i]}"><span class="letter">${LETTERS[i]}</span><span>${escapeHtml(choice)}</span></label>`,
    )
    .join('\n    ');
  return `<fieldset class="question" data-question="${n}" tabindex="-1"${index === 0 ? '' : ' hidden'}>
    <legend><span class="count">Question ${n} of ${QUESTIONS.length}</span>${escapeHtml(question.text)}</legend>
    ${choices}
  </fieldset>`;
}

const STYLE = `
<style>
  .exam-page { display: grid; grid-template-columns: minmax(0, 1fr) 23rem; gap: 1.25rem; align-items: start; }
  .exam-page proctor-candidate { grid-column: 2; grid-row: 1; position: sticky; top: 1rem; }
  .exam-page .card { grid-column: 1; grid-row: 1; }
  /* Before the exam, the supervision steps take the wide column. */
  .exam-page.onboarding { grid-template-columns: minmax(0, 1fr) 20rem; }
  .exam-page.onboarding proctor-candidate { grid-column: 1; position: static; max-width: none; }
  .exam-page.onboarding .card { grid-column: 2; }
  @media (max-width: 56rem) {
    .exam-page { grid-template-columns: minmax(0, 1fr); }
    .exam-page proctor-candidate, .exam-page .card { grid-column: 1; grid-row: auto; position: static; }
  }
  .card h2 { margin: 0 0 0.5rem; font-size: 1.15rem; }
  .card p { margin: 0.5rem 0; }
  .facts { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; padding: 0; margin: 1rem 0 0; list-style: none; color: var(--muted); font-size: 0.9rem; }
  .facts strong { color: var(--ink); }
  .notice { border-left: 4px solid #d97706; }
  .question { border: 0; margin: 0; padding: 0; }
  .question:focus { outline: none; }
  .question legend { font-size: 1.1rem; font-weight: 600; padding: 0; margin-bottom: 1rem; line-height: 1.4; }
  .question .count { display: block; font-size: 0.8rem; font-weight: 600; letter-spacing: 0.05em; text-transform: uppercase; color: var(--muted); margin-bottom: 0.35rem; }
  .choice { display: flex; align-items: center; gap: 0.75rem; font-weight: 400; padding: 0.65rem 0.85rem; margin: 0 0 0.5rem; border: 1px solid var(--line); border-radius: 8px; cursor: pointer; }
  .choice:hover { border-color: #cbd5e1; background: #f9fafb; }
  .choice:has(input:checked) { border-color: var(--brand); background: #eff6ff; }
  .choice:has(input:focus-visible) { outline: 3px solid var(--brand); outline-offset: 2px; }
  .choice input { position: absolute; opacity: 0; width: 1px; height: 1px; }
  .letter { display: grid; place-items: center; flex: none; width: 1.75rem; height: 1.75rem; border-radius: 50%; border: 1px solid #d1d5db; font-size: 0.85rem; font-weight: 600; color: var(--muted); }
  .choice:has(input:checked) .letter { background: var(--brand); border-color: var(--brand); color: #fff; }
  .exam-nav { display: flex; align-items: center; gap: 0.5rem; margin-top: 1.25rem; padding-top: 1rem; border-top: 1px solid var(--line); }
  .exam-nav .saved { margin-right: auto; color: var(--muted); font-size: 0.85rem; }
  .button:disabled { opacity: 0.45; cursor: default; }
  .jump { display: flex; gap: 0.4rem; margin-bottom: 1.25rem; }
  .jump button { font: inherit; font-size: 0.85rem; width: 2.1rem; height: 2.1rem; border-radius: 50%; border: 1px solid #d1d5db; background: #fff; cursor: pointer; }
  .jump button[data-answered] { background: #dbeafe; border-color: #93c5fd; }
  .jump button[aria-current='step'] { border: 2px solid var(--brand); font-weight: 700; }
</style>`;

/**
 * The candidate's exam page: the `<proctor-candidate>` element beside the exam. The exam opens
 * once the clock runs, hides while a supervisor pauses it, and closes when it ends; the page logs
 * what the candidate does through `candidate.log()`, which the supervisors see live.
 */
export function candidatePage({ name, token, onboarding = true }: { name: string; token: string; onboarding?: boolean }): string {
  const steps = onboarding ? ' device-check phone="optional" identity-check' : '';
  return layout({
    title: 'Exam',
    body: `${STYLE}
<h1>Algorithms, autumn session</h1>
<p class="lead">Signed in as <strong>${escapeHtml(name)}</strong>. Start supervision, then your exam opens.</p>
<div class="exam-page onboarding">
<proctor-candidate server="/proctor" token="${escapeHtml(token)}" exam-title="Algorithms, autumn session"${steps}></proctor-candidate>

<section id="intro" class="card" aria-labelledby="intro-title">
  <h2 id="intro-title">Before you start</h2>
  <p>${
    onboarding
      ? 'This exam is supervised. In the panel: agree to supervision, check your setup, add your phone as a room camera if you like, share your camera and screen, and take photos of your ID and face. The questions appear once the clock starts.'
      : 'This exam is supervised. Agree to supervision in the panel, share your camera and your screen, and the questions appear here: the clock starts then.'
  }</p>
  <ul class="facts">
    <li><strong>${QUESTIONS.length}</strong> multiple-choice questions</li>
    <li><strong>60 minutes</strong> once started</li>
    <li>Answers are <strong>saved as you choose</strong></li>
  </ul>
</section>

<section id="paused" class="card notice" aria-labelledby="paused-title" hidden>
  <h2 id="paused-title">Your exam is paused</h2>
  <p>A supervisor paused your exam and the clock is stopped. The questions come back here when it resumes; your answers are kept.</p>
</section>

<section id="feeds" class="card notice" aria-labelledby="feeds-title" hidden>
  <h2 id="feeds-title">Supervision needs your camera and screen</h2>
  <p>The questions are hidden until both are shared again. The supervision panel says what to do.</p>
</section>

<section id="questions" class="card" aria-label="Exam questions" hidden>
  <nav class="jump" aria-label="Questions">
    ${QUESTIONS.map((_, i) => `<button type="button" data-go="${i}" aria-label="Question ${i + 1}"${i === 0 ? ' aria-current="step"' : ''}>${i + 1}</button>`).join('')}
  </nav>
  <form id="answers">
  ${QUESTIONS.map(questionHtml).join('\n  ')}
  </form>
  <div class="exam-nav">
    <span class="saved" id="saved" role="status"></span>
    <button type="button" class="button secondary" id="previous" disabled>Previous</button>
    <button type="button" class="button" id="next">Next</button>
  </div>
</section>

<section id="finished" class="card" aria-labelledby="finished-title" hidden>
  <h2 id="finished-title">Exam finished</h2>
  <p id="finished-summary"></p>
  <p>Your answers were saved as you went: there is nothing else to do. You can close this page.</p>
</section>
</div>

<script type="module">
  const candidate = document.querySelector('proctor-candidate');
  const views = ['intro', 'paused', 'feeds', 'questions', 'finished'].map((id) => document.getElementById(id));
  const questions = [...document.querySelectorAll('.question')];
  const jumps = [...document.querySelectorAll('[data-go]')];
  const previous = document.getElementById('previous');
  const next = document.getElementById('next');
  const saved = document.getElementById('saved');
  let current = 0;
  let shown = 'intro';

  /** What the exam column shows now, from the element's clock and state. */
  function currentView() {
    const state = candidate.state;
    if (state?.ended) return 'finished';
    if (!candidate.clock.started) return 'intro';
    if (candidate.clock.paused) return 'paused';
    const feedsLive = Object.values(state.feeds).every((feed) => feed.state === 'live');
    return feedsLive ? 'questions' : 'feeds';
  }

  function update() {
    const view = currentView();
    for (const section of views) section.hidden = section.id !== view;
    document.querySelector('.exam-page').classList.toggle('onboarding', view === 'intro' && !candidate.state?.ended);
    if (view === 'questions' && shown !== 'questions') candidate.log('question.opened', { question: current + 1 });
    if (view === 'finished') {
      const answered = [...new FormData(document.getElementById('answers')).keys()].length;
      document.getElementById('finished-summary').textContent =
        'You answered ' + answered + ' of ' + questions.length + ' questions.';
    }
    shown = view;
  }

  function showQuestion(index) {
    current = index;
    questions.forEach((question, i) => (question.hidden = i !== index));
    questions[index].focus();
    for (const jump of jumps) jump.removeAttribute('aria-current');
    jumps[index].setAttribute('aria-current', 'step');
    previous.disabled = index === 0;
    next.disabled = index === questions.length - 1;
    showSaved();
    candidate.log('question.opened', { question: index + 1 });
  }

  function showSaved() {
    const checked = questions[current].querySelector('input:checked');
    saved.textContent = checked ? 'Answer ' + checked.value + ' saved' : '';
  }

  previous.addEventListener('click', () => showQuestion(current - 1));
  next.addEventListener('click', () => showQuestion(current + 1));
  for (const jump of jumps) jump.addEventListener('click', () => showQuestion(Number(jump.dataset.go)));

  document.getElementById('answers').addEventListener('change', (event) => {
    candidate.log('answer.submitted', { question: current + 1, choice: event.target.value });
    jumps[current].dataset.answered = '';
    jumps[current].setAttribute('aria-label', 'Question ' + (current + 1) + ', answered');
    showSaved();
  });

  // Starting, pausing, resuming, ending and the feeds change what the page may show.
  for (const type of ['proctor-started', 'proctor-paused', 'proctor-resumed', 'proctor-ended', 'proctor-feed-live', 'proctor-feed-error']) {
    candidate.addEventListener(type, update);
  }
</script>`,
  });
}
