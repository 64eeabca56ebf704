import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { WebhookEndpointOptions } from '@proctorkit/server-kit';

/** The webhook endpoint the environment names (none: the demo's own receiver); or why it cannot be had. */
export type WebhookChoice = { ok: true; endpoint?: WebhookEndpointOptions } | { ok: false; message: string };

/** The path of the demo's own receiver. */
export const OWN_RECEIVER_PATH = '/webhooks/receiver';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const SECRET_EXAMPLE = `node -e "console.log('whsec_' + require('crypto').randomBytes(32).toString('base64'))"`;

/**
 * Reads the demo site's webhook endpoint from the environment: `PROCTOR_WEBHOOK_URL` (https://, or
 * http:// to this machine) and `PROCTOR_WEBHOOK_SECRET` (`whsec_…`), both or neither. With neither,
 * the kit delivers to the demo's own receiver ({@link ownReceiverEndpoint}).
 */
export function webhookFromEnv(env: NodeJS.ProcessEnv): WebhookChoice {
  const url = env.PROCTOR_WEBHOOK_URL?.trim();
  const secret = env.PROCTOR_WEBHOOK_SECRET?.trim();
  if (!url && !secret) return { ok: true };
  if (!url) return { ok: false, message: 'PROCTOR_WEBHOOK_SECRET needs PROCTOR_WEBHOOK_URL, the endpoint it signs deliveries for.' };
  if (!isWebhookUrl(url)) {
    return { ok: false, message: 'PROCTOR_WEBHOOK_URL must be an https:// URL (http:// only to localhost or 127.0.0.1), such as https://exams.example.com/hooks/proctorkit.' };
  }
  if (!secret) return { ok: false, message: `PROCTOR_WEBHOOK_URL needs PROCTOR_WEBHOOK_SECRET, its signing secret; make one with: ${SECRET_EXAMPLE}` };
  if (!isWebhookSecret(secret)) {
    return { ok: false, message: `PROCTOR_WEBHOOK_SECRET must be whsec_ followed by the base64 of 24 to 64 random bytes; make one with: ${SECRET_EXAMPLE}` };
  }
  return { ok: true, endpoint: { url, secret } };
}

/**
 * The demo's own receiver on the server already listening, with a secret made for this start (the
 * receiver is in this process, so nothing else needs it); `undefined` when the server does not
 * listen on this machine's loopback, where the kit sends only over https.
 */
export function ownReceiverEndpoint(server: Server): WebhookEndpointOptions | undefined {
  const { address, port } = server.address() as AddressInfo;
  const loopback = ['127.0.0.1', '0.0.0.0', '::', '::ffff:127.0.0.1'].includes(address) ? '127.0.0.1' : address === '::1' ? '[::1]' : undefined;
  if (!loopback) return undefined;
  return { url: `http://${loopback}:${port}${OWN_RECEIVER_PATH}`, secret: `whsec_${randomBytes(32).toString('base64')}` };
}

function isWebhookUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || (protocol === 'http:' && LOCAL_HOSTS.has(hostname));
}

function isWebhookSecret(secret: string): boolean {
  const base64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) return false;
  const bytes = Buffer.from(base64, 'base64').length;
  return bytes >= 24 && bytes <= 64;
}
