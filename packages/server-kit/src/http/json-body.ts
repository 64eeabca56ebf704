import type { Request } from 'express';
import { MAX_JSON_DEPTH, jsonDepth, parseJson } from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';

/**
 * Reads a request's JSON body, bounded before anything walks it: `application/json` only (415),
 * at most `maxBytes` (413, the rest left unread), nesting bounded like control messages (400).
 * A host's own `express.json()` mounted before the kit has read it already: that value is checked the same way.
 */
export async function jsonBody(request: Request, maxBytes: number): Promise<unknown> {
  if (!request.is('application/json')) throw new KitError('unsupported-type', 'Send the body as application/json.');
  if (request.readableEnded) {
    if (jsonDepth(request.body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw new KitError('bad-message', `JSON nests deeper than ${MAX_JSON_DEPTH} levels.`);
    return request.body as unknown;
  }
  const json = parseJson(await readText(request, maxBytes));
  if (!json.ok) throw new KitError('bad-message', json.message);
  return json.value;
}

function readText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.get('content-length') ?? 0);
  if (declared > maxBytes) {
    request.res?.setHeader('Connection', 'close');
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= maxBytes) return void chunks.push(chunk);
      request.off('data', onData).pause();
      // The rest of the body stays unread: this connection cannot serve another request.
      request.res?.setHeader('Connection', 'close');
      reject(tooLarge(maxBytes));
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
}

function tooLarge(maxBytes: number): KitError {
  return new KitError('too-large', `The body may be at most ${maxBytes} bytes.`);
}
