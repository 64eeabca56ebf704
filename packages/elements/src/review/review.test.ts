/// <reference path="../../test-support/mocha-globals.d.ts" />
// The review player in headless Chromium against the real kit: a real session (a candidate's page
// that consents, copies text, logs a line, gets a supervisor's message and is ended), replayed with
// clips this page records itself (a canvas with the feed's name, the time into the clip and a frame
// counter, as H.264 MP4), served as the session's recording manifest.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { CandidateSession, FLAG_REASON_LABELS, ReviewClient, SupervisorRoom, type Feed, type RecordingManifest, type RecordingRun } from '@proctorkit/core';
import type { RecordedDetail } from '../shared/events.js';
import type { ProctorReview } from './review.js';
import './review.js';

async function token(query: Record<string, string>): Promise<string> {
  const response = await fetch(`/test-token?${new URLSearchParams(query)}`);
  if (!response.ok) throw new Error(`GET /test-token answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A clip of about `seconds`: the feed's name, the time into the clip and a frame counter on a coloured canvas. */
async function recordClip(label: string, color: string, seconds: number): Promise<{ url: string; durationMs: number; mimeType: string }> {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  const context = canvas.getContext('2d')!;
  const fps = 30;
  const stream = canvas.captureStream(fps);
  const mimeType = MediaRecorder.isTypeSupported('video/mp4;codecs=avc1') ? 'video/mp4;codecs=avc1' : 'video/webm;codecs=vp8';
  const recorder = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: 400_000 });
  const parts: Blob[] = [];
  recorder.ondataavailable = (event) => parts.push(event.data);
  const began = performance.now();
  let frame = 0;
  const draw = () => {
    const t = (performance.now() - began) / 1000;
    context.fillStyle = color;
    context.fillRect(0, 0, 320, 240);
    context.fillStyle = '#ffffff';
    context.fillRect(0, 226, (t / seconds) * 320, 14);
    context.font = 'bold 28px sans-serif';
    context.fillText(label, 16, 44);
    context.font = 'bold 56px monospace';
    context.fillText(`${t.toFixed(2)} s`, 16, 130);
    context.font = '22px monospace';
    context.fillText(`frame ${frame++}`, 16, 180);
  };
  draw();
  recorder.start();
  const timer = setInterval(draw, 1000 / fps);
  await sleep(seconds * 1000);
  recorder.stop();
  await new Promise((resolve) => (recorder.onstop = resolve));
  clearInterval(timer);
  for (const track of stream.getTracks()) track.stop();
  const url = URL.createObjectURL(new Blob(parts, { type: mimeType.split(';')[0] }));
  const probe = document.createElement('video');
  probe.muted = true;
  probe.src = url;
  await new Promise((resolve) => probe.addEventListener('loadedmetadata', resolve, { once: true }));
  return { url, durationMs: Math.round(probe.duration * 1000), mimeType };
}

interface Reviewed {
  sessionId: string;
  candidateId: string;
  reviewer: string;
  /** The exam's start (server ms): 00:00 of the player. */
  started: number;
  manifest: RecordingManifest;
}

let reviewed: Promise<Reviewed> | undefined;

const realFetch = window.fetch.bind(window);
const manifests = new Map<string, (real: () => Promise<RecordingManifest>) => Promise<RecordingManifest>>();
window.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input), location.href);
  const serve = manifests.get(url.pathname);
  if (!serve) return realFetch(input, init);
  return serve(async () => (await realFetch(input, init)).json()).then((manifest) => new Response(JSON.stringify(manifest), { headers: { 'content-type': 'application/json' } }));
};

/** Answers `GET …/sessions/:id/recordings` with `serve` (which may ask the kit for its own). */
function serveManifest(sessionId: string, serve: (real: () => Promise<RecordingManifest>) => Promise<RecordingManifest>): void {
  manifests.set(`/proctor/sessions/${sessionId}/recordings`, serve);
}
const closing: { close(): void }[] = [];

function run(runId: string, startedAt: number, clip: { url: string; durationMs: number; mimeType: string }): RecordingRun {
  return {
    runId,
    startedAt,
    endedAt: startedAt + clip.durationMs,
    durationMs: clip.durationMs,
    bytes: 1,
    mimeType: clip.mimeType,
    state: 'complete',
    url: clip.url,
    chunks: { received: 1, missing: [] },
  };
}

/**
 * The session every test reviews, made once: 15 s of exam with a webcam and a phone throughout and
 * a screen shared from 0 to 6 s and again from 9 s (its share stopped in between).
 */
function reviewedSession(): Promise<Reviewed> {
  reviewed ??= (async () => {
    const candidateId = `review-${crypto.randomUUID().slice(0, 8)}`;
    const candidate = new CandidateSession({ server: '/proctor', token: await token({ candidateId, name: 'Ada Lovelace' }), feeds: ['webcam'], record: false });
    closing.push(candidate);
    candidate.connect();
    await waitUntil(() => candidate.state.value.session, 'the candidate never connected');
    const sessionId = candidate.state.value.session!.sessionId;
    const room = new SupervisorRoom({ server: '/proctor', token: await token({ role: 'supervisor', candidates: candidateId, name: 'Dr. Reyes' }) });
    closing.push(room);
    room.connect();
    await waitUntil(() => room.state.value.connection === 'open', 'the supervisor never connected');
    await candidate.consent();

    const clips = Promise.all([
      recordClip('Webcam', '#1e3a8a', 15),
      recordClip('Screen · part 1', '#14532d', 6),
      (async () => {
        await sleep(9000);
        return recordClip('Screen · part 2', '#166534', 6);
      })(),
      recordClip('Phone', '#581c87', 15),
    ]);
    await sleep(2000);
    document.dispatchEvent(new Event('copy'));
    await sleep(2000);
    candidate.log('question.opened', { question: 3 });
    await sleep(3000);
    await room.message(sessionId, 'Please share your screen again.');
    const [webcam, screen1, screen2, phone] = await clips;
    await room.terminate(sessionId, 'Review test over.');
    await waitUntil(() => candidate.state.value.ended, 'the exam never ended');

    const reviewer = await token({ role: 'reviewer', candidates: candidateId, name: 'Rita Reviewer' });
    const events = await new ReviewClient('/proctor', () => reviewer).events(sessionId);
    const started = events.find((event) => event.type === 'session.started')!.at;
    const manifest: RecordingManifest = {
      recordings: [
        { feed: 'webcam', runs: [run('webcam-run-1', started, webcam)] },
        { feed: 'screen', runs: [run('screen-run-1', started, screen1), run('screen-run-2', started + 9000, screen2)] },
        { feed: 'phone', runs: [run('phone-run-1', started, phone)] },
      ],
      gaps: [{ feed: 'screen', from: started + screen1.durationMs, to: started + 9000, reason: 'share-stopped' }],
    };
    // The kit's manifest, with these clips as the session's recordings.
    serveManifest(sessionId, async () => manifest);
    return { sessionId, candidateId, reviewer, started, manifest };
  })();
  return reviewed;
}

after(() => {
  for (const one of closing.splice(0)) one.close();
});

async function mount(reviewer: string, sessionId: string): Promise<ProctorReview> {
  const element = await fixture<ProctorReview>(html`<proctor-review server="/proctor" token=${reviewer} session=${sessionId}></proctor-review>`);
  await waitUntil(() => element.playback, 'the player never loaded the session', { timeout: 10_000 });
  await waitUntil(() => Object.values(element.playback!.state.value.feeds).every((feed) => feed.status === 'ready' || feed.status === 'gap'), 'the feeds never got ready', { timeout: 10_000 });
  await element.updateComplete;
  return element;
}

async function player(): Promise<{ element: ProctorReview; session: Reviewed }> {
  const session = await reviewedSession();
  return { element: await mount(session.reviewer, session.sessionId), session };
}

/** An ended exam (nothing recorded) whose candidate copied, then pasted: two integrity signals to judge. */
async function signalledSession(): Promise<{ sessionId: string; reviewer: string; client: ReviewClient }> {
  const candidateId = `review-judge-${crypto.randomUUID().slice(0, 8)}`;
  const candidate = new CandidateSession({ server: '/proctor', token: await token({ candidateId, name: 'Alan Turing' }), feeds: ['webcam'], record: false });
  closing.push(candidate);
  candidate.connect();
  await waitUntil(() => candidate.state.value.session, 'the candidate never connected');
  const sessionId = candidate.state.value.session!.sessionId;
  await candidate.consent();
  await waitUntil(() => candidate.state.value.session?.clock.startedAt, 'the exam never started');
  const reviewer = await token({ role: 'reviewer', candidates: candidateId, name: 'Rita Reviewer' });
  const client = new ReviewClient('/proctor', () => reviewer);
  await sleep(500);
  document.dispatchEvent(new Event('copy'));
  await sleep(1000);
  document.dispatchEvent(new Event('paste'));
  await waitUntil(async () => (await client.events(sessionId)).some((event) => event.type === 'signal.paste'), 'the signals never reached the log', { interval: 200 });
  const room = new SupervisorRoom({ server: '/proctor', token: await token({ role: 'supervisor', candidates: candidateId }) });
  closing.push(room);
  room.connect();
  await waitUntil(() => room.state.value.connection === 'open', 'the supervisor never connected');
  await room.terminate(sessionId, 'Judgement test over.');
  await waitUntil(() => candidate.state.value.ended, 'the exam never ended');
  return { sessionId, reviewer, client };
}

const root = (element: ProctorReview) => element.shadowRoot!;
const video = (element: ProctorReview, feed: Feed) => root(element).querySelector<HTMLVideoElement>(`video[data-feed="${feed}"]`)!;

/** How far each feed's picture is from `t` (server ms), in ms. */
function offsets(element: ProctorReview, session: Reviewed, t: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (const { feed, runs } of session.manifest.recordings) {
    const covering = runs.find((r) => t >= r.startedAt && t < r.startedAt + r.durationMs!);
    if (covering) result[feed] = Math.abs(video(element, feed).currentTime * 1000 - (t - covering.startedAt));
  }
  return result;
}

async function settled(element: ProctorReview): Promise<void> {
  await waitUntil(() => !element.playback!.state.value.waiting, 'the feeds never settled', { timeout: 5000 });
  await element.updateComplete;
}

describe('<proctor-review>', function () {
  this.timeout(60_000);

  it('shows the first frame of every recorded feed, side by side, with the session and its markers', async () => {
    const { element } = await player();
    const feeds = [...root(element).querySelectorAll<HTMLElement>('[part="feed"]')].map((figure) => figure.dataset.feed);
    expect(feeds).to.deep.equal(['webcam', 'screen', 'phone']);
    for (const feed of ['webcam', 'screen', 'phone'] as const) {
      expect(video(element, feed).readyState, `${feed} has a frame`).to.be.at.least(2);
      expect(video(element, feed).videoWidth).to.equal(320);
    }
    expect(root(element).querySelector('header h2')!.textContent).to.equal('Ada Lovelace');
    const kinds = [...root(element).querySelectorAll<HTMLElement>('.markers [part="marker"]')].map((marker) => marker.dataset.kind);
    expect(kinds).to.include.members(['signal', 'log', 'command']);
    const slider = root(element).querySelector('[role="slider"]')!;
    expect(slider.getAttribute('aria-valuetext')).to.match(/^00:00 of 00:1\d$/);
  });

  it('seeks every feed to a marker and to an event line within 150 ms', async () => {
    const { element, session } = await player();
    const marker = root(element).querySelector<HTMLButtonElement>('[part="marker"][data-kind="log"]')!;
    const line = element.playback!.state.value;
    expect(line.time).to.equal(element.playback!.state.value.time);
    const target = element.shadowRoot!.querySelector<HTMLElement>('[part="event"][data-seq="' + marker.dataset.seq + '"]');
    expect(target, 'the log line is in the event list').to.exist;

    const clicked = performance.now();
    marker.click();
    await settled(element);
    const seekMs = performance.now() - clicked;
    const at = element.playback!.time;
    for (const [feed, off] of Object.entries(offsets(element, session, at))) expect(off, `${feed} after the marker`).to.be.below(150);
    expect(marker.getAttribute('aria-label')).to.match(/^Exam site at 00:0\d: question\.opened/);

    const copy = root(element).querySelector<HTMLButtonElement>('[part="event"]:is([data-seq])[aria-current]');
    expect(copy).to.exist;
    const signalLine = [...root(element).querySelectorAll<HTMLButtonElement>('[part="event"]')].find((button) => button.textContent!.includes('Copied text'))!;
    signalLine.click();
    await settled(element);
    const signalAt = element.playback!.time;
    expect(signalAt).to.be.below(at);
    for (const [feed, off] of Object.entries(offsets(element, session, signalAt))) expect(off, `${feed} after the event line`).to.be.below(150);
    expect(signalLine.getAttribute('aria-current')).to.equal('true');
    console.log(`seek to a marker: ${Math.round(seekMs)} ms until every feed showed it; stats ${JSON.stringify(element.playback!.driftStats(60_000).seekMs)}`);
  });

  it('plays at 2× with every feed within 150 ms of the clock', async () => {
    const { element, session } = await player();
    const speed = root(element).querySelector<HTMLSelectElement>('[part="speed"]')!;
    speed.value = '2';
    speed.dispatchEvent(new Event('change'));
    await element.seek(session.started + 500);
    element.playback!.play();
    const worst: Record<string, number> = {};
    for (let i = 0; i < 12; i++) {
      await sleep(400);
      const state = element.playback!.state.value;
      if (state.waiting) continue;
      const t = element.playback!.time;
      for (const [feed, off] of Object.entries(offsets(element, session, t))) worst[feed] = Math.max(worst[feed] ?? 0, off);
    }
    element.playback!.pause();
    const stats = element.playback!.driftStats(5000);
    console.log(`2×: worst currentTime offset ${JSON.stringify(worst)}; drift ${JSON.stringify({ ...stats, seekMs: undefined })}`);
    expect(stats.samples).to.be.above(20);
    expect(stats.maxMs).to.be.below(150);
    for (const off of Object.values(worst)) expect(off).to.be.below(150);
  });

  it('plays at 8× with every feed near the clock (the benchmark’s figures)', async () => {
    const { element, session } = await player();
    element.playback!.setRate(8);
    await element.seek(session.started);
    element.playback!.play();
    await sleep(1800);
    element.playback!.pause();
    const stats = element.playback!.driftStats(1800);
    console.log(`8×: drift ${JSON.stringify({ ...stats, seekMs: undefined })}`);
    expect(stats.samples).to.be.above(10);
    // At 8× a feed entering a run after its gap starts a few frames late (each wall ms is 8 ms of media).
    expect(stats.p95Ms).to.be.below(200);
  });

  it('shows why a feed has no picture while the playhead crosses its gap, then plays it again', async () => {
    const { element, session } = await player();
    await element.seek(session.started + 5200);
    element.playback!.play();
    const screen = () => root(element).querySelector<HTMLElement>('[part="feed"][data-feed="screen"]')!;
    await waitUntil(() => screen().dataset.status === 'gap', 'the screen never showed its gap', { timeout: 4000 });
    const words = screen().querySelector('[part="gap-words"]')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(words).to.match(/^Screen share stopped 00:0[56]–00:09$/);
    expect(root(element).querySelector('[part="feed"][data-feed="webcam"]')!.getAttribute('data-status')).to.equal('playing');
    await waitUntil(() => screen().dataset.status === 'playing', 'the screen never played again after its gap', { timeout: 6000 });
    element.playback!.pause();
    await settled(element);
    for (const [feed, off] of Object.entries(offsets(element, session, element.playback!.time))) expect(off, feed).to.be.below(150);
    const lane = root(element).querySelector<HTMLElement>('.lane[data-feed="screen"] [part="gap"]')!;
    expect(lane.getAttribute('aria-label')).to.equal(`Screen: ${words}`);
  });

  it('answers its keys, and none while typing in a field', async () => {
    const { element, session } = await player();
    root(element).querySelector<HTMLElement>('[role="slider"]')!.focus();
    const state = () => element.playback!.state.value;

    await sendKeys({ press: 'k' });
    expect(state().playing).to.equal(true);
    await sendKeys({ press: 'Space' });
    expect(state().playing).to.equal(false);

    await element.seek(session.started + 1000);
    await sendKeys({ press: 'l' });
    await settled(element);
    expect(element.playback!.time - session.started).to.be.closeTo(6000, 50);
    await sendKeys({ press: 'ArrowLeft' });
    await settled(element);
    expect(element.playback!.time - session.started).to.be.closeTo(1000, 50);

    await sendKeys({ press: '>' });
    expect(state().rate).to.equal(1.5);
    await sendKeys({ press: '<' });
    await sendKeys({ press: '<' });
    expect(state().rate).to.equal(0.5);

    await sendKeys({ press: '2' });
    await element.updateComplete;
    expect(root(element).querySelector('[data-large]')?.getAttribute('data-feed')).to.equal('screen');
    expect(root(element).querySelector('[part="stage"]')!.getAttribute('data-layout')).to.equal('large');
    await sendKeys({ press: '0' });
    await element.updateComplete;
    expect(root(element).querySelector('[data-large]')).to.equal(null);

    // N opens the note form at the playhead; typing there types.
    await sendKeys({ press: 'n' });
    await element.updateComplete;
    const note = root(element).querySelector<HTMLTextAreaElement>('#note-text')!;
    expect(root(element).activeElement).to.equal(note);
    await sendKeys({ type: 'k l 2 j' });
    expect(note.value).to.equal('k l 2 j');
    expect(state().playing).to.equal(false);
    expect(root(element).querySelector('[data-large]')).to.equal(null);
    await sendKeys({ press: 'Escape' });
    await element.updateComplete;
    expect(root(element).querySelector('#note-text')).to.equal(null);
  });

  it('lists every key in a help dialog that ? opens and Escape closes', async () => {
    const { element } = await player();
    root(element).querySelector<HTMLElement>('[role="slider"]')!.focus();
    await sendKeys({ press: '?' });
    const dialog = root(element).querySelector<HTMLDialogElement>('dialog.help')!;
    expect(dialog.open).to.equal(true);
    const text = dialog.textContent!.replace(/\s+/g, ' ');
    for (const words of ['Space or K', 'Play or pause', 'J or ←', 'L or →', 'Previous flag', 'Next flag', 'Slower', 'Faster', '1 or 2 or 3', 'Add a note', 'Flag an incident', '?']) {
      expect(text).to.include(words);
    }
    await sendKeys({ press: 'Escape' });
    expect(dialog.open).to.equal(false);
  });

  it('adds a note at the playhead; its marker and line appear without a reload', async () => {
    const { element, session } = await player();
    await element.seek(session.started + 4000);
    await sendKeys({ press: 'n' });
    await element.updateComplete;
    expect(root(element).querySelector('#annotate-title')!.textContent).to.include('00:04');
    await sendKeys({ type: 'Looks at something left of the screen' });
    const recorded = new Promise<CustomEvent>((resolve) => element.addEventListener('proctor-recorded', resolve as EventListener, { once: true }));
    root(element).querySelector<HTMLButtonElement>('[part="annotation"] button[type="submit"]')!.click();
    expect((await recorded).detail).to.include({ sessionId: session.sessionId, record: 'note' });
    await waitUntil(() => root(element).querySelector('[part="marker"][data-kind="note"]'), 'the note never appeared on the timeline', { timeout: 5000 });
    const marker = root(element).querySelector<HTMLButtonElement>('[part="marker"][data-kind="note"]')!;
    expect(marker.getAttribute('aria-label')).to.equal('Note at 00:04: Looks at something left of the screen');
    expect(root(element).querySelector('[part="annotation"]')).to.equal(null, 'the form closed');
    const line = root(element).querySelector('li[data-type="note.added"] [part="event"]')!;
    expect(line.querySelector('time')!.textContent).to.equal('00:04');
  });

  it('flags an incident around the playhead (a reason, a text for Other, a feed); ] and [ step to it', async () => {
    const { element, session } = await player();
    await element.seek(session.started + 10_000);
    await sendKeys({ press: 'f' });
    await element.updateComplete;
    const form = root(element).querySelector<HTMLFormElement>('[part="annotation"]')!;
    expect(form.querySelector<HTMLInputElement>('[name="from"]')!.value).to.equal('00:00', '30 s before, within the session');
    expect(form.querySelector<HTMLInputElement>('[name="to"]')!.value).to.match(/^00:1\d$/, '30 s after, within the session');
    const save = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    save.click();
    await element.updateComplete;
    expect(form.querySelector('[role="alert"]')!.textContent).to.equal('Choose a reason.');
    const reason = form.querySelector<HTMLSelectElement>('[name="reason"]')!;
    reason.value = 'other';
    save.click();
    await element.updateComplete;
    expect(form.querySelector('[role="alert"]')!.textContent).to.equal('Say what happened: the reason is “Other”.');
    form.querySelector<HTMLTextAreaElement>('[name="text"]')!.value = 'Reads from a sheet of paper';
    form.querySelector<HTMLInputElement>('[name="from"]')!.value = '00:08';
    form.querySelector<HTMLInputElement>('[name="to"]')!.value = '00:12';
    form.querySelector<HTMLInputElement>('[name="severity"][value="high"]')!.click();
    save.click();
    await waitUntil(() => root(element).querySelector('[part="marker"][data-kind="flag"]'), 'the flag never appeared on the timeline', { timeout: 5000 });
    const marker = root(element).querySelector<HTMLButtonElement>('[part="marker"][data-kind="flag"]')!;
    expect(marker.dataset.severity).to.equal('high');
    expect(marker.getAttribute('aria-label')).to.equal('Flag, high: Other: Reads from a sheet of paper, 00:08–00:12');
    expect(root(element).querySelector('.flag-range')).to.exist;

    await element.seek(session.started);
    root(element).querySelector<HTMLElement>('[role="slider"]')!.focus();
    await sendKeys({ press: ']' });
    await settled(element);
    expect(element.playback!.time - session.started).to.be.closeTo(8000, 1);
    await sendKeys({ press: 'l' });
    await settled(element);
    await sendKeys({ press: '[' });
    await settled(element);
    expect(element.playback!.time - session.started).to.be.closeTo(8000, 1);
  });

  it('signs a verdict (a reason for rejected), then a revision that needs a comment, and shows the history', async () => {
    const { element } = await player();
    const verdicts = () => root(element).querySelector<HTMLElement>('[part="verdicts"]')!;
    const form = () => verdicts().querySelector('form')!;
    form().querySelector<HTMLInputElement>('[value="rejected"]')!.click();
    await element.updateComplete;
    form().querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await element.updateComplete;
    expect(verdicts().querySelector('[role="alert"]')!.textContent).to.include('Give the reason the candidate may see');
    form().querySelector<HTMLTextAreaElement>('[name="reason"]')!.value = 'Notes were used during the exam.';
    form().querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => verdicts().querySelectorAll('.verdict-entry').length === 1, 'the verdict never showed', { timeout: 5000 });
    expect(verdicts().querySelector('.verdict-entry')!.textContent!.replace(/\s+/g, ' ')).to.match(/Rejected · Rita Reviewer \(reviewer\) · .*Reason for the candidate: “Notes were used during the exam\.”/);

    form().querySelector<HTMLInputElement>('[value="inconclusive"]')!.click();
    await element.updateComplete;
    form().querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await element.updateComplete;
    expect(verdicts().querySelector('[role="alert"]')!.textContent).to.include('a comment is required');
    form().querySelector<HTMLTextAreaElement>('[name="comment"]')!.value = 'The sheet may be the allowed formula card.';
    const signed = new Promise<CustomEvent>((resolve) => element.addEventListener('proctor-verdict', resolve as EventListener, { once: true }));
    form().querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    expect((await signed).detail.verdict.verdict).to.equal('inconclusive');
    await waitUntil(() => verdicts().querySelectorAll('.verdict-entry').length === 2, 'the revision never showed', { timeout: 5000 });
    const revision = verdicts().querySelectorAll('.verdict-entry')[1]!.textContent!.replace(/\s+/g, ' ');
    expect(revision).to.match(/Inconclusive · Rita Reviewer .*Comment: “The sheet may be the allowed formula card\.” Revises Rejected of /);
    expect(root(element).querySelector('[part="marker"][data-kind="verdict"]')).to.exist;
  });

  it('confirms a signal as an incident and dismisses another: the kit records both, each line says who judged it and when, each marker shows it', async () => {
    const { sessionId, reviewer, client } = await signalledSession();
    const element = await mount(reviewer, sessionId);
    const line = (type: string) => root(element).querySelector<HTMLElement>(`li[data-type="${type}"]`)!;
    const seqOf = (type: string) => Number(line(type).querySelector<HTMLElement>('[part="event"]')!.dataset.seq);
    const [copySeq, pasteSeq] = [seqOf('signal.copy'), seqOf('signal.paste')];
    const recorded: RecordedDetail[] = [];
    element.addEventListener('proctor-recorded', (event) => recorded.push(event.detail));
    const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    const playing = () => element.playback!.state.value.playing;
    const time = element.playback!.time;

    // Confirm the copy, by keyboard: the flag dialog starts from the signal, and its keys are its own.
    const [confirm, dismissCopy] = line('signal.copy').querySelectorAll<HTMLButtonElement>('[part="judge"] button');
    expect([confirm!.textContent, dismissCopy!.textContent]).to.deep.equal(['Confirm as incident', 'Dismiss']);
    expect(confirm!.getAttribute('aria-label')).to.match(/^Confirm “Copied text at \d\d:\d\d:\d\d” as incident$/);
    expect(dismissCopy!.getAttribute('aria-label')).to.match(/^Dismiss “Copied text at \d\d:\d\d:\d\d”$/);
    confirm!.focus();
    await sendKeys({ press: 'Enter' });
    const openDialog = (tag: 'proctor-flag-dialog' | 'proctor-dismiss-dialog') => root(element).querySelector(tag)?.shadowRoot?.querySelector<HTMLDialogElement>('dialog[open]');
    await waitUntil(() => openDialog('proctor-flag-dialog'), 'the flag dialog never opened');
    const flagDialog = openDialog('proctor-flag-dialog');
    expect((flagDialog!.getRootNode() as ShadowRoot).activeElement?.id, 'the reason has focus').to.equal('reason');
    expect(flagDialog!.querySelector<HTMLSelectElement>('#reason')!.value).to.equal('unauthorised-material');
    const high = flagDialog!.querySelector<HTMLInputElement>('[name="severity"][value="high"]')!;
    high.focus();
    await sendKeys({ press: 'k' });
    await sendKeys({ press: 'l' });
    await sendKeys({ press: 'Space' });
    expect(high.checked, 'Space checked the radio button').to.equal(true);
    expect(playing(), 'K did not play').to.equal(false);
    expect(element.playback!.time, 'L did not step').to.equal(time);
    flagDialog!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => !flagDialog!.open, 'the flag dialog never closed', { timeout: 5000 });

    const confirmed = (await client.events(sessionId)).find((event) => event.type === 'flag.created')!;
    expect(confirmed.data).to.include({ signalSeq: copySeq, severity: 'high', reason: 'unauthorised-material' });
    expect(recorded[0]).to.deep.equal({ sessionId, record: 'flag', seq: confirmed.seq });
    const judgement = (type: string) => line(type).querySelector('[part="judgement"]')?.textContent;
    await waitUntil(() => judgement('signal.copy')?.includes('Rita Reviewer'), 'the copy’s line never said who confirmed it', { timeout: 5000 });
    expect(judgement('signal.copy')).to.equal(
      `Confirmed as incident (high, ${FLAG_REASON_LABELS['unauthorised-material']}) by Rita Reviewer, ${when.format(confirmed.at)}`,
    );
    expect(line('signal.copy').querySelector('[part="judge"]'), 'a judged signal offers no actions').to.equal(null);
    const flagMarker = root(element).querySelector<HTMLElement>(`[part="marker"][data-seq="${confirmed.seq}"]`)!;
    expect(flagMarker.dataset.kind).to.equal('flag');
    expect(flagMarker.getAttribute('aria-label')).to.match(/, confirms the signal at 00:0\d$/);
    const copyMarker = root(element).querySelector<HTMLElement>(`[part="marker"][data-seq="${copySeq}"]`)!;
    expect(copyMarker.hasAttribute('data-confirmed')).to.equal(true);
    expect(copyMarker.getAttribute('aria-label')).to.match(/^Signal at 00:0\d: Copied text \(confirmed as incident: flag 00:00–00:\d\d\)$/);
    await waitUntil(() => root(element).activeElement === line('signal.copy').querySelector('[part="event"]'), 'focus never went to the confirmed signal’s line');

    // Dismiss the paste with a comment; typing it types.
    line('signal.paste').querySelectorAll<HTMLButtonElement>('[part="judge"] button')[1]!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => openDialog('proctor-dismiss-dialog'), 'the dismiss dialog never opened');
    const dismissDialog = openDialog('proctor-dismiss-dialog');
    await sendKeys({ type: 'Pasted back the line she had just cut' });
    expect(dismissDialog!.querySelector<HTMLTextAreaElement>('#comment')!.value).to.equal('Pasted back the line she had just cut');
    expect(playing(), 'K did not play').to.equal(false);
    dismissDialog!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => judgement('signal.paste')?.includes('Rita Reviewer'), 'the paste’s line never said who dismissed it', { timeout: 5000 });
    const dismissal = (await client.events(sessionId)).find((event) => event.type === 'signal.dismissed')!;
    expect(dismissal.data).to.include({ signalSeq: pasteSeq, comment: 'Pasted back the line she had just cut' });
    expect(recorded[1]).to.deep.equal({ sessionId, record: 'dismissal', seq: dismissal.seq });
    expect(judgement('signal.paste')).to.equal(`Dismissed by Rita Reviewer, ${when.format(dismissal.at)}: “Pasted back the line she had just cut”`);
    const pasteMarker = root(element).querySelector<HTMLElement>(`[part="marker"][data-seq="${pasteSeq}"]`)!;
    expect(pasteMarker.hasAttribute('data-dismissed')).to.equal(true);
    expect(pasteMarker.getAttribute('aria-label')).to.match(/ \(dismissed\)$/);
    const legend = root(element).querySelector('[part="legend"]')!.textContent!;
    expect(legend).to.include('Confirmed').and.include('Dismissed');
  });

  it('shows the kit’s refusal when someone else judged the signal meanwhile, and gives focus back to the signal’s Dismiss', async () => {
    const { sessionId, reviewer } = await signalledSession();
    const element = await mount(reviewer, sessionId);
    const line = () => root(element).querySelector<HTMLElement>('li[data-type="signal.copy"]')!;
    const signalSeq = Number(line().querySelector<HTMLElement>('[part="event"]')!.dataset.seq);
    const dismiss = line().querySelectorAll<HTMLButtonElement>('[part="judge"] button')[1]!;
    dismiss.focus();
    await sendKeys({ press: 'Enter' });
    const openDialog = () => root(element).querySelector('proctor-dismiss-dialog')?.shadowRoot?.querySelector<HTMLDialogElement>('dialog[open]');
    await waitUntil(openDialog, 'the dismiss dialog never opened');
    const dialog = openDialog();

    const other = await token({ role: 'reviewer', name: 'Sam Second' });
    await new ReviewClient('/proctor', () => other).addFlag(sessionId, { from: 0, to: 1, feeds: ['webcam'], severity: 'low', reason: 'unauthorised-material', signalSeq });
    dialog!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => dialog!.querySelector('[role="alert"]'), 'the refusal never showed', { timeout: 5000 });
    expect(dialog!.querySelector('[role="alert"]')!.textContent).to.equal(`Integrity signal ${signalSeq} was already confirmed or dismissed; it is judged once. Add a note to say more.`);
    expect(dialog!.open, 'the dialog stays open with the refusal').to.equal(true);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog!.open, 'Escape never closed the dialog');
    await waitUntil(() => root(element).activeElement === dismiss, 'focus never went back to Dismiss');

    await element.refresh();
    await element.updateComplete;
    expect(line().querySelector('[part="judgement"]')!.textContent).to.match(/^Confirmed as incident \(low, .+\) by Sam Second, /);
    expect(line().querySelector('[part="judge"]')).to.equal(null);
  });

  it('opens the printable report by its signed link in a new tab', async () => {
    const { element } = await player();
    const opened: string[] = [];
    const realOpen = window.open;
    window.open = () => ({ opener: window, location: { set href(url: string) { opened.push(url); } }, close() {} }) as unknown as Window;
    try {
      root(element).querySelector<HTMLButtonElement>('[part="report"]')!.click();
      await waitUntil(() => opened.length === 1, 'the report never opened', { timeout: 5000 });
    } finally {
      window.open = realOpen;
    }
    expect(opened[0]).to.match(/\/report\?.*signature=/);
    const page = await fetch(opened[0]!);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/text\/html/);
  });

  it('replays a live session with nothing recorded yet, and shows the kit’s refusal of a verdict before the end', async () => {
    const candidateId = `review-live-${crypto.randomUUID().slice(0, 8)}`;
    const candidate = new CandidateSession({ server: '/proctor', token: await token({ candidateId, name: 'Grace Hopper' }), feeds: [], record: false });
    closing.push(candidate);
    candidate.connect();
    await waitUntil(() => candidate.state.value.session, 'the candidate never connected');
    const reviewer = await token({ role: 'reviewer', candidates: candidateId });
    const element = await fixture<ProctorReview>(html`<proctor-review server="/proctor" token=${reviewer} session=${candidate.state.value.session!.sessionId}></proctor-review>`);
    await waitUntil(() => root(element).querySelector('[part="stage"]'), 'the player never loaded', { timeout: 10_000 });
    expect(root(element).querySelector('[part="stage"]')!.textContent).to.include('Nothing is recorded yet');
    expect(root(element).querySelector('header')!.textContent).to.include('Refreshes every 15 s');
    const form = root(element).querySelector('[part="verdicts"] form')!;
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root(element).querySelector('[part="verdicts"] [role="alert"]'), 'the refusal never showed', { timeout: 5000 });
    expect(root(element).querySelector('[part="verdicts"] [role="alert"]')!.textContent).to.equal('Sign the verdict once the exam ended.');
  });

  it('plays the kit’s own recording by its signed link, and fetches fresh links when one fails', async () => {
    const candidateId = `review-rec-${crypto.randomUUID().slice(0, 8)}`;
    const candidate = new CandidateSession({ server: '/proctor', token: await token({ candidateId, name: 'Ada' }), feeds: ['webcam'] });
    closing.push(candidate);
    candidate.connect();
    await waitUntil(() => candidate.state.value.session, 'the candidate never connected');
    const sessionId = candidate.state.value.session!.sessionId;
    await candidate.consent();
    await waitUntil(() => candidate.state.value.recording?.recording.includes('webcam'), 'the webcam was never recorded');
    await sleep(5000);
    const room = new SupervisorRoom({ server: '/proctor', token: await token({ role: 'supervisor', candidates: candidateId }) });
    closing.push(room);
    room.connect();
    await waitUntil(() => room.state.value.connection === 'open');
    await room.terminate(sessionId, 'Recording review test over.');
    expect(await candidate.drainRecordings(15_000)).to.equal(true);
    const reviewer = await token({ role: 'reviewer', candidates: candidateId });
    const client = new ReviewClient('/proctor', () => reviewer);
    await waitUntil(async () => (await client.recordings(sessionId)).recordings[0]?.runs.every((r) => r.state === 'complete'), 'the run never completed', { timeout: 20_000, interval: 300 });

    // The first manifest's link has a bad signature (as an expired one, the kit answers 403); the next is the kit's own.
    let calls = 0;
    serveManifest(sessionId, async (real) => {
      const manifest = await real();
      if (calls++ > 0) return manifest;
      const run = manifest.recordings[0]!.runs[0]!;
      return { ...manifest, recordings: [{ feed: 'webcam', runs: [{ ...run, url: run.url!.replace(/signature=[^&]+/, 'signature=AAAA') }] }] };
    });
    const element = await mount(reviewer, sessionId);
    const webcam = video(element, 'webcam');
    await waitUntil(() => calls === 2 && webcam.readyState >= 2, 'the player never recovered with a fresh link', { timeout: 10_000 });
    expect(webcam.currentSrc).to.match(/\/file\?expires=\d+&signature=/);
    expect(webcam.duration).to.be.within(4, 9);
    const [run] = (await client.recordings(sessionId)).recordings[0]!.runs;
    await element.seek(run!.startedAt + 3000);
    expect(Math.abs(webcam.currentTime - 3)).to.be.below(0.15);
  });
});
