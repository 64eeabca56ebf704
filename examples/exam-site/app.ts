import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { FilePhotoStore, createProctorKit, fileRecordingStore, sqliteStore, type KitBus, type KitStore, type LogLevel, type MediaProvider, type PhotoStore, type ProctorKit, type RecordingStore, type WebhookEndpointOptions } from '@proctorkit/server-kit';
import type { DataDir } from './data-dir.js';
import { candidatePage } from './pages/candidate.js';
import { checkPage } from './pages/check.js';
import { landingPage } from './pages/landing.js';
import { pairPage } from './pages/pair.js';
import { phonePage } from './pages/phone.js';
import { supervisorPage } from './pages/supervisor.js';
import { reviewListPage, reviewPage } from './pages/review.js';
import { webhooksPage } from './pages/webhooks.js';
import { OWN_RECEIVER_PATH } from './webhook-from-env.js';
import { webhookReceiver } from './webhook-receiver.js';

/** The one exam this demo runs. */
export const DEMO_EXAM_ID = 'demo-exam';

export interface ExamSiteOptions {
  /** Where sessions, logs, photos and the generated secret are kept, so a restart loses nothing. */
  data: DataDir;
  /** Token secret. Default: the one generated in the data directory. */
  secret?: string;
  logLevel?: LogLevel;
  /** The media path. Default: the kit's own, `local`. */
  provider?: MediaProvider;
  /** Where sessions are kept. Default: SQLite in the data directory. */
  store?: KitStore;
  /** What connects this instance to the others serving the exam. Default: none, one process. */
  bus?: KitBus;
  /** Where recordings and identity photos are kept. Default: files in the data directory. */
  recording?: { recordingStore: RecordingStore; photoStore: PhotoStore; retentionDays?: number; recordAudio?: boolean };
  /**
   * The endpoint the kit tells about sessions by signed webhooks, and whether it is this site's own
   * receiver (`POST /webhooks/receiver`, which verifies deliveries with its secret and lists them on
   * `/webhooks`). Default: none.
   */
  webhook?: { endpoint: WebhookEndpointOptions; ownReceiver: boolean };
}

export interface ExamSite {
  app: express.Express;
  kit: ProctorKit;
  /** Starts listening; resolves with the server and its URL. */
  listen(port: number, host: string): Promise<BoundServer>;
  /** Serves a server {@link bindServer} already made listen. */
  serve(server: Server): void;
}

/** A server listening, and its URL. */
export interface BoundServer {
  server: Server;
  url: string;
}

/**
 * Makes a server listen before the site exists, so the site is built knowing where it listens (its
 * own webhook receiver's address); {@link ExamSite.serve} then answers its requests.
 */
