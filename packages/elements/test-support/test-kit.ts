/// <reference path="./mocha-globals.d.ts" />
// What the elements' browser tests share: tokens from the test server's kit, events recorded at
// the document, and sessions closed after each test.
import type { ProctorEventMap } from '../src/shared/events.js';

/**
 * A token from one of the test server's kits, as a host's backend issues it after its own login:
 * `/test-token` for the kit at `/proctor`, `<base>/test-token` for the others (see test/support/wtr-kit.ts).
 */
export async function testToken(query: Record<string, string>, path = '/test-token'): Promise<string> {
  const response = await fetch(`${path}?${new URLSearchParams(query)}`);
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

const closeables: { close(): void }[] = [];
const listeners: (() => void)[] = [];

/** Closes `thing` (a session, a room) after the test. */
export function closeAfterTest<T extends { close(): void }>(thing: T): T {
  closeables.push(thing);
  return thing;
}

/** Every `type` event that reaches the document while the test runs. */
export function record<K extends keyof ProctorEventMap>(type: K): ProctorEventMap[K][] {
  const events: ProctorEventMap[K][] = [];
  const listener = (event: Event) => events.push(event as ProctorEventMap[K]);
  document.addEventListener(type, listener);
  listeners.push(() => document.removeEventListener(type, listener));
  return events;
}

afterEach(() => {
  for (const stop of listeners.splice(0)) stop();
  for (const thing of closeables.splice(0)) thing.close();
});
