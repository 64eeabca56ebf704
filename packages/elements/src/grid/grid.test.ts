/// <reference path="../../test-support/mocha-globals.d.ts" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ControlChannel, ProctorError, controlUrl, type SessionEvent, type SessionSummary, type SignalCode } from '@proctorkit/core';
import type { ProctorCandidate } from '../candidate/candidate.js';
import type { ProctorControls } from '../controls/controls.js';
import type { ProctorEventFeed } from '../event-feed/event-feed.js';
import type { CommandDetail, ProctorEventMap } from '../shared/events.js';
import type { ProctorTile } from '../tile/tile.js';
import type { ProctorGrid } from './grid.js';
import '../candidate/candidate.js';
import './grid.js';

async function testToken(query: Record<string, string>): Promise<string> {
  const response = await fetch(`/test-token?${new URLSearchParams(query)}`);
  if (!response.ok) throw new Error(`GET /test-token answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

const channels: ControlChannel[] = [];

/** Candidate ids no other test (or earlier run against the same kit) uses. */
function newCandidateIds(count: number): string[] {
  return Array.from({ length: count }, () => `candidate-${crypto.randomUUID()}`);
}

/** Joins a candidate through its own control channel, as its exam page would. */
async function join(candidateId: string, name: string): Promise<ControlChannel> {
  const token = await testToken({ role: 'candidate', candidateId, name });
  const channel = new ControlChannel({ url: controlUrl('/proctor'), token });
  channels.push(channel);
  channel.connect();
  await waitUntil(() => channel.state.value === 'open', `${name} never connected`);
  return channel;
}

/** A grid whose supervisor token names exactly `candidateIds`, connected to the kit. */
async function grid(candidateIds: string[], pageSize = 16): Promise<ProctorGrid> {
  const token = await testToken({ role: 'supervisor', candidates: candidateIds.join(',') });
  const element = await fixture<ProctorGrid>(
    html`<proctor-grid server="/proctor" token=${token} page-size=${pageSize}></proctor-grid>`,
  );
  await waitUntil(() => element.shadowRoot!.querySelector('.connection')?.getAttribute('data-state') === 'open', 'the grid never connected');
  return element;
}

function tiles(element: ProctorGrid): ProctorTile[] {
  return [...element.shadowRoot!.querySelectorAll('proctor-tile')];
}

function tileOf(element: ProctorGrid, name: string): ProctorTile | undefined {
  return tiles(element).find((tile) => tile.session?.name === name);
}

function pagerText(element: ProctorGrid): string | undefined {
  return element.shadowRoot!.querySelector('.pager [aria-live]')?.textContent ?? undefined;
}

/** A candidate's page as the server sees it: its channel, and every update and event it was sent. */
interface Candidate {
  channel: ControlChannel;
  updates: SessionSummary[];
  events: SessionEvent[];
}

/** Joins a candidate that records what it is told; `start` starts its exam clock, as after consent. */
async function candidate(candidateId: string, name: string, { start = true } = {}): Promise<Candidate> {
  const channel = await join(candidateId, name);
  const seen: Candidate = { channel, updates: [], events: [] };
  channel.on('session.updated', ({ session }) => seen.updates.push(session));
  channel.on('session.event', ({ event }) => seen.events.push(event));
  if (start) {
    channel.send({ type: 'session.start' });
    await waitUntil(() => seen.events.some((e) => e.type === 'session.started'), `${name} never started`);
  }
  return seen;
}

/** Waits for the event of `type` the candidate was sent. */
async function received(candidate: Candidate, type: string): Promise<SessionEvent> {
  await waitUntil(() => candidate.events.some((e) => e.type === type), `the candidate never got ${type}`);
  return candidate.events.find((e) => e.type === type)!;
}

/** Sends events from a candidate's page and waits until the server recorded them. */
async function append(candidate: Candidate, ...events: ({ kind: 'signal'; code: SignalCode } | { kind: 'log'; name: string; data: Record<string, unknown> })[]) {
  const sent = events.map((event) => ({ data: {}, ...event, id: crypto.randomUUID(), at: Date.now() }));
  const acked = new Promise<void>((resolve) => {
    const stop = candidate.channel.on('log.ack', ({ ids }) => {
      if (sent.every((e) => ids.includes(e.id))) (stop(), resolve());
    });
  });
  candidate.channel.send({ type: 'log.append', events: sent });
  await acked;
}

function controls(element: ProctorGrid): ProctorControls {
  return element.shadowRoot!.querySelector('proctor-controls')!;
}

function button(root: ShadowRoot, text: string): HTMLButtonElement | undefined {
  return [...root.querySelectorAll('button')].find((b) => b.textContent!.trim() === text);
}

/** Opens a candidate's large view by clicking their tile. */
async function focusOn(element: ProctorGrid, name: string): Promise<string> {
  const tile = tileOf(element, name)!;
  tile.click();
  await element.updateComplete;
  await controls(element).updateComplete;
  return tile.session!.sessionId;
}

/** The feed's lines as they read, without the buttons that judge a signal. */
function feedLines(feed: ProctorEventFeed | null): string[] {
  return [...(feed?.shadowRoot!.querySelectorAll('[part="line"]') ?? [])].map((line) => {
    const words = line.cloneNode(true) as Element;
    words.querySelector('[part="judge"]')?.remove();
    return words.textContent!.replace(/\s+/g, ' ').trim();
  });
}

/** Runs `action` and resolves with the `proctor-command` it makes the grid fire. */
async function commanded(element: ProctorGrid, action: () => unknown): Promise<CommandDetail> {
  const fired = oneEvent(element, 'proctor-command');
  action();
  return (await fired).detail;
}

describe('<proctor-grid>', () => {
  afterEach(() => {
    for (const channel of channels.splice(0)) channel.close();
  });

  it('shows "No candidates yet" until a candidate joins, then a tile with their name', async () => {
    const [id] = newCandidateIds(1);
    const element = await grid([id!]);
    expect(element.shadowRoot!.querySelector('.empty')!.textContent).to.contain('No candidates yet');
    expect(tiles(element)).to.have.length(0);

    await join(id!, 'Grace Hopper');
    await waitUntil(() => tileOf(element, 'Grace Hopper'), 'a tile should appear for the candidate');
    expect(element.shadowRoot!.querySelector('.empty')).to.equal(null);
    expect(element.shadowRoot!.querySelector('.count')!.textContent).to.equal('1 candidates · 0 live');
    expect(tileOf(element, 'Grace Hopper')!.status).to.equal('connecting');
  });

  it('shows only the candidates the supervisor token names', async () => {
    const [watched, other] = newCandidateIds(2);
    await join(other!, 'Not Mine');
    await join(watched!, 'Mine');
    const element = await grid([watched!]);
    await waitUntil(() => tiles(element).length === 1, 'one tile');
    expect(tiles(element)[0]!.session!.name).to.equal('Mine');
  });

  it('turns a tile live when the candidate reports a live feed', async () => {
    const [id] = newCandidateIds(1);
    const candidate = await join(id!, 'Katherine Johnson');
    const element = await grid([id!]);
    await waitUntil(() => tileOf(element, 'Katherine Johnson'), 'a tile');
    candidate.send({ type: 'feed.state', feed: 'webcam', state: 'live' });
    await waitUntil(() => tileOf(element, 'Katherine Johnson')!.getAttribute('status') === 'live', 'the tile should turn live');
    expect(element.shadowRoot!.querySelector('.count')!.textContent).to.equal('1 candidates · 1 live');
  });

  it('plays a candidate’s webcam and screen in their tile once the feeds arrive', async function () {
    this.timeout(15_000);
    const [id] = newCandidateIds(1);
    const element = await grid([id!]);
    const candidateToken = await testToken({ role: 'candidate', candidateId: id!, name: 'Mary Jackson' });
    const candidate = await fixture<ProctorCandidate>(
      html`<proctor-candidate server="/proctor" token=${candidateToken}></proctor-candidate>`,
    );
    await candidate.consent();

    const video = (feed: string) =>
      tileOf(element, 'Mary Jackson')?.shadowRoot!.querySelector<HTMLVideoElement>(`figure[data-feed="${feed}"] video`);
    await waitUntil(() => video('webcam')?.srcObject && video('screen')?.srcObject, 'both feeds should reach the tile', { timeout: 10_000 });
    await waitUntil(() => video('webcam')!.readyState >= 2 && video('screen')!.readyState >= 2, 'frames should play', { timeout: 10_000 });
    const tile = tileOf(element, 'Mary Jackson')!;
    expect(tile.getAttribute('status')).to.equal('live');
    expect(tile.shadowRoot!.querySelector('figure[data-feed="phone"] .placeholder')!.textContent).to.equal('No phone paired');
  });

  it('with page-size 2 and 3 candidates, shows 2 tiles and "Page 1 of 2"; Next shows the third and fires proctor-page', async () => {
    const ids = newCandidateIds(3);
    for (const [index, id] of ids.entries()) await join(id, `Candidate ${index + 1}`);
    const element = await grid(ids, 2);
    await waitUntil(() => element.sessions.length === 3, 'all three candidates listed');
    await element.updateComplete;

    expect(tiles(element).map((t) => t.session!.name)).to.deep.equal(['Candidate 1', 'Candidate 2']);
    expect(pagerText(element)).to.equal('Page 1 of 2');
    const previous = element.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Previous page"]')!;
    const next = element.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Next page"]')!;
    expect(previous.disabled).to.equal(true);

    const paged = oneEvent(element, 'proctor-page');
    next.click();
    const { detail } = await paged;
    await element.updateComplete;
    expect(detail).to.deep.equal({ page: 1, pageCount: 2 });
    expect(tiles(element).map((t) => t.session!.name)).to.deep.equal(['Candidate 3']);
    expect(pagerText(element)).to.equal('Page 2 of 2');
    expect(next.disabled).to.equal(true);
    expect(previous.disabled).to.equal(false);
  });

  it('opens the large view with Enter on a focused tile, and Escape returns focus to that tile', async () => {
    const ids = newCandidateIds(2);
    await join(ids[0]!, 'Alan Turing');
    await join(ids[1]!, 'Joan Clarke');
    const element = await grid(ids);
    await waitUntil(() => tiles(element).length === 2, 'two tiles');
    const tile = tileOf(element, 'Joan Clarke')!;
    const sessionId = tile.session!.sessionId;

    tile.focus();
    expect(element.shadowRoot!.activeElement).to.equal(tile);
    const focused = oneEvent(element, 'proctor-focus');
    await sendKeys({ press: 'Enter' });
    expect((await focused).detail).to.deep.equal({ sessionId });
    await element.updateComplete;
    const large = element.shadowRoot!.querySelectorAll<ProctorTile>('proctor-tile[focused]');
    expect(large).to.have.length(1);
    expect(large[0]!.session!.name).to.equal('Joan Clarke');
    expect(tiles(element)).to.have.length(1);
    expect(element.shadowRoot!.activeElement, 'keyboard focus stays in the large view').not.to.equal(null);
    expect(element.shadowRoot!.querySelector('.focus-bar')!.textContent).to.contain('Esc returns to the grid');

    const returned = oneEvent(element, 'proctor-focus');
    await sendKeys({ press: 'Escape' });
    expect((await returned).detail).to.deep.equal({ sessionId: undefined });
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('proctor-tile[focused]')).to.equal(null);
    expect(tiles(element)).to.have.length(2);
    const active = element.shadowRoot!.activeElement as ProctorTile | null;
    expect(active?.session?.sessionId, 'focus is back on the tile that was opened').to.equal(sessionId);
  });

  it('opens the large view on click and goes back with the Back button', async () => {
    const [id] = newCandidateIds(1);
    await join(id!, 'Hedy Lamarr');
    const element = await grid([id!]);
    await waitUntil(() => tileOf(element, 'Hedy Lamarr'), 'a tile');
    tileOf(element, 'Hedy Lamarr')!.click();
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('proctor-tile[focused]')).to.exist;

    const back = [...element.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.includes('Back to grid'))!;
    back.click();
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('proctor-tile[focused]')).to.equal(null);
    expect(tileOf(element, 'Hedy Lamarr')).to.exist;
  });

  it('turns a tile offline when its candidate disconnects', async () => {
    const [id] = newCandidateIds(1);
    const candidate = await join(id!, 'Ada Lovelace');
    const element = await grid([id!]);
    await waitUntil(() => tileOf(element, 'Ada Lovelace')?.getAttribute('status') === 'connecting', 'a connecting tile');

    candidate.close();
    await waitUntil(() => tileOf(element, 'Ada Lovelace')?.getAttribute('status') === 'offline', 'the tile should go offline');
    const tile = tileOf(element, 'Ada Lovelace')!;
    expect(tile.shadowRoot!.querySelector('[part="status"]')!.textContent).to.equal('Offline');
  });

  it('with a refused token, says so and fires proctor-session-error', async () => {
    type SessionErrorEvent = ProctorEventMap['proctor-session-error'];
    const refused = new Promise<SessionErrorEvent>((resolve) =>
      document.addEventListener('proctor-session-error', (event) => resolve(event as SessionErrorEvent), { once: true }),
    );
    const element = await fixture<ProctorGrid>(html`<proctor-grid server="/proctor" token="not-a-token"></proctor-grid>`);
    const { detail } = await refused;
    await element.updateComplete;
    expect(detail.code).to.equal('unauthorized');
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('Cannot watch this room');
  });

  describe('supervising', () => {
    it('pauses, resumes, extends and messages a candidate from the large view; each reaches the candidate and fires proctor-command', async () => {
      const [id] = newCandidateIds(1);
      const grace = await candidate(id!, 'Grace Hopper');
      const element = await grid([id!]);
      await waitUntil(() => tileOf(element, 'Grace Hopper'), 'a tile');
      const sessionId = await focusOn(element, 'Grace Hopper');
      const root = controls(element).shadowRoot!;

      expect(await commanded(element, () => button(root, 'Pause exam')!.click())).to.deep.equal({ command: 'pause', sessionIds: [sessionId] });
      expect((await received(grace, 'session.paused')).by).to.equal('Test supervisor');
      await waitUntil(() => grace.updates.at(-1)?.clock.pausedAt, 'the candidate’s clock should be paused');
      await waitUntil(() => button(root, 'Resume exam'), 'Pause turns into Resume');
      expect(tileOf(element, 'Grace Hopper')!.shadowRoot!.querySelector('[part="clock"]')!.textContent).to.contain('Paused');

      expect(await commanded(element, () => button(root, 'Resume exam')!.click())).to.deep.equal({ command: 'resume', sessionIds: [sessionId] });
      await received(grace, 'session.resumed');
      await waitUntil(() => button(root, 'Pause exam'), 'Resume turns back into Pause');

      const add15 = root.querySelector<HTMLButtonElement>('button[aria-label="Add 15 minutes"]')!;
      expect(await commanded(element, () => add15.click())).to.deep.equal({ command: 'extend', sessionIds: [sessionId] });
      expect((await received(grace, 'session.extended')).data.minutes).to.equal(15);
      await waitUntil(() => grace.updates.at(-1)?.clock.extendedMs === 15 * 60_000, 'the candidate’s clock should have 15 more minutes');

      root.querySelector<HTMLTextAreaElement>('#message')!.value = 'Please keep your face in view.';
      expect(await commanded(element, () => button(root, 'Send')!.click())).to.deep.equal({ command: 'message', sessionIds: [sessionId] });
      expect((await received(grace, 'message.sent')).data.text).to.equal('Please keep your face in view.');
    });

    it('ends an exam only with a reason, which the candidate receives', async () => {
      const [id] = newCandidateIds(1);
      const alan = await candidate(id!, 'Alan Turing');
      const element = await grid([id!]);
      await waitUntil(() => tileOf(element, 'Alan Turing'), 'a tile');
      const sessionId = await focusOn(element, 'Alan Turing');
      const root = controls(element).shadowRoot!;
      let commands = 0;
      element.addEventListener('proctor-command', () => (commands += 1));

      button(root, 'End exam…')!.click();
      const dialog = root.querySelector('dialog')!;
      expect(dialog.open).to.equal(true);
      button(root, 'End exam')!.click();
      await controls(element).updateComplete;
      expect(root.querySelector('#reason-missing')!.textContent).to.contain('Enter a reason');
      expect(dialog.open, 'the dialog stays open').to.equal(true);

      root.querySelector<HTMLTextAreaElement>('#reason')!.value = 'Someone else is answering for you.';
      expect(await commanded(element, () => button(root, 'End exam')!.click())).to.deep.equal({ command: 'terminate', sessionIds: [sessionId] });
      expect(commands, 'only the confirmed attempt ran').to.equal(1);
      const ended = await received(alan, 'session.ended');
      expect(ended.data).to.deep.equal({ reason: 'terminated', message: 'Someone else is answering for you.' });
      await waitUntil(() => root.querySelector('.ended'), 'the controls say the exam ended');
      expect(dialog.open).to.equal(false);
      expect(tileOf(element, 'Alan Turing')!.shadowRoot!.querySelector('[part="clock"]')!.textContent!.trim()).to.equal('Ended');

      const refused = await element.extend(sessionId, 5).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).to.be.instanceOf(ProctorError);
      expect((refused as ProctorError).code).to.equal('command-refused');
    });

    it('Esc closes an open dialog first, then leaves the large view', async () => {
      const [id] = newCandidateIds(1);
      await candidate(id!, 'Joan Clarke', { start: false });
      const element = await grid([id!]);
      await waitUntil(() => tileOf(element, 'Joan Clarke'), 'a tile');
      await focusOn(element, 'Joan Clarke');
      const root = controls(element).shadowRoot!;
      button(root, 'End exam…')!.click();
      expect(root.querySelector('dialog')!.open).to.equal(true);

      await sendKeys({ press: 'Escape' });
      await element.updateComplete;
      expect(root.querySelector('dialog')!.open).to.equal(false);
      expect(element.shadowRoot!.querySelector('proctor-tile[focused]'), 'still in the large view').to.exist;

      await sendKeys({ press: 'Escape' });
      await element.updateComplete;
      expect(element.shadowRoot!.querySelector('proctor-tile[focused]')).to.equal(null);
    });

    it('"Pause all" asks first and pauses every candidate; "Resume all" and "Extend all" reach everyone too', async () => {
      const ids = newCandidateIds(2);
      const everyone = [await candidate(ids[0]!, 'Ada Lovelace'), await candidate(ids[1]!, 'Charles Babbage')];
      const element = await grid(ids);
      await waitUntil(() => tiles(element).length === 2, 'two tiles');
      const sessionIds = element.sessions.map((s) => s.sessionId).sort();
      const root = element.shadowRoot!;
      const dialog = () => root.querySelector<HTMLDialogElement>('dialog.room')!;

      root.querySelector<HTMLButtonElement>('.pause-all')!.click();
      await element.updateComplete;
      expect(dialog().open).to.equal(true);
      expect(dialog().textContent).to.contain('2 candidates');
      const paused = await commanded(element, () => dialog().querySelector<HTMLButtonElement>('[type="submit"]')!.click());
      expect(paused.command).to.equal('pause');
      expect([...paused.sessionIds].sort()).to.deep.equal(sessionIds);
      for (const one of everyone) await received(one, 'session.paused');
      expect(dialog().open, 'the dialog closes').to.equal(false);
      await waitUntil(() => root.activeElement === root.querySelector('.pause-all'), 'focus goes back to the button');

      await waitUntil(() => !root.querySelector<HTMLButtonElement>('.resume-all')!.disabled, 'Resume all is offered');
      const resumed = await commanded(element, () => root.querySelector<HTMLButtonElement>('.resume-all')!.click());
      expect([...resumed.sessionIds].sort()).to.deep.equal(sessionIds);
      for (const one of everyone) await received(one, 'session.resumed');

      root.querySelector<HTMLButtonElement>('.extend-all')!.click();
      await element.updateComplete;
      dialog().querySelector<HTMLInputElement>('input')!.value = '5';
      const extended = await commanded(element, () => dialog().querySelector<HTMLButtonElement>('[type="submit"]')!.click());
      expect(extended.command).to.equal('extend');
      for (const one of everyone) expect((await received(one, 'session.extended')).data.minutes).to.equal(5);
      await waitUntil(() => root.querySelector('.room-notice')!.textContent!.includes('Added 5 min for 2 candidates'), 'a notice says so');
    });
  });

  describe('signals and event feeds', () => {
    it('shows a badge with a candidate’s new signals on their tile; focusing the candidate clears it', async () => {
      const [id] = newCandidateIds(1);
      const emeka = await candidate(id!, 'Emeka Eze', { start: false });
      const element = await grid([id!]);
      await waitUntil(() => tileOf(element, 'Emeka Eze'), 'a tile');
      const badge = () => tileOf(element, 'Emeka Eze')!.shadowRoot!.querySelector('[part="signals"]')?.textContent?.trim();
      expect(badge()).to.equal(undefined);

      await append(emeka, { kind: 'signal', code: 'page-hidden' });
      await waitUntil(() => badge() === '1', 'a badge with 1');
      await append(emeka, { kind: 'signal', code: 'copy' }, { kind: 'log', name: 'question.opened', data: { question: 2 } });
      await waitUntil(() => badge() === '2', 'signals only are counted');
      expect(tileOf(element, 'Emeka Eze')!.getAttribute('aria-label')).to.contain('2 new signals');

      await focusOn(element, 'Emeka Eze');
      element.focusCandidate(undefined);
      await element.updateComplete;
      expect(badge()).to.equal(undefined);
    });

    it('shows the focused candidate’s whole history, loaded on focus, and new events as they come', async () => {
      const [id] = newCandidateIds(1);
      const fatima = await candidate(id!, 'Fatima Rahman', { start: false });
      await append(fatima, { kind: 'log', name: 'question.opened', data: { question: 3 } }, { kind: 'signal', code: 'page-hidden' });
      const element = await grid([id!]);
      await waitUntil(() => tileOf(element, 'Fatima Rahman'), 'a tile');
      await focusOn(element, 'Fatima Rahman');

      const feed = () => element.shadowRoot!.querySelector<ProctorEventFeed>('.side proctor-event-feed');
      await waitUntil(() => feedLines(feed()).length >= 3, 'the history should load');
      const history = feedLines(feed()).map((line) => line.replace(/^\S+ /, ''));
      expect(history).to.deep.equal(['Page hidden', 'question.opened · question 3', 'Opened the exam page']);

      await append(fatima, { kind: 'signal', code: 'screen-share-stopped' });
      await waitUntil(() => feedLines(feed())[0]?.endsWith('Screen sharing stopped'), 'a new event shows on top');
      expect(feed()!.shadowRoot!.querySelector('[part="line"]')).to.have.attribute('data-tone', 'signal');
    });

    it('lists every candidate’s events with their name in the room feed; choosing one opens that candidate', async () => {
      const ids = newCandidateIds(2);
      await candidate(ids[0]!, 'Giulia Rossi', { start: false });
      const hiroshi = await candidate(ids[1]!, 'Hiroshi Tanaka', { start: false });
      const element = await grid(ids);
      await waitUntil(() => tiles(element).length === 2, 'two tiles');
      await append(hiroshi, { kind: 'signal', code: 'window-blur' });

      const feed = element.shadowRoot!.querySelector<ProctorEventFeed>('.room-feed proctor-event-feed')!;
      await waitUntil(() => feedLines(feed).some((line) => line.endsWith('Hiroshi Tanaka Switched to another window')), 'the room feed lists it');
      const focused = oneEvent(element, 'proctor-focus');
      feed.shadowRoot!.querySelector('button')!.click();
      expect((await focused).detail.sessionId).to.equal(tileOf(element, 'Hiroshi Tanaka')!.session!.sessionId);
      await element.updateComplete;
      expect(element.shadowRoot!.querySelector<ProctorTile>('proctor-tile[focused]')!.session!.name).to.equal('Hiroshi Tanaka');
    });

    it('shows "Seen ✓" under a message once the candidate acknowledges it', async () => {
      const [id] = newCandidateIds(1);
      const ingrid = await candidate(id!, 'Ingrid Johansson', { start: false });
      const element = await grid([id!]);
      await waitUntil(() => tileOf(element, 'Ingrid Johansson'), 'a tile');
      const sessionId = await focusOn(element, 'Ingrid Johansson');

      expect(await element.message(sessionId, 'Please face the camera.')).to.deep.equal([sessionId]);
      const { messageId } = (await received(ingrid, 'message.sent')).data as { messageId: string };
      const root = controls(element).shadowRoot!;
      await waitUntil(() => root.querySelector('[part="messages"]')?.textContent?.includes('Not seen yet'), 'the message is listed');

      ingrid.channel.send({ type: 'log.append', events: [{ kind: 'ack', id: crypto.randomUUID(), messageId, at: Date.now() }] });
      await waitUntil(() => root.querySelector('[part="messages"] .seen')?.textContent === 'Seen ✓', 'the acknowledgement shows');
    });
  });
});
