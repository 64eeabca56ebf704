import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { parse } from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-types.js';

/** One endpoint of the host that the kit tells about sessions (kit option `webhooks`). */
export interface WebhookEndpointOptions {
  /**
   * Where the kit POSTs: `https://` — or `http://` to `localhost`, `127.0.0.1` or `[::1]` only (a
   * receiver on the same machine), so no payload crosses a network in the clear.
   */
  url: string;
  /** The endpoint's signing secret in the Standard Webhooks form: `whsec_` and the base64 of 24 to 64 random bytes. */
  secret: string;
  /** The event types it receives. Default: every one of {@link WEBHOOK_EVENT_TYPES}. */
  events?: readonly WebhookEventType[];
}

/** An endpoint as the kit delivers to it. */
export interface WebhookEndpoint {
  /** Stable for its URL, so pending deliveries survive a change of secret or events. */
  endpointId: string;
  url: string;
  secret: string;
  events: ReadonlySet<WebhookEventType>;
  /**
   * A fingerprint of its whole configuration: an endpoint disabled by a 410 stays disabled while
   * its configuration stays the same.
   */
  config: string;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const UrlSchema = v.pipe(
  v.string(),
  v.check((url) => {
    if (!URL.canParse(url)) return false;
    const { protocol, hostname } = new URL(url);
    return protocol === 'https:' || (protocol === 'http:' && LOCAL_HOSTS.has(hostname));
  }, 'must be an https:// URL (http:// only to localhost, 127.0.0.1 or [::1])'),
);

const SecretSchema = v.pipe(
  v.string(),
  v.check((secret) => {
    const base64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : '';
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) return false;
    const bytes = Buffer.from(base64, 'base64').length;
    return bytes >= 24 && bytes <= 64;
  }, 'must be whsec_ followed by the base64 of 24 to 64 random bytes'),
);

const WebhooksSchema = v.pipe(
  v.array(
    v.strictObject({
      url: UrlSchema,
      secret: SecretSchema,
      events: v.optional(v.pipe(v.array(v.picklist(WEBHOOK_EVENT_TYPES)), v.minLength(1, 'must name at least one event type'))),
    }),
  ),
  v.maxLength(20, 'must list at most 20 endpoints'),
  v.check((endpoints) => new Set(endpoints.map((e) => e.url)).size === endpoints.length, 'must not list one URL twice'),
);

const ScheduleSchema = v.pipe(
  v.array(v.pipe(v.number(), v.integer('must be whole milliseconds'), v.minValue(1), v.maxValue(7 * 86_400_000, 'must be at most 7 days'))),
  v.minLength(1, 'must hold at least one wait'),
  v.maxLength(20, 'must hold at most 20 waits'),
);

/** The kit's webhook endpoints, checked; throws a `bad-message` {@link KitError} naming what is wrong. */
export function resolveWebhooks(options: readonly WebhookEndpointOptions[] | undefined): WebhookEndpoint[] {
  const parsed = parse(WebhooksSchema, options ?? []);
  if (!parsed.ok) throw new KitError('bad-message', `createProctorKit: \`webhooks\` ${parsed.message}.`);
  return parsed.value.map(({ url, secret, events = WEBHOOK_EVENT_TYPES }) => ({
    endpointId: `ep_${digest(url).slice(0, 16)}`,
    url,
    secret,
    events: new Set(events),
    config: digest(JSON.stringify([url, secret, [...new Set(events)].sort()])),
  }));
}

/** The retry schedule, checked; throws a `bad-message` {@link KitError} naming what is wrong. */
export function resolveRetrySchedule(schedule: readonly number[] | undefined, fallback: readonly number[]): readonly number[] {
  if (schedule === undefined) return fallback;
  const parsed = parse(ScheduleSchema, schedule);
  if (!parsed.ok) throw new KitError('bad-message', `createProctorKit: \`webhookRetrySchedule\` ${parsed.message}.`);
  return parsed.value;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
