/// <reference path="../../test-support/mocha-globals.d.ts" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { CandidateSession, PhoneSession, Store, type CandidateState, type PhonePairing } from '@proctorkit/core';
import type { PhonePairingSession, ProctorPhonePairing } from './phone-pairing.js';
import './phone-pairing.js';
import { buttonOf, click, closeAfterTest, record, testToken, text } from '../../test-support/test-kit.js';

/** The panel bound to a real candidate session, connected to the test kit. */
async function panel() {
  const candidateId = `candidate-${crypto.randomUUID()}`;
  const token = await testToken({ role: 'candidate', candidateId, name: 'Grace Hopper' });
  const session = new CandidateSession({ server: '/proctor', token });
  closeAfterTest(session);
  session.connect();
  const element = await fixture<ProctorPhonePairing>(html`<proctor-phone-pairing .session=${session}></proctor-phone-pairing>`);
  await waitUntil(() => session.state.value.session, 'the candidate never joined');
  return { element, session, sessionId: session.state.value.session!.sessionId };
}

/** A phone that redeems `input` and sends its camera, as `<proctor-phone>` does. */
function phone(input: { pairing: string } | { code: string }): PhoneSession {
  const session = new PhoneSession({ server: '/proctor', pairing: input });
  closeAfterTest(session);
  void session.start();
  return session;
}

/** A session that answers `pairPhone` with `pairing`, for what needs no server. */
function fakeSession(pairing: PhonePairing, now = () => Date.now()): PhonePairingSession {
  const summary = {
    sessionId: 'session-1',
    examId: 'exam',
    candidateId: 'ada',
    name: 'Ada',
    status: 'live',
    feeds: { webcam: 'live', screen: 'live', phone: 'off' },
    joinedAt: 1,
    clock: { durationMs: 60_000, startedAt: null, pausedAt: null, pausedMs: 0, endedAt: null },
    lastSeq: 0,
  } as unknown as NonNullable<CandidateState['session']>;
  return { state: new Store({ session: summary }), pairPhone: () => Promise.resolve(pairing), serverNow: now };
}

