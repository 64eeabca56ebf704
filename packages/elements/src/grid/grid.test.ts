/// <reference path="../../test-support/mocha-globals.d.ts" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ControlChannel, controlUrl } from '@proctorkit/core';
import type { ProctorCandidate } from '../candidate/candidate.js';
import type { ProctorEventMap } from '../shared/events.js';
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
});
