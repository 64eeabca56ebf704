/// <reference path="../../test-support/mocha-globals.d.ts" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ControlChannel, controlUrl } from '@proctorkit/core';
import type { ProctorIdentityCheck } from './identity-check.js';
import './identity-check.js';
import { buttonOf, click, closeAfterTest, record, supervisorRoom, testToken } from '../../test-support/test-kit.js';


/**
 * A candidate's exam page as `<proctor-candidate>` embeds the check: its control channel gives the
 * session, and every `session.updated` goes to the element's `session`.
 */
async function candidatePage() {
  const candidateId = `candidate-${crypto.randomUUID()}`;
  const token = await testToken({ role: 'candidate', candidateId, name: 'Grace Hopper' });
  const channel = new ControlChannel({ url: controlUrl('/proctor'), token });
  closeAfterTest(channel);
  channel.connect();
  await waitUntil(() => channel.welcome?.session, 'the candidate never joined');
  const session = channel.welcome!.session!;
  const element = await fixture<ProctorIdentityCheck>(
    html`<proctor-identity-check server="/proctor" token=${token} .session=${session}></proctor-identity-check>`,
  );
  channel.on('session.updated', ({ session: updated }) => (element.session = updated));
  return { element, candidateId, sessionId: session.sessionId };
}

function frame(element: ProctorIdentityCheck): HTMLElement {
  return element.shadowRoot!.querySelector('[part="frame"]')!;
}

function statusText(element: ProctorIdentityCheck): string {
  return element.shadowRoot!.querySelector('[part="status"]')!.textContent!.trim();
}

/** Takes the photo of the step shown and uses it. */
async function takeAndUse(element: ProctorIdentityCheck, takeLabel: string): Promise<void> {
  await click(element, takeLabel);
  await waitUntil(() => frame(element).querySelector('img'), 'the photo just taken should be shown');
  await click(element, 'Use this photo');
}

/** Takes both photos and submits them, as the candidate would. */
async function submitPhotos(element: ProctorIdentityCheck): Promise<void> {
  await takeAndUse(element, 'Take photo of your ID document');
  await waitUntil(() => buttonOf(element, 'Take photo of your face'), 'the face step should follow');
  await takeAndUse(element, 'Take photo of your face');
  await click(element, 'Submit for review');
  await waitUntil(() => element.status === 'submitted', 'the photos should be submitted');
}

