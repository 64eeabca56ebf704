import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response, Router } from 'express';
import {
  GeneratedIdSchema,
  IDENTITY_PHOTO_MAX_BYTES,
  IDENTITY_PHOTO_TYPES,
  IdentityPhotoKindSchema,
  parse,
  type Claims,
  type IdentityPhoto,
  type IdentityView,
  type SessionSummary,
} from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import { imageBody } from './image-body.js';
import type { Logger } from '../logger.js';
import { requirePhotosOpen, type Sessions } from '../sessions.js';
import { photoKey, type PhotoStore } from '../store/photo-store.js';
import type { SessionRecord } from '../store/session-store.js';
import type { ReviewAccess } from '../review/review-access.js';

type Handler = (request: Request, response: Response, claims: Claims) => Promise<void>;

/** What the identity routes need of the kit's router. */
export interface IdentityRouteDeps {
  sessions: Sessions;
  photos: PhotoStore;
  logger: Logger;
  /** Wraps a handler that needs a verified token. */
  authorized(handler: Handler): RequestHandler;
  /** The session of `:sessionId` if the token may read it; 404 otherwise. */
  readable(request: Request, claims: Claims): Promise<SessionRecord>;
  /** Who may see the check: the candidate's supervisors and reviewers, or a signed link. */
  access: ReviewAccess;
}

const MAX_MB = IDENTITY_PHOTO_MAX_BYTES / (1024 * 1024);

/**
 * The identity check's REST routes. The candidate uploads a photo of its ID document and of its
 * face (`POST …/identity/photos/:kind`, a raw image body; a retake replaces the photo) and submits
 * them (`POST …/identity/submit`). Supervisors and reviewers of the candidate read the check
 * (`GET …/identity`) and each photo (`GET …/identity/photos/:photoId`, also with a signed link of
 * the report); the verdict goes over the control channel (`command.identity`). Nobody else sees a photo.
 */
export function mountIdentityRoutes(router: Router, { sessions, photos, logger, authorized, readable, access }: IdentityRouteDeps): void {
  router.post(
    '/sessions/:sessionId/identity/photos/:kind',
    authorized(async (request, response, claims) => {
      const record = await readable(request, claims);
      if (claims.role !== 'candidate') throw new KitError('forbidden', 'Only the candidate takes identity photos.');
      const kind = parse(IdentityPhotoKindSchema, request.params.kind);
      if (!kind.ok) throw new KitError('bad-message', `kind ${kind.message}.`);
      const { bytes, contentType } = await imageBody(request, {
        types: IDENTITY_PHOTO_TYPES,
        maxBytes: IDENTITY_PHOTO_MAX_BYTES,
        what: 'photo',
        tooLarge,
        admit: () => requirePhotosOpen(record),
      });

      const photo: IdentityPhoto = { photoId: randomUUID(), kind: kind.value, contentType, bytes: bytes.length, at: Date.now() };
      const key = photoKey(record.sessionId, photo.photoId);
      await photos.put(key, bytes, contentType);
      let replaced: IdentityPhoto | undefined;
      try {
        ({ replaced } = await sessions.addIdentityPhoto(record.sessionId, photo));
      } catch (error) {
        await photos.delete(key).catch((cleanup) => logger.error(`deleting refused photo ${key} failed`, cleanup));
        throw error;
      }
      if (replaced) {
        const old = photoKey(record.sessionId, replaced.photoId);
        photos.delete(old).catch((error) => logger.error(`deleting replaced photo ${old} failed`, error));
      }
      response.status(201).json({ photo });
    }),
  );

  router.post(
    '/sessions/:sessionId/identity/submit',
    authorized(async (request, response, claims) => {
      const record = await readable(request, claims);
      if (claims.role !== 'candidate') throw new KitError('forbidden', 'Only the candidate submits identity photos.');
      const { summary } = await sessions.submitIdentity(record.sessionId);
      response.json({ identity: summary.identity });
    }),
  );

  router.get(
    '/sessions/:sessionId/identity',
    authorized(async (request, response, claims) => {
      const { record } = await access.reviewable(request, claims);
      const identity = identityView(record, await sessions.summary(record));
      response.set('Cache-Control', 'private, no-store').json({ identity });
    }),
  );

  router.get(
    '/sessions/:sessionId/identity/photos/:photoId',
    access.media(async (request, response, record) => {
      const id = parse(GeneratedIdSchema, request.params.photoId);
      if (!id.ok) throw new KitError('bad-message', `photoId ${id.message}.`);
      // Only the session's current photos: a replaced or deleted photo, or another session's, is gone.
      const known = record.identity?.photos.some((p) => p.photoId === id.value);
      const stored = known ? await photos.get(photoKey(record.sessionId, id.value)) : undefined;
      if (!stored) throw new KitError('not-found', `No photo ${id.value} in session ${record.sessionId}.`);
      response
        .set({
          'Content-Type': stored.contentType,
          'Content-Length': String(stored.bytes.length),
          'Cache-Control': 'private, no-store',
          'X-Content-Type-Options': 'nosniff',
        })
        .end(stored.bytes);
    }),
  );
}

/** A session's identity check with its current photos, as its supervisors and reviewers see it. */
export function identityView(record: SessionRecord, summary: SessionSummary): IdentityView {
  return {
    required: summary.identity?.required ?? false,
    status: summary.identity?.status ?? 'none',
    ...(summary.identity?.reason ? { reason: summary.identity.reason } : {}),
    photos: record.identity?.photos ?? [],
  };
}

function tooLarge(): KitError {
  return new KitError('too-large', `The photo is larger than ${MAX_MB} MB. Take it again at a lower resolution.`);
}
