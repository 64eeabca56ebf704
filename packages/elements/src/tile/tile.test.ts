/// <reference path="../../test-support/mocha-globals.d.ts" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { newClock, type ClockState, type Feed, type FeedState, type SessionSummary } from '@proctorkit/core';
import type { ProctorTile } from './tile.js';
import './tile.js';

function summary(change: Partial<SessionSummary> = {}, feeds: Partial<Record<Feed, FeedState>> = {}): SessionSummary {
  return {
    sessionId: 'session-1',
    examId: 'wtr-exam',
    candidateId: 'ada',
    name: 'Ada Lovelace',
    status: 'live',
    joinedAt: 1,
    clock: newClock(3_600_000),
    lastSeq: 0,
    ...change,
    feeds: { webcam: 'live', screen: 'live', phone: 'off', ...feeds },
  };
}

/** Server time in these tests: the tile reads the clock at this moment unless told otherwise. */
const NOW = Date.UTC(2026, 0, 12, 10, 42, 3);
const HOUR = 3_600_000;

/** A one-hour clock started `elapsedMs` before {@link NOW}, with `change` applied. */
function clock(elapsedMs: number, change: Partial<ClockState> = {}): ClockState {
  return { ...newClock(HOUR), startedAt: NOW - elapsedMs, ...change };
}

function clockText(tile: ProctorTile): string | undefined {
  return tile.shadowRoot!.querySelector('[part="clock"]')?.textContent?.trim();
}

function feedFrame(tile: ProctorTile, feed: Feed): HTMLElement {
  return tile.shadowRoot!.querySelector<HTMLElement>(`figure[data-feed="${feed}"]`)!;
}

function placeholder(tile: ProctorTile, feed: Feed): string | undefined {
  return feedFrame(tile, feed).querySelector('.placeholder')?.textContent?.trim();
}

/** A live video track that needs no camera: a canvas painted once and captured. */
function canvasStream(): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 48;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#16a34a';
  context.fillRect(0, 0, canvas.width, canvas.height);
  return canvas.captureStream(5);
}

