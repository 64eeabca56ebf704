import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EXAM, OTHER_EXAM, TestServer } from './test-helpers.js';

const feedState = (feed: string, state: string) => ({ v: 1, type: 'feed.state', feed, state });

describe('kit.sessions', () => {
  test('gets a session by id, as supervisors see it', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    assert.deepEqual(await server.kit.sessions.get(ada.session.sessionId), ada.session);
    ada.client.send(feedState('webcam', 'live'));
    await ada.client.sync();
    assert.equal((await server.kit.sessions.get(ada.session.sessionId))?.status, 'live');
    const supervisor = await server.supervisor(['ada']);
    await ada.client.close();
    await supervisor.client.next('session.updated', (m) => m.session.status === 'offline');
    assert.deepEqual(await server.kit.sessions.get(ada.session.sessionId), { ...ada.session, status: 'offline' });
  });

  test('gets undefined for an unknown id and throws bad-message for a malformed one', async (t) => {
    const server = await TestServer.start(t);
    assert.equal(await server.kit.sessions.get('no-such-session'), undefined);
    await assert.rejects(server.kit.sessions.get('a/b'), { name: 'KitError', code: 'bad-message', message: /^sessionId / });
  });

  test('lists every session of an exam, whoever supervises it', async (t) => {
    const server = await TestServer.start(t);
    const ada = await server.candidate('ada');
    const bob = await server.candidate('bob');
    const elsewhere = await server.candidate('carol', { examId: OTHER_EXAM });
    const sessions = await server.kit.sessions.list(EXAM);
    assert.deepEqual(
      sessions.map((s) => s.sessionId).sort(),
      [ada.session.sessionId, bob.session.sessionId].sort(),
    );
    assert.deepEqual(await server.kit.sessions.list(OTHER_EXAM), [elsewhere.session]);
    assert.deepEqual(await server.kit.sessions.list('exam-nobody'), []);
  });
});
