import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { TestServer, assertError, within, type ErrorBody } from '../test-helpers.js';
import { NETWORK_TEST_MAX_BYTES } from './network-test.js';


function post(server: TestServer, body: BodyInit, token?: string): Promise<Response> {
  return within(
    fetch(`${server.origin}/proctor/network/upload`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    }),
    'the upload to be answered',
    10_000,
  );
}

/** A raw HTTP request, for bodies fetch cannot send: a declared length with no body yet, or an endless chunked one. */
function rawUpload(server: TestServer, token: string, write: (request: ReturnType<typeof httpRequest>) => void) {
  return within(
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(`${server.origin}/proctor/network/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      request.on('response', (response: IncomingMessage) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body }));
      });
      // The server may close while the body is still being written: its answer is what counts.
      request.on('error', (error) => (request.writableEnded ? undefined : reject(error)));
      write(request);
    }),
    'the oversized upload to be refused',
    10_000,
  );
}

describe('GET /network/ping', () => {
  test('answers the server time, uncached, to a candidate and to a supervisor', async (t) => {
    const server = await TestServer.start(t);
    for (const token of [await server.candidateToken('ada'), await server.supervisorToken('*')]) {
      const response = await server.get('/network/ping', token);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const { time } = (await response.json()) as { time: number };
      assert.ok(Math.abs(time - Date.now()) < 5000);
    }
  });
});

describe('GET /network/download', () => {
  test('sends exactly the bytes asked for, random and uncached', async (t) => {
    const server = await TestServer.start(t);
    const token = await server.candidateToken('ada');
    for (const size of [1, 12_345, NETWORK_TEST_MAX_BYTES]) {
      const response = await within(server.get(`/network/download?bytes=${size}`, token), `a download of ${size} bytes`, 10_000);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/octet-stream');
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.equal(response.headers.get('content-length'), String(size));
      const body = Buffer.from(await response.arrayBuffer());
      assert.equal(body.length, size);
      if (size > 10_000) assert.ok(gzipSync(body).length >= size, 'the bytes do not compress');
    }
  });

  test('sends 1 MB when no size is given', async (t) => {
    const server = await TestServer.start(t);
    const response = await server.get('/network/download', await server.candidateToken('ada'));
    assert.equal((await response.arrayBuffer()).byteLength, 1_000_000);
  });

  test('answers 400 naming bytes when it is not a whole number from 1 to the maximum', async (t) => {
    const server = await TestServer.start(t);
    const token = await server.candidateToken('ada');
    for (const bytes of ['abc', '0', '-1', '1.5', '1e6', String(NETWORK_TEST_MAX_BYTES + 1), '123456789012']) {
      const { error } = await assertError(await server.get(`/network/download?bytes=${encodeURIComponent(bytes)}`, token), 400, 'bad-message');
      assert.match(error.message, /^bytes /, bytes);
    }
    const { error } = await assertError(await server.get(`/network/download?bytes=${NETWORK_TEST_MAX_BYTES + 1}`, token), 400, 'bad-message');
    assert.equal(error.message, `bytes must be at most ${NETWORK_TEST_MAX_BYTES}.`);
  });
});

describe('POST /network/upload', () => {
  test('answers the bytes received and the time it took on the server', async (t) => {
    const server = await TestServer.start(t);
    const token = await server.candidateToken('ada');
    for (const size of [0, 1_000_000, NETWORK_TEST_MAX_BYTES]) {
      const response = await post(server, new Uint8Array(size), token);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const { bytes, ms } = (await response.json()) as { bytes: number; ms: number };
      assert.equal(bytes, size);
      assert.ok(ms >= 0 && ms < 10_000, `${ms} ms`);
    }
  });

  test('answers 413 with a JSON error to a body declared larger than the maximum, without waiting for it', async (t) => {
    const server = await TestServer.start(t);
    const { status, body } = await rawUpload(server, await server.candidateToken('ada'), (request) => {
      request.setHeader('content-length', String(NETWORK_TEST_MAX_BYTES + 1));
      request.flushHeaders();
    });
    assert.equal(status, 413);
    assert.equal((JSON.parse(body) as ErrorBody).error.code, 'too-large');
  });

  test('answers 413 once a body of unannounced length goes past the maximum', async (t) => {
    const server = await TestServer.start(t);
    const { status, body } = await rawUpload(server, await server.candidateToken('ada'), (request) => {
      // Chunked, and more than the maximum: the server must stop it, not the client.
      const chunk = Buffer.alloc(256 * 1024);
      let written = 0;
      // One chunk per turn of the event loop, so the server's answer is read as soon as it comes
      // (a loop of writes on a busy box could meet the closed socket first: EPIPE, no answer).
      const more = (): void => {
        if (request.destroyed) return;
        if (written > 2 * NETWORK_TEST_MAX_BYTES) return void request.end();
        written += chunk.length;
        if (request.write(chunk)) setImmediate(more);
        else request.once('drain', more);
      };
      more();
    });
    assert.equal(status, 413);
    const { error } = JSON.parse(body) as ErrorBody;
    assert.deepEqual(error, { code: 'too-large', message: `The upload test takes at most ${NETWORK_TEST_MAX_BYTES} bytes.` });
  });
});

describe('the network test routes', () => {
  test('answer 401 without a valid token, before moving any bytes', async (t) => {
    const server = await TestServer.start(t);
    for (const path of ['/network/ping', '/network/download?bytes=5000000']) {
      const response = await server.get(path);
      assert.equal(response.headers.get('www-authenticate'), 'Bearer');
      await assertError(response, 401, 'unauthorized');
      await assertError(await server.get(path, 'not-a-jwt'), 401, 'unauthorized');
    }
    await assertError(await post(server, new Uint8Array(1000)), 401, 'unauthorized');
  });
});

describe('the network test budget', () => {
  test('refuses a person past their bytes in the window with 429 and Retry-After; others go on', async (t) => {
    const server = await TestServer.start(t, { networkTestBudget: { maxBytes: 3_000_000, windowMs: 60_000 } });
    const ada = await server.candidateToken('ada');
    const download = (token: string) =>
      fetch(`${server.origin}/proctor/network/download?bytes=2000000`, { headers: { authorization: `Bearer ${token}` } });

    const first = await download(ada);
    assert.equal(first.status, 200);
    assert.equal((await first.arrayBuffer()).byteLength, 2_000_000);
    const second = await download(ada);
    await assertError(second, 429, 'rate-limited');
    const retryAfter = Number(second.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    await assertError(await post(server, new Uint8Array(1_500_000), ada), 429, 'rate-limited');

    const bob = await download(await server.candidateToken('bob'));
    assert.equal(bob.status, 200);
    await bob.arrayBuffer();
    // A small upload still fits Ada's budget.
    assert.equal((await post(server, new Uint8Array(500_000), ada)).status, 200);
  });

  test("a candidate whose id spells a supervisor's key spends only their own budget", async (t) => {
    const server = await TestServer.start(t, { networkTestBudget: { maxBytes: 3_000_000, windowMs: 60_000 } });
    const download = async (token: string) => {
      const response = await fetch(`${server.origin}/proctor/network/download?bytes=2000000`, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      return response.status;
    };
    assert.equal(await download(await server.candidateToken('supervisor:sup-1')), 200);
    assert.equal(await download(await server.supervisorToken('*', { supervisorId: 'sup-1' })), 200);
  });
});
