/// <reference path="../../../elements/test-support/mocha-globals.d.ts" />
// A page outlives the token the host gave it: the kit renews it over the control channel, and the
// page reconnects and makes its requests with the new one once the first expired.
import { expect, waitUntil } from '@open-wc/testing';
import { expiryOf } from '../../test-fixtures/token-expiry.js';
import { CandidateSession } from '../session/candidate-session.js';
import { ControlChannel } from './control-channel.js';
import { controlUrl } from './control-url.js';

const SERVER = '/proctor';

/** A candidate token from the test kit that expires in two seconds. */
async function shortLivedToken(): Promise<string> {
  const candidateId = `renew-${crypto.randomUUID().slice(0, 8)}`;
  const response = await fetch(`/test-token?${new URLSearchParams({ candidateId, name: candidateId, expiresIn: '2' })}`);
  return ((await response.json()) as { token: string }).token;
}

const afterExpiryOf = (token: string) => waitUntil(() => Date.now() > expiryOf(token) + 100, 'the first token did not expire', { timeout: 5000 });

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanUp of cleanups.splice(0)) cleanUp();
});

describe('token renewal', function () {
  this.timeout(15_000);

  it('reconnects after a drop with the token the server renewed, once the first one expired', async () => {
    const first = await shortLivedToken();
    const sockets: WebSocket[] = [];
    class TrackedWebSocket extends WebSocket {
      constructor(url: string | URL) {
        super(url);
        sockets.push(this);
      }
    }
    const channel = new ControlChannel({ url: controlUrl(SERVER), token: first, WebSocket: TrackedWebSocket });
    cleanups.push(() => channel.close());
    let welcomes = 0;
    channel.onEvent('welcome', () => welcomes++);
    channel.connect();

    await waitUntil(() => channel.token !== first, 'the server did not renew the token', { timeout: 5000 });
    expect(expiryOf(channel.token)).to.be.greaterThan(expiryOf(first));
    await afterExpiryOf(first);
    sockets.at(-1)!.close();
    await waitUntil(() => welcomes === 2 && channel.state.value === 'open', 'the channel was not let back in', { timeout: 5000 });
    expect(sockets).to.have.length(2);
  });

  it('pairs a phone with the renewed token after the first one expired', async () => {
    const first = await shortLivedToken();
    const session = new CandidateSession({ server: SERVER, token: first, feeds: [] });
    cleanups.push(() => session.close());
    session.connect();
    await waitUntil(() => session.token !== first, 'the server did not renew the token', { timeout: 5000 });
    await afterExpiryOf(first);
    const pairing = await session.pairPhone();
    expect(pairing.code).to.match(/^\w{4}-\w{4}$/);
  });
});
