import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { GeneratedIdSchema, parse, type Claims } from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import type { SharedRateLimit } from '../limits/shared-rate-limit.js';
import type { Sessions } from '../sessions.js';
import type { SessionRecord } from '../store/session-store.js';
import type { ReviewerToken } from './reviews.js';
import { UrlSigner } from './signed-urls.js';

type Handler = (request: Request, response: Response, claims: Claims) => Promise<void>;

/** How a read of a session's media came in: a reviewer's token, or a signed link valid until `expiresAt`. */
export type ReadGrant = { claims: ReviewerToken } | { linkExpiresAt: number };

/** A handler of a session's media, opened by a token or a signed link. */
export type MediaHandler = (request: Request, response: Response, record: SessionRecord, grant: ReadGrant) => Promise<void>;

/** What {@link reviewAccess} needs of the kit's router. */
export interface ReviewAccessDeps {
  sessions: Sessions;
  signer: UrlSigner;
  /** Requests with signed links, per client address. */
  signedRequests: SharedRateLimit;
  signedRequestsPerMinute: number;
  authorized(handler: Handler): RequestHandler;
  readable(request: Request, claims: Claims): Promise<SessionRecord>;
}

/** Who may review a session, and how media opens without a token. */
export interface ReviewAccess {
  /**
   * The session of `:sessionId` if the token is a supervisor's or reviewer's that covers its
   * candidate; 404 as for any session the token may not read; 403 for the candidate and phone.
   */
  reviewable(request: Request, claims: Claims): Promise<{ record: SessionRecord; claims: ReviewerToken }>;
  /** A read of the session's media by a reviewing token, or by a signed link made for exactly this URL. */
  media(handler: MediaHandler): RequestHandler;
}

export function reviewAccess({ sessions, signer, signedRequests, signedRequestsPerMinute, authorized, readable }: ReviewAccessDeps): ReviewAccess {
  async function reviewable(request: Request, claims: Claims) {
    const record = await readable(request, claims);
    if (claims.role !== 'supervisor' && claims.role !== 'reviewer') {
      throw new KitError('forbidden', "Only the candidate's supervisors and reviewers may do this.");
    }
    return { record, claims };
  }

  function media(handler: MediaHandler): RequestHandler {
    const byToken = authorized(async (request, response, claims) => {
      const grant = await reviewable(request, claims);
      await handler(request, response, grant.record, { claims: grant.claims });
    });
    return async (request: Request, response: Response, next: NextFunction) => {
      if (request.get('authorization') !== undefined || !UrlSigner.isSigned(request.originalUrl)) return byToken(request, response, next);
      try {
        const linkExpiresAt = signer.verify(request.originalUrl);
        const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
        const wait = await signedRequests.take(address);
        if (wait > 0) throw new KitError('rate-limited', `Too many requests with signed links: at most ${signedRequestsPerMinute} a minute.`, { retryAfterMs: wait });
        const id = parse(GeneratedIdSchema, request.params.sessionId);
        const record = id.ok ? await sessions.get(id.value) : undefined;
        if (!record) throw new KitError('not-found', 'The session of this link no longer exists.');
        await handler(request, response, record, { linkExpiresAt });
      } catch (error) {
        next(error);
      }
    };
  }

  return { reviewable, media };
}
