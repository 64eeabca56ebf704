/// <reference path="../../../elements/test-support/mocha-globals.d.ts" />
import { expect, waitUntil } from '@open-wc/testing';
import type { ControlChannel } from '../channel/control-channel.js';
import type { CandidateEvent } from '../protocol/index.js';
import { Outbox } from './outbox.js';

interface Sent {
  type: string;
  events: CandidateEvent[];
}

/** A control channel that is open only between `welcome()` and `drop()`, and records what is sent. */
function fakeChannel() {
  const handlers = new Map<string, (message: never) => void>();
  const events = new Map<string, (detail: never) => void>();
  const sent: Sent[] = [];
  let open = false;
  const channel = {
    on: (type: string, handler: (message: never) => void) => (handlers.set(type, handler), () => undefined),
    onEvent: (type: string, handler: (detail: never) => void) => (events.set(type, handler), () => undefined),
    send: (message: Sent) => (open ? (sent.push(message), true) : false),
    get state() {
      return { value: open ? 'open' : 'reconnecting' };
    },
  };
  return {
    channel: channel as unknown as ControlChannel,
    sent,
    welcome(sessionId: string) {
      open = true;
      (events.get('welcome') as (d: unknown) => void)({ session: { sessionId } });
    },
    drop() {
      open = false;
    },
    ack(ids: string[]) {
      (handlers.get('log.ack') as (m: unknown) => void)({ type: 'log.ack', ids });
    },
    rateLimited(retryAfterMs: number) {
      (handlers.get('error') as (m: unknown) => void)({ type: 'error', code: 'rate-limited', ref: 'log.append', message: 'Too many events', retryAfterMs });
    },
    sentIds: () => sent.flatMap((m) => m.events.map((e) => e.id)),
  };
}

let counter = 0;
function logEvent(note: string, data: Record<string, unknown> = {}): CandidateEvent {
  counter += 1;
  return { kind: 'log', id: `test-${Date.now()}-${counter}`, name: 'note', data: { note, ...data }, at: Date.now() };
}

function newSessionId(): string {
  return `session-${crypto.randomUUID()}`;
}

describe('Outbox', () => {
  it('sends what was logged before the connection once it opens', async () => {
    const fake = fakeChannel();
    const outbox = new Outbox(fake.channel);
    const early = logEvent('before the welcome');
    outbox.add(early);
    expect(fake.sent).to.have.length(0);
    fake.welcome(newSessionId());
    await waitUntil(() => fake.sentIds().includes(early.id), 'sent once connected');
    outbox.close();
  });

  it('loses nothing across a reload: the next page sends what the last one could not', async () => {
    const sessionId = newSessionId();
    const before = fakeChannel();
    const first = new Outbox(before.channel);
    before.welcome(sessionId);
    before.drop();
    const offline = [logEvent('one'), logEvent('two'), logEvent('three')];
    for (const event of offline) first.add(event);
    await new Promise((resolve) => setTimeout(resolve, 100)); // let IndexedDB write
    first.close();

    const after = fakeChannel();
    const second = new Outbox(after.channel);
    after.welcome(sessionId);
    await waitUntil(() => after.sentIds().length === 3, 'the reloaded page sends the saved events');
    expect(after.sentIds()).to.deep.equal(offline.map((e) => e.id));
    second.close();
  });

  it('forgets events once the server acknowledged them', async () => {
    const sessionId = newSessionId();
    const fake = fakeChannel();
    const outbox = new Outbox(fake.channel);
    fake.welcome(sessionId);
    const event = logEvent('acknowledged');
    outbox.add(event);
    await waitUntil(() => fake.sentIds().includes(event.id));
    fake.ack([event.id]);
    expect(outbox.pending).to.equal(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    outbox.close();

    const later = fakeChannel();
    const reloaded = new Outbox(later.channel);
    later.welcome(sessionId);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(later.sentIds()).to.deep.equal([]);
    reloaded.close();
  });

  it('sends a batch the server refused for its rate again once the wait is over, and nothing sooner', async () => {
    const fake = fakeChannel();
    const outbox = new Outbox(fake.channel);
    fake.welcome(newSessionId());
    const refused = logEvent('refused at first');
    outbox.add(refused);
    fake.rateLimited(300);
    const waiting = logEvent('queued while waiting');
    outbox.add(waiting);
    expect(fake.sentIds()).to.deep.equal([refused.id], 'nothing is sent while the server asks to wait');
    await waitUntil(() => fake.sentIds().length === 3, 'both sent after the wait');
    expect(fake.sentIds().slice(1)).to.deep.equal([refused.id, waiting.id]);
    outbox.close();
  });

  it('sends unacknowledged events again after a reconnect', async () => {
    const sessionId = newSessionId();
    const fake = fakeChannel();
    const outbox = new Outbox(fake.channel);
    fake.welcome(sessionId);
    const event = logEvent('lost with the connection');
    outbox.add(event);
    await waitUntil(() => fake.sentIds().length === 1);
    fake.drop();
    fake.welcome(sessionId);
    await waitUntil(() => fake.sentIds().length === 2, 'sent again');
    expect(fake.sentIds()).to.deep.equal([event.id, event.id]);
    outbox.close();
  });

  it('splits large backlogs into messages well under 64 KB', async () => {
    const fake = fakeChannel();
    const outbox = new Outbox(fake.channel);
    const filler = 'x'.repeat(1900);
    for (let i = 0; i < 60; i += 1) outbox.add(logEvent(`large ${i}`, { filler }));
    fake.welcome(newSessionId());
    await waitUntil(() => fake.sentIds().length === 60, 'every event sent');
    for (const message of fake.sent) expect(JSON.stringify(message).length).to.be.below(64 * 1024);
    expect(fake.sent.length).to.be.greaterThan(1);
    outbox.close();
  });
});
