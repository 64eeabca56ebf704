/// <reference path="../../../test-support/mocha-globals.d.ts" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ControlChannel, ReviewClient, controlUrl, type SessionEvent, type SignalCode } from '@proctorkit/core';
import type { ProctorCandidate } from '../../candidate/candidate.js';
import type { ProctorEventFeed } from '../../event-feed/event-feed.js';
import type { ProctorDismissDialog } from '../../shared/review-dialogs/dismiss-dialog.js';
import type { ProctorFlagDialog } from '../../shared/review-dialogs/flag-dialog.js';
import type { ProctorTile } from '../../tile/tile.js';
import { closeAfterTest, record, testToken } from '../../../test-support/test-kit.js';
import type { ProctorGrid } from '../grid.js';
import type { ProctorObservationPanel } from './observation-panel.js';
import '../../candidate/candidate.js';
import '../grid.js';

const SUPERVISOR = 'Dr. Maria Reyes';

function newCandidateId(): string {
  return `candidate-${crypto.randomUUID()}`;
}

/** A candidate's page as the kit sees it, without capture: its own control channel. */
async function joined(candidateId: string, name: string): Promise<ControlChannel> {
  const channel = closeAfterTest(new ControlChannel({ url: controlUrl('/proctor'), token: await testToken({ role: 'candidate', candidateId, name }) }));
  channel.connect();
  await waitUntil(() => channel.state.value === 'open', `${name} never connected`);
  return channel;
}

/** Sends integrity signals from a candidate's page and waits until the kit has them. */
async function signal(channel: ControlChannel, code: SignalCode, data: Record<string, unknown> = {}): Promise<void> {
  const id = crypto.randomUUID();
  const acked = new Promise<void>((resolve) => {
    const stop = channel.on('log.ack', ({ ids }) => ids.includes(id) && (stop(), resolve()));
  });
  channel.send({ type: 'log.append', events: [{ kind: 'signal', code, data, id, at: Date.now() }] });
  await acked;
}

/** A supervisor's grid watching `candidateId`, with the candidate's large view open. */
async function largeView(candidateId: string, name: string) {
  const token = await testToken({ role: 'supervisor', candidates: candidateId, name: SUPERVISOR });
  const grid = await fixture<ProctorGrid>(html`<proctor-grid server="/proctor" token=${token}></proctor-grid>`);
  await waitUntil(() => grid.sessions.some((s) => s.name === name), `${name} never appeared`);
  const sessionId = grid.sessions.find((s) => s.name === name)!.sessionId;
  grid.focusCandidate(sessionId);
  await customElements.whenDefined('proctor-observation-panel');
  await waitUntil(() => panel(grid)?.review, 'the observation panel never got its review client');
  await panel(grid)!.updateComplete;
  return { grid, sessionId, review: new ReviewClient('/proctor', () => token) };
}

function panel(grid: ProctorGrid): ProctorObservationPanel | null {
  return grid.shadowRoot!.querySelector('proctor-observation-panel');
}

function feed(grid: ProctorGrid): ProctorEventFeed {
  return grid.shadowRoot!.querySelector<ProctorEventFeed>('.side proctor-event-feed')!;
}

function feedLine(grid: ProctorGrid, type: string): HTMLElement | undefined {
  return [...feed(grid).shadowRoot!.querySelectorAll<HTMLElement>(`[part="line"][data-type="${type}"]`)][0];
}

