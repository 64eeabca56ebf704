import { randomFillSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import * as v from 'valibot';
import { parse, type Claims } from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import { personKey, personOf } from '../limits/person.js';
import type { SharedRateLimit } from '../limits/shared-rate-limit.js';

/** The most one download or upload test moves: enough to measure, too little to make the kit a bandwidth reflector. */
export const NETWORK_TEST_MAX_BYTES = 5_000_000;
const DEFAULT_BYTES = 1_000_000;
/** What one person may move through the test, both ways together: a few dozen full checks. */
export const NETWORK_TEST_BUDGET = { maxBytes: 100_000_000, windowMs: 10 * 60_000 };
const CHUNK_BYTES = 64 * 1024;

const BytesSchema = v.pipe(
  v.string('must be a number'),
  v.regex(/^\d{1,8}$/, 'must be a whole number'),
  v.transform(Number),
  v.minValue(1, 'must be at least 1'),
  v.maxValue(NETWORK_TEST_MAX_BYTES, `must be at most ${NETWORK_TEST_MAX_BYTES}`),
);

/** The router's token check: runs `handler` with the verified claims, or answers 401. */
type Authorized = (handler: (request: Request, response: Response, claims: Claims) => Promise<void>) => RequestHandler;

/**
 * The device check's network test, with real transfers so the figures are what the line does:
 * `GET /ping` (round trip), `GET /download?bytes=N` (N random bytes) and `POST /upload` (a raw body,
 * answered with the bytes received and the time it took here). Only for a valid candidate or
 * supervisor token, and bounded to {@link NETWORK_TEST_MAX_BYTES} each way. Nothing is cached or kept.
 *
 * A host that mounts a body parser reading `application/octet-stream` before the kit must leave
 * `/network/upload` to the kit: the upload is measured as it arrives.
 */
/** `budget`: each person's bytes, both ways together, refilling over its window (default {@link NETWORK_TEST_BUDGET}). */
export function networkTestRouter(authorized: Authorized, budget: SharedRateLimit): Router {
  const router = express.Router();

  /** Takes a transfer from the person's budget, or refuses it with 429 and when to retry. */
  const spend = async (claims: Claims, bytes: number, response: Response) => {
    const retryAfterMs = await budget.take(personKey(personOf(claims)), bytes);
    if (retryAfterMs === 0) return;
    // An upload's body stays unread: the connection cannot serve another request after it.
    response.set('Connection', 'close');
    throw new KitError('rate-limited', 'Too many network tests in a short time. Try again in a few minutes.', { retryAfterMs });
  };

  router.use((_request: Request, response: Response, next: NextFunction) => {
    // Before the token check, so an upload's time starts when its request arrives.
    response.locals.arrivedAt = performance.now();
    response.set('Cache-Control', 'no-store');
    next();
  });

  router.get(
    '/ping',
    authorized(async (_request, response) => {
      response.json({ time: Date.now() });
    }),
  );

  router.get(
    '/download',
    authorized(async (request, response, claims) => {
      const bytes = parse(BytesSchema, request.query.bytes ?? String(DEFAULT_BYTES));
      if (!bytes.ok) throw new KitError('bad-message', `bytes ${bytes.message}.`);
      await spend(claims, bytes.value, response);
      response.set({ 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.value) });
      await pipeline(Readable.from(randomChunks(bytes.value)), response).catch((error: NodeJS.ErrnoException) => {
        // The page went away mid-transfer (closed, aborted, timed out): nobody is left to answer.
        if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
      });
    }),
  );

  router.post(
    '/upload',
    authorized(async (request, response, claims) => {
      const declared = Number(request.get('content-length') ?? 0);
      if (declared > NETWORK_TEST_MAX_BYTES) return tooLarge(response);
      await spend(claims, declared || NETWORK_TEST_MAX_BYTES, response);
      const received = await drain(request, NETWORK_TEST_MAX_BYTES);
      if (received === 'closed') return;
      if (received === 'too-large') return tooLarge(response);
      const ms = Math.round((performance.now() - (response.locals.arrivedAt as number)) * 10) / 10;
      response.json({ bytes: received, ms });
    }),
  );

  return router;
}

/** Random bytes, a chunk at a time: incompressible, so no proxy can shrink the transfer. */
function* randomChunks(total: number): Generator<Buffer> {
  for (let sent = 0; sent < total; sent += CHUNK_BYTES) yield randomFillSync(Buffer.allocUnsafe(Math.min(CHUNK_BYTES, total - sent)));
}

/**
 * Reads and discards a request's body, counting it. Stops reading (without destroying the socket,
 * so a 413 still reaches the page) once more than `max` bytes came.
 */
function drain(request: Request, max: number): Promise<number | 'too-large' | 'closed'> {
  return new Promise((resolve) => {
    let bytes = 0;
    const settle = (outcome: number | 'too-large' | 'closed') => {
      request.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onClose);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= max) return;
      request.pause();
      settle('too-large');
    };
    const onEnd = () => settle(bytes);
    const onClose = () => settle('closed');
    request.on('data', onData).once('end', onEnd).once('close', onClose).once('error', onClose);
  });
}

function tooLarge(response: Response): void {
  // The rest of the body is not read: the connection cannot serve another request after it.
  response.set('Connection', 'close');
  response.status(413).json({
    error: { code: 'too-large', message: `The upload test takes at most ${NETWORK_TEST_MAX_BYTES} bytes.` },
  });
}
