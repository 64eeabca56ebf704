import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import { CloseCode } from '@proctorkit/core/protocol';
import { consoleLogger } from '../../logger.js';
import { TestServer, candidateEvents, delay, logAppend, type TestClient } from '../../test-helpers.js';
import { postgresStore } from './postgres-store.js';
import { TEST_DATABASE_URL, testSchema } from './postgres-test-support.js';


/** A TCP proxy in front of PostgreSQL whose line the test can cut (every connection dropped, new ones refused) and restore. */
class Line {
  private readonly sockets = new Set<Socket>();
  private up = true;
  private readonly server: Server = createServer((client) => this.accept(client));

  private constructor() {}

  static async open(t: TestContext): Promise<Line> {
    const line = new Line();
    line.server.listen(0, '127.0.0.1');
    await once(line.server, 'listening');
    t.after(() => line.close());
    return line;
  }

  /** The database URL through the proxy. */
  get url(): string {
    const proxied = new URL(TEST_DATABASE_URL);
    proxied.host = `127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return proxied.href;
  }

  cut(): void {
    this.up = false;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.up = true;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (!this.up) return void client.destroy();
    const target = new URL(TEST_DATABASE_URL);
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => this.sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  }
}

describe('PostgreSQL unreachable mid-exam', () => {
  test('pages are closed with 1011 (retryable), nothing is half-written, and all resumes once it is back', async (t) => {
    const schema = await testSchema(t);
    const line = await Line.open(t);
    const server = await TestServer.start(t, { store: postgresStore({ connectionString: line.url, schema, logger: consoleLogger('silent') }) });
    const token = await server.candidateToken('ada');

    const ada = await server.hello(token);
    const { session } = await ada.next('session.welcome');
    const before = Array.from({ length: 5 }, (_, i) => candidateEvents.log('answer.saved', { question: i }));
    ada.send(logAppend(...before));
    await ada.next('log.ack');

    line.cut();
    const during = Array.from({ length: 5 }, (_, i) => candidateEvents.log('answer.saved', { question: 5 + i }));
    ada.send(logAppend(...during));
    assert.equal((await ada.closeEvent()).code, CloseCode.internalError, 'a retryable close, not a refusal');
    assert.deepEqual(ada.all('log.ack').flatMap((m) => m.ids), before.map((e) => e.id), 'nothing acknowledged that was not written');

    // While the database is away, a reconnect is closed the same way.
    const early = await server.hello(token);
    assert.equal((await early.closeEvent()).code, CloseCode.internalError);
    await delay(10_000 - 1_000);
    line.restore();

    // The page comes back and sends again what was never acknowledged (and, harmlessly, one that was).
    let back: TestClient | undefined;
    for (let attempt = 0; attempt < 40 && !back; attempt++) {
      const client = await server.hello(token);
      const first = await Promise.race([client.next('session.welcome').then(() => 'welcome'), client.closed.then(() => 'closed')]);
      if (first === 'welcome') back = client;
      else await delay(250);
    }
    assert.ok(back, 'the page got back in once PostgreSQL answered again');
    back.send(logAppend(before[0]!, ...during));
    assert.equal((await back.next('log.ack')).ids.length, 6);

    const log = await server.kit.sessions.events(session!.sessionId);
    assert.deepEqual(log.map((e) => e.seq), log.map((_, i) => i + 1), 'no gap, no number twice');
    const answers = log.filter((e) => e.type === 'log.answer.saved').map((e) => e.data.question);
    assert.deepEqual(answers, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'every answer once, in order');
  });
});
