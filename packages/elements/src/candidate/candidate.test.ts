/// <reference path="../../test-support/mocha-globals.d.ts" />
import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { CapturedFeed } from '@proctorkit/core';
import type { ProctorEventMap } from '../shared/events.js';
import type { ProctorCandidate } from './candidate.js';
import './candidate.js';

/** A candidate token from the test server's kit, for a candidate no other test uses. */
async function candidateToken(name = 'Ada Lovelace'): Promise<string> {
  const candidateId = `candidate-${crypto.randomUUID()}`;
  const response = await fetch(`/test-token?${new URLSearchParams({ role: 'candidate', candidateId, name })}`);
  if (!response.ok) throw new Error(`GET /test-token answered ${response.status}`);
  const { token } = (await response.json()) as { token: string };
  return token;
}

async function candidate(token: string): Promise<ProctorCandidate> {
  return fixture<ProctorCandidate>(html`<proctor-candidate server="/proctor" token=${token}></proctor-candidate>`);
}

async function connectedCandidate(): Promise<ProctorCandidate> {
  const element = await candidate(await candidateToken());
  await waitUntil(() => element.state?.connection === 'open', 'the candidate never connected to the kit');
  return element;
}

function button(element: ProctorCandidate, label: string): HTMLButtonElement {
  const found = [...element.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === label);
  if (!found) throw new Error(`No button "${label}"`);
  return found;
}

function problem(element: ProctorCandidate, feed: CapturedFeed): HTMLElement | null {
  return element.shadowRoot!.querySelector<HTMLElement>(`[part="problem"][data-feed="${feed}"]`);
}

function preview(element: ProctorCandidate, feed: CapturedFeed): HTMLVideoElement | null {
  return element.shadowRoot!.querySelector<HTMLVideoElement>(`figure[data-feed="${feed}"] video`);
}

function isPreviewLive(element: ProctorCandidate, feed: CapturedFeed): boolean {
  const stream = preview(element, feed)?.srcObject as MediaStream | null | undefined;
  return stream?.getVideoTracks()[0]?.readyState === 'live';
}

/** Every `type` event that reaches the document while the test runs. */
const recorded: (() => void)[] = [];
function record<K extends keyof ProctorEventMap>(type: K): ProctorEventMap[K][] {
  const events: ProctorEventMap[K][] = [];
  const listener = (event: Event) => events.push(event as ProctorEventMap[K]);
  document.addEventListener(type, listener);
  recorded.push(() => document.removeEventListener(type, listener));
  return events;
}

/** Counts capture requests and lets a test make the next ones fail, as a browser or candidate would. */
const media = navigator.mediaDevices;
const realGetUserMedia = media.getUserMedia.bind(media);
const realGetDisplayMedia = media.getDisplayMedia.bind(media);
const captures = { camera: 0, screen: 0 };
let cameraFailure: DOMException | undefined;