export function bindServer(port: number, host: string): Promise<BoundServer> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, host, () => {
      const actualPort = (server.address() as AddressInfo).port;
      resolve({ server, url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${actualPort}` });
    });
  });
}

/** A small exam site embedding Proctorkit: what a host does, in one file. */
export function createExamSite(options: ExamSiteOptions): ExamSite {
  const kit = createProctorKit({
    secret: options.secret ?? options.data.secret,
    logger: options.logLevel ?? 'warn',
    provider: options.provider,
    store: options.store ?? sqliteStore({ path: options.data.database }),
    ...(options.bus ? { bus: options.bus } : {}),
    photoStore: new FilePhotoStore(options.data.photos),
    recordingStore: fileRecordingStore({ directory: options.data.recordings }),
    ...(options.recording && {
      recordingStore: options.recording.recordingStore,
      photoStore: options.recording.photoStore,
      retentionDays: options.recording.retentionDays,
      recordAudio: options.recording.recordAudio,
    }),
    webhooks: options.webhook ? [options.webhook.endpoint] : [],
    // The demo's candidates see the reviewer's conclusion on their ended exam page.
    showVerdictToCandidate: true,
  });
  const app = express();
  app.disable('x-powered-by');

  // 1. The server kit, where the elements' `server` attribute points.
  app.use('/proctor', kit.router);

  // 2. The elements as one browser module, and the chunks beside it that pages load on demand (the Chime SDK, the setup check).
  const bundle = createRequire(import.meta.url).resolve('@proctorkit/elements/bundle');
  app.get('/assets/:file', (request, response, next) => {
    if (!/^proctorkit-[\w-]+\.js(\.map)?$/.test(request.params.file)) return next();
    response.sendFile(join(dirname(bundle), request.params.file));
  });

  // 3. Pages. DEMO ONLY: a real site issues tokens after its own login.
  app.get('/favicon.ico', (_request, response) => response.status(204).end());
  app.get('/', (_request, response) => response.type('html').send(landingPage()));

  /** The demo's "login": the name in the query, and a candidate token for it; a 400 page without one. */
  async function signedInCandidate(request: Request, response: Response): Promise<{ name: string; token: string } | undefined> {
    const name = String(request.query.name ?? '').trim().slice(0, 80);
    const candidateId = demoCandidateId(name);
    if (!candidateId) {
      response.status(400).type('html').send(landingPage('Enter a name with at least one letter or digit.'));
      return undefined;
    }
    return { name, token: await kit.issueToken({ role: 'candidate', examId: DEMO_EXAM_ID, candidateId, name }) };
  }

  app.get('/candidate', async (request, response) => {
    const candidate = await signedInCandidate(request, response);
    if (!candidate) return;
    const { name, token } = candidate;
    // `steps=none` skips the steps before the exam (setup check, phone, identity): for crowds and tests.
    response.type('html').send(candidatePage({ name, token, onboarding: request.query.steps !== 'none' }));
  });

  app.get('/check', async (_request, response) => {
    // The setup test's token only lets it measure the connection to the kit: no session is opened.
    const token = await kit.issueToken({ role: 'candidate', examId: DEMO_EXAM_ID, candidateId: 'setup-check', name: 'Setup check' }, { expiresIn: '1h' });
    response.type('html').send(checkPage({ token }));
  });

  // The paired phone's page: pairing links and QR codes point here (the kit's `phonePageUrl`, '/phone').
  app.get('/phone', (request, response) => {
    const pairing = typeof request.query.pairing === 'string' ? request.query.pairing.slice(0, 64) : '';
    // The address carries a one-time secret: keep it out of caches and of other sites' Referer.
    response.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).type('html').send(phonePage({ pairing }));
  });

  app.get('/pair', async (request, response) => {
    const candidate = await signedInCandidate(request, response);
    if (candidate) response.type('html').send(pairPage(candidate));
  });

  app.get('/supervisor', async (_request, response) => {
    const token = await kit.issueToken({
      role: 'supervisor',
      examId: DEMO_EXAM_ID,
      supervisorId: 'demo-supervisor',
      name: 'Demo supervisor',
      candidates: '*',
    });
    response.type('html').send(supervisorPage({ token }));
  });

  // The reviewers' pages: every session of the exam, and one replayed with its log, flags, notes and verdict.
  app.get('/review', async (request, response) => {
    const sessionId = typeof request.query.session === 'string' ? request.query.session : undefined;
    if (sessionId === undefined) {
      response.type('html').send(reviewListPage({ sessions: await kit.sessions.list(DEMO_EXAM_ID) }));
      return;
    }
    const session = /^[\w-]{6,64}$/.test(sessionId) ? await kit.sessions.get(sessionId) : undefined;
    if (!session || session.examId !== DEMO_EXAM_ID) {
      response.status(404).type('html').send(reviewListPage({ sessions: await kit.sessions.list(DEMO_EXAM_ID), notice: 'There is no such session in this exam. Pick one below.' }));
      return;
    }
    const token = await kit.issueToken({ role: 'reviewer', examId: DEMO_EXAM_ID, reviewerId: 'demo-reviewer', name: 'Demo reviewer', candidates: '*' });
    response.type('html').send(reviewPage({ token, sessionId, name: session.name }));
  });

  // 4. Webhooks: the kit POSTs signed events; by default to this receiver, as a host's endpoint would get them.
  const receiver = webhookReceiver(options.webhook?.endpoint.secret);
  app.post(OWN_RECEIVER_PATH, ...receiver.handlers);
  app.get('/webhooks', (_request, response) => {
    const destination = options.webhook && { url: options.webhook.endpoint.url, ownReceiver: options.webhook.ownReceiver };
    response.type('html').send(webhooksPage({ deliveries: receiver.deliveries(), refused: receiver.refused(), destination }));
  });

  function serve(server: Server): void {
    server.on('request', app);
    kit.attach(server);
  }

  return {
    app,
    kit,
    async listen(port, host) {
      const bound = await bindServer(port, host);
      serve(bound.server);
      return bound;
    },
    serve,
  };
}

/** The demo's candidate id for a name: lowercase letters, digits and dashes. */
export function demoCandidateId(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}
