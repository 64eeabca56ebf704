import { md5 } from '@noble/hashes/legacy.js';

/**
 * A chunk's MD5 in base64, as HTTP's `Content-MD5` carries it: the object store checks the bytes it
 * receives against it, and a presigned URL is bound to it. WebCrypto has no MD5.
 */
export async function chunkMd5(blob: Blob): Promise<string> {
  const digest = md5(new Uint8Array(await blob.arrayBuffer()));
  return btoa(String.fromCharCode(...digest));
}
