import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type HeadObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { checkKey, checkPrefix, type ObjectRead, type RecordingStore } from './recording-store.js';
import type { S3RecordingStoreOptions } from './s3-recording-store.js';

/** How many keys one DeleteObjects request may name. */
const DELETE_BATCH = 1000;

/** The S3 store itself, on the AWS SDK; {@link s3RecordingStore} loads it when first used. */
export function sdkS3Store(options: S3RecordingStoreOptions): RecordingStore {
  const { bucket, prefix: root = '' } = options;
  const client =
    options.client ??
    new S3Client({
      region: options.region ?? 'us-east-1',
      ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
      forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
      ...(options.credentials && { credentials: options.credentials }),
      // Since 3.729 the SDK adds CRC checksums to every upload it can (streamed bodies become
      // aws-chunked with a checksum trailer, which s3rver and many other S3 APIs reject) and signs
      // a checksum of the empty body into presigned PUT URLs (so S3 refuses the real chunk). Only
      // where S3 requires one (DeleteObjects) is a checksum sent; Content-MD5 guards presigned uploads.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  const objectKey = (key: string) => root + checkKey(key);

  async function head(Key: string): Promise<HeadObjectCommandOutput | undefined> {
    return client.send(new HeadObjectCommand({ Bucket: bucket, Key })).catch(missing);
  }

  async function list(prefix: string): Promise<{ key: string; bytes: number }[]> {
    const Prefix = root + checkPrefix(prefix);
    const found: { key: string; bytes: number }[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix, ContinuationToken }));
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) found.push({ key: object.Key.slice(root.length), bytes: object.Size ?? 0 });
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  return {
    async putNew(key, bytes, contentType) {
      const Key = objectKey(key);
      for (let attempt = 1; ; attempt++) {
        // The HEAD spares uploading bytes that would be refused. The write itself is conditional:
        // S3 refuses it with 412 if an object appeared meanwhile. S3 APIs that ignore If-None-Match
        // on PUT (s3rver, older MinIO) leave a race between the HEAD and the PUT, the last writer winning.
        if (await head(Key)) return 'exists';
        try {
          await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: bytes, ContentType: contentType, IfNoneMatch: '*' }));
          return 'stored';
        } catch (error) {
          if (status(error) === 412) return 'exists';
          // 409 ConditionalRequestConflict: another conditional write to the key was under way; S3 says to retry.
          if (status(error) === 409 && attempt < 3) continue;
          throw error;
        }
      }
    },

    /** Uploads in one PUT, so up to 5 GB (S3's limit for a single PUT). */
    async putFile(key, path, contentType) {
      const Key = objectKey(key);
      const { size } = await stat(path);
      await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: createReadStream(path), ContentLength: size, ContentType: contentType }));
    },

    async head(key) {
      const found = await head(objectKey(key));
      return found && { bytes: found.ContentLength ?? 0, contentType: found.ContentType ?? 'application/octet-stream' };
    },

    async read(key, range): Promise<ObjectRead | undefined> {
      const Key = objectKey(key);
      const asked = range && `bytes ${range.start}-${range.end}`;
      if (range && !(Number.isInteger(range.start) && Number.isInteger(range.end) && range.start >= 0 && range.end >= range.start)) {
        throw new RangeError(`RecordingStore: ${asked} is not a byte range.`);
      }
      let got;
      try {
        got = await client.send(new GetObjectCommand({ Bucket: bucket, Key, ...(range && { Range: `bytes=${range.start}-${range.end}` }) }));
      } catch (error) {
        if (range && status(error) === 416) throw new RangeError(`RecordingStore: ${asked} are not within ${key}.`);
        return missing(error);
      }
      const body = got.Body;
      if (!(body instanceof Readable)) throw new Error('s3RecordingStore: the S3 client did not answer with a Node stream.');
      const bytes = got.ContentLength ?? 0;
      if (!range) return { body, bytes, totalBytes: bytes, contentType: got.ContentType ?? 'application/octet-stream' };
      const [, start, end, total] = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(got.ContentRange ?? '') ?? [];
      const totalBytes = Number(total);
      if (Number(start) !== range.start || Number(end) !== range.end || bytes !== range.end - range.start + 1) {
        body.destroy();
        // S3 answers what there is of a range that runs past the end.
        if (totalBytes <= range.end) throw new RangeError(`RecordingStore: ${asked} are not within ${key} (${totalBytes} bytes).`);
        throw new Error(`s3RecordingStore: asked ${key} for ${asked}, the server answered ${got.ContentRange ?? 'no Content-Range'}.`);
      }
      return { body, bytes, totalBytes, contentType: got.ContentType ?? 'application/octet-stream' };
    },

    list,

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    },

    async deletePrefix(prefix) {
      const keys = (await list(prefix)).map(({ key }) => root + key);
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const batch = keys.slice(i, i + DELETE_BATCH);
        const { Errors = [] } = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
        if (Errors.length > 0) {
          const [first] = Errors;
          throw new Error(`s3RecordingStore: ${Errors.length} objects under ${prefix} were not deleted (${first?.Key}: ${first?.Code} ${first?.Message}).`);
        }
      }
      return keys.length;
    },

    async presignPut(key, { bytes, md5, contentType, expiresInSeconds }) {
      const Key = objectKey(key);
      // The URL expires counting from its X-Amz-Date, which has whole seconds.
      const signingDate = new Date(Math.floor(Date.now() / 1000) * 1000);
      const command = new PutObjectCommand({ Bucket: bucket, Key, ContentLength: bytes, ContentMD5: md5, ContentType: contentType });
      const url = await getSignedUrl(client, command, {
        expiresIn: expiresInSeconds,
        signingDate,
        // The presigner leaves content-type unsigned by default; signed, the three headers (which
        // are not x-amz-* and so stay headers rather than query parameters) bind the URL to the chunk.
        signableHeaders: new Set(['content-length', 'content-md5', 'content-type']),
      });
      const query = [...new URL(url).searchParams.keys()].map((name) => name.toLowerCase());
      if (query.some((name) => name.startsWith('x-amz-checksum-') || name === 'x-amz-sdk-checksum-algorithm')) {
        throw new Error("s3RecordingStore: the S3 client signs a checksum of an empty body into presigned URLs, so S3 would refuse every upload; create it with requestChecksumCalculation: 'WHEN_REQUIRED'.");
      }
      return { url, method: 'PUT', headers: { 'content-type': contentType, 'content-md5': md5 }, expiresAt: signingDate.getTime() + expiresInSeconds * 1000 };
    },

    async close() {
      if (!options.client) client.destroy();
    },
  };
}

function status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/** HEAD answers a missing object with a bare 404 (`NotFound`), GET with `NoSuchKey`. */
function missing(error: unknown): undefined {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'NotFound' || name === 'NoSuchKey') return undefined;
  throw error;
}
