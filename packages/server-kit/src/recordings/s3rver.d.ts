/** The part of `@20minutes/s3rver` (which ships no types) that the tests use. */
declare module '@20minutes/s3rver' {
  import type { AddressInfo } from 'node:net';
  import type { Server } from 'node:http';

  namespace S3rver {
    interface Options {
      address?: string;
      port?: number;
      silent?: boolean;
      /** Where the buckets are kept. */
      directory?: string;
      resetOnClose?: boolean;
      allowMismatchedSignatures?: boolean;
      vhostBuckets?: boolean;
      /** Buckets to create on {@link S3rver.run}, each with CORS or website configuration XML. */
      configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
    }
  }

  class S3rver {
    constructor(options?: S3rver.Options);
    /** Starts listening; resolves with the bound address. */
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    httpServer?: Server;
  }

  export = S3rver;
}