function words(element: Element | null | undefined): string {
  return element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

function button(root: ShadowRoot, text: string): HTMLButtonElement | undefined {
  return [...root.querySelectorAll('button')].find((b) => words(b) === text);
}

/** The element that has keyboard focus, through shadow roots. */
function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** The session's log as the supervisor's grid has it. */
function logOf(grid: ProctorGrid): readonly SessionEvent[] {
  return feed(grid).events as readonly SessionEvent[];
}

describe('<proctor-grid> large view: notes, screenshots, flags', () => {
  it('saves a note with the keyboard alone, at the server time: Shift+Enter writes on, Enter saves, and the event feed names the supervisor', async () => {
    const candidateId = newCandidateId();
    await joined(candidateId, 'Noor Haddad');
    const { grid } = await largeView(candidateId, 'Noor Haddad');
    const root = panel(grid)!.shadowRoot!;
    const note = root.querySelector<HTMLTextAreaElement>('#note')!;

    for (let tabs = 0; tabs < 40 && focused() !== note; tabs += 1) await sendKeys({ press: 'Tab' });
    expect(focused(), 'Tab reaches the note').to.equal(note);
    expect(note.labels![0]!.textContent).to.equal('Note at the current time');
    await sendKeys({ type: 'Looks away to the left' });
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ type: 'twice' });
    expect(note.value).to.equal('Looks away to the left\ntwice');
    const before = Date.now();
    await sendKeys({ press: 'Enter' });

    await waitUntil(() => words(root.querySelector('[role="status"]')).startsWith('Note saved'), 'the note is never said to be saved');
    expect(note.value, 'the field is cleared').to.equal('');
    await waitUntil(() => feedLine(grid, 'note.added'), 'the note never reached the event feed');
    expect(words(feedLine(grid, 'note.added'))).to.contain(`Note by ${SUPERVISOR}: “Looks away to the left twice”`);
    const saved = logOf(grid).find((e) => e.type === 'note.added')!;
    expect(saved.data.at as number).to.be.within(before - 2000, Date.now() + 2000);
    expect(grid.shadowRoot!.querySelector('proctor-tile[focused]'), 'still in the large view').to.exist;
  });

  it('says so when a note is empty, and keeps Esc in a note with text from leaving the large view', async () => {
    const candidateId = newCandidateId();
    await joined(candidateId, 'Pita Ngata');
    const { grid } = await largeView(candidateId, 'Pita Ngata');
    const root = panel(grid)!.shadowRoot!;
    button(root, 'Save note')!.click();
    await panel(grid)!.updateComplete;
    expect(words(root.querySelector('[role="alert"]'))).to.equal('Write the note first.');
    expect(focused()).to.equal(root.querySelector('#note'));
    await sendKeys({ type: 'Draft' });
    await sendKeys({ press: 'Escape' });
    await grid.updateComplete;
    expect(grid.shadowRoot!.querySelector('proctor-tile[focused]'), 'the draft keeps the large view').to.exist;
  });

  it('takes a screenshot of the webcam at the video’s own size, stores it, and the event feed shows it', async function () {
    this.timeout(20_000);
    const candidateId = newCandidateId();
    const candidateToken = await testToken({ role: 'candidate', candidateId, name: 'Mary Jackson' });
    const candidate = await fixture<ProctorCandidate>(html`<proctor-candidate server="/proctor" token=${candidateToken}></proctor-candidate>`);
    await candidate.consent();
    const { grid, sessionId, review } = await largeView(candidateId, 'Mary Jackson');
    const recorded = record('proctor-recorded');
    const large = grid.shadowRoot!.querySelector<ProctorTile>('proctor-tile[focused]')!;
    const video = () => large.shadowRoot!.querySelector<HTMLVideoElement>('figure[data-feed="webcam"] video');
    await waitUntil(() => video() && video()!.readyState >= 2, 'the webcam never played in the large view', { timeout: 15_000 });
    const root = panel(grid)!.shadowRoot!;
    await waitUntil(() => root.querySelector<HTMLButtonElement>('[data-feed="webcam"]')?.disabled === false, 'no screenshot of the webcam offered');
    expect(root.querySelector<HTMLButtonElement>('[data-feed="phone"]')!.disabled, 'no phone, no screenshot of it').to.equal(true);
    expect(root.querySelector('[data-feed="webcam"]')!.getAttribute('aria-label')).to.equal('Screenshot of the webcam');

    root.querySelector<HTMLButtonElement>('[data-feed="webcam"]')!.click();
    await waitUntil(() => words(root.querySelector('[role="status"]')).startsWith('Screenshot of the webcam saved'), 'the screenshot is never said to be saved');
    expect(recorded.map((e) => e.detail.record)).to.deep.equal(['screenshot']);

    await waitUntil(() => feedLine(grid, 'screenshot.taken'), 'the screenshot never reached the event feed');
    expect(words(feedLine(grid, 'screenshot.taken'))).to.contain(`Screenshot of the webcam by ${SUPERVISOR}`);
    const taken = logOf(grid).find((e) => e.type === 'screenshot.taken')!;
    const { videoWidth, videoHeight } = video()!;
    expect([taken.data.width, taken.data.height]).to.deep.equal([videoWidth, videoHeight]);
    expect(videoWidth, 'the stream’s size, not the tile’s').not.to.equal(Math.round(video()!.getBoundingClientRect().width));
    const image = await createImageBitmap(await review.screenshot(sessionId, String(taken.data.screenshotId)));
    expect([image.width, image.height]).to.deep.equal([videoWidth, videoHeight]);

    const thumbnail = () => feedLine(grid, 'screenshot.taken')!.querySelector<HTMLImageElement>('img[part="thumbnail"]');
    await waitUntil(() => thumbnail()?.complete && thumbnail()!.naturalWidth === videoWidth, 'the event feed never showed the image');
    expect(thumbnail()!.alt).to.match(/^Screenshot of the webcam at \d\d:\d\d:\d\d$/);
    expect(thumbnail()!.src).to.match(/^blob:/);
  });

  it('flags an incident over the last 2 minutes: a reason is required, Esc closes the dialog only, the feed shows the flag', async () => {
    const candidateId = newCandidateId();
    await joined(candidateId, 'Ravi Kumar');
    const { grid } = await largeView(candidateId, 'Ravi Kumar');
    const root = panel(grid)!.shadowRoot!;
    const dialog = root.querySelector<ProctorFlagDialog>('proctor-flag-dialog')!;
    const modal = () => dialog.shadowRoot!.querySelector('dialog')!;

    button(root, 'Flag incident…')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => modal().open, 'the flag dialog never opened');
    expect(focused(), 'focus starts on the reason').to.equal(dialog.shadowRoot!.querySelector('#reason'));
    await sendKeys({ press: 'Escape' });
    await grid.updateComplete;
    expect(modal().open).to.equal(false);
    expect(grid.shadowRoot!.querySelector('proctor-tile[focused]'), 'Esc closed the dialog, not the large view').to.exist;
    expect(focused(), 'focus back on the button').to.equal(button(root, 'Flag incident…'));

    button(root, 'Flag incident…')!.click();
    await waitUntil(() => modal().open, 'the flag dialog never opened again');
    const form = dialog.shadowRoot!;
    expect(form.querySelector<HTMLInputElement>('#minutes')!.value).to.equal('2');
    expect(form.querySelector<HTMLInputElement>('[name="severity"]:checked')!.value).to.equal('medium');
    button(form, 'Save flag')!.click();
    await dialog.updateComplete;
    expect(words(form.querySelector('[role="alert"]'))).to.equal('Choose a reason.');
    expect(form.querySelector('#reason')!.getAttribute('aria-invalid')).to.equal('true');

    form.querySelector<HTMLSelectElement>('#reason')!.value = 'other';
    button(form, 'Save flag')!.click();
    await dialog.updateComplete;
    expect(words(form.querySelector('[role="alert"]'))).to.contain('Say what happened');

    form.querySelector<HTMLSelectElement>('#reason')!.value = 'phone-or-device';
    form.querySelector<HTMLInputElement>('[name="severity"][value="high"]')!.click();
    expect(form.querySelectorAll('[name="feeds"]:checked'), 'no feed is live, none is checked').to.have.length(0);
    button(form, 'Save flag')!.click();
    await dialog.updateComplete;
    expect(words(form.querySelector('[role="alert"]'))).to.equal('Check at least one feed.');
    form.querySelector<HTMLInputElement>('[name="feeds"][value="webcam"]')!.click();
    const before = Date.now();
    button(form, 'Save flag')!.click();
    await waitUntil(() => !modal().open, 'the dialog never closed');
    await waitUntil(() => words(root.querySelector('[role="status"]')) === 'Flag saved.', 'the flag is never said to be saved');

    await waitUntil(() => feedLine(grid, 'flag.created'), 'the flag never reached the event feed');
    expect(words(feedLine(grid, 'flag.created'))).to.match(new RegExp(`Flag \\(high\\): Phone or other device, \\d\\d:\\d\\d:\\d\\d–\\d\\d:\\d\\d:\\d\\d, by ${SUPERVISOR}$`));
    const flag = logOf(grid).find((e) => e.type === 'flag.created')!.data as { from: number; to: number; feeds: string[] };
    expect(flag.to - flag.from).to.equal(120_000);
    expect(flag.to).to.be.within(before - 60_000, Date.now() + 2000);
    expect(flag.feeds).to.deep.equal(['webcam']);
  });
});