describe('<proctor-candidate>', () => {
  beforeEach(() => {
    captures.camera = 0;
    captures.screen = 0;
    cameraFailure = undefined;
    media.getUserMedia = (constraints) => {
      captures.camera += 1;
      return cameraFailure ? Promise.reject(cameraFailure) : realGetUserMedia(constraints);
    };
    media.getDisplayMedia = (options) => {
      captures.screen += 1;
      return realGetDisplayMedia(options);
    };
  });

  afterEach(() => {
    Reflect.deleteProperty(media, 'getUserMedia');
    Reflect.deleteProperty(media, 'getDisplayMedia');
    for (const stop of recorded.splice(0)) stop();
  });

  it('shows the consent step and captures nothing before the candidate agrees', async () => {
    const element = await connectedCandidate();
    const consent = element.shadowRoot!.querySelector('[part="consent"]')!;
    expect(consent).to.exist;
    expect(consent.textContent).to.contain('wtr-exam is supervised live');
    expect(consent.textContent).to.contain('Your camera');
    expect(consent.textContent).to.contain('Your entire screen');
    expect(button(element, 'I agree — start supervision')).to.exist;
    await aTimeout(200);
    expect(captures).to.deep.equal({ camera: 0, screen: 0 });
    expect(element.shadowRoot!.querySelector('video')).to.equal(null);
  });

  it('shows that it is connected to supervision and tells the page', async () => {
    const connections = record('proctor-connection');
    const element = await connectedCandidate();
    await element.updateComplete;
    const status = element.shadowRoot!.querySelector('.connection')!;
    expect(status.textContent).to.equal('Connected to supervision');
    expect(status).to.have.attribute('data-state', 'open');
    expect(connections.map((e) => e.detail.state)).to.include('open');
  });

  it('after consent, previews the webcam and the screen live and fires proctor-feed-live for both', async () => {
    const consents = record('proctor-consent');
    const live = record('proctor-feed-live');
    const element = await connectedCandidate();
    button(element, 'I agree — start supervision').click();
    await waitUntil(() => live.length === 2, 'both feeds should go live');
    await element.updateComplete;

    expect(consents.map((e) => e.detail)).to.deep.equal([{ accepted: true }]);
    expect(live.map((e) => e.detail.feed).sort()).to.deep.equal(['screen', 'webcam']);
    expect(captures).to.deep.equal({ camera: 1, screen: 1 });
    expect(isPreviewLive(element, 'webcam')).to.equal(true);
    expect(isPreviewLive(element, 'screen')).to.equal(true);
    expect(preview(element, 'webcam')!.muted).to.equal(true);
    const labels = [...element.shadowRoot!.querySelectorAll('.feed-state')].map((s) => s.textContent);
    expect(labels).to.deep.equal(['Live', 'Live']);
    expect(element.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
  });

  it('when the camera is denied, says so with a retry button and fires proctor-feed-error; retrying after allowing it works', async () => {
    const errors = record('proctor-feed-error');
    const live = record('proctor-feed-live');
    cameraFailure = new DOMException('x', 'NotAllowedError');
    const element = await connectedCandidate();
    button(element, 'I agree — start supervision').click();
    await waitUntil(() => problem(element, 'webcam'), 'a camera problem should be shown');

    const alert = problem(element, 'webcam')!;
    expect(alert).to.have.attribute('role', 'alert');
    expect(alert).to.have.attribute('data-code', 'camera-denied');
    expect(alert.textContent).to.contain('Camera access was blocked');
    expect(alert.offsetParent, 'the alert is visible').not.to.equal(null);
    expect(errors.map((e) => e.detail.code)).to.deep.equal(['camera-denied']);
    expect(errors[0]!.detail.feed).to.equal('webcam');
    expect(errors[0]!.detail.message).to.contain('Allow the camera');

    await waitUntil(() => isPreviewLive(element, 'screen'), 'the screen is still shared');
    cameraFailure = undefined;
    button(element, 'Try the camera again').click();
    await waitUntil(() => isPreviewLive(element, 'webcam'), 'the camera should start on retry');
    expect(problem(element, 'webcam')).to.equal(null);
    expect(live.map((e) => e.detail.feed)).to.include('webcam');
    expect(captures.camera).to.equal(2);
  });

  it('when no camera is connected, says so with code camera-missing', async () => {
    const errors = record('proctor-feed-error');
    cameraFailure = new DOMException('x', 'NotFoundError');
    const element = await connectedCandidate();
    await element.consent();
    await element.updateComplete;

    const alert = problem(element, 'webcam')!;
    expect(alert).to.have.attribute('data-code', 'camera-missing');
    expect(alert.textContent).to.contain('No camera was found');
    expect(alert.querySelector('button')!.textContent).to.equal('Try the camera again');
    expect(errors.map((e) => [e.detail.feed, e.detail.code])).to.deep.equal([['webcam', 'camera-missing']]);
  });

  it('when screen sharing stops, asks to share again and fires proctor-feed-error; sharing again works', async () => {
    const errors = record('proctor-feed-error');
    const live = record('proctor-feed-live');
    const element = await connectedCandidate();
    await element.consent();
    await waitUntil(() => live.length === 2, 'both feeds should go live');

    const track = element.state!.feeds.screen.track!;
    track.stop();
    track.dispatchEvent(new Event('ended'));
    await element.updateComplete;

    const alert = problem(element, 'screen')!;
    expect(alert).to.have.attribute('data-code', 'screen-stopped');
    expect(alert.textContent).to.contain('Screen sharing stopped');
    expect(errors.map((e) => [e.detail.feed, e.detail.code])).to.deep.equal([['screen', 'screen-stopped']]);
    expect(element.shadowRoot!.querySelector('figure[data-feed="screen"] .feed-state')!.textContent).to.equal('Not sent');
    expect(isPreviewLive(element, 'webcam')).to.equal(true);

    button(element, 'Share the screen again').click();
    await waitUntil(() => isPreviewLive(element, 'screen'), 'the screen should be shared again');
    expect(problem(element, 'screen')).to.equal(null);
    expect(captures.screen).to.equal(2);
  });

  it('when the candidate declines, fires proctor-consent with accepted false, says so and captures nothing', async () => {
    const element = await connectedCandidate();
    const consented = oneEvent(element, 'proctor-consent');
    button(element, 'Decline').click();
    const { detail } = await consented;
    await element.updateComplete;

    expect(detail).to.deep.equal({ accepted: false });
    const consent = element.shadowRoot!.querySelector('[part="consent"]')!;
    expect(consent.textContent).to.contain('You declined supervision.');
    expect(consent.textContent).to.contain('Nothing has been captured');
    expect(captures).to.deep.equal({ camera: 0, screen: 0 });

    button(element, 'Review again').click();
    await element.updateComplete;
    expect(button(element, 'I agree — start supervision')).to.exist;
  });

  it('with a refused token, shows an error and fires proctor-session-error with code unauthorized', async () => {
    const sessionErrors = record('proctor-session-error');
    const element = await candidate('not-a-token');
    await waitUntil(() => sessionErrors.length > 0, 'the kit should refuse the token');
    await element.updateComplete;

    expect(sessionErrors[0]!.detail.code).to.equal('unauthorized');
    const alert = element.shadowRoot!.querySelector('.fatal[role="alert"]')!;
    expect(alert.textContent).to.equal(sessionErrors[0]!.detail.message);
    expect(alert.textContent).to.contain('Token');
    expect(element.shadowRoot!.querySelector('[part="consent"]')).to.equal(null);
    expect(element.state!.connection).to.equal('closed');
  });

  it('stops capturing when it is removed from the page', async () => {
    const live = record('proctor-feed-live');
    const element = await connectedCandidate();
    await element.consent();
    await waitUntil(() => live.length === 2, 'both feeds should go live');
    const tracks = [element.state!.feeds.webcam.track!, element.state!.feeds.screen.track!];
    element.remove();
    expect(tracks.map((t) => t.readyState)).to.deep.equal(['ended', 'ended']);
  });
});
