import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Server } from 'node:http';
import express, { type Request, type Response } from 'express';
import { FilePhotoStore, createProctorKit, fileRecordingStore, sqliteStore, type KitBus, type KitStore, type LogLevel, type MediaProvider, type PhotoStore, type ProctorKit, type RecordingStore } from '@proctorkit/server-kit';
import type { DataDir } from './data-dir.js';
import { candidatePage } from './pages/candidate.js';
import { checkPage } from './pages/check.js';
import { landingPage } from './pages/landing.js';
import { pairPage } from './pages/pair.js';
import { phonePage } from './pages/phone.js';
import { supervisorPage } from './pages/supervisor.js';

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
}

export interface ExamSite {
  app: express.Express;
  kit: ProctorKit;
  /** Starts listening; resolves with the server and its URL. */
  listen(port: number, host: string): Promise<{ server: Server; url: string }>;
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

  return {
    app,
    kit,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const server = app.listen(port, host, () => {
          const address = server.address();
          const actualPort = typeof address === 'object' && address ? address.port : port;
          resolve({ server, url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${actualPort}` });
        });
        server.once('error', reject);
        kit.attach(server);
      });
    },
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