describe('<proctor-identity-check>', () => {

  it('asks for the ID document first, with a live camera preview', async () => {
    const { element } = await candidatePage();
    expect(element.status).to.equal('none');
    expect(element.shadowRoot!.querySelector('h4')!.textContent).to.contain('Step 1 of 2: Photo of your ID document');
    await waitUntil(() => (frame(element).querySelector('video')?.srcObject as MediaStream | null)?.getVideoTracks()[0]?.readyState === 'live', 'a live preview');
    await waitUntil(() => buttonOf(element, 'Take photo of your ID document')?.disabled === false, 'the take button should be enabled');
    expect(statusText(element)).to.equal('');
  });

  it('shows the photo taken with Retake and Use this photo; Retake goes back to the camera', async () => {
    const { element } = await candidatePage();
    await click(element, 'Take photo of your ID document');
    await waitUntil(() => frame(element).querySelector('img'), 'the photo should be shown');
    const img = frame(element).querySelector('img')!;
    expect(img.alt).to.equal('Your photo of your ID document');
    await waitUntil(() => img.complete && img.naturalWidth > 0, 'the photo should load');
    expect(buttonOf(element, 'Use this photo')).to.exist;
    await click(element, 'Retake');
    await waitUntil(() => frame(element).querySelector('video'), 'the camera should show again');
    expect(frame(element).querySelector('img')).to.equal(null);
    await takeAndUse(element, 'Take photo of your ID document');
    await waitUntil(() => buttonOf(element, 'Take photo of your face'), 'the face step should follow');
    expect(element.shadowRoot!.querySelector('h4')!.textContent).to.contain('Step 2 of 2: Photo of your face');
  });

  it('uploads both photos, lists them with a retake each, and submits them for review', async () => {
    const identity = record('proctor-identity');
    const { element, candidateId, sessionId } = await candidatePage();
    const room = await supervisorRoom(candidateId);
    await takeAndUse(element, 'Take photo of your ID document');
    await takeAndUse(element, 'Take photo of your face');
    await waitUntil(() => element.shadowRoot!.querySelector('[part="photos"]'), 'both photos should be listed');
    const photos = element.shadowRoot!.querySelector('[part="photos"]')!;
    expect([...photos.querySelectorAll('img')].map((img) => img.alt)).to.deep.equal(['Your photo of your ID document', 'Your photo of your face']);
    expect(photos.querySelectorAll('button[aria-label^="Retake"]').length).to.equal(2);

    await click(element, 'Submit for review');
    await waitUntil(() => element.status === 'submitted', 'submitted');
    await element.updateComplete;
    expect(statusText(element)).to.contain('Your photos are with a supervisor');
    expect(element.getAttribute('status')).to.equal('submitted');
    expect(element.shadowRoot!.querySelector('[part="capture"], [part="photos"]')).to.equal(null, 'no more capture while waiting');
    await waitUntil(() => identity.some((e) => e.detail.status === 'submitted'), 'proctor-identity should say submitted');

    await waitUntil(() => room.state.value.sessions.find((s) => s.sessionId === sessionId)?.identity?.status === 'submitted', 'the supervisor sees the submission');
    const types = () => (room.state.value.events.get(sessionId) ?? []).map((e) => e.type);
    await waitUntil(() => types().filter((t) => t === 'identity.photo').length === 2 && types().includes('identity.submitted'), 'the log lists both photos and the submission');
  });

  it('retakes one photo from the list before submitting, replacing it', async () => {
    const { element, candidateId, sessionId } = await candidatePage();
    const room = await supervisorRoom(candidateId);
    await takeAndUse(element, 'Take photo of your ID document');
    await takeAndUse(element, 'Take photo of your face');
    await waitUntil(() => element.shadowRoot!.querySelector('button[aria-label="Retake the photo of your ID document"]'), 'both photos should be listed');
    element.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Retake the photo of your ID document"]')!.click();
    await element.updateComplete;
    await takeAndUse(element, 'Take photo of your ID document');
    await waitUntil(() => buttonOf(element, 'Submit for review'), 'back to the list, not to the face step');
    await click(element, 'Submit for review');
    await waitUntil(() => element.status === 'submitted', 'submitted');
    const photoEvents = () => (room.state.value.events.get(sessionId) ?? []).filter((e) => e.type === 'identity.photo');
    await waitUntil(() => photoEvents().length === 3, 'three photos taken in all');
    expect(photoEvents().map((e) => e.data.kind)).to.deep.equal(['document', 'face', 'document']);
  });

  it('shows the approval once a supervisor gives it', async () => {
    const identity = record('proctor-identity');
    const { element, candidateId, sessionId } = await candidatePage();
    const room = await supervisorRoom(candidateId);
    await submitPhotos(element);
    await waitUntil(() => room.state.value.sessions.some((s) => s.sessionId === sessionId && s.identity?.status === 'submitted'), 'the supervisor sees it');
    await room.verifyIdentity(sessionId, 'approved');
    await waitUntil(() => element.status === 'approved', 'the candidate should see the approval');
    await element.updateComplete;
    expect(statusText(element)).to.equal('Your identity is confirmed.');
    expect(identity.map((e) => e.detail)).to.deep.equal([{ status: 'submitted' }, { status: 'approved' }]);
    expect(element.shadowRoot!.querySelector('video')).to.equal(null, 'the camera is closed');
  });

  it('shows a rejection with its reason, and takes new photos to submit again', async () => {
    const identity = record('proctor-identity');
    const { element, candidateId, sessionId } = await candidatePage();
    const room = await supervisorRoom(candidateId);
    await submitPhotos(element);
    await waitUntil(() => room.state.value.sessions.some((s) => s.sessionId === sessionId && s.identity?.status === 'submitted'), 'the supervisor sees it');
    await room.verifyIdentity(sessionId, 'rejected', 'Your name on the document is not readable.');
    await waitUntil(() => element.status === 'rejected', 'the candidate should see the rejection');
    await element.updateComplete;
    expect(statusText(element)).to.equal('A supervisor could not confirm your identity: Your name on the document is not readable.');
    expect(element.shadowRoot!.querySelector('[role="status"]')).to.equal(element.shadowRoot!.querySelector('[part="status"]'));
    expect(identity.at(-1)!.detail).to.deep.equal({ status: 'rejected', reason: 'Your name on the document is not readable.' });

    await click(element, 'Take new photos');
    await submitPhotos(element);
    await element.updateComplete;
    expect(statusText(element)).to.contain('Your photos are with a supervisor');
  });

  it('says what is missing without a session', async () => {
    const element = await fixture<ProctorIdentityCheck>(html`<proctor-identity-check server="/proctor"></proctor-identity-check>`);
    expect(element.shadowRoot!.textContent).to.contain('Set server, token and session');
    expect(element.shadowRoot!.querySelector('button')).to.equal(null);
  });

  it('takes the photos from a track it is given, and leaves that track running', async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true });
    const track = stream.getVideoTracks()[0]!;
    try {
      const { element } = await candidatePage();
      element.track = track;
      await takeAndUse(element, 'Take photo of your ID document');
      await waitUntil(() => buttonOf(element, 'Take photo of your face'), 'the face step should follow');
      element.remove();
      expect(track.readyState).to.equal('live');
    } finally {
      track.stop();
    }
  });
});