describe('<proctor-grid> large view: judging integrity signals', () => {
  it('counts no dismissal as a new signal on the candidate’s tile', async () => {
    const candidateId = newCandidateId();
    const page = await joined(candidateId, 'Uma Patel');
    const token = await testToken({ role: 'supervisor', candidates: candidateId, name: SUPERVISOR });
    const grid = await fixture<ProctorGrid>(html`<proctor-grid server="/proctor" token=${token}></proctor-grid>`);
    await waitUntil(() => grid.sessions.length === 1, 'the candidate never appeared');
    const badge = () => grid.shadowRoot!.querySelector<ProctorTile>('proctor-tile')!.shadowRoot!.querySelector('[part="signals"]')?.textContent?.trim();
    await signal(page, 'paste');
    await waitUntil(() => badge() === '1', 'the signal is never counted');
    const { sessionId } = grid.sessions[0]!;
    const pasted = (await new ReviewClient('/proctor', () => token).events(sessionId)).find((e) => e.type === 'signal.paste')!;
    await new ReviewClient('/proctor', () => token).dismissSignal(sessionId, pasted.seq);
    const roomFeed = grid.shadowRoot!.querySelector<ProctorEventFeed>('.room-feed proctor-event-feed')!;
    await waitUntil(() => roomFeed.shadowRoot!.querySelector('[data-type="signal.dismissed"]'), 'the dismissal never reached the room');
    await grid.updateComplete;
    expect(badge()).to.equal('1');
    expect(words(roomFeed.shadowRoot!.querySelector('[data-type="signal.dismissed"]'))).to.contain(`Uma Patel Signal dismissed by ${SUPERVISOR}`);
  });

  it('confirms a signal as an incident: the flag starts from the signal’s time, feed and a likely reason, and the line then shows the judgement', async () => {
    const candidateId = newCandidateId();
    const page = await joined(candidateId, 'Sofia Costa');
    const { grid } = await largeView(candidateId, 'Sofia Costa');
    await signal(page, 'page-visible', { durationMs: 12_000 });
    await waitUntil(() => feedLine(grid, 'signal.page-visible')?.querySelector('[part="judge"]'), 'the signal offers no judgement');
    const line = () => feedLine(grid, 'signal.page-visible')!;
    const signalEvent = logOf(grid).find((e) => e.type === 'signal.page-visible')!;
    const confirm = line().querySelector<HTMLButtonElement>('[part="judge"] button')!;
    expect(words(confirm)).to.equal('Confirm as incident');
    expect(confirm.getAttribute('aria-label')).to.match(/^Confirm “Page visible again \(hidden for 12 s\) at \d\d:\d\d:\d\d” as incident$/);

    confirm.click();
    const dialog = () => feed(grid).shadowRoot!.querySelector<ProctorFlagDialog>('proctor-flag-dialog');
    await waitUntil(() => dialog()?.shadowRoot!.querySelector('dialog')?.open, 'the flag dialog never opened');
    const form = dialog()!.shadowRoot!;
    expect(form.querySelector<HTMLSelectElement>('#reason')!.value).to.equal('screen-content');
    expect([...form.querySelectorAll<HTMLInputElement>('[name="feeds"]:checked')].map((c) => c.value)).to.deep.equal(['screen']);
    expect(words(form.querySelector('.range'))).to.match(/^From \d\d:\d\d:\d\d to \d\d:\d\d:\d\d, around the signal\.$/);
    button(form, 'Save flag')!.click();

    await waitUntil(() => line().querySelector('[part="judgement"]'), 'the line never showed the judgement');
    await waitUntil(() => words(line().querySelector('[part="judgement"]')).includes(SUPERVISOR), 'the judgement never came from the log');
    expect(words(line().querySelector('[part="judgement"]'))).to.equal(`Confirmed as incident (medium, Unexpected screen content) by ${SUPERVISOR}`);
    expect(line().querySelector('[part="judge"]'), 'no more actions').to.equal(null);
    const flag = logOf(grid).find((e) => e.type === 'flag.created')!.data as { from: number; to: number; signalSeq: number };
    expect(flag.signalSeq).to.equal(signalEvent.seq);
    expect(flag.to - flag.from).to.equal(12_000);
  });

  it('dismisses a signal with a comment; a signal judged meanwhile by another supervisor shows the kit’s refusal', async () => {
    const candidateId = newCandidateId();
    const page = await joined(candidateId, 'Tomás Silva');
    const { grid, sessionId, review } = await largeView(candidateId, 'Tomás Silva');
    await signal(page, 'copy', { count: 2 });
    await signal(page, 'window-blur');
    await waitUntil(() => feedLine(grid, 'signal.window-blur')?.querySelector('[part="judge"]'), 'the signals offer no judgement');
    const dialog = () => feed(grid).shadowRoot!.querySelector<ProctorDismissDialog>('proctor-dismiss-dialog');
    const modal = () => dialog()?.shadowRoot!.querySelector('dialog');

    [...feedLine(grid, 'signal.copy')!.querySelectorAll('button')].find((b) => words(b) === 'Dismiss')!.click();
    await waitUntil(() => modal()?.open, 'the dismiss dialog never opened');
    expect(words(dialog()!.shadowRoot!.querySelector('#dismiss-text'))).to.match(/^“Copied text \(2 times\) at \d\d:\d\d:\d\d” stays in the log, marked as no incident\.$/);
    expect(focused()).to.equal(dialog()!.shadowRoot!.querySelector('#comment'));
    await sendKeys({ type: 'Copied the question number only' });
    button(dialog()!.shadowRoot!, 'Dismiss signal')!.click();
    await waitUntil(() => !modal()!.open, 'the dialog never closed');
    await waitUntil(() => words(feedLine(grid, 'signal.copy')!.querySelector('[part="judgement"]')).includes(SUPERVISOR), 'the dismissal never came from the log');
    expect(words(feedLine(grid, 'signal.copy')!.querySelector('[part="judgement"]'))).to.equal(`Dismissed by ${SUPERVISOR}: “Copied the question number only”`);

    [...feedLine(grid, 'signal.window-blur')!.querySelectorAll('button')].find((b) => words(b) === 'Dismiss')!.click();
    await waitUntil(() => modal()?.open, 'the dismiss dialog never opened again');
    expect(dialog()!.shadowRoot!.querySelector<HTMLTextAreaElement>('#comment')!.value, 'a fresh form').to.equal('');
    const blur = logOf(grid).find((e) => e.type === 'signal.window-blur')!;
    await review.dismissSignal(sessionId, blur.seq, 'Seen by a colleague');
    button(dialog()!.shadowRoot!, 'Dismiss signal')!.click();
    await waitUntil(() => dialog()!.shadowRoot!.querySelector('[role="alert"]'), 'the refusal is never shown');
    expect(words(dialog()!.shadowRoot!.querySelector('[role="alert"]'))).to.contain('already confirmed or dismissed');
    expect(modal()!.open, 'the dialog stays open with the refusal').to.equal(true);
  });
});
