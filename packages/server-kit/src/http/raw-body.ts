import type { Request } from 'express';
import { KitError } from '../errors.js';

/**
 * Reads a request's raw body, refused with `tooLarge()` (413) as soon as it passes `maxBytes`, even
 * when the declared length lied; what is left of a refused body is read and dropped, so the
 * connection can serve the next request.
 */
export function rawBody(request: Request, maxBytes: number, tooLarge: () => KitError): Promise<Buffer> {
  if (Number(request.get('content-length') ?? 0) > maxBytes) {
    request.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      request.off('data', onData).off('end', onEnd).off('error', onError);
      request.resume();
      reject(tooLarge());
    };
    const onEnd = () => resolve(Buffer.concat(chunks, size));
    const onError = (error: Error) => reject(new KitError('bad-message', `The upload failed: ${error.message}`));
    request.on('data', onData).once('end', onEnd).once('error', onError);
  });
}