describe('<proctor-tile>', () => {
  const streams: MediaStream[] = [];

  afterEach(() => {
    for (const stream of streams.splice(0)) for (const track of stream.getTracks()) track.stop();
  });

  it('shows nothing until it has a session', async () => {
    const tile = await fixture<ProctorTile>(html`<proctor-tile></proctor-tile>`);
    expect(tile.shadowRoot!.querySelector('header')).to.equal(null);
    expect(tile).not.to.have.attribute('status');
  });

  it('shows the candidate name and a status label', async () => {
    const tile = await fixture<ProctorTile>(html`<proctor-tile .session=${summary({ status: 'feed-lost' }, { screen: 'lost' })}></proctor-tile>`);
    const root = tile.shadowRoot!;
    expect(root.querySelector('.name')!.textContent).to.equal('Ada Lovelace');
    const status = root.querySelector('[part="status"]')!;
    expect(status.textContent).to.equal('Feed lost');
    expect(status).to.have.attribute('data-status', 'feed-lost');
  });

  it('labels each feed so a supervisor knows which is which', async () => {
    const tile = await fixture<ProctorTile>(html`<proctor-tile .session=${summary()}></proctor-tile>`);
    const captions = [...tile.shadowRoot!.querySelectorAll('figcaption')].map((c) => c.textContent);
    expect(captions).to.deep.equal(['Webcam', 'Screen', 'Phone']);
  });

  it('says "No phone paired" when the candidate has no phone feed', async () => {
    const tile = await fixture<ProctorTile>(html`<proctor-tile .session=${summary()}></proctor-tile>`);
    expect(placeholder(tile, 'phone')).to.equal('No phone paired');
    expect(feedFrame(tile, 'phone')).to.have.attribute('data-state', 'off');
  });

  it("shows the phone's pairing: live in its caption, disconnected in its frame", async () => {
    const stream = canvasStream();
    streams.push(stream);
    const tile = await fixture<ProctorTile>(html`<proctor-tile .session=${summary({}, { phone: 'live' })} .streams=${{ phone: stream }}></proctor-tile>`);
    expect(feedFrame(tile, 'phone').querySelector('figcaption')!.textContent).to.equal('Phone · live');
    tile.session = summary({ status: 'feed-lost' }, { phone: 'lost' });
    await tile.updateComplete;
    expect(placeholder(tile, 'phone')).to.equal('Phone disconnected');
    expect(feedFrame(tile, 'phone').querySelector('figcaption')!.textContent).to.equal('Phone');
  });

  it('says which captured feed is off', async () => {
    const tile = await fixture<ProctorTile>(
      html`<proctor-tile .session=${summary({ status: 'connecting' }, { webcam: 'off', screen: 'off' })}></proctor-tile>`,
    );
    expect(placeholder(tile, 'webcam')).to.equal('Camera off');
    expect(placeholder(tile, 'screen')).to.equal('Screen not shared');
  });

  it('says "Feed lost" on a feed the candidate lost', async () => {
    const tile = await fixture<ProctorTile>(html`<proctor-tile .session=${summary({ status: 'feed-lost' }, { screen: 'lost' })}></proctor-tile>`);
    expect(placeholder(tile, 'screen')).to.equal('Feed lost');
    expect(feedFrame(tile, 'screen')).to.have.attribute('data-state', 'lost');
    expect(feedFrame(tile, 'screen').querySelector('video')).to.equal(null);
  });

  it('says "Offline" on every feed of a candidate who left', async () => {
    const tile = await fixture<ProctorTile>(
      html`<proctor-tile .session=${summary({ status: 'offline' }, { webcam: 'off', screen: 'off' })}></proctor-tile>`,
    );
    expect(['webcam', 'screen', 'phone'].map((feed) => placeholder(tile, feed as Feed))).to.deep.equal(['Offline', 'Offline', 'Offline']);
    expect(tile.shadowRoot!.querySelector('[part="status"]')!.textContent).to.equal('Offline');
  });

  it('says "Exam ended" on every feed once the exam ended', async () => {
    const tile = await fixture<ProctorTile>(
      html`<proctor-tile .session=${summary({ status: 'ended', clock: { ...newClock(HOUR), startedAt: 1, endedAt: 2, endReason: 'expired' } })}></proctor-tile>`,
    );
    expect(['webcam', 'screen', 'phone'].map((feed) => placeholder(tile, feed as Feed))).to.deep.equal(['Exam ended', 'Exam ended', 'Exam ended']);
  });

  it('says "Connecting…" on a live feed whose video has not arrived yet', async () => {
    const tile = await fixture<ProctorTile>(html`<proctor-tile .session=${summary()}></proctor-tile>`);
    expect(placeholder(tile, 'webcam')).to.equal('Connecting…');
    expect(feedFrame(tile, 'webcam')).to.have.attribute('data-state', 'connecting');
    expect(tile.shadowRoot!.querySelector('video')).to.equal(null);
  });

  it('plays a live feed’s stream in a muted video with no placeholder', async () => {
    const webcam = canvasStream();
    streams.push(webcam);
    const tile = await fixture<ProctorTile>(html`<proctor-tile .session=${summary()} .streams=${{ webcam }}></proctor-tile>`);
    const frame = feedFrame(tile, 'webcam');
    const video = frame.querySelector('video')!;
    expect(frame).to.have.attribute('data-state', 'live');
    expect(video.srcObject).to.equal(webcam);
    expect(video.muted).to.equal(true);
    expect(frame.querySelector('.placeholder')).to.equal(null);
    expect(placeholder(tile, 'screen')).to.equal('Connecting…');
  });

  it('keeps playing a video across re-renders (the clock ticks every second)', async () => {
    const webcam = canvasStream();
    streams.push(webcam);
    const tile = await fixture<ProctorTile>(
      html`<proctor-tile .session=${summary({ clock: clock(0) })} .streams=${{ webcam }} .now=${() => NOW}></proctor-tile>`,
    );
    const video = feedFrame(tile, 'webcam').querySelector('video')!;
    let assigned = 0;
    const srcObject = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject')!;
    Object.defineProperty(video, 'srcObject', {
      get: () => srcObject.get!.call(video),
      set: (value) => (assigned++, srcObject.set!.call(video, value)),
    });
    tile.streams = { webcam };
    tile.requestUpdate();
    await tile.updateComplete;
    expect(feedFrame(tile, 'webcam').querySelector('video')).to.equal(video);
    expect(assigned, 'setting srcObject again would restart the video').to.equal(0);
  });

  it('keeps the last picture of a lost feed under the "Feed lost" label', async () => {
    const screen = canvasStream();
    streams.push(screen);
    const tile = await fixture<ProctorTile>(
      html`<proctor-tile .session=${summary({ status: 'feed-lost' }, { screen: 'lost' })} .streams=${{ screen }}></proctor-tile>`,
    );
    expect(feedFrame(tile, 'screen').querySelector('video')!.srcObject).to.equal(screen);
    expect(placeholder(tile, 'screen')).to.equal('Feed lost');
  });

  it('reflects the session status as the status attribute, following changes', async () => {
    const tile = await fixture<ProctorTile>(html`<proctor-tile .session=${summary()}></proctor-tile>`);
    expect(tile).to.have.attribute('status', 'live');
    tile.session = summary({ status: 'offline' });
    await tile.updateComplete;
    expect(tile).to.have.attribute('status', 'offline');
    expect(tile.shadowRoot!.querySelector('[part="status"]')!.textContent).to.equal('Offline');
  });

  it('reflects focused so pages can style the large view', async () => {
    const tile = await fixture<ProctorTile>(html`<proctor-tile .session=${summary()}></proctor-tile>`);
    expect(tile).not.to.have.attribute('focused');
    tile.focused = true;
    await tile.updateComplete;
    expect(tile).to.have.attribute('focused');
  });

  it('shows the time left as mm:ss, read at the server time it is given', async () => {
    const tile = await fixture<ProctorTile>(
      html`<proctor-tile .session=${summary({ clock: clock(5_000) })} .now=${() => NOW}></proctor-tile>`,
    );
    expect(clockText(tile)).to.equal('59:55');
    expect(tile.shadowRoot!.querySelector('[part="clock"]')).to.have.attribute('data-phase', 'running');
    tile.session = summary({ clock: clock(5_000, { extendedMs: 15 * 60_000 }) });
    await tile.updateComplete;
    expect(clockText(tile)).to.equal('1:14:55');
  });

  it('says "Not started", "Paused" and "Ended" instead of the time, and reflects paused', async () => {
    const tile = await fixture<ProctorTile>(html`<proctor-tile .session=${summary()} .now=${() => NOW}></proctor-tile>`);
    expect(clockText(tile)).to.equal('Not started');
    expect(tile).not.to.have.attribute('paused');

    tile.session = summary({ clock: clock(60_000, { pausedAt: NOW - 10_000 }) });
    await tile.updateComplete;
    expect(clockText(tile)).to.equal('Paused');
    expect(tile).to.have.attribute('paused');

    tile.session = summary({ status: 'ended', clock: clock(60_000, { endedAt: NOW, endReason: 'terminated' }) });
    await tile.updateComplete;
    expect(clockText(tile)).to.equal('Ended');
    expect(tile).not.to.have.attribute('paused');
    expect(tile).to.have.attribute('status', 'ended');
    expect(tile.shadowRoot!.querySelector('[part="status"]'), 'the clock already says it').to.equal(null);
  });

  it('adds the time left to "Paused" in the large view', async () => {
    const tile = await fixture<ProctorTile>(
      html`<proctor-tile focused .session=${summary({ clock: clock(60_000, { pausedAt: NOW }) })} .now=${() => NOW}></proctor-tile>`,
    );
    expect(clockText(tile)).to.equal('Paused · 59:00');
  });

  it('counts down every second while the exam runs', async () => {
    // 3.5 s left: the clock shows 00:04, then 00:03 half a second later.
    const started = summary({ clock: { ...newClock(60_000), startedAt: Date.now() - 56_500 } });
    const tile = await fixture<ProctorTile>(html`<proctor-tile .session=${started}></proctor-tile>`);
    expect(clockText(tile)).to.equal('00:04');
    await waitUntil(() => clockText(tile) === '00:03', 'the clock should tick', { timeout: 1500, interval: 50 });
  });

  it('shows a badge with the number of signals not looked at, and none at zero', async () => {
    const tile = await fixture<ProctorTile>(html`<proctor-tile .session=${summary()} .unseen=${3}></proctor-tile>`);
    const badge = tile.shadowRoot!.querySelector('[part="signals"]')!;
    expect(badge.textContent!.trim()).to.equal('3');
    expect(badge).to.have.attribute('aria-label', '3 new signals');
    tile.unseen = 0;
    await tile.updateComplete;
    expect(tile.shadowRoot!.querySelector('[part="signals"]')).to.equal(null);
  });

  it('marks each recorded feed, says what waits to upload, and words it fully in the large view', async () => {
    const recording: SessionSummary['recording'] = {
      webcam: { state: 'recording', pendingMs: 0 },
      screen: { state: 'recording', pendingMs: 12_000 },
      phone: { state: 'off', pendingMs: 0 },
    };
    const tile = await fixture<ProctorTile>(html`<proctor-tile .session=${summary({ recording })}></proctor-tile>`);
    const mark = (feed: Feed) => feedFrame(tile, feed).querySelector<HTMLElement>('[part="recording"]');
    expect(mark('webcam')!.textContent!.trim()).to.equal('Rec');
    expect(mark('webcam')).to.have.attribute('aria-label', 'The webcam is recorded.');
    expect(mark('screen')!.textContent!.trim()).to.equal('Rec · 12 s');
    expect(mark('screen')).to.have.attribute('aria-label', 'The screen is recorded; 12 s of it waits on the candidate’s computer to upload.');
    expect(mark('phone'), 'a feed never recorded has no mark').to.equal(null);

    tile.focused = true;
    tile.session = summary({ recording: { ...recording, screen: { state: 'uploading', pendingMs: 130_000 }, webcam: { state: 'incomplete', pendingMs: 0 } } });
    await tile.updateComplete;
    expect(mark('screen')!.textContent!.trim()).to.equal('Uploading · 2 min');
    expect(mark('screen')).to.have.attribute('data-state', 'uploading');
    expect(mark('webcam')!.textContent!.trim()).to.equal('Recording incomplete');

    tile.session = summary({ recording: { ...recording, webcam: { state: 'complete', pendingMs: 0 } } });
    await tile.updateComplete;
    expect(mark('webcam'), 'a finished recording needs no mark').to.equal(null);
  });
});
