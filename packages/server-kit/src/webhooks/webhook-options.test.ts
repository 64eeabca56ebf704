import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { createProctorKit } from '../kit.js';
import { memoryStore } from '../store/memory/memory-store.js';
import { SECRET } from '../test-helpers.js';
import type { WebhookEndpointOptions } from './webhook-options.js';

const secret = (bytes = 32) => `whsec_${randomBytes(bytes).toString('base64')}`;

function refused(webhooks: unknown, message: RegExp, extra: Record<string, unknown> = {}) {
  assert.throws(
    () => createProctorKit({ secret: SECRET, store: memoryStore(), guardProcess: false, webhooks: webhooks as WebhookEndpointOptions[], ...extra }),
    (error: unknown) => error instanceof Error && error.name === 'KitError' && (error as { code?: string }).code === 'bad-message' && message.test(error.message),
  );
}

describe('createProctorKit webhooks', () => {
  test('refuses a secret that is not whsec_ and 24 to 64 bytes of base64', () => {
    refused([{ url: 'https://host.example/hooks', secret: 'not-a-secret' }], /`webhooks` 0\.secret: must be whsec_/);
    refused([{ url: 'https://host.example/hooks', secret: secret(16) }], /24 to 64/);
    refused([{ url: 'https://host.example/hooks', secret: secret(65) }], /24 to 64/);
    refused([{ url: 'https://host.example/hooks', secret: 'whsec_!!!!' }], /whsec_/);
  });

  test('refuses a URL in the clear to another machine, an unknown event type, a URL twice and unknown fields', () => {
    refused([{ url: 'http://host.example/hooks', secret: secret() }], /0\.url: must be an https:\/\/ URL/);
    refused([{ url: 'ftp://127.0.0.1/hooks', secret: secret() }], /https:\/\//);
    refused([{ url: 'not a url', secret: secret() }], /https:\/\//);
    refused([{ url: 'https://host.example/hooks', secret: secret(), events: ['session.paused'] }], /0\.events\.0/);
    refused([{ url: 'https://host.example/hooks', secret: secret(), events: [] }], /at least one event type/);
    refused(
      [
        { url: 'https://host.example/hooks', secret: secret() },
        { url: 'https://host.example/hooks', secret: secret() },
      ],
      /one URL twice/,
    );
    refused([{ url: 'https://host.example/hooks', secret: secret(), retries: 3 }], /retries/);
  });

  test('refuses a retry schedule that is empty or not whole positive milliseconds', () => {
    for (const schedule of [[], [0], [1.5], [-1], ['5s']]) refused([], /`webhookRetrySchedule`/, { webhookRetrySchedule: schedule });
  });

  test('accepts https anywhere and http to this machine', async () => {
    const kit = createProctorKit({
      secret: SECRET,
      store: memoryStore(),
      guardProcess: false,
      webhooks: [
        { url: 'https://host.example/hooks', secret: secret(24) },
        { url: 'http://127.0.0.1:9/hooks', secret: secret(64), events: ['session.ended'] },
        { url: 'http://localhost:9/hooks', secret: secret() },
      ],
      webhookRetrySchedule: [100, 200],
    });
    await kit.close();
  });
});
