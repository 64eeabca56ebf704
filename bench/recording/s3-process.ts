// The local S3 API (s3rver, on 127.0.0.1) of `npm run bench:recording`, in a child process of its
// own so that its CPU is not counted as the kit's: a real bucket is another machine's work.
import type { S3RecordingStoreOptions } from '@proctorkit/server-kit';
import { s3TestStoreOptions, startS3Server } from '../../packages/server-kit/src/recordings/s3-test-server.js';
import { serveParent } from './child-process.js';

/** What the S3 process tells the parent: the options of an {@link S3RecordingStoreOptions} store that reaches its bucket. */
export interface S3ProcessInfo {
  storeOptions: S3RecordingStoreOptions;
}

const s3 = await startS3Server();
serveParent<S3ProcessInfo>({ storeOptions: s3TestStoreOptions(s3) }, () => s3.close());
