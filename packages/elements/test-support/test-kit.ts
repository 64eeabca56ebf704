/// <reference path="./mocha-globals.d.ts" />
// What the elements' browser tests share: tokens from the test server's kit, events recorded at
// the document, and sessions closed after each test.
import { waitUntil } from '@open-wc/testing';
import { SupervisorRoom } from '@proctorkit/core';
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

/** A supervisor watching `candidateId` on the kit at `/proctor`, connected; closed after the test. */
export async function supervisorRoom(candidateId: string): Promise<SupervisorRoom> {
  const token = await testToken({ role: 'supervisor', candidates: candidateId, name: 'Dr. Maria Reyes' });
  const room = closeAfterTest(new SupervisorRoom({ server: '/proctor', token }));
  room.connect();
  await waitUntil(() => room.state.value.connection === 'open', 'the supervisor never connected');
  return room;
}

/** The button of an element's shadow root whose text is `label`. */
export function buttonOf(element: HTMLElement, label: string): HTMLButtonElement | undefined {
  return [...element.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === label);
}

/** Clicks the button `label` once it is there and enabled, as a person would, and lets the element render. */
export async function click(element: HTMLElement & { updateComplete?: Promise<unknown> }, label: string): Promise<void> {
  await waitUntil(() => buttonOf(element, label) && !buttonOf(element, label)!.disabled, `no enabled button "${label}"`);
  buttonOf(element, label)!.click();
  await element.updateComplete;
}

/** The text of `selector` in an element's shadow root, spaces collapsed. */
export function text(element: HTMLElement, selector: string): string {
  return element.shadowRoot!.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}
