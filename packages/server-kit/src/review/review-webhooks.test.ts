import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Flag, VerdictEntry } from '@proctorkit/core/protocol';
import { WebhookReceiver } from '../webhooks/webhook-test-support.js';
import { ADA, ReviewCalls, SIGNAL, created, reviewServer } from './review-test-support.js';

test('a flag and a verdict reach the host as flag.created and verdict.signed, signed, with the session, the record and who made it', async (t) => {
  const receiver = await WebhookReceiver.start(t);
  const kit = await reviewServer(t, {
    webhooks: [{ url: receiver.url, secret: receiver.secret, events: ['flag.created', 'verdict.signed'] }],
    timings: { webhookPollMs: 20 },
  });
  const calls = new ReviewCalls(kit.server, kit.tokens.reviewer);
  await created(await calls.note(), 'note');
  const flag = await created<Flag>(await calls.flag({ from: 1_000, to: 2_000, feeds: ['webcam', 'phone'], severity: 'high', reason: 'another-person', text: 'A second voice.', signalSeq: SIGNAL }), 'flag');
  const verdict = await created<VerdictEntry>(await calls.verdict({ verdict: 'rejected', reason: 'Helped by another person.' }), 'verdict');

  const [flagged, signed, ...more] = await receiver.waitForDelivered(2);
  assert.deepEqual(more, []);
  assert.equal(flagged!.payload.type, 'flag.created');
  assert.equal(flagged!.id, `evt_${ADA}_${flag.seq}`);
  assert.deepEqual({ ...flagged!.payload.data, event: undefined }, { sessionId: ADA, examId: 'exam-1', candidateId: 'ada', seq: flag.seq, event: undefined });
  const by = { role: 'reviewer', id: 'rev-1', name: 'Dr. Reyes' };
  assert.deepEqual(flagged!.payload.data.event.data, {
    flagId: flag.flagId, from: 1_000, to: 2_000, feeds: ['webcam', 'phone'], severity: 'high', reason: 'another-person', text: 'A second voice.', signalSeq: SIGNAL, by,
  });
  assert.equal(flagged!.payload.data.event.source, 'reviewer');

  assert.equal(signed!.payload.type, 'verdict.signed');
  assert.equal(signed!.payload.timestamp, new Date(verdict.signedAt).toISOString());
  assert.deepEqual(signed!.payload.data.event.data, { verdictId: verdict.verdictId, verdict: 'rejected', reason: 'Helped by another person.', by, signature: verdict.signature });
  assert.deepEqual([signed!.payload.data.sessionId, signed!.payload.data.examId, signed!.payload.data.candidateId], [ADA, 'exam-1', 'ada']);
});
