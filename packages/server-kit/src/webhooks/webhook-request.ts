import { Webhook } from 'standardwebhooks';
import type { WebhookEndpoint } from './webhook-options.js';

/** The headers of one signed attempt, per the Standard Webhooks spec. */
export interface SignedHeaders {
  'content-type': 'application/json';
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Signs `body` for `endpoint` as sent at `sentAt`: the timestamp is the attempt's, so receivers can refuse old replays of it. */
export function signedHeaders(endpoint: WebhookEndpoint, id: string, sentAt: Date, body: string): SignedHeaders {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': new Webhook(endpoint.secret).sign(id, sentAt, body),
  };
}

/** What an endpoint answered: its status and `Retry-After`, or why it did not answer. */
export type EndpointAnswer = { status: number; retryAfter: string | null } | { error: string };

/**
 * POSTs one attempt. Redirects are not followed (a 3xx is a failure): the kit sends events only
 * where the host configured it to.
 */
export async function post(url: string, headers: SignedHeaders, body: string, signal: AbortSignal): Promise<EndpointAnswer> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { ...headers }, body, redirect: 'manual', signal });
    // Only the status counts; reading no body frees the connection at once.
    await response.body?.cancel();
    return { status: response.status, retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    return { error: describe(error) };
  }
}

function describe(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'The endpoint did not answer in time.';
  if (error instanceof Error && error.name === 'AbortError') return 'The kit closed before the endpoint answered.';
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
