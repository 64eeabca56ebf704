/** A real HTTP receiver of webhooks on 127.0.0.1 that verifies every request as a host would, with `standardwebhooks`. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { ProctorKit } from '../kit.js';
import type { WebhookDelivery, WebhookDeliveryFilter } from './webhooks-api.js';
import type { WebhookPayload } from './webhook-types.js';

/** A fresh signing secret in the Standard Webhooks form. */
export function webhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** One request the receiver got, verified. */
export interface ReceivedWebhook {
  id: string;
  payload: WebhookPayload;
  /** When it arrived (ms). */
  at: number;
  /** The status the receiver answered. */
  status: number;
}

/** What the receiver answers the `n`-th request (from 1). */
export type Answer = (n: number, request: ReceivedWebhook) => Reply | Promise<Reply>;

export interface Reply {
  status: number;
  headers?: Record<string, string>;
}

const WAIT_MS = 10_000;

export class WebhookReceiver {
  /** Every verified request, in order of arrival, whatever it was answered. */
  readonly received: ReceivedWebhook[] = [];
  /** Requests whose signature, id or timestamp did not verify: a test expects none. */
  readonly unverified: string[] = [];
  answer: Answer = () => ({ status: 200 });
  private server: Server;
  private port = 0;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly secret: string) {
    this.server = this.create();
  }

  /** Starts a receiver, stopped after the test, which then fails if any request did not verify. */
  static async start(t: TestContext, secret = webhookSecret()): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(secret);
    await receiver.up();
    t.after(async () => {
      await receiver.down();
      assert.deepEqual(receiver.unverified, [], 'every request verified with standardwebhooks');
    });
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** The requests answered 2xx: what the host has. */
  get delivered(): ReceivedWebhook[] {
    return this.received.filter((r) => r.status >= 200 && r.status < 300);
  }

  /** Listens (again, on the same port). */
  async up(): Promise<void> {
    if (this.server.listening) return;
    this.server = this.create();
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Stops listening: connections are refused until {@link up}. */
  async down(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Resolves once `count` requests were answered 2xx. */
  async waitForDelivered(count: number, ms = WAIT_MS): Promise<ReceivedWebhook[]> {
    return this.waitFor(() => this.delivered.length >= count, `${count} deliveries (got ${this.delivered.length})`, ms);
  }

  /** Resolves once `count` requests arrived, whatever they were answered. */
  async waitForRequests(count: number, ms = WAIT_MS): Promise<ReceivedWebhook[]> {
    return this.waitFor(() => this.received.length >= count, `${count} requests (got ${this.received.length})`, ms);
  }

  private async waitFor(done: () => boolean, what: string, ms: number): Promise<ReceivedWebhook[]> {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`The receiver waited ${ms} ms for ${what}.`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 100);
        this.waiters.add(wake);
      });
    }
    return this.received;
  }

  private create(): Server {
    return createServer(async (request, response) => {
      const body = await read(request);
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      let payload: WebhookPayload;
      if (headers['content-type'] !== 'application/json') this.unverified.push(`content-type ${headers['content-type']}`);
      try {
        payload = new Webhook(this.secret).verify(body, headers) as WebhookPayload;
      } catch (error) {
        this.unverified.push(`${String(error)}: ${body.slice(0, 200)}`);
        response.writeHead(400).end();
        return;
      }
      const received: ReceivedWebhook = { id: headers['webhook-id']!, payload, at: Date.now(), status: 0 };
      this.received.push(received);
      const { status, headers: answerHeaders = {} } = await this.answer(this.received.length, received);
      received.status = status;
      if (!response.destroyed) response.writeHead(status, answerHeaders).end();
      for (const wake of this.waiters) wake();
    });
  }
}

async function read(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Resolves with the delivery log once `done` holds for it: the kit records an attempt only after the receiver answered. */
export async function logWhen(
  kit: ProctorKit,
  filter: WebhookDeliveryFilter,
  done: (log: WebhookDelivery[]) => boolean,
  ms = WAIT_MS,
): Promise<WebhookDelivery[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const log = await kit.webhooks.deliveries(filter);
    if (done(log)) return log;
    if (Date.now() > deadline) throw new Error(`The delivery log never came to what the test waits for: ${JSON.stringify(log)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
