import * as v from 'valibot';
import { GeneratedIdSchema, parse } from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import type { DeliveryState, KitStore, StoredDelivery } from '../store/kit-store.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';
import { webhookId } from './webhook-types.js';

/** One entry of the delivery log: an event's delivery to one endpoint. */
export interface WebhookDelivery extends StoredDelivery {
  /** The `webhook-id` it is sent with, the same on every attempt and replay. */
  webhookId: string;
  /** The endpoint's URL; `undefined` once the endpoint is no longer configured. */
  url: string | undefined;
}

/** Which deliveries {@link WebhooksApi.deliveries} lists. */
export interface WebhookDeliveryFilter {
  /** Only this session's. */
  sessionId?: string;
  /** Only those in this state. */
  state?: DeliveryState;
  /** At most this many (1 to 1000). Default: 100. */
  limit?: number;
}

/** The webhook outbox, for the host's backend: its delivery log, and replays. */
export interface WebhooksApi {
  /** The delivery log, in the order deliveries were queued. */
  deliveries(filter?: WebhookDeliveryFilter): Promise<WebhookDelivery[]>;
  /**
   * Sends a delivery again, whatever its state, with the same `webhook-id` (receivers that already
   * have it deduplicate it): pending at once, its attempts counted from 0. Rejects with
   * `not-found` for an unknown id.
   */
  replay(deliveryId: string): Promise<WebhookDelivery>;
}

const FilterSchema = v.strictObject({
  sessionId: v.optional(GeneratedIdSchema),
  state: v.optional(v.picklist(['pending', 'delivered', 'failed'])),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
});
const DeliveryIdSchema = v.pipe(v.string(), v.regex(/^dlv_[\w-]{1,200}$/, 'must be a delivery id from the delivery log'));

/** `kit.webhooks` over the store's outbox. */
export function webhooksApi(store: KitStore, dispatcher: WebhookDispatcher): WebhooksApi {
  const entry = (delivery: StoredDelivery): WebhookDelivery => ({
    ...delivery,
    webhookId: webhookId(delivery.sessionId, delivery.seq),
    url: dispatcher.endpoint(delivery.endpointId)?.url,
  });
  return {
    async deliveries(filter = {}) {
      const parsed = parse(FilterSchema, filter);
      if (!parsed.ok) throw new KitError('bad-message', `webhooks.deliveries: ${parsed.message}.`);
      const { sessionId, state, limit = 100 } = parsed.value;
      return (await store.listDeliveries({ ...(sessionId ? { sessionId } : {}), ...(state ? { state } : {}), limit })).map(entry);
    },
    async replay(deliveryId) {
      const parsed = parse(DeliveryIdSchema, deliveryId);
      if (!parsed.ok) throw new KitError('bad-message', `webhooks.replay: deliveryId ${parsed.message}.`);
      const replayed = await store.replayDelivery(parsed.value, Date.now());
      if (!replayed) throw new KitError('not-found', `Delivery ${deliveryId} does not exist.`);
      dispatcher.poke();
      return entry(replayed);
    },
  };
}
