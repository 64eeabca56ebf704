/// <reference path="../../test-support/mocha-globals.d.ts" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import {
  ControlChannel,
  SupervisorRoom,
  controlUrl,
  submitIdentity,
  uploadIdentityPhoto,
  type SessionSummary,
} from '@proctorkit/core';
import type { ProctorGrid } from '../grid/grid.js';
import type { ProctorIdentityCheck } from '../identity-check/identity-check.js';
import type { ProctorTile } from '../tile/tile.js';
import type { ProctorIdentityReview } from './identity-review.js';
import '../grid/grid.js';
import '../identity-check/identity-check.js';
import './identity-review.js';
import { buttonOf, closeAfterTest, testToken } from '../../test-support/test-kit.js';


interface Candidate {
  candidateId: string;
  token: string;
  channel: ControlChannel;
  session: SessionSummary;
}

/** A candidate on its exam page, connected to the kit. */
async function candidate(name: string): Promise<Candidate> {
  const candidateId = `candidate-${crypto.randomUUID()}`;
  const token = await testToken({ role: 'candidate', candidateId, name });
  const channel = new ControlChannel({ url: controlUrl('/proctor'), token });
  closeAfterTest(channel);
  channel.connect();
  await waitUntil(() => channel.welcome?.session, `${name} never joined`);
  return { candidateId, token, channel, session: channel.welcome!.session! };
}

/** A small JPEG of one color, as a camera photo would be sent. */
function jpeg(color: string): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 48;
  const context = canvas.getContext('2d')!;
  context.fillStyle = color;
  context.fillRect(0, 0, 64, 48);
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob!), 'image/jpeg'));
}

/** The candidate sends both photos through the kit's routes, as `<proctor-identity-check>` does. */
async function submitPhotos({ token, session }: Candidate): Promise<void> {
  await uploadIdentityPhoto('/proctor', token, session.sessionId, 'document', await jpeg('#1d4ed8'));
  await uploadIdentityPhoto('/proctor', token, session.sessionId, 'face', await jpeg('#b91c1c'));
  await submitIdentity('/proctor', token, session.sessionId);
}

/** A supervisor room watching the candidate, once it sees the photos submitted. */
async function supervising(who: Candidate): Promise<{ room: SupervisorRoom; token: string }> {
  const token = await testToken({ role: 'supervisor', candidates: who.candidateId, name: 'Dr. Maria Reyes' });
  const room = new SupervisorRoom({ server: '/proctor', token });
  closeAfterTest(room);
  room.connect();
  await waitUntil(() => summaryIn(room, who)?.identity?.status === 'submitted', 'the supervisor never saw the submission');
  return { room, token };
}

function summaryIn(room: SupervisorRoom, who: Candidate): SessionSummary | undefined {
  return room.state.value.sessions.find((s) => s.sessionId === who.session.sessionId);
}

/** A review panel following the room's summary of the candidate, as the grid renders it. */
async function review(room: SupervisorRoom, token: string, who: Candidate): Promise<ProctorIdentityReview> {
  const element = await fixture<ProctorIdentityReview>(
    html`<proctor-identity-review server="/proctor" token=${token} .session=${summaryIn(room, who)} .commands=${room}></proctor-identity-review>`,
  );
  closeAfterTest({ close: room.state.subscribe(() => (element.session = summaryIn(room, who))) });
  return element;
}

function loadedPhotos(element: ProctorIdentityReview): HTMLImageElement[] {
  return [...element.shadowRoot!.querySelectorAll<HTMLImageElement>('[part="photos"] img')].filter((img) => img.complete && img.naturalWidth > 0);
}

function badge(element: ProctorIdentityReview): string {
  return element.shadowRoot!.querySelector('[part="badge"]')!.textContent!.trim();
}

