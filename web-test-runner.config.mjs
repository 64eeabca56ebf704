// Browser tests of the elements: headless Debian Chromium with fake camera and screen, and a real
// server kit mounted in the test server so the elements talk to the same endpoint a host mounts.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import express from 'express';
import { chromiumArgs, chromiumPath } from './test/support/chromium.ts';
import { chimeTestKit } from './test/support/wtr-chime.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));

/** Where the kit's router is mounted; the tests set `server="/proctor"`. */
const KIT_BASE = '/proctor';
/** The exam every test candidate and supervisor token is for. */
const TEST_EXAM_ID = 'wtr-exam';

/**
 * A real kit in the test server: its router at `/proctor`, its control channel at `/proctor/ws`,
 * and `GET /test-token` handing out tokens as a host's backend would after its own login:
 * `?role=candidate&candidateId=…&name=…` or `?role=supervisor&candidates=a,b` (all when omitted).
 */
async function proctorKitServer() {
  // `npm run test:browser` runs under tsx with the `proctorkit-source` condition, so the kit loads from source.
  const { createProctorKit, FilePhotoStore } = await import('./packages/server-kit/src/index.ts');
  // Identity photos of the test candidates go to a fresh temporary directory, removed at the end.
  const photoDirectory = await mkdtemp(join(tmpdir(), 'proctorkit-wtr-photos-'));
  const kit = createProctorKit({ secret: randomBytes(32).toString('hex'), logger: 'silent', photoStore: new FilePhotoStore(photoDirectory) });
  const app = express();
  app.disable('x-powered-by');
  app.use(KIT_BASE, kit.router);
  app.get('/test-token', async (request, response) => {
    const { role, name, candidateId, candidates } = request.query;
    try {
      const token =
        role === 'supervisor'
          ? await kit.issueToken({
              role: 'supervisor',
              examId: TEST_EXAM_ID,
              supervisorId: 'wtr-supervisor',
              name: String(name ?? 'Test supervisor'),
              candidates: candidates ? String(candidates).split(',') : '*',
            })
          : await kit.issueToken({
              role: 'candidate',
              examId: TEST_EXAM_ID,
              candidateId: String(candidateId ?? ''),
              name: String(name ?? candidateId ?? ''),
            });
      response.json({ token });
    } catch (error) {
      response.status(400).json({ error: { code: error.code ?? 'bad-message', message: error.message } });
    }
  });

  /** Koa middleware that hands the kit's requests to the Express app. */
  const middleware = async (ctx, next) => {
    if (ctx.path !== '/test-token' && !ctx.path.startsWith(`${KIT_BASE}/`)) return next();
    ctx.respond = false;
    // Koa presets 404, and Express keeps a status it did not set itself: start from Node's default.
    ctx.res.statusCode = 200;
    await new Promise((resolve) => {
      ctx.res.once('close', resolve);
      app(ctx.req, ctx.res);
    });
  };

  /** @type {import('@web/test-runner-core').TestRunnerPlugin} */
  const plugin = {
    name: 'proctorkit-server-kit',
    serverStart({ server }) {
      kit.attach(server, { path: `${KIT_BASE}/ws` });
    },
    async serverStop() {
      await kit.close();
      await rm(photoDirectory, { recursive: true, force: true });
    },
  };
  return { plugin, middleware };
}

const kitServer = await proctorKitServer();
const chimeKit = await chimeTestKit();

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  rootDir: root,
  files: ['packages/elements/src/**/*.test.ts', 'packages/core/src/**/*.browser.test.ts'],
  nodeResolve: { exportConditions: ['proctorkit-source', 'browser', 'import', 'default'] },
  // One test page at a time: only the focused page moves focus reliably, and several tests check where focus goes.
  concurrency: 1,
  concurrentBrowsers: 1,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromiumPath(),
        headless: true,
        args: chromiumArgs(),
      },
    }),
  ],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig }), kitServer.plugin, chimeKit.plugin],
  middleware: [chimeKit.middleware, kitServer.middleware],
  testFramework: { config: { timeout: 10_000 } },
};
