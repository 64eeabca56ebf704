/// <reference path="../../test-support/mocha-globals.d.ts" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { CandidateSession, type PhonePairing } from '@proctorkit/core';
import { formatPairingCode, readPairingCode } from './pairing-code.js';
import type { ProctorPhone } from './phone.js';
import './phone.js';
import { buttonOf, click, closeAfterTest, record, supervisorRoom, testToken, text } from '../../test-support/test-kit.js';

/** A candidate's exam page, connected (no capture needed to pair a phone). */
async function candidate() {
  const candidateId = `candidate-${crypto.randomUUID()}`;
  const token = await testToken({ role: 'candidate', candidateId, name: 'Grace Hopper' });
  const session = new CandidateSession({ server: '/proctor', token });
  closeAfterTest(session);
  session.connect();
  await waitUntil(() => session.state.value.session, 'the candidate never joined');
  return { session, candidateId, sessionId: session.state.value.session!.sessionId };
}

function secretOf(pairing: PhonePairing): string {
  return new URL(pairing.url).searchParams.get('pairing')!;
}

async function phonePage(template: ReturnType<typeof html>): Promise<ProctorPhone> {
  const element = await fixture<ProctorPhone>(template);
  closeAfterTest({ close: () => element.remove() });
  return element;
}

async function typeCode(element: ProctorPhone, code: string): Promise<void> {
  const input = element.shadowRoot!.querySelector<HTMLInputElement>('#code')!;
  input.value = code;
  input.dispatchEvent(new InputEvent('input', { bubbles: true }));
  await element.updateComplete;
}

async function sending(element: ProctorPhone): Promise<void> {
  await waitUntil(() => element.status === 'connected' && element.state?.camera.state === 'live', `the phone should send (status ${element.status})`, { timeout: 8000 });
}

describe('pairing codes as typed', () => {
  it('reads like the exam page shows them', () => {
    expect(formatPairingCode('k7mq')).to.equal('K7MQ');
    expect(formatPairingCode('k7mq2p')).to.equal('K7MQ-2P');
    expect(formatPairingCode(' K7MQ - 2PXW9')).to.equal('K7MQ-2PXW');
  });

  it('says what is wrong with a code', () => {
    expect(readPairingCode('K7MQ-2PXW')).to.deep.equal({ code: 'K7MQ2PXW' });
    expect(readPairingCode('')).to.deep.equal({ problem: 'Type the code shown on the exam page.' });
    expect(readPairingCode('K7MQ-2PX')).to.deep.equal({ problem: 'The code has 8 letters and digits, like K7MQ-2PXW.' });
    expect((readPairingCode('K0M-Q1P') as { problem: string }).problem).to.match(/^A code never has 0, 1: codes leave out I, L, O, 0 and 1/);
  });
});

