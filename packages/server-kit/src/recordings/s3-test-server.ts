/** Test support: a local S3 API (s3rver) for the S3 recording store's tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import type { RequestListener } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from '@20minutes/s3rver';
import type { S3RecordingStoreOptions } from './s3-recording-store.js';

/** A running local S3 server with one empty bucket. */
export interface S3TestServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  bucket: string;
  /** Stops the server and removes its files. */
  close(): Promise<void>;
}

/** The keys s3rver accepts (its built-in account). */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Lets pages upload to and read from the bucket directly, as browser tests will. */
const CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>content-type</AllowedHeader>
    <AllowedHeader>content-md5</AllowedHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

/** Where the front of the server tells the signature check the path the client asked for. */
const PATH_HEADER = 'x-proctorkit-test-path';

/**
 * s3rver signs a bucket's path as `/<bucket>`, while the AWS SDK (since its endpoint rules) asks
 * for, and signs, `/<bucket>/` (ListObjectsV2, DeleteObjects): every such request would fail its
 * signature check. S3 signs the path as sent; so s3rver's check is taught to, which keeps it
 * checking every signature rather than accepting mismatched ones.
 */
function signPathsAsSent(): void {
  const v4 = createRequire(import.meta.url)('@20minutes/s3rver/lib/signature/v4.js') as {
    getStringToSign: ((canonical: { uri: string; headers: Record<string, string | undefined> }, request: unknown) => string) & { pathsAsSent?: true };
  };
  const original = v4.getStringToSign;
  if (original.pathsAsSent) return;
  v4.getStringToSign = Object.assign((canonical: { uri: string; headers: Record<string, string | undefined> }, request: unknown) => {
    const sent = canonical.headers[PATH_HEADER];
    return original(sent === `${canonical.uri}/` ? { ...canonical, uri: sent } : canonical, request);
  }, { pathsAsSent: true as const });
}

/** Starts s3rver on a free port of 127.0.0.1, silent, in a new temporary directory. */
export async function startS3Server(): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'proctorkit-s3rver-'));
  const bucket = 'proctorkit-test';
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [CORS] }] });
  signPathsAsSent();
  try {
    const { port } = await server.run();
    const httpServer = server.httpServer!;
    const [handle] = httpServer.listeners('request') as RequestListener[];
    httpServer.removeAllListeners('request').on('request', ((request, response) => {
      request.headers[PATH_HEADER] = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      handle!(request, response);
    }) satisfies RequestListener);
    return {
      endpoint: `http://127.0.0.1:${port}`,
      bucket,
      async close() {
        // SDK clients keep connections alive; a close would otherwise wait for them.
        server.httpServer?.closeAllConnections();
        await server.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/** Options for {@link s3RecordingStore} that reach `server`'s bucket. */
export function s3TestStoreOptions(server: S3TestServer): S3RecordingStoreOptions & Required<Pick<S3RecordingStoreOptions, 'endpoint' | 'region' | 'credentials'>> {
  return { endpoint: server.endpoint, bucket: server.bucket, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true };
}
