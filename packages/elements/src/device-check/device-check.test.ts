/// <reference path="../../test-support/mocha-globals.d.ts" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { CheckName, DeviceCheckResult } from '@proctorkit/core';
import type { ProctorDeviceCheck } from './device-check.js';
import './device-check.js';

/** A candidate token from the test server's kit, as a host's backend issues it after its own login. */
async function candidateToken(): Promise<string> {
  const response = await fetch(`/test-token?role=candidate&candidateId=check-${crypto.randomUUID()}&name=Ada`);
  if (!response.ok) throw new Error(`GET /test-token answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

function shadow(element: ProctorDeviceCheck): ShadowRoot {
  return element.shadowRoot!;
}

function button(element: ProctorDeviceCheck, label: string): HTMLButtonElement {
  const found = [...shadow(element).querySelectorAll('button')].find((b) => b.textContent!.trim() === label);
  if (!found) throw new Error(`No button "${label}"`);
  return found;
}

/** What the summary says of one check: its verdict as written, and what to do. */
function summaryOf(element: ProctorDeviceCheck, check: CheckName) {
  const row = shadow(element).querySelector<HTMLElement>(`[part="summary"] li[data-check="${check}"]`)!;
  return {
    verdict: row.querySelector('.verdict')!.textContent!.trim(),
    message: row.querySelector('.message')!.textContent!.trim(),
    hasIcon: !!row.querySelector('.icon svg'),
  };
}

function text(element: ProctorDeviceCheck, selector: string): string {
  return shadow(element).querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/** Counts capture requests, keeps every track, and lets a test refuse the camera as a browser would. */
const media = navigator.mediaDevices;
const realGetUserMedia = media.getUserMedia.bind(media);
const realGetDisplayMedia = media.getDisplayMedia.bind(media);
let tracks: MediaStreamTrack[] = [];
let requests = 0;
let cameraFailure: DOMException | undefined;

describe('<proctor-device-check>', () => {
  beforeEach(() => {
    tracks = [];
    requests = 0;
    cameraFailure = undefined;
    media.getUserMedia = async (constraints) => {
      requests += 1;
      if (constraints?.video && cameraFailure) throw cameraFailure;
      const stream = await realGetUserMedia(constraints);
      tracks.push(...stream.getTracks());
      return stream;
    };
    media.getDisplayMedia = async (options) => {
      requests += 1;
      const stream = await realGetDisplayMedia(options);
      tracks.push(...stream.getTracks());
      return stream;
    };
  });

  afterEach(() => {
    Reflect.deleteProperty(media, 'getUserMedia');
    Reflect.deleteProperty(media, 'getDisplayMedia');
    for (const track of tracks) track.stop();
  });

  it('captures nothing until the person presses Start', async () => {
    const element = await fixture<ProctorDeviceCheck>(html`<proctor-device-check server="/proctor" token=${await candidateToken()}></proctor-device-check>`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requests).to.equal(0);
    expect(shadow(element).querySelector('video')).to.equal(null);
    expect(text(element, '[part="start"]')).to.match(/Nothing is recorded/);
    expect(element.result).to.equal(undefined);
    button(element, 'Start the check');
  });

  it('passes every check with fake devices, with real figures, then turns capture off', async function () {
    this.timeout(20_000);
    const element = await fixture<ProctorDeviceCheck>(html`<proctor-device-check server="/proctor" token=${await candidateToken()}></proctor-device-check>`);
    button(element, 'Start the check').click();

    await waitUntil(() => shadow(element).querySelector('video'), 'the camera preview should show');
    const meter = shadow(element).querySelector<HTMLElement>('[role="meter"]')!;
    expect(meter.getAttribute('aria-label')).to.equal('Microphone level');
    await waitUntil(() => Number(meter.getAttribute('aria-valuenow')) > 30, 'the meter should move with the fake microphone’s beep', { timeout: 4000 });
    await waitUntil(() => summaryOf(element, 'network').verdict === 'Pass', 'the network test should pass', { timeout: 8000 });
    expect(summaryOf(element, 'screen').message).to.match(/Waiting for you/);

    const completed = oneEvent(element, 'proctor-device-check-complete');
    button(element, 'Test screen sharing').click();
    const { detail } = await completed;
    await element.updateComplete;

    for (const check of ['camera', 'microphone', 'screen', 'network', 'browser'] as const) {
      expect(summaryOf(element, check), check).to.include({ verdict: 'Pass', hasIcon: true });
    }
    expect(text(element, '#summary-title')).to.equal('Your setup is ready');
    expect(summaryOf(element, 'camera').message).to.match(/^Your camera works: 640×480 at 1\d frames per second\.$/);
    expect(text(element, '[data-check="camera"] .figure')).to.match(/^640×480 · 1\d fps$/);
    expect(summaryOf(element, 'screen').message).to.equal('Screen sharing works: your entire screen (800×600).');
    expect(text(element, '[part="card"][data-check="screen"]')).to.include('Entire screen 800×600, sharing stopped.');

    // The network figures are measured on real transfers of 1 MB each way.
    expect(detail.network).to.include({ verdict: 'pass', downloadBytes: 1_000_000, uploadBytes: 1_000_000 });
    expect(detail.network.rttMs).to.be.greaterThan(0);
    expect(detail.network.downloadMbps).to.be.greaterThan(0);
    expect(detail.network.uploadMbps).to.be.greaterThan(0);
    expect(text(element, '[data-check="network"] .figures')).to.match(/Round trip [\d.,]+ ms Download [\d.,]+ Mbit\/s Upload [\d.,]+ Mbit\/s/);

    expect(detail).to.deep.equal(element.result);
    expect(detail.verdict).to.equal('pass');
    expect(JSON.stringify(detail).length, 'fits a session log line').to.be.at.most(2048);
    expect(text(element, '[role="status"]')).to.match(/^Check complete\. Your setup is ready\./);

    expect(tracks.length).to.equal(3);
    expect(tracks.map((track) => track.readyState), 'camera, microphone and screen all stopped').to.deep.equal(['ended', 'ended', 'ended']);
    expect(shadow(element).querySelector('video')).to.equal(null);
    expect(text(element, '.frame')).to.equal('Camera off');
    expect(text(element, '[part="card"][data-check="microphone"] .fine')).to.match(/^Microphone off\. Loudest sound: \d+%\.$/);
  });

  it('fails the camera when it is denied, and says how to allow it', async function () {
    this.timeout(15_000);
    cameraFailure = new DOMException('Permission denied', 'NotAllowedError');
    const element = await fixture<ProctorDeviceCheck>(html`<proctor-device-check skip-screen skip-network></proctor-device-check>`);
    const completed = oneEvent(element, 'proctor-device-check-complete');
    await element.start();
    const { detail } = (await completed) as CustomEvent<DeviceCheckResult>;
    await element.updateComplete;

    expect(detail.camera.verdict).to.equal('fail');
    expect(summaryOf(element, 'camera')).to.deep.equal({
      verdict: 'Fail',
      message: 'Camera access was blocked. Allow the camera for this site in the browser’s address bar, then try again.',
      hasIcon: true,
    });
    expect(text(element, '.frame')).to.equal('No picture');
    expect(summaryOf(element, 'microphone').verdict, 'the microphone is asked for on its own').to.equal('Pass');
    expect(summaryOf(element, 'screen')).to.include({ verdict: 'Skipped' });
    expect(summaryOf(element, 'network')).to.include({ verdict: 'Skipped' });
    expect(detail.verdict).to.equal('fail');
    expect(text(element, '#summary-title')).to.equal('Your setup needs fixing before the exam');
    expect(text(element, '[role="status"]')).to.include('Camera: Camera access was blocked.');
    expect(shadow(element).querySelector('[part="summary"]')!.getAttribute('data-verdict')).to.equal('fail');

    // Allowed now: running again passes it.
    cameraFailure = undefined;
    const again = oneEvent(element, 'proctor-device-check-complete');
    button(element, 'Run again').click();
    expect((await again).detail.camera.verdict).to.equal('pass');
  });

  it('stops the camera and the microphone when removed mid-check', async () => {
    const element = await fixture<ProctorDeviceCheck>(html`<proctor-device-check skip-network></proctor-device-check>`);
    void element.start();
    await waitUntil(() => tracks.length === 2, 'the camera and the microphone should be captured');
    element.remove();
    expect(tracks.map((track) => track.readyState)).to.deep.equal(['ended', 'ended']);
  });
});
