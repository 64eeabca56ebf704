import express, { type Request, type RequestHandler, type Response } from 'express';
import { Webhook } from 'standardwebhooks';
import * as v from 'valibot';

/** How many verified deliveries the receiver keeps (in memory: a restart forgets them). */
const KEPT = 100;

/** The part of a Proctorkit webhook's body the demo shows (docs/guide/webhooks.md, "Events"). */
const PayloadSchema = v.object({
  type: v.string(),
  timestamp: v.string(),
  data: v.object({
    sessionId: v.string(),
    examId: v.string(),
    candidateId: v.string(),
    seq: v.number(),
    event: v.object({ type: v.string(), data: v.record(v.string(), v.unknown()) }),
  }),
});

/** A Proctorkit webhook's body, as the receiver read it after verifying its signature. */
export type ReceivedPayload = v.InferOutput<typeof PayloadSchema>;

/** One delivery the receiver verified. */
export interface ReceivedDelivery {
  /** When it arrived (ms since the epoch). */
  receivedAt: number;
  /** Its `webhook-id`: the same on every retry and replay of one event. */
  webhookId: string;
  payload: ReceivedPayload;
}

/** What a host's endpoint does with the kit's webhooks, in a few lines: verify, then keep. */
export interface WebhookReceiver {
  /** Handles `POST`s of deliveries: 204 once verified, 400 otherwise. */
  handlers: RequestHandler[];
  /** The last {@link KEPT} verified deliveries, newest first. */
  deliveries(): readonly ReceivedDelivery[];
  /** How many requests it refused: a bad or missing signature, an old timestamp, a body that is no webhook of the kit's. */
  refused(): number;
}

/** A receiver verifying deliveries with `secret` (Standard Webhooks); with none, it refuses every request. */
export function webhookReceiver(secret: string | undefined): WebhookReceiver {
  const webhook = secret ? new Webhook(secret) : undefined;
  const kept: ReceivedDelivery[] = [];
  let refused = 0;

  function refuse(response: Response, message: string): void {
    refused++;
    response.status(400).json({ error: { code: 'bad-webhook', message } });
  }

  function receive(request: Request, response: Response): void {
    if (!webhook) return refuse(response, 'This site sends its webhooks elsewhere: it has no secret to verify them with.');
    // The signature covers the body's exact bytes: verify them as they came, never JSON parsed and printed again.
    const body = typeof request.body === 'string' ? request.body : '';
    let verified: unknown;
    try {
      verified = webhook.verify(body, {
        'webhook-id': request.header('webhook-id') ?? '',
        'webhook-timestamp': request.header('webhook-timestamp') ?? '',
        'webhook-signature': request.header('webhook-signature') ?? '',
      });
    } catch (error) {
      return refuse(response, `Not verified: ${(error as Error).message}`);
    }
    const payload = v.safeParse(PayloadSchema, verified);
    if (!payload.success) return refuse(response, 'Verified, but not a Proctorkit webhook.');
    kept.unshift({ receivedAt: Date.now(), webhookId: request.header('webhook-id')!, payload: payload.output });
    kept.length = Math.min(kept.length, KEPT);
    response.status(204).end();
  }

  return {
    handlers: [express.text({ type: () => true, limit: '64kb' }), receive],
    deliveries: () => kept,
    refused: () => refused,
  };
}