describe('<proctor-identity-review>', () => {

  it('shows the photos the candidate took beside their name, and the approval reaches the candidate’s element', async () => {
    const ada = await candidate('Ada Lovelace');
    const check = await fixture<ProctorIdentityCheck>(
      html`<proctor-identity-check server="/proctor" token=${ada.token} .session=${ada.session}></proctor-identity-check>`,
    );
    ada.channel.on('session.updated', ({ session }) => (check.session = session));
    const click = async (label: string) => {
      await waitUntil(() => buttonOf(check, label) && !buttonOf(check, label)!.disabled, `no enabled "${label}"`);
      buttonOf(check, label)!.click();
    };
    await click('Take photo of your ID document');
    await click('Retake');
    await click('Take photo of your ID document');
    await click('Use this photo');
    await click('Take photo of your face');
    await click('Use this photo');
    await click('Submit for review');

    const { room, token } = await supervising(ada);
    const element = await review(room, token, ada);
    await waitUntil(() => loadedPhotos(element).length === 2, 'both photos should show');
    expect(loadedPhotos(element).map((img) => img.alt)).to.deep.equal(['ID document photo of Ada Lovelace', 'Face photo of Ada Lovelace']);
    expect(element.shadowRoot!.querySelector('.name')!.textContent).to.contain('Ada Lovelace');
    expect(badge(element)).to.equal('Waiting for your check');

    buttonOf(element, 'Approve')!.click();
    await waitUntil(() => check.status === 'approved', 'the candidate should see the approval');
    await check.updateComplete;
    expect(check.shadowRoot!.querySelector('[part="status"]')!.textContent).to.contain('Your identity is confirmed.');
    await waitUntil(() => badge(element) === 'Approved', 'the badge should say approved');
    expect(element.shadowRoot!.querySelector('[role="status"]')!.textContent).to.contain('identity approved');
    expect(buttonOf(element, 'Approve')).to.equal(undefined);
  });

  it('rejects only with a reason, which the candidate’s element shows', async () => {
    const bob = await candidate('Bob Moog');
    await submitPhotos(bob);
    const check = await fixture<ProctorIdentityCheck>(
      html`<proctor-identity-check server="/proctor" token=${bob.token} .session=${bob.session}></proctor-identity-check>`,
    );
    bob.channel.on('session.updated', ({ session }) => (check.session = session));
    const { room, token } = await supervising(bob);
    const element = await review(room, token, bob);

    buttonOf(element, 'Reject…')!.click();
    await element.updateComplete;
    const reason = element.shadowRoot!.querySelector<HTMLTextAreaElement>('#reject-reason')!;
    expect(element.shadowRoot!.activeElement).to.equal(reason);
    expect(element.shadowRoot!.querySelector('label[for="reject-reason"]')!.textContent).to.equal('Reason, shown to the candidate');
    buttonOf(element, 'Reject')!.click();
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('#reason-missing')!.textContent).to.contain('Enter a reason');
    expect(reason.getAttribute('aria-invalid')).to.equal('true');
    expect(summaryIn(room, bob)?.identity?.status).to.equal('submitted', 'nothing sent without a reason');

    reason.value = 'The document is covered by your thumb.';
    buttonOf(element, 'Reject')!.click();
    await waitUntil(() => check.status === 'rejected', 'the candidate should see the rejection');
    await check.updateComplete;
    expect(check.shadowRoot!.querySelector('[part="status"]')!.textContent).to.contain('The document is covered by your thumb.');
    await waitUntil(() => badge(element) === 'Rejected', 'the badge should say rejected');
    expect(element.shadowRoot!.querySelector('.reason')!.textContent).to.contain('The document is covered by your thumb.');
    expect(element.shadowRoot!.querySelector('#reject-reason')).to.equal(null, 'the form closed');
  });

  it('renders nothing for a session without an identity check', async () => {
    const cleo = await candidate('Cleo');
    const element = await fixture<ProctorIdentityReview>(html`<proctor-identity-review .session=${cleo.session}></proctor-identity-review>`);
    expect(element.shadowRoot!.children.length).to.equal(0);
  });

  it('in the grid: badges the waiting tile, and reviews the focused candidate', async () => {
    const dana = await candidate('Dana Scully');
    const token = await testToken({ role: 'supervisor', candidates: dana.candidateId });
    const grid = await fixture<ProctorGrid>(html`<proctor-grid server="/proctor" token=${token}></proctor-grid>`);
    const tile = () => grid.shadowRoot!.querySelector<ProctorTile>('proctor-tile');
    await waitUntil(() => tile(), 'the tile should show');
    expect(tile()!.shadowRoot!.querySelector('[part="identity"]')).to.equal(null, 'no badge before the photos');

    await submitPhotos(dana);
    await waitUntil(() => tile()!.shadowRoot!.querySelector('[part="identity"]'), 'the tile should badge the waiting check');
    expect(tile()!.shadowRoot!.querySelector('[part="identity"]')!.getAttribute('aria-label')).to.equal('Identity check waiting');
    expect(tile()!.getAttribute('aria-label')).to.contain('identity check waiting');

    grid.focusCandidate(dana.session.sessionId);
    await grid.updateComplete;
    const element = grid.shadowRoot!.querySelector<ProctorIdentityReview>('proctor-identity-review')!;
    await waitUntil(() => loadedPhotos(element).length === 2, 'the focused view should show both photos');
    const commands: string[] = [];
    grid.addEventListener('proctor-command', (event) => commands.push(event.detail.command));
    buttonOf(element, 'Approve')!.click();
    await waitUntil(() => !tile()!.shadowRoot!.querySelector('[part="identity"]'), 'the badge should go once approved');
    expect(commands).to.deep.equal(['identity']);
  });
});
