import type { S3Client } from '@aws-sdk/client-s3';
import { checkPrefix, type RecordingStore } from './recording-store.js';

/** Options of {@link s3RecordingStore}. */
export interface S3RecordingStoreOptions {
  /** The bucket that holds the objects. It must exist. */
  bucket: string;
  /** The bucket's region. Default: `'us-east-1'`. */
  region?: string;
  /** The S3 API to talk to instead of AWS's, e.g. `http://127.0.0.1:9000`. */
  endpoint?: string;
  /** Addresses the bucket in the path (`<endpoint>/<bucket>/<key>`), as most other S3 APIs need. Default: `true` when `endpoint` is set, else `false`. */
  forcePathStyle?: boolean;
  /** Put before every key, e.g. `'proctorkit/'`, to share a bucket: `''`, or segments of letters, digits, `_`, `-` and `.` each ending with `/`. Default: `''`. */
  prefix?: string;
  /** The keys to sign requests with. Default: the AWS SDK's default chain (environment, profile, instance role, ...). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * A client to use instead of one made from `region`, `endpoint`, `forcePathStyle` and
   * `credentials` (which are then ignored), for hosts that configure their own (timeouts, say:
   * the SDK sets none); the store leaves it open on {@link RecordingStore.close}. Create it with
   * `requestChecksumCalculation: 'WHEN_REQUIRED'`, or presigned URLs carry the checksum of an empty
   * body and {@link RecordingStore.presignPut} throws.
   */
  client?: S3Client;
}

/**
 * Keeps recordings in an S3 bucket, AWS's or any S3 API's: the key
 * `recordings/<sessionId>/webcam/<runId>/000003` is the object `<prefix>recordings/...`. S3 writes
 * an object whole or not at all, and pages upload chunks straight to the bucket through
 * {@link RecordingStore.presignPut} (give the bucket a CORS rule allowing `PUT` with the headers
 * `content-type` and `content-md5` from the exam site's origin: see docs/guide/recording.md).
 * The AWS SDK is loaded on the store's first use, so a kit that keeps recordings on disk never loads it.
 *
 * @example
 * ```ts
 * const kit = createProctorKit({ secret, recordingStore: s3RecordingStore({ bucket: 'exam-recordings', region: 'eu-west-1' }) });
 * ```
 */
export function s3RecordingStore(options: S3RecordingStoreOptions): RecordingStore {
  const { bucket, prefix = '' } = options;
  if (typeof bucket !== 'string' || bucket === '') throw new Error('s3RecordingStore: the bucket option is required.');
  if (typeof prefix !== 'string' || (prefix !== '' && !validPrefix(prefix))) {
    throw new Error(`s3RecordingStore: the prefix option must be '' or segments of letters, digits, _, - and . each ending with '/', like 'proctorkit/' (got ${JSON.stringify(prefix)}).`);
  }
  let loaded: Promise<RecordingStore> | undefined;
  const store = () => (loaded ??= import('./s3-sdk-store.js').then(({ sdkS3Store }) => sdkS3Store(options)));
  return {
    putNew: async (key, bytes, contentType) => (await store()).putNew(key, bytes, contentType),
    putFile: async (key, path, contentType) => (await store()).putFile(key, path, contentType),
    head: async (key) => (await store()).head(key),
    read: async (key, range) => (await store()).read(key, range),
    list: async (prefix) => (await store()).list(prefix),
    delete: async (key) => (await store()).delete(key),
    deletePrefix: async (prefix) => (await store()).deletePrefix(prefix),
    presignPut: async (key, presign) => (await store()).presignPut!(key, presign),
    async close() {
      if (loaded) await (await loaded).close?.();
    },
  };
}

function validPrefix(prefix: string): boolean {
  try {
    checkPrefix(prefix);
    return true;
  } catch {
    return false;
  }
}
