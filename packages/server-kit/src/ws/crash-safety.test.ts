import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PROTOCOL_VERSION } from '@proctorkit/core/protocol';
import { KitProcess } from '../../test-fixtures/kit-process/kit-process.js';
import { TestClient, candidateClaims, candidateEvents, delay, logAppend } from '../test-helpers.js';
import { TokenIssuer } from '../tokens.js';
import { SECRET } from '../test-helpers.js';

const tokens = new TokenIssuer(SECRET, '1h');

async function joinedCandidate(kit: KitProcess, candidateId: string): Promise<TestClient> {
  const client = await TestClient.open(kit.wsUrl);
  client.hello(await tokens.issue(candidateClaims(candidateId)));
  await client.next('session.welcome');
  return client;
}

/** `{"a":{"a":…}}` nested `depth` levels, as JSON text (no recursion to build it). */
function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

describe('no input stops the process', () => {
  test('a log.append nested thousands of levels deep is refused and the kit keeps serving', async (t) => {
    const kit = await KitProcess.start(t);
    const ada = await joinedCandidate(kit, 'ada');
    const event = JSON.stringify(candidateEvents.log('deep.data')).replace('"data":{}', `"data":${nested(3000)}`);
    ada.send(`{"v":${PROTOCOL_VERSION},"type":"log.append","events":[${event}]}`);
    const refused = await ada.next('error');
    assert.equal(refused.code, 'bad-message');
    assert.match(refused.message, /deeper than/);
    // The same connection, and the process, go on.
    ada.send(logAppend(candidateEvents.log('after.the.attack')));
    await ada.next('log.ack');
    assert.ok(kit.running, 'the kit process is still running');
    assert.ok(await kit.healthy());
  });

  test('event data nested deeper than the protocol allows is refused even inside the message bound', async (t) => {
    const kit = await KitProcess.start(t);
    const ada = await joinedCandidate(kit, 'ada');
    let data: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 12; i++) data = { a: data };
    ada.send(logAppend(candidateEvents.log('deep.data', data)));
    const refused = await ada.next('error');
    assert.equal(refused.code, 'bad-message');
    assert.match(refused.message, /nest at most 8 levels/);
  });

  test('an error thrown outside every handler is logged and the process keeps serving', async (t) => {
    const kit = await KitProcess.start(t, { fault: 'escape' });
    await joinedCandidate(kit, 'boom');
    await delay(100);
    assert.ok(kit.running, 'the kit process is still running');
    assert.match(kit.stderr, /process guard: uncaught exception/);
    assert.match(kit.stderr, /process guard: unhandled promise rejection/);
    const other = await joinedCandidate(kit, 'grace');
    other.send(logAppend(candidateEvents.log('still.served')));
    await other.next('log.ack');
    assert.ok(await kit.healthy());
  });
});
