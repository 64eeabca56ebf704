// For browser tests of direct uploads: a real kit whose recordings go to an S3 bucket (s3rver on
// 127.0.0.1), at `base` (tokens from `<base>/test-token`, same query as `/test-token`), so pages
// upload chunks straight to the bucket. What the kit and the bucket were asked is readable at
// `<base>-observed/kit-requests` and `<base>-observed/bucket-requests` (both `?session=<id>`), and
// `POST <base>-observed/delay-next-bucket-put?ms=` holds the page's next PUT to the bucket.
import type { Server } from 'node:http';
import { s3RecordingStore, type RecordingStore } from '../../packages/server-kit/src/index.js';
import { s3TestStoreOptions, startS3Server } from '../../packages/server-kit/src/recordings/s3-test-server.js';
import { wtrKit } from './wtr-kit.js';

/** How long the kit's upload URLs stay valid: short enough that a test can outwait one. */
export const S3_KIT_URL_SECONDS = 3;

/** What the kit was asked, and how it answered. */
interface KitRequest {
  method: string;
  path: string;
  status: number;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export async function s3TestKit({ base, examId }: { base: string; examId: string }) {
  const s3 = await startS3Server();
  const store = s3RecordingStore(s3TestStoreOptions(s3));
  const recordingStore: RecordingStore = { ...store, presignPut: (key, options) => store.presignPut!(key, { ...options, expiresInSeconds: S3_KIT_URL_SECONDS }) };
  const { plugin, middleware: kitMiddleware } = await wtrKit({ base, examId, kit: { recordingStore } });
  const kitRequests: KitRequest[] = [];
  const observed = `${base}-observed`;

  const middleware: typeof kitMiddleware = async (ctx, next) => {
    const session = typeof ctx.query.session === 'string' ? `/sessions/${ctx.query.session}/` : '/';
    if (ctx.path === `${observed}/kit-requests`) {
      ctx.body = kitRequests.filter((r) => r.path.includes(session));
    } else if (ctx.path === `${observed}/bucket-requests`) {
      ctx.body = s3.requests.filter((r) => r.path.includes(session.replace('/sessions/', '/recordings/')));
    } else if (ctx.path === `${observed}/delay-next-bucket-put` && ctx.method === 'POST') {
      s3.delayNextBrowserPut(Number(ctx.query.ms));
      ctx.body = { delayed: true };
    } else if (ctx.path.startsWith(`${base}/`)) {
      await kitMiddleware(ctx, next);
      kitRequests.push({ method: ctx.method, path: ctx.path, status: ctx.res.statusCode });
    } else {
      await kitMiddleware(ctx, next);
    }
  };

  return {
    middleware,
    plugin: {
      ...plugin,
      name: `proctorkit-s3${base}`,
      async serverStart({ server, config }: { server: Server; config: { hostname: string; port: number } }) {
        plugin.serverStart({ server });
        // Only the test pages' origin may upload, as a host's bucket allows only its exam site.
        await s3.allowOrigins([`http://${config.hostname}:${config.port}`]);
      },
      async serverStop() {
        await plugin.serverStop();
        await s3.close();
      },
    },
  };
}
