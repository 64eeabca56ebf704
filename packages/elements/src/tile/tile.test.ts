/// <reference path="../../test-support/mocha-globals.d.ts" />
import { expect, fixture, html } from '@open-wc/testing';
import { newClock, type Feed, type FeedState, type SessionSummary } from '@proctorkit/core';
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
});
