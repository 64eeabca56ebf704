// For browser tests of the Chime provider: a second real kit, on the Chime provider against the
// fake Chime control plane, at `/proctor-chime` (tokens from `/proctor-chime/test-token`, same query
// as `/test-token`), and the page's Chime SDK module served pre-bundled as ESM.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import express from 'express';
import { chimeProvider, createProctorKit } from '../../packages/server-kit/src/index.js';
import { FakeChime } from '../../packages/server-kit/test-fixtures/fake-chime/fake-chime.js';
import { bundleChimeSdkModule } from '../../scripts/chime-sdk-bundle.mjs';

export const CHIME_KIT_BASE = '/proctor-chime';
const EXAM_ID = 'wtr-chime-exam';
const CHIME_MODULE = '/packages/core/src/media/chime/chime-sdk-module.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

type Middleware = (ctx: any, next: () => Promise<void>) => Promise<void>;

export async function chimeTestKit() {
  const fake = await FakeChime.start({ tps: 100 });
  const kit = createProctorKit({
    secret: randomBytes(32).toString('hex'),
    logger: 'silent',
    provider: chimeProvider({
      region: 'us-east-1',
      endpoint: fake.endpoint,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'not-a-secret' },
      maxRequestsPerSecond: 50,
      progressIntervalMs: 50,
    }),
  });
  const app = express();
  app.disable('x-powered-by');
  app.get(`${CHIME_KIT_BASE}/test-token`, async (request, response) => {
    const { role, name, candidateId, candidates } = request.query;
    const token =
      role === 'supervisor'
        ? await kit.issueToken({
            role: 'supervisor',
            examId: EXAM_ID,
            supervisorId: 'wtr-chime-supervisor',
            name: String(name ?? 'Test supervisor'),
            candidates: candidates ? String(candidates).split(',') : '*',
          })
        : await kit.issueToken({ role: 'candidate', examId: EXAM_ID, candidateId: String(candidateId), name: String(name ?? candidateId) });
    response.json({ token });
  });
  app.use(CHIME_KIT_BASE, kit.router);

  /** The real Chime SDK is CommonJS: the browser gets core's module that imports it bundled as ESM, once. */
  let chimeModule: Promise<string> | undefined;

  const middleware: Middleware = async (ctx, next) => {
    if (ctx.path === CHIME_MODULE) {
      ctx.type = 'application/javascript';
      ctx.body = await (chimeModule ??= bundleChimeSdkModule());
      return;
    }
    if (!ctx.path.startsWith(`${CHIME_KIT_BASE}/`)) return next();
    ctx.respond = false;
    ctx.res.statusCode = 200;
    await new Promise((resolve) => {
      ctx.res.once('close', resolve);
      app(ctx.req, ctx.res);
    });
  };

  const plugin = {
    name: 'proctorkit-chime-kit',
    serverStart({ server }: { server: Server }) {
      kit.attach(server, { path: `${CHIME_KIT_BASE}/ws` });
    },
    async serverStop() {
      await kit.close();
      await fake.close();
    },
  };
  return { plugin, middleware, fake };
}
