/// <reference path="../../test-support/mocha-globals.d.ts" />
// The steps <proctor-candidate> walks a candidate through before the exam clock starts.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { SupervisorRoom, capturePhoto, submitIdentity, uploadIdentityPhoto } from '@proctorkit/core';
import type { ProctorDeviceCheck } from '../device-check/device-check.js';
import type { ProctorCandidate } from './candidate.js';
import './candidate.js';
import { closeAfterTest, testToken } from '../../test-support/test-kit.js';

function candidateToken(): Promise<string> {
  return testToken({ role: 'candidate', candidateId: `onboarding-${crypto.randomUUID()}`, name: 'Grace Hopper' });
}

async function connected(element: ProctorCandidate): Promise<ProctorCandidate> {
  await waitUntil(() => element.state?.session, 'the candidate never connected', { timeout: 5000 });
  await element.updateComplete;
  return element;
}

function shadowText(element: ProctorCandidate): string {
  return element.shadowRoot!.textContent!.replace(/\s+/g, ' ');
}

function button(element: ProctorCandidate, label: RegExp): HTMLButtonElement {
  const found = [...element.shadowRoot!.querySelectorAll('button')].find((b) => label.test(b.textContent ?? ''));
  if (!found) throw new Error(`no button ${label}`);
  return found;
}

describe('<proctor-candidate> before the exam', function () {
  this.timeout(30_000);

  it('runs the setup check after consent and captures only after it, logging its result', async () => {
    const token = await candidateToken();
    const element = await connected(await fixture<ProctorCandidate>(html`<proctor-candidate server="/proctor" token=${token} device-check></proctor-candidate>`));
    button(element, /I agree/).click();
    await element.updateComplete;
    const check = element.shadowRoot!.querySelector<ProctorDeviceCheck>('proctor-device-check');
    expect(check, 'the device check is shown').to.exist;
    expect(check!.hasAttribute('skip-screen')).to.equal(true);
    expect(element.shadowRoot!.querySelector('[part=steps] [aria-current=step]')!.textContent).to.equal('Setup check');
    expect(element.state!.feeds.webcam.state).to.equal('off');
    expect(button(element, /Continue/).disabled).to.equal(true);

    await check!.start();
    await waitUntil(() => !button(element, /Continue/).disabled, 'Continue stays disabled after the check', { timeout: 20_000 });
    button(element, /Continue/).click();
    await waitUntil(() => element.clock.started, 'the clock did not start after the check', { timeout: 10_000 });
    const sessionId = element.state!.session!.sessionId;
    const logged = async () => {
      const response = await fetch(`/proctor/sessions/${sessionId}/events`, { headers: { authorization: `Bearer ${token}` } });
      const { events } = (await response.json()) as { events: { type: string; data: Record<string, unknown> }[] };
      return events.find((e) => e.type === 'log.device-check.completed');
    };
    await waitUntil(logged, 'the check result was not logged', { timeout: 5000 });
    expect((await logged())!.data).to.have.property('camera');
  });

  it('asks for the phone when optional, and starts the exam when the candidate skips it', async () => {
    const element = await connected(await fixture<ProctorCandidate>(html`<proctor-candidate server="/proctor" token=${await candidateToken()} phone="optional"></proctor-candidate>`));
    await element.consent();
    await waitUntil(() => element.state!.feeds.webcam.state === 'live' && element.state!.feeds.screen.state === 'live', 'capture did not start');
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('proctor-phone-pairing'), 'the pairing panel is shown').to.exist;
    expect(button(element, /Continue/).disabled, 'no phone paired yet').to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(element.clock.started, 'the clock waits for the phone step').to.equal(false);
    button(element, /Skip/).click();
    await waitUntil(() => element.clock.started, 'the clock did not start after skipping', { timeout: 5000 });
  });

  it('holds the clock at the identity step until the photos are submitted, then asks once', async () => {
    const starts = countStarts();
    const token = await candidateToken();
    const element = await connected(await fixture<ProctorCandidate>(html`<proctor-candidate server="/proctor" token=${token} identity-check></proctor-candidate>`));
    await element.consent();
    await waitUntil(() => element.state!.feeds.webcam.state === 'live' && element.state!.feeds.screen.state === 'live', 'capture did not start');
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('proctor-identity-check'), 'the identity step is shown').to.exist;
    expect(element.shadowRoot!.querySelector('[part=steps] [aria-current=step]')!.textContent).to.equal('Identity');
    expect(shadowText(element)).to.not.include('Camera Live');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(element.clock.started).to.equal(false);
    expect(starts.count, 'no session.start before the photos are in').to.equal(0);

    const sessionId = element.state!.session!.sessionId;
    const photo = await capturePhoto(element.state!.feeds.webcam.track!);
    await uploadIdentityPhoto('/proctor', token, sessionId, 'document', photo);
    await uploadIdentityPhoto('/proctor', token, sessionId, 'face', photo);
    await submitIdentity('/proctor', token, sessionId);
    await waitUntil(() => element.clock.started, 'the clock did not start once the photos were in', { timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(starts.count, 'one session.start, not one per render').to.equal(1);
  });
});

describe('<proctor-candidate> on a kit that requires the identity check', function () {
  this.timeout(30_000);
  const SERVER = '/proctor-identity';

  it('shows the identity step unasked, asks for the start once, and the clock runs only after the approval', async () => {
    const starts = countStarts();
    const candidateId = `identity-${crypto.randomUUID()}`;
    const token = await testToken({ role: 'candidate', candidateId, name: 'Ada Lovelace' }, `${SERVER}/test-token`);
    const element = await connected(await fixture<ProctorCandidate>(html`<proctor-candidate server=${SERVER} token=${token}></proctor-candidate>`));
    await element.consent();
    await waitUntil(() => element.state!.feeds.webcam.state === 'live' && element.state!.feeds.screen.state === 'live', 'capture did not start');
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[part=steps] [aria-current=step]')!.textContent).to.equal('Identity');

    const sessionId = element.state!.session!.sessionId;
    const photo = await capturePhoto(element.state!.feeds.webcam.track!);
    await uploadIdentityPhoto(SERVER, token, sessionId, 'document', photo);
    await uploadIdentityPhoto(SERVER, token, sessionId, 'face', photo);
    await submitIdentity(SERVER, token, sessionId);
    await waitUntil(() => starts.count === 1, 'the start was not asked for once the photos were in', { timeout: 5000 });

    const room = closeAfterTest(
      new SupervisorRoom({ server: SERVER, token: await testToken({ role: 'supervisor', candidates: candidateId }, `${SERVER}/test-token`) }),
    );
    room.connect();
    await waitUntil(() => room.state.value.sessions.length === 1, 'the supervisor did not see the candidate');
    // What happens while the supervisor looks re-renders the element: still one request, and no clock.
    await room.message(sessionId, 'Checking your photos now.');
    await waitUntil(() => element.state!.messages.length === 1, 'the message did not arrive');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(starts.count).to.equal(1);
    expect(element.clock.started).to.equal(false);

    await room.verifyIdentity(sessionId, 'approved');
    await waitUntil(() => element.clock.started, 'the clock did not start after the approval', { timeout: 5000 });
  });
});

/** Counts the `session.start` messages this page sends, until the test ends. */
function countStarts(): { count: number } {
  const counter = { count: 0 };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data) {
    if (typeof data === 'string' && data.includes('"type":"session.start"')) counter.count += 1;
    return send.call(this, data);
  };
  closeAfterTest({ close: () => (WebSocket.prototype.send = send) });
  return counter;
}
