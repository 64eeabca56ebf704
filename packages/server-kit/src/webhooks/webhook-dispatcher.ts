import type { Logger } from '../logger.js';
import type { AttemptOutcome, KitStore, StoredDelivery } from '../store/kit-store.js';
import { parseRetryAfter, retryDelay } from './retry-schedule.js';
import { post, signedHeaders, type EndpointAnswer } from './webhook-request.js';
import type { WebhookEndpoint } from './webhook-options.js';
import { webhookId, webhookTypeOf, type WebhookPayload } from './webhook-types.js';

export interface WebhookDispatcherOptions {
  store: KitStore;
  endpoints: readonly WebhookEndpoint[];
  /** Waits between attempts (ms); see {@link retryDelay}. */
  schedule: readonly number[];
  /** How often the outbox is read for deliveries due (ms). */
  pollMs: number;
  logger: Logger;
  /** How long an endpoint has to answer (ms). Default: 10 s. */
  timeoutMs?: number;
}

/** Deliveries claimed per read of the outbox. */
const BATCH = 10;
/** Statuses whose `Retry-After` is honoured. */
const RETRY_AFTER_STATUSES = new Set([429, 503]);
const GONE_MESSAGE = 'The endpoint answered 410 Gone: it gets no more deliveries until its configuration changes.';

/**
 * Sends the outbox's deliveries: reads it every `pollMs` (and at once when poked after a commit),
 * claims what is due, signs and POSTs each, and records the outcome. Deliveries to one endpoint
 * go one after another, the oldest due first; endpoints are served side by side.
 */
export class WebhookDispatcher {
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly closing = new AbortController();
  private running: Promise<void> | undefined;
  private again = false;
  private failing = false;
  private readonly timeoutMs: number;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    if (options.endpoints.length === 0) return;
    this.timer = setInterval(() => this.poke(), options.pollMs);
    this.timer.unref();
    this.poke();
  }

  /** The endpoints that want a log event of this type (empty for one no webhook reports). */
  endpointsFor(eventType: string): string[] {
    const type = webhookTypeOf(eventType);
    if (!type) return [];
    return this.options.endpoints.filter((endpoint) => endpoint.events.has(type)).map((endpoint) => endpoint.endpointId);
  }

  endpoint(endpointId: string): WebhookEndpoint | undefined {
    return this.options.endpoints.find((endpoint) => endpoint.endpointId === endpointId);
  }

  /** Reads the outbox now (or once more after the read under way). */
  poke(): void {
    if (this.closing.signal.aborted || this.options.endpoints.length === 0) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => (this.running = undefined));
  }

  /** Stops reading the outbox; an attempt under way is cut short and due again at once (for the next kit). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.closing.abort();
    await this.running;
  }

  private async drain(): Promise<void> {
    try {
      do {
        this.again = false;
        if ((await this.deliverDue()) === BATCH) this.again = true;
      } while (this.again && !this.closing.signal.aborted);
      if (this.failing) this.options.logger.info('webhooks: the outbox is readable again');
      this.failing = false;
    } catch (error) {
      // Once per outage, not once per poll.
      if (!this.failing) this.options.logger.warn('webhooks: reading the outbox failed; trying again every poll', error);
      this.failing = true;
    }
  }

  /** Claims what is due and sends it; resolves with how many it claimed. */
  private async deliverDue(): Promise<number> {
    const { store } = this.options;
    const disabled = await store.listDisabledEndpoints();
    const enabled = this.options.endpoints.filter((endpoint) => !disabled.some((d) => d.endpointId === endpoint.endpointId && d.config === endpoint.config));
    if (enabled.length === 0) return 0;
    // An attempt takes at most timeoutMs and one endpoint's are sent in turn: the lease outlasts
    // the whole batch, so no other instance sends any of it meanwhile.
    const claimed = await store.claimDeliveries(
      enabled.map((endpoint) => endpoint.endpointId),
      Date.now(),
      this.timeoutMs * (BATCH + 1),
      BATCH,
    );
    await Promise.all(
      enabled.map(async (endpoint) => {
        let gone = false;
        for (const delivery of claimed.filter((d) => d.endpointId === endpoint.endpointId)) {
          // After a 410, or once the kit closes, the rest of the batch goes back to the outbox unsent.
          if (gone || this.closing.signal.aborted) await store.releaseDelivery(delivery, Date.now());
          else gone = (await this.send(endpoint, delivery)) === 'gone';
        }
      }),
    );
    return claimed.length;
  }

  private async send(endpoint: WebhookEndpoint, delivery: StoredDelivery): Promise<'sent' | 'gone'> {
    const { store, logger } = this.options;
    const payload = await this.payload(delivery);
    if (!payload) {
      await store.recordAttempt(delivery, { state: 'failed', at: Date.now(), error: 'The event is no longer in the session log.' });
      return 'sent';
    }
    const body = JSON.stringify(payload);
    const sentAt = new Date();
    const headers = signedHeaders(endpoint, webhookId(delivery.sessionId, delivery.seq), sentAt, body);
    const answer = await post(endpoint.url, headers, body, AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.closing.signal]));
    const outcome = this.outcome(delivery, answer);
    if (outcome.status === 410) {
      await store.disableEndpoint({ endpointId: endpoint.endpointId, config: endpoint.config, at: outcome.at });
      logger.warn(`webhooks: ${endpoint.url} answered 410 Gone; it gets no more deliveries until its configuration changes`);
    }
    await store.recordAttempt(delivery, outcome);
    return outcome.status === 410 ? 'gone' : 'sent';
  }

  private outcome(delivery: StoredDelivery, answer: EndpointAnswer): AttemptOutcome {
    const at = Date.now();
    if ('error' in answer) {
      // Cut short by the kit's own close: not the endpoint's failure, so due again at once.
      if (this.closing.signal.aborted) return { state: 'pending', at, retryAt: at, error: answer.error };
      return this.retry(delivery, at, { error: answer.error });
    }
    const { status } = answer;
    if (status >= 200 && status < 300) return { state: 'delivered', at, status };
    if (status === 410) return { state: 'failed', at, status, error: GONE_MESSAGE };
    const retryAfterMs = RETRY_AFTER_STATUSES.has(status) ? parseRetryAfter(answer.retryAfter, at) : undefined;
    return this.retry(delivery, at, { status, error: `The endpoint answered ${status}.` }, retryAfterMs);
  }

  private retry(delivery: StoredDelivery, at: number, what: { status?: number; error: string }, retryAfterMs?: number): AttemptOutcome {
    const delay = retryDelay(this.options.schedule, delivery.attempts + 1, retryAfterMs);
    return delay === undefined ? { state: 'failed', at, ...what } : { state: 'pending', at, retryAt: at + delay, ...what };
  }

  /** The request body, built from the stored event (events never change). */
  private async payload(delivery: StoredDelivery): Promise<WebhookPayload | undefined> {
    const { store } = this.options;
    const [session, [event]] = await Promise.all([store.getSession(delivery.sessionId), store.listEvents(delivery.sessionId, delivery.seq - 1, 1)]);
    const type = event && webhookTypeOf(event.type);
    if (!session || !event || !type) return undefined;
    const { sessionId, examId, candidateId } = session;
    return { type, timestamp: new Date(event.at).toISOString(), data: { sessionId, examId, candidateId, seq: event.seq, event } };
  }
}