describe('<proctor-phone-pairing>', () => {

  it('shows the QR code, the short code, the phone page and the time left', async () => {
    const { element } = await panel();
    expect(text(element, '[part="status"]')).to.equal('No phone paired yet.');
    await click(element, 'Pair your phone');
    await waitUntil(() => element.shadowRoot!.querySelector('[part="pairing"]'), 'the pairing should show');
    const qr = element.shadowRoot!.querySelector<HTMLImageElement>('[part="qr"]')!;
    expect(qr.src).to.match(/^data:image\/svg\+xml,%3Csvg/);
    await waitUntil(() => qr.complete && qr.naturalWidth > 0, 'the QR code should load as an image');
    expect(qr.alt).to.equal('QR code of the pairing link');
    const code = element.shadowRoot!.querySelector('[part="code"]')!;
    expect(code.textContent).to.match(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(code.getAttribute('aria-label')).to.equal(`Code ${[...code.textContent!.replace('-', '')].join(' ')}`);
    expect(text(element, '[part="pairing"]')).to.contain(`Or open ${location.host}/phone on your phone and type:`);
    expect(text(element, '[part="expires"]')).to.match(/^Works once · expires in (5:00|4:5\d)\.$/);
    expect(text(element, '[part="status"]')).to.equal('Waiting for your phone…');
    const link = element.shadowRoot!.querySelector<HTMLInputElement>('#link')!;
    expect(new URL(link.value).searchParams.get('pairing')).to.match(/^[\w-]{32}$/);
    expect(element.shadowRoot!.querySelector('a[href*="pairing="]'), 'the link is not clickable on the computer').to.equal(null);
  });

  it('follows the phone: connected ✓ with proctor-phone-paired, then disconnected', async () => {
    const paired = record('proctor-phone-paired');
    const { element, sessionId } = await panel();
    await click(element, 'Pair your phone');
    await waitUntil(() => element.shadowRoot!.querySelector('#link'), 'the pairing should show');
    const secret = new URL(element.shadowRoot!.querySelector<HTMLInputElement>('#link')!.value).searchParams.get('pairing')!;
    const device = phone({ pairing: secret });
    await waitUntil(() => element.phone === 'live', 'the phone should show connected', { timeout: 8000 });
    expect(text(element, '[part="status"]')).to.equal('Phone connected ✓');
    expect(element.shadowRoot!.querySelector('[part="pairing"]'), 'the used code goes away').to.equal(null);
    expect(paired.map((e) => e.detail)).to.deep.equal([{ sessionId }]);
    expect(buttonOf(element, 'Pair again')).to.exist;

    device.close();
    await waitUntil(() => element.phone === 'lost', 'the phone should show disconnected');
    expect(text(element, '[part="status"]')).to.equal('Phone disconnected — it reconnects by itself; if not, pair again.');
  });

  it('pairs again: the code shows while the old phone sends, and goes once the new phone used it', async () => {
    const { element, session } = await panel();
    phone({ code: (await session.pairPhone()).code });
    await waitUntil(() => element.phone === 'live', 'the first phone should connect', { timeout: 8000 });
    await click(element, 'Pair again');
    await waitUntil(() => element.shadowRoot!.querySelector('[part="code"]'), 'the new code should show');
    expect(text(element, '[part="expires"]')).to.contain('Your connected phone stops once a new one uses it.');
    phone({ code: element.shadowRoot!.querySelector('[part="code"]')!.textContent! });
    await waitUntil(() => !element.shadowRoot!.querySelector('[part="pairing"]'), 'the used code should go away', { timeout: 8000 });
    await waitUntil(() => element.phone === 'live', 'the new phone sends');
  });

  it('says when the code expired, and shows a new one', async () => {
    let now = Date.now();
    const pairing: PhonePairing = { pairingId: 'p-1', url: 'https://exam.example/phone?pairing=abc', qrSvg: '<svg xmlns="http://www.w3.org/2000/svg"/>', code: 'K7MQ-2PXW', expiresAt: now + 1500 };
    const element = await fixture<ProctorPhonePairing>(html`<proctor-phone-pairing .session=${fakeSession(pairing, () => now)}></proctor-phone-pairing>`);
    await click(element, 'Pair your phone');
    await waitUntil(() => element.shadowRoot!.querySelector('[part="expires"]'), 'the pairing should show');
    expect(text(element, '[part="expires"]')).to.equal('Works once · expires in 0:02.');
    now += 2000;
    await waitUntil(() => text(element, '[part="pairing"]').startsWith('This code expired — show a new code.'), 'the code should expire', { timeout: 3000 });
    expect(element.shadowRoot!.querySelector('[part="qr"]')).to.equal(null);
    pairing.expiresAt = now + 300_000;
    await click(element, 'Show a new code');
    await waitUntil(() => element.shadowRoot!.querySelector('[part="qr"]'), 'a new code should show');
  });

  it("shows the server's SVG as an image, never as markup in the page", async () => {
    const hostile = '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__qrRan = true"><script>window.__qrRan = true</script></svg>';
    const pairing: PhonePairing = { pairingId: 'p-1', url: 'https://exam.example/phone?pairing=abc', qrSvg: hostile, code: 'K7MQ-2PXW', expiresAt: Date.now() + 60_000 };
    const element = await fixture<ProctorPhonePairing>(html`<proctor-phone-pairing .session=${fakeSession(pairing)}></proctor-phone-pairing>`);
    await click(element, 'Pair your phone');
    const qr = await waitUntil(() => element.shadowRoot!.querySelector<HTMLImageElement>('[part="qr"]'), 'the QR code should show').then(
      () => element.shadowRoot!.querySelector<HTMLImageElement>('[part="qr"]')!,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(qr.tagName).to.equal('IMG');
    expect(element.shadowRoot!.querySelector('svg, script')).to.equal(null);
    expect((window as { __qrRan?: boolean }).__qrRan).to.equal(undefined);
  });

  it('says why no pairing could be made', async () => {
    const session = fakeSession({} as PhonePairing);
    session.pairPhone = () => Promise.reject(new Error('This exam has ended.'));
    const element = await fixture<ProctorPhonePairing>(html`<proctor-phone-pairing .session=${session}></proctor-phone-pairing>`);
    await click(element, 'Pair your phone');
    await waitUntil(() => element.shadowRoot!.querySelector('[part="error"]'), 'the error should show');
    expect(text(element, '[part="error"]')).to.equal('This exam has ended.');
    expect(element.shadowRoot!.querySelector('[part="error"]')).to.have.attribute('role', 'alert');
  });
});
