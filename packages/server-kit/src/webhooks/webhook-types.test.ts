import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WEBHOOK_EVENT_TYPES, webhookTypeOf } from './webhook-types.js';

test('reports the session log events each webhook type stands for, and no other', () => {
  assert.equal(webhookTypeOf('session.started'), 'session.started');
  assert.equal(webhookTypeOf('session.ended'), 'session.ended');
  assert.equal(webhookTypeOf('identity.approved'), 'identity.verified');
  assert.equal(webhookTypeOf('identity.rejected'), 'identity.verified');
  assert.equal(webhookTypeOf('recording.complete'), 'recording.ready');
  assert.equal(webhookTypeOf('flag.created'), 'flag.created');
  assert.equal(webhookTypeOf('verdict.signed'), 'verdict.signed');
  for (const type of ['session.joined', 'session.paused', 'identity.submitted', 'recording.started', 'log.answer.graded', 'toString', '__proto__']) {
    assert.equal(webhookTypeOf(type), undefined, type);
  }
  assert.equal(WEBHOOK_EVENT_TYPES.length, 6);
});
