// A real server kit inside the browser tests' dev server, mounted as a host mounts it: its router
// at `base`, its control channel at `${base}/ws`, and a token route handing out tokens as a host's
// backend would after its own login: `?role=candidate&candidateId=…&name=…` or
// `?role=supervisor&candidates=a,b` (all when omitted), `?role=reviewer&candidates=a,b` (all when
// omitted); `&expiresIn=<seconds>` for a short-lived one.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { FilePhotoStore, createProctorKit, fileRecordingStore, memoryStore, type ProctorKitOptions } from '../../packages/server-kit/src/index.js';

export interface WtrKitOptions {
  /** Where the router is mounted, e.g. `/proctor`. */
  base: string;
  /** Where tokens are handed out. Default: `${base}/test-token`. */
  tokenPath?: string;
  /** The exam every token is for. */
  examId: string;
  /** More kit options (a provider, `requireIdentityCheck`). */
  kit?: Partial<ProctorKitOptions>;
}

/** Koa middleware of the dev server. */
type Middleware = (ctx: any, next: () => Promise<void>) => Promise<void>;

export async function wtrKit({ base, tokenPath = `${base}/test-token`, examId, kit: options = {} }: WtrKitOptions) {
  // Identity photos of the test candidates go to a fresh temporary directory, removed at the end.
  const photoDirectory = await mkdtemp(join(tmpdir(), 'proctorkit-wtr-photos-'));
  const recordingDirectory = await mkdtemp(join(tmpdir(), 'proctorkit-wtr-recordings-'));
  const kit = createProctorKit({
    secret: randomBytes(32).toString('hex'),
    logger: 'silent',
    photoStore: new FilePhotoStore(photoDirectory),
    recordingStore: fileRecordingStore({ directory: recordingDirectory }),
    store: memoryStore(),
    // Every test's phone pairs from 127.0.0.1, far more often than one real address would.
    limits: { pairingAttemptsPerMinute: 10_000 },
    ...options,
  });
  // Each supervisor or reviewer page is a person of its own, as in a real event.
  let supervisors = 0;
  let reviewers = 0;
  const app = express();
  app.disable('x-powered-by');
  app.get(tokenPath, async (request, response) => {
    const { role, name, candidateId, candidates, expiresIn } = request.query;
    const lifetime = expiresIn === undefined ? {} : { expiresIn: Number(expiresIn) };
    try {
      const token =
        role === 'supervisor'
          ? await kit.issueToken({
              role: 'supervisor',
              examId,
              supervisorId: `wtr-supervisor-${++supervisors}`,
              name: String(name ?? 'Test supervisor'),
              candidates: candidates ? String(candidates).split(',') : '*',
            }, lifetime)
          : role === 'reviewer'
            ? await kit.issueToken({
                role: 'reviewer',
                examId,
                reviewerId: `wtr-reviewer-${++reviewers}`,
                name: String(name ?? 'Test reviewer'),
                candidates: candidates ? String(candidates).split(',') : '*',
              }, lifetime)
          : await kit.issueToken({ role: 'candidate', examId, candidateId: String(candidateId ?? ''), name: String(name ?? candidateId ?? '') }, lifetime);
      response.json({ token });
    } catch (error) {
      const { code = 'bad-message', message } = error as { code?: string; message: string };
      response.status(400).json({ error: { code, message } });
    }
  });
  app.use(base, kit.router);

  /** Hands the kit's requests to the Express app. */
  const middleware: Middleware = async (ctx, next) => {
    if (ctx.path !== tokenPath && !ctx.path.startsWith(`${base}/`)) return next();
    ctx.respond = false;
    // Koa presets 404, and Express keeps a status it did not set itself: start from Node's default.
    ctx.res.statusCode = 200;
    await new Promise((resolve) => {
      ctx.res.once('close', resolve);
      app(ctx.req, ctx.res);
    });
  };

  const plugin = {
    name: `proctorkit-server-kit${base}`,
    serverStart({ server }: { server: Server }) {
      kit.attach(server, { path: `${base}/ws` });
    },
    async serverStop() {
      await kit.close();
      await rm(photoDirectory, { recursive: true, force: true });
      await rm(recordingDirectory, { recursive: true, force: true });
    },
  };
  return { kit, plugin, middleware };
}
