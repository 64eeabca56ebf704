import type { Request, RequestHandler, Response, Router } from 'express';
import * as v from 'valibot';
import {
  FlagInputSchema,
  GeneratedIdSchema,
  NoteInputSchema,
  SCREENSHOT_MAX_BYTES,
  SCREENSHOT_TYPES,
  ScreenshotQuerySchema,
  SignalDismissSchema,
  VerdictInputSchema,
  parse,
  type Claims,
} from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import { jsonBody } from '../http/json-body.js';
import { imageBody } from '../http/image-body.js';
import type { ReviewAccess } from './review-access.js';
import type { ReportMaker } from './report.js';
import type { Reviews } from './reviews.js';
import { SIGNED_URL_VALIDITY_MS } from './signed-urls.js';

type Handler = (request: Request, response: Response, claims: Claims) => Promise<void>;

/** What the review routes need of the kit's router. */
export interface ReviewRouteDeps {
  reviews: Reviews;
  reports: ReportMaker;
  access: ReviewAccess;
  authorized(handler: Handler): RequestHandler;
}

/** The most a review request's JSON body may be: the longest texts, escaped, with room to spare. */
const JSON_MAX_BYTES = 16 * 1024;

const SeqParamSchema = v.pipe(v.string(), v.regex(/^[1-9]\d{0,11}$/, 'must be a whole number from 1'), v.transform(Number));

/**
 * The review routes, for the candidate's supervisors and reviewers: notes, screenshots, flags,
 * dismissed integrity signals and verdicts (each written to the session's log), a screenshot's
 * image, and the session's report (JSON, or a printable HTML page). Images and the printable
 * report also open with a signed link.
 */
export function mountReviewRoutes(router: Router, { reviews, reports, access, authorized }: ReviewRouteDeps): void {
  const body = async <S extends v.GenericSchema>(request: Request, schema: S, what: string): Promise<v.InferOutput<S>> => {
    const parsed = parse(schema, await jsonBody(request, JSON_MAX_BYTES));
    if (!parsed.ok) throw new KitError('bad-message', `${what} ${parsed.message}.`);
    return parsed.value;
  };

  router.post(
    '/sessions/:sessionId/notes',
    authorized(async (request, response, token) => {
      const { record, claims } = await access.reviewable(request, token);
      const note = await reviews.addNote(record, claims, await body(request, NoteInputSchema, 'note'));
      response.status(201).json({ note });
    }),
  );

  router.post(
    '/sessions/:sessionId/flags',
    authorized(async (request, response, token) => {
      const { record, claims } = await access.reviewable(request, token);
      const flag = await reviews.addFlag(record, claims, await body(request, FlagInputSchema, 'flag'));
      response.status(201).json({ flag });
    }),
  );

  router.post(
    '/sessions/:sessionId/signals/:seq/dismiss',
    authorized(async (request, response, token) => {
      const { record, claims } = await access.reviewable(request, token);
      const seq = parse(SeqParamSchema, request.params.seq);
      if (!seq.ok) throw new KitError('bad-message', `seq ${seq.message}.`);
      const dismissal = await reviews.dismissSignal(record, claims, seq.value, await body(request, SignalDismissSchema, 'dismissal'));
      response.status(201).json({ dismissal });
    }),
  );

  router.post(
    '/sessions/:sessionId/verdicts',
    authorized(async (request, response, token) => {
      const { record, claims } = await access.reviewable(request, token);
      const verdict = await reviews.signVerdict(record, claims, await body(request, VerdictInputSchema, 'verdict'));
      response.status(201).json({ verdict });
    }),
  );

  router.post(
    '/sessions/:sessionId/screenshots',
    authorized(async (request, response, token) => {
      const { record, claims } = await access.reviewable(request, token);
      const query = parse(ScreenshotQuerySchema, { ...request.query });
      if (!query.ok) throw new KitError('bad-message', `screenshot ${query.message}.`);
      const { bytes: image, contentType } = await imageBody(request, {
        types: SCREENSHOT_TYPES,
        maxBytes: SCREENSHOT_MAX_BYTES,
        what: 'screenshot',
        tooLarge,
        admit: () => reviews.requireScreenshotRoom(record),
      });
      const screenshot = await reviews.addScreenshot(record, claims, query.value, image, contentType);
      response.status(201).json({ screenshot });
    }),
  );

  router.get(
    '/sessions/:sessionId/screenshots/:screenshotId',
    access.media(async (request, response, record) => {
      const id = parse(GeneratedIdSchema, request.params.screenshotId);
      if (!id.ok) throw new KitError('bad-message', `screenshotId ${id.message}.`);
      const stored = await reviews.screenshot(record, id.value);
      if (!stored) throw new KitError('not-found', `No screenshot ${id.value} in session ${record.sessionId}.`);
      response
        .set({ 'Content-Type': stored.contentType, 'Content-Length': String(stored.bytes.length), 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' })
        .end(stored.bytes);
    }),
  );

  router.get(
    '/sessions/:sessionId/report',
    access.media(async (request, response, record, grant) => {
      const format = request.query.format;
      if (format !== undefined && format !== 'html' && format !== 'json') throw new KitError('bad-message', 'format must be "html" or "json".');
      const html = format === 'html' || (format === undefined && request.accepts(['json', 'html']) === 'html');
      // A link opens the printable page only: the JSON would hand out fresh links.
      if ('linkExpiresAt' in grant && !html) throw new KitError('forbidden', 'A signed link opens only the printable report.');
      const now = Date.now();
      // Links in a page opened by a link expire with it.
      const expiresAt = 'linkExpiresAt' in grant ? grant.linkExpiresAt : now + SIGNED_URL_VALIDITY_MS;
      const report = await reports.make(record, { basePath: request.baseUrl, expiresAt, now });
      response.set({ 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' });
      if (!html) {
        response.json({ report });
        return;
      }
      response
        .set({ 'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'", 'Referrer-Policy': 'no-referrer' })
        .type('html')
        .send(reports.html(report));
    }),
  );
}

function tooLarge(): KitError {
  return new KitError('too-large', `A screenshot may be at most ${SCREENSHOT_MAX_BYTES / 1024 ** 2} MB.`);
}