describe('<proctor-phone>', () => {

  it('asks for consent first and captures nothing before', async () => {
    const { session } = await candidate();
    const pairing = await session.pairPhone();
    const getUserMedia = navigator.mediaDevices.getUserMedia;
    let captures = 0;
    navigator.mediaDevices.getUserMedia = (constraints) => {
      captures += 1;
      return getUserMedia.call(navigator.mediaDevices, constraints);
    };
    try {
      const element = await phonePage(html`<proctor-phone server="/proctor" pairing=${secretOf(pairing)}></proctor-phone>`);
      expect(element.status).to.equal('idle');
      expect(text(element, '[part="consent"]')).to.contain('This phone’s camera shows your room to the exam supervisor');
      expect(text(element, '[part="consent"]')).to.contain('The picture is also recorded for review after the exam');
      expect(element.shadowRoot!.querySelector('#code'), 'the link carries the pairing: no code to type').to.equal(null);
      expect(element.shadowRoot!.querySelector('video')).to.equal(null);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(captures).to.equal(0);
      expect(element.state).to.equal(undefined);
    } finally {
      navigator.mediaDevices.getUserMedia = getUserMedia;
    }
  });

  it('sends and records the phone camera after consent: preview, status in words, the phone feed live for the session', async () => {
    const connected = record('proctor-phone-connected');
    const { session, sessionId } = await candidate();
    const element = await phonePage(html`<proctor-phone server="/proctor" pairing=${secretOf(await session.pairPhone())}></proctor-phone>`);
    await click(element, 'Connect this phone');
    await sending(element);
    await element.updateComplete;
    expect(text(element, '[part="status"]')).to.equal('Connected — the supervisor can see this camera');
    expect(element.shadowRoot!.querySelector('[part="status"]')).to.have.attribute('role', 'status');
    expect(text(element, 'h2')).to.equal('Room camera for Grace Hopper’s exam');
    const video = element.shadowRoot!.querySelector<HTMLVideoElement>('[part="preview"] video')!;
    expect((video.srcObject as MediaStream).getVideoTracks()[0]!.readyState).to.equal('live');
    await waitUntil(() => session.state.value.session?.feeds.phone === 'live', 'the session should show the phone feed live');
    expect(connected.map((e) => e.detail)).to.deep.equal([{ name: 'Grace Hopper', sessionId }]);
    await waitUntil(() => text(element, '[part="recording"]') === 'Recording', 'the phone should say that it records');
    expect(element.shadowRoot!.querySelector('[part="recording"]')).to.have.attribute('data-state', 'recording');
  });

  it('says how much recording waits while the network is away, and uploads it once back', async () => {
    const { session } = await candidate();
    const element = await phonePage(html`<proctor-phone server="/proctor" pairing=${secretOf(await session.pairPhone())}></proctor-phone>`);
    await click(element, 'Connect this phone');
    await sending(element);
    await waitUntil(() => text(element, '[part="recording"]') === 'Recording', 'the phone should say that it records');
    const fetch = window.fetch;
    // The network is away for the recording's uploads only: the control channel stays up.
    window.fetch = (input, init) => (String(input).includes('/recordings/') ? Promise.reject(new TypeError('Failed to fetch')) : fetch(input, init));
    try {
      await waitUntil(() => element.shadowRoot!.querySelector('[part="recording"]')?.getAttribute('data-state') === 'problem', 'the phone should say uploads fail', { timeout: 10_000 });
      expect(text(element, '[part="recording"]')).to.match(/^The recording is kept on this \w+ until the connection is back\. \(\d+ s waiting to upload\)$/);
    } finally {
      window.fetch = fetch;
    }
    window.dispatchEvent(new Event('online'));
    await waitUntil(() => text(element, '[part="recording"]') === 'Recording', 'what waited should upload once the network is back', { timeout: 10_000 });
    expect(element.state!.recording!.pendingChunks).to.equal(0);
  });

  it('offers no switch on a phone with one camera', async () => {
    const { session } = await candidate();
    const element = await phonePage(html`<proctor-phone server="/proctor" pairing=${secretOf(await session.pairPhone())}></proctor-phone>`);
    await click(element, 'Connect this phone');
    await sending(element);
    await waitUntil(() => !element.shadowRoot!.querySelector('.actions button'), 'the test browser has one camera: no switch');
  });

  it('switches between the back and the front camera', async () => {
    const { session } = await candidate();
    const enumerateDevices = navigator.mediaDevices.enumerateDevices;
    navigator.mediaDevices.enumerateDevices = async () => {
      const devices = await enumerateDevices.call(navigator.mediaDevices);
      const camera = devices.find((d) => d.kind === 'videoinput')!;
      return [...devices, camera];
    };
    closeAfterTest({ close: () => (navigator.mediaDevices.enumerateDevices = enumerateDevices) });
    const element = await phonePage(html`<proctor-phone server="/proctor" pairing=${secretOf(await session.pairPhone())}></proctor-phone>`);
    await click(element, 'Connect this phone');
    await sending(element);
    expect(element.state!.facing).to.equal('environment');
    const before = element.state!.camera.track!;
    await click(element, 'Switch to the front camera');
    await waitUntil(() => element.state!.facing === 'user' && element.state!.camera.state === 'live', 'the front camera should be live');
    expect(before.readyState).to.equal('ended');
    expect(element.shadowRoot!.querySelector('[part="preview"]')).to.have.attribute('data-facing', 'user');
    expect(buttonOf(element, 'Switch to the back camera')).to.exist;
  });

  it("shows a supervisor's room-scan request until Done, and fires proctor-room-scan", async () => {
    const scans = record('proctor-room-scan');
    const { session, candidateId, sessionId } = await candidate();
    const room = await supervisorRoom(candidateId);
    const element = await phonePage(html`<proctor-phone server="/proctor" pairing=${secretOf(await session.pairPhone())}></proctor-phone>`);
    await click(element, 'Connect this phone');
    await sending(element);
    expect(text(element, '[role="alert"]')).to.equal('');
    await room.requestRoomScan(sessionId);
    await waitUntil(() => element.shadowRoot!.querySelector('[part="room-scan"]'), 'the request should show');
    expect(text(element, '.scan-region')).to.contain('Show your room, Dr. Maria Reyes asks.');
    expect(element.shadowRoot!.querySelector('[part="room-scan"]')!.parentElement).to.have.attribute('role', 'alert');
    expect(scans.map((e) => e.detail.from)).to.deep.equal(['Dr. Maria Reyes']);
    await click(element, 'Done');
    await waitUntil(() => !element.shadowRoot!.querySelector('[part="room-scan"]'), 'Done should dismiss it');
  });

  it('asks for the short code when there is no link, checks it, and connects with it', async () => {
    const { session } = await candidate();
    const pairing = await session.pairPhone();
    const element = await phonePage(html`<proctor-phone server="/proctor"></proctor-phone>`);
    const input = element.shadowRoot!.querySelector<HTMLInputElement>('#code')!;
    expect(element.shadowRoot!.querySelector('label[for="code"]')!.textContent).to.equal('Code shown on the exam page');
    expect(input.getAttribute('autocapitalize')).to.equal('characters');
    expect(input.getAttribute('inputmode')).to.equal('text');

    await click(element, 'Connect this phone');
    await element.updateComplete;
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(text(element, '#code-problem')).to.equal('Type the code shown on the exam page.');
    expect(element.shadowRoot!.activeElement).to.equal(input);
    expect(element.state, 'nothing is sent for a bad code').to.equal(undefined);

    await typeCode(element, pairing.code.toLowerCase().replace('-', ''));
    expect(input.value).to.equal(pairing.code);
    expect(element.shadowRoot!.querySelector('#code-problem')).to.equal(null);
    await click(element, 'Connect this phone');
    await sending(element);
  });

  it('says a used link was used, and takes a new code instead', async () => {
    const { session } = await candidate();
    const used = await session.pairPhone();
    const redeemed = await fetch('/proctor/phone/redeem', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairing: secretOf(used) }),
    });
    expect(redeemed.status).to.equal(200);
    const element = await phonePage(html`<proctor-phone server="/proctor" pairing=${secretOf(used)}></proctor-phone>`);
    await click(element, 'Connect this phone');
    await waitUntil(() => element.status === 'refused', 'the link should be refused');
    await element.updateComplete;
    expect(text(element, 'h2')).to.equal('This pairing cannot be used');
    expect(text(element, '[part="problem"]')).to.contain('This pairing was already used. Show a new QR code on the exam page.');
    expect(element.shadowRoot!.activeElement).to.equal(element.shadowRoot!.querySelector('h2'));

    const fresh = await session.pairPhone();
    await typeCode(element, fresh.code);
    await click(element, 'Connect this phone');
    await sending(element);
  });

  it('says so when a newer pairing replaced this phone, and the new phone sends', async () => {
    const { session } = await candidate();
    const first = await phonePage(html`<proctor-phone server="/proctor" pairing=${secretOf(await session.pairPhone())}></proctor-phone>`);
    await click(first, 'Connect this phone');
    await sending(first);
    const second = await phonePage(html`<proctor-phone server="/proctor"></proctor-phone>`);
    await typeCode(second, (await session.pairPhone()).code);
    await click(second, 'Connect this phone');
    await sending(second);
    await waitUntil(() => first.status === 'replaced', `the first phone should be replaced (status ${first.status})`);
    await first.updateComplete;
    expect(text(first, 'h2')).to.equal('Another phone was paired');
    expect(first.state!.camera.state, 'the replaced phone stops its camera').to.equal('off');
    expect(first.shadowRoot!.querySelector('#code'), 'it can be paired again with a new code').to.exist;
    await waitUntil(() => session.state.value.session?.feeds.phone === 'live', 'the phone feed stays live');
  });

  it('says clearly when the camera is blocked, and tries again', async () => {
    const { session } = await candidate();
    const getUserMedia = navigator.mediaDevices.getUserMedia;
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    const element = await phonePage(html`<proctor-phone server="/proctor" pairing=${secretOf(await session.pairPhone())}></proctor-phone>`);
    try {
      await click(element, 'Connect this phone');
      await waitUntil(() => element.state?.camera.state === 'failed', 'the camera should fail');
      await element.updateComplete;
      expect(text(element, '[part="problem"]')).to.contain('The camera is blocked for this page.');
    } finally {
      navigator.mediaDevices.getUserMedia = getUserMedia;
    }
    await click(element, 'Try the camera again');
    await sending(element);
  });

  it('shows the end of the exam, stops the camera, and says when the recording is uploaded', async () => {
    const { session, candidateId, sessionId } = await candidate();
    const room = await supervisorRoom(candidateId);
    const element = await phonePage(html`<proctor-phone server="/proctor" pairing=${secretOf(await session.pairPhone())}></proctor-phone>`);
    await click(element, 'Connect this phone');
    await sending(element);
    const track = element.state!.camera.track!;
    await room.terminate(sessionId, 'Test over');
    await waitUntil(() => element.status === 'ended', 'the phone should show the end');
    expect(track.readyState).to.equal('ended');
    await waitUntil(
      () => text(element, '[part="ended"]') === 'Exam ended A supervisor ended the exam. The camera is off: you can close this page.',
      'the phone should say it can be closed once the recording is uploaded',
      { timeout: 10_000 },
    );
    expect(element.state!.recording).to.include({ pendingChunks: 0 });
    expect(element.state!.recording!.recording).to.deep.equal([]);
  });
});
