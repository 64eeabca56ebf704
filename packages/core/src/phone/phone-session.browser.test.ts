/// <reference path="../../../elements/test-support/mocha-globals.d.ts" />
// A paired phone against the real kit: it publishes the phone feed to a supervisor, and after its
// connection drops it comes back by itself, feed and all.
import { expect, waitUntil } from '@open-wc/testing';
import { expiryOf } from '../../test-fixtures/token-expiry.js';
import { CandidateSession } from '../session/candidate-session.js';
import { SupervisorRoom } from '../session/supervisor-room.js';
import { PhoneSession } from './phone-session.js';

async function token(query: Record<string, string>, tokenPath = '/test-token'): Promise<string> {
  const response = await fetch(`${tokenPath}?${new URLSearchParams(query)}`);
  return ((await response.json()) as { token: string }).token;
}

const closing: { close(): void }[] = [];
afterEach(() => {
  for (const one of closing.splice(0)) one.close();
});

function phoneFrames(room: SupervisorRoom, sessionId: string): Promise<number> {
  return room.getStats().then((rows) => rows.find((r) => r.sessionId === sessionId && r.feed === 'phone')?.framesDecoded ?? 0);
}

/** Whether phone frames are being decoded now: more in a moment than before. */
async function flowing(room: SupervisorRoom, sessionId: string): Promise<boolean> {
  const before = await phoneFrames(room, sessionId);
  await new Promise((resolve) => setTimeout(resolve, 500));
  return (await phoneFrames(room, sessionId)) > before;
}

describe('PhoneSession', function () {
  this.timeout(30_000);

  it('publishes the phone feed, and reconnects by itself after a drop', async () => {
    const candidateId = `phone-${crypto.randomUUID().slice(0, 8)}`;
    const candidate = new CandidateSession({ server: '/proctor', token: await token({ candidateId, name: 'Ada' }) });
    closing.push(candidate);
    candidate.connect();
    await waitUntil(() => candidate.state.value.session, 'the candidate connected');
    const sessionId = candidate.state.value.session!.sessionId;

    const pairing = await candidate.pairPhone();
    const phone = new PhoneSession({ server: '/proctor', pairing: { pairing: new URL(pairing.url).searchParams.get('pairing')! } });
    closing.push(phone);
    await phone.start();
    const phoneFeed = () => candidate.state.value.session?.feeds.phone;
    await waitUntil(() => phoneFeed() === 'live', 'the phone feed went live', { timeout: 10_000 });
    expect(phone.state.value.name).to.equal('Ada');

    const room = new SupervisorRoom({ server: '/proctor', token: await token({ role: 'supervisor', candidates: candidateId }) });
    closing.push(room);
    room.connect();
    await waitUntil(() => room.state.value.sessions.length === 1, 'the supervisor sees the session');
    room.show([sessionId]);
    await waitUntil(() => flowing(room, sessionId), 'the supervisor decodes phone frames', { timeout: 10_000 });

    // Drop the phone's connection under it, as a network change would.
    (phone as unknown as { channel: { socket: WebSocket } }).channel.socket.close();
    await waitUntil(() => phoneFeed() === 'lost', 'the phone shows as lost', { timeout: 5000 });
    await waitUntil(() => phoneFeed() === 'live' && phone.state.value.connection === 'open', 'the phone came back', { timeout: 10_000 });
    await waitUntil(() => flowing(room, sessionId), 'phone frames flow again', { timeout: 10_000 });
  });

  it('comes back after a reload with the token renewed while it was connected, once the first expired', async () => {
    // Tokens of this kit last 3 s: the phone's first one has expired when the page reloads.
    const server = '/proctor-short-tokens';
    const candidateId = `phone-${crypto.randomUUID().slice(0, 8)}`;
    const candidate = new CandidateSession({ server, token: await token({ candidateId, name: 'Ada' }, `${server}/test-token`), feeds: [] });
    closing.push(candidate);
    candidate.connect();
    await waitUntil(() => candidate.state.value.session, 'the candidate connected');
    const secret = new URL((await candidate.pairPhone()).url).searchParams.get('pairing')!;
    const saved = () => (JSON.parse(sessionStorage.getItem(`proctorkit-phone:${secret}`) ?? '{}') as { token?: string }).token;

    const phone = new PhoneSession({ server, pairing: { pairing: secret } });
    closing.push(phone);
    await phone.start();
    const first = saved()!;
    await waitUntil(() => saved() !== first, 'the renewed token was kept for a reload', { timeout: 5000 });
    await waitUntil(() => Date.now() > expiryOf(first) + 100, 'the first token expired', { timeout: 5000 });
    phone.close();

    const reloaded = new PhoneSession({ server, pairing: { pairing: secret } });
    closing.push(reloaded);
    await reloaded.start();
    await waitUntil(() => reloaded.state.value.connection === 'open', 'the reloaded phone was let in', { timeout: 5000 });
    expect(reloaded.state.value.error).to.equal(undefined);
    await waitUntil(() => candidate.state.value.session?.feeds.phone === 'live', 'the phone feed is live again', { timeout: 10_000 });
  });
});
