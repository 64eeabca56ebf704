// For browser tests of the Chime provider: a real kit on the Chime provider against the fake Chime
// control plane, at `base` (tokens from `<base>/test-token`, same query as `/test-token`), and the
// page's Chime SDK module served pre-bundled as ESM.
import type { Server } from 'node:http';
import { chimeProvider } from '../../packages/server-kit/src/index.js';
import { FakeChime } from '../../packages/server-kit/test-fixtures/fake-chime/fake-chime.js';
import { bundleChimeSdkModule } from '../../scripts/chime-sdk-bundle.mjs';
import { wtrKit } from './wtr-kit.js';

const CHIME_MODULE = '/packages/core/src/media/chime/chime-sdk-module.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** The real Chime SDK is CommonJS: the browser gets core's module that imports it bundled as ESM, once. */
let chimeModule: Promise<string> | undefined;

export async function chimeTestKit({ base, examId, maxRequestsPerSecond }: { base: string; examId: string; maxRequestsPerSecond: number }) {
  const fake = await FakeChime.start({ tps: 100 });
  const { plugin, middleware: kitMiddleware } = await wtrKit({
    base,
    examId,
    kit: {
      provider: chimeProvider({
        region: 'us-east-1',
        endpoint: fake.endpoint,
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'not-a-secret' },
        maxRequestsPerSecond,
        progressIntervalMs: 50,
      }),
    },
  });

  const middleware: typeof kitMiddleware = async (ctx, next) => {
    if (ctx.path !== CHIME_MODULE) return kitMiddleware(ctx, next);
    ctx.type = 'application/javascript';
    ctx.body = await (chimeModule ??= bundleChimeSdkModule());
  };

  return {
    middleware,
    plugin: {
      ...plugin,
      serverStart: ({ server }: { server: Server }) => plugin.serverStart({ server }),
      async serverStop() {
        await plugin.serverStop();
        await fake.close();
      },
    },
  };
}
