/** Test support: a local S3 API (s3rver) for the S3 recording store's tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, RequestListener } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from '@20minutes/s3rver';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3RecordingStoreOptions } from './s3-recording-store.js';

/** One request the server answered. */
export interface S3TestRequest {
  method: string;
  /** The path asked for, e.g. `/proctorkit-test/recordings/…/000003`. */
  path: string;
  /** The page's origin for a browser's request; absent for a server's (the kit's SDK). */
  origin?: string;
  status: number;
  /** A PUT's `Content-MD5` (base64) and the MD5 of the bytes the server stored (its ETag, hex). */
  contentMd5?: string;
  storedMd5?: string;
}

/** A running local S3 server with one empty bucket. */
export interface S3TestServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  bucket: string;
  /** Stops the server and removes its files. */
  close(): Promise<void>;
}

/** {@link startS3Server}'s server: what it was asked, its CORS rule, and a delay to make a URL expire. */
export interface ControlledS3TestServer extends S3TestServer {
  /** Every request answered so far, oldest first. */
  readonly requests: readonly S3TestRequest[];
  /**
   * Replaces the bucket's CORS rule (through the S3 API, as a host would) with one letting pages
   * of `origins` PUT with `Content-Type` and `Content-MD5` and GET. Until then any origin may.
   */
  allowOrigins(origins: string[]): Promise<void>;
  /** Holds the next PUT from a browser for `ms` before the server sees it: long enough, its URL has expired. */
  delayNextBrowserPut(ms: number): void;
}

/** The keys s3rver accepts (its built-in account). */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** The CORS rule a bucket needs for pages to upload chunks to it directly (and to read them back). */
function corsRule(origins: string[]) {
  return { AllowedOrigins: origins, AllowedMethods: ['PUT', 'GET', 'HEAD'], AllowedHeaders: ['content-type', 'content-md5'], MaxAgeSeconds: 3000 };
}

/** {@link corsRule} as s3rver takes it at start. */
function corsXml(origins: string[]): string {
  const rule = corsRule(origins);
  const tags = (tag: string, values: string[]) => values.map((value) => `<${tag}>${value}</${tag}>`).join('');
  return `<CORSConfiguration><CORSRule>${tags('AllowedOrigin', rule.AllowedOrigins)}${tags('AllowedMethod', rule.AllowedMethods)}${tags('AllowedHeader', rule.AllowedHeaders)}<MaxAgeSeconds>${rule.MaxAgeSeconds}</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
}

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
export async function startS3Server(): Promise<ControlledS3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'proctorkit-s3rver-'));
  const bucket = 'proctorkit-test';
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [corsXml(['*'])] }] });
  signPathsAsSent();
  const requests: S3TestRequest[] = [];
  let delayNextBrowserPut: number | undefined;
  let client: S3Client | undefined;
  try {
    const { port } = await server.run();
    const endpoint = `http://127.0.0.1:${port}`;
    const httpServer = server.httpServer!;
    const [handle] = httpServer.listeners('request') as RequestListener[];
    httpServer.removeAllListeners('request').on('request', ((request, response) => {
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      request.headers[PATH_HEADER] = path;
      response.once('finish', () => requests.push(answered(request, path, response.statusCode, response.getHeader('etag'))));
      const delay = request.method === 'PUT' && request.headers.origin !== undefined ? delayNextBrowserPut : undefined;
      if (delay === undefined) return handle!(request, response);
      delayNextBrowserPut = undefined;
      setTimeout(() => handle!(request, response), delay);
    }) satisfies RequestListener);
    const controlled: ControlledS3TestServer = {
      endpoint,
      bucket,
      requests,
      async allowOrigins(origins) {
        const { PutBucketCorsCommand, S3Client } = await import('@aws-sdk/client-s3');
        client ??= new S3Client({ ...s3TestStoreOptions(controlled), requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
        await client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [corsRule(origins)] } }));
      },
      delayNextBrowserPut(ms) {
        delayNextBrowserPut = ms;
      },
      async close() {
        client?.destroy();
        // SDK clients keep connections alive; a close would otherwise wait for them.
        server.httpServer?.closeAllConnections();
        await server.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
    return controlled;
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

function answered(request: IncomingMessage, path: string, status: number, etag: unknown): S3TestRequest {
  const { origin } = request.headers;
  const contentMd5 = request.headers['content-md5'];
  return {
    method: request.method ?? 'GET',
    path,
    ...(typeof origin === 'string' && { origin }),
    status,
    ...(typeof contentMd5 === 'string' && { contentMd5 }),
    ...(typeof etag === 'string' && { storedMd5: etag.replaceAll('"', '') }),
  };
}

/** Options for {@link s3RecordingStore} that reach `server`'s bucket. */
export function s3TestStoreOptions(server: S3TestServer): S3RecordingStoreOptions & Required<Pick<S3RecordingStoreOptions, 'endpoint' | 'region' | 'credentials'>> {
  return { endpoint: server.endpoint, bucket: server.bucket, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true };
}
