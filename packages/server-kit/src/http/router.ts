import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import * as v from 'valibot';
import { GeneratedIdSchema, parse, covers, type Claims } from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import type { SessionHub } from '../hub.js';
import type { Sessions } from '../sessions.js';
import type { Logger } from '../logger.js';
import type { PhotoStore } from '../store/photo-store.js';
import type { SessionRecord } from '../store/session-store.js';
import type { TokenIssuer } from '../tokens.js';
import type { Access } from '../access/access.js';
import { retryAfterSeconds, type KitLimits } from '../limits/limits.js';
import { personKey, personOf } from '../limits/person.js';
import type { KitBus } from '../bus/kit-bus.js';
import { SharedRateLimit } from '../limits/shared-rate-limit.js';
import { NETWORK_TEST_BUDGET, networkTestRouter } from './network-test.js';
import { mountIdentityRoutes } from './identity-routes.js';
import { mountPhoneRoutes } from '../phone/phone-routes.js';
import type { PhonePairings } from '../phone/pairings.js';
import { mountRecordingRoutes } from '../recordings/recording-routes.js';
import type { Recordings } from '../recordings/recordings.js';
import type { RecordingStore } from '../recordings/recording-store.js';
import { reviewAccess } from '../review/review-access.js';
import { mountReviewRoutes } from '../review/review-routes.js';
import type { ReportMaker } from '../review/report.js';
import type { Reviews } from '../review/reviews.js';
import { pageEvent, pageSummary } from '../review/page-view.js';
import type { UrlSigner } from '../review/signed-urls.js';

interface RouterDeps {
  hub: SessionHub;
  sessions: Sessions;
  tokens: TokenIssuer;
  access: Access;
  logger: Logger;
  photos: PhotoStore;
  pairings: PhonePairings;
  phonePageUrl: string;
  limits: KitLimits;
  networkTestBudget?: { maxBytes: number; windowMs: number };
  /** Where the per-person and per-address limits are shared with the other instances. */
  bus: KitBus;
  recordings: Recordings;
  recordingStore: RecordingStore;
  reviews: Reviews;
  reports: ReportMaker;
  urls: UrlSigner;
  /** Whether a candidate's own summary carries the verdict once the exam ended. */
  showVerdictToCandidate: boolean;
}

const AfterSeqSchema = v.pipe(
  v.string('must be a number'),
  v.regex(/^\d{1,12}$/, 'must be a whole number'),
  v.transform(Number),
);

type Handler = (request: Request, response: Response, claims: Claims) => Promise<void>;

/**
 * The kit's REST API, for pages and host backends holding a token (`Authorization: Bearer …`).
 * Errors answer `{ error: { code, message } }` with the matching status.
 */
export function createRouter(deps: RouterDeps): Router {
  const { hub, sessions, tokens, access, logger, photos, pairings, phonePageUrl, limits, networkTestBudget, bus, recordings, recordingStore, reports, urls } = deps;
  const router = express.Router();
  const requests = SharedRateLimit.per(bus, 'requests', limits.requestsPerMinute, 60_000, logger);

  const authorized = (handler: Handler) => async (request: Request, response: Response, next: NextFunction) => {
    try {
      const header = request.get('authorization') ?? '';
      const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header);
      if (!match) throw new KitError('unauthorized', 'Send the Proctorkit token as "Authorization: Bearer <token>".');
      const { claims } = await access.verify(match[1]!);
      const wait = await requests.take(personKey(personOf(claims)));
      if (wait > 0) throw new KitError('rate-limited', `Too many requests: at most ${limits.requestsPerMinute} a minute.`, { retryAfterMs: wait });
      await handler(request, response, claims);
    } catch (error) {
      next(error);
    }
  };

  router.get('/health', (_request, response) => {
    response.json({ ok: true, time: Date.now() });
  });

  router.get(
    '/sessions',
    authorized(async (_request, response, claims) => {
      if (claims.role !== 'supervisor' && claims.role !== 'reviewer') throw new KitError('forbidden', 'Only supervisors and reviewers may list sessions.');
      response.json({ sessions: await hub.listFor(claims) });
    }),
  );

  /** The session if the token may read it; 404 alike for unknown and forbidden, so ids leak nothing. */
  async function readable(request: Request, claims: Claims): Promise<SessionRecord> {
    const id = parse(GeneratedIdSchema, request.params.sessionId);
    if (!id.ok) throw new KitError('bad-message', `sessionId ${id.message}.`);
    const record = await sessions.get(id.value);
    const allowed =
      record &&
      (claims.role === 'supervisor' || claims.role === 'reviewer'
        ? covers(claims, record.examId, record.candidateId)
        : record.examId === claims.examId && record.candidateId === claims.candidateId &&
          (claims.role === 'candidate' || record.sessionId === claims.sessionId));
    if (!record || !allowed) throw new KitError('not-found', `No session ${id.value} that this token may read.`);
    return record;
  }

  router.get(
    '/sessions/:sessionId',
    authorized(async (request, response, claims) => {
      const summary = await sessions.summary(await readable(request, claims));
      const own = claims.role === 'candidate' || claims.role === 'phone';
      response.json({ session: own ? pageSummary(summary, claims.role, deps.showVerdictToCandidate) : summary });
    }),
  );

  router.get(
    '/sessions/:sessionId/events',
    authorized(async (request, response, claims) => {
      const record = await readable(request, claims);
      const after = parse(AfterSeqSchema, request.query.after ?? '0');
      if (!after.ok) throw new KitError('bad-message', `after ${after.message}.`);
      const { events, more } = await sessions.events(record.sessionId, after.value);
      const own = claims.role === 'candidate' || claims.role === 'phone';
      response.json({ events: own ? events.map(pageEvent) : events, more });
    }),
  );

  const review = reviewAccess({
    sessions,
    signer: urls,
    signedRequests: SharedRateLimit.per(bus, 'signed-links', limits.signedLinkRequestsPerMinute, 60_000, logger),
    signedRequestsPerMinute: limits.signedLinkRequestsPerMinute,
    authorized,
    readable,
  });
  mountIdentityRoutes(router, { sessions, photos, logger, authorized, readable, access: review });
  mountRecordingRoutes(router, { recordings, store: recordingStore, authorized, readable, access: review, urls });
  mountReviewRoutes(router, { reviews: deps.reviews, reports, access: review, authorized });
  mountPhoneRoutes(router, { sessions, hub, tokens, pairings, phonePageUrl, limits, authorized, readable, bus, logger });

  router.use('/network', networkTestRouter(authorized, SharedRateLimit.per(bus, 'network-test', (networkTestBudget ?? NETWORK_TEST_BUDGET).maxBytes, (networkTestBudget ?? NETWORK_TEST_BUDGET).windowMs, logger)));

  router.use((request: Request) => {
    throw new KitError('not-found', `No route ${request.method} ${request.baseUrl}${request.path}.`);
  });

  router.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const kitError = asKitError(error, logger);
    if (kitError.code === 'unauthorized') response.set('WWW-Authenticate', 'Bearer');
    if (kitError.retryAfterMs !== undefined) response.set('Retry-After', String(retryAfterSeconds(kitError.retryAfterMs)));
    response.status(kitError.status).json({ error: { code: kitError.code, message: kitError.message } });
  });

  return router;
}

function asKitError(error: unknown, logger: Logger): KitError {
  if (error instanceof KitError) return error;
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new KitError('bad-message', (error as Error).message);
  }
  logger.error('request failed', error);
  return new KitError('internal', 'The server failed to handle this request.');
}
