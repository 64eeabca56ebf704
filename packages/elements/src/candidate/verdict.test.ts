/// <reference path="../../test-support/mocha-globals.d.ts" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ReviewClient, SupervisorRoom, type VerdictSummary } from '@proctorkit/core';
import { closeAfterTest, testToken } from '../../test-support/test-kit.js';
import type { ProctorCandidate } from './candidate.js';
import { renderVerdict } from './verdict.js';
import './candidate.js';

function words(element: Element | null | undefined): string {
  return element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/**
 * A candidate whose exam a supervisor ended and then signed a verdict on, on the kit at `base`.
 * Resolves once the candidate's page has the session as it was after the verdict.
 */
async function reviewedExam(base: string, verdict: { verdict: 'accepted' } | { verdict: 'rejected'; reason: string }) {
  const tokenPath = base === '/proctor' ? '/test-token' : `${base}/test-token`;
  const candidateId = `candidate-${crypto.randomUUID()}`;
  const candidateToken = await testToken({ role: 'candidate', candidateId, name: 'Wen Li' }, tokenPath);
  const element = await fixture<ProctorCandidate>(html`<proctor-candidate server=${base} token=${candidateToken}></proctor-candidate>`);
  await waitUntil(() => element.state?.session, 'the candidate never connected');
  const { sessionId } = element.state!.session!;
  const supervisor = await testToken({ role: 'supervisor', candidates: candidateId, name: 'Dr. Maria Reyes' }, tokenPath);
  const room = closeAfterTest(new SupervisorRoom({ server: base, token: supervisor }));
  room.connect();
  await waitUntil(() => room.state.value.sessions.some((s) => s.sessionId === sessionId), 'the supervisor never saw the session');
  await room.terminate(sessionId, 'The exam is over.');
  await waitUntil(() => element.state?.ended, 'the exam never ended on the candidate’s page');
  const signed = await new ReviewClient(base, () => supervisor).signVerdict(sessionId, verdict);
  await waitUntil(() => (element.state?.session?.lastSeq ?? 0) >= signed.seq, 'the candidate’s page never heard of the verdict');
  await element.updateComplete;
  return element;
}


describe('the verdict on the candidate’s ended page', () => {
  const at = Date.UTC(2026, 0, 12, 12);
  const cases: [VerdictSummary, string][] = [
    [{ verdict: 'accepted', signedAt: at }, 'Your exam was reviewed: accepted.'],
    [{ verdict: 'rejected', reason: 'Another person answered.', signedAt: at }, 'Your exam was reviewed: not accepted. Reason: Another person answered.'],
    [{ verdict: 'inconclusive', signedAt: at }, 'Your exam was reviewed: the review is not conclusive; the exam site will contact you.'],
  ];
  for (const [verdict, text] of cases) {
    it(`says "${text}" as a status`, async () => {
      const shown = await fixture<HTMLElement>(html`<div>${renderVerdict(verdict)}</div>`);
      const panel = shown.querySelector('[part="verdict"]')!;
      expect(words(panel)).to.equal(text);
      expect(panel.getAttribute('role')).to.equal('status');
      expect(panel.getAttribute('data-verdict')).to.equal(verdict.verdict);
    });
  }

  it('shows nothing without a verdict', async () => {
    const shown = await fixture<HTMLElement>(html`<div>${renderVerdict(undefined)}</div>`);
    expect(shown.children).to.have.length(0);
  });

  it('is not shown when the kit keeps verdicts from candidates (the default)', async function () {
    this.timeout(15_000);
    const element = await reviewedExam('/proctor', { verdict: 'rejected', reason: 'Another person answered.' });
    expect(element.state!.session!.verdict).to.equal(undefined);
    expect(element.shadowRoot!.querySelector('[part="ended"]')).to.exist;
    expect(element.shadowRoot!.querySelector('[part="verdict"]')).to.equal(null);
  });

  // Against the kit with `showVerdictToCandidate: true` at /proctor-verdict (web-test-runner.config.mjs).
  it('is shown on the ended page once signed, when the kit lets candidates see it', async function () {
    this.timeout(15_000);
    const element = await reviewedExam('/proctor-verdict', { verdict: 'rejected', reason: 'Another person answered.' });
    await waitUntil(() => element.shadowRoot!.querySelector('[part="ended"] [part="verdict"]'), 'the verdict is never shown');
    const panel = element.shadowRoot!.querySelector('[part="verdict"]')!;
    expect(words(panel)).to.equal('Your exam was reviewed: not accepted. Reason: Another person answered.');
    expect(panel.getAttribute('role')).to.equal('status');
  });
});
