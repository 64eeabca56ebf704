import { ProctorError } from '../errors.js';
import { json, request, sessionPath } from '../util/rest.js';
import {
  IDENTITY_PHOTO_MAX_BYTES,
  IDENTITY_PHOTO_TYPES,
  IdentityPhotoSchema,
  IdentitySummarySchema,
  IdentityViewSchema,
  type IdentityPhoto,
  type IdentityPhotoKind,
  type IdentitySummary,
  type IdentityView,
} from '../protocol/index.js';

function identityPath(sessionId: string, rest = ''): string {
  return sessionPath(sessionId, `/identity${rest}`);
}

/**
 * Uploads the candidate's photo of its ID document or its face (JPEG, PNG or WebP, at most 2 MB);
 * a retake replaces the earlier photo of that kind. Resolves with the stored photo. Rejects with a
 * {@link ProctorError}: `bad-input` for a photo the kit refuses, `command-refused` once the photos
 * were submitted or approved, `unauthorized` for a refused token.
 */
export async function uploadIdentityPhoto(
  server: string,
  token: string,
  sessionId: string,
  kind: IdentityPhotoKind,
  photo: Blob,
): Promise<IdentityPhoto> {
  const type = IDENTITY_PHOTO_TYPES.find((t) => t === photo.type);
  if (!type) throw new ProctorError('bad-input', `A photo must be ${IDENTITY_PHOTO_TYPES.join(', ')}, not ${photo.type || 'untyped'}.`);
  if (photo.size > IDENTITY_PHOTO_MAX_BYTES) throw new ProctorError('bad-input', 'The photo is larger than 2 MB.');
  const response = await request(server, token, identityPath(sessionId, `/photos/${kind}`), {
    method: 'POST',
    headers: { 'content-type': type },
    body: photo,
  });
  return json(response, 'photo', IdentityPhotoSchema);
}

/** Sends the candidate's two photos to its supervisors; resolves with the identity check, now `submitted`. */
export async function submitIdentity(server: string, token: string, sessionId: string): Promise<IdentitySummary> {
  const response = await request(server, token, identityPath(sessionId, '/submit'), { method: 'POST' });
  return json(response, 'identity', IdentitySummarySchema);
}

/** A session's identity check and its current photos, for one of the candidate's supervisors. */
export async function fetchIdentity(server: string, token: string, sessionId: string): Promise<IdentityView> {
  return json(await request(server, token, identityPath(sessionId)), 'identity', IdentityViewSchema);
}

/**
 * One identity photo's image, for one of the candidate's supervisors. Show it with
 * `URL.createObjectURL(blob)`, and revoke the URL when it is no longer shown.
 */
export async function fetchIdentityPhoto(server: string, token: string, sessionId: string, photoId: string): Promise<Blob> {
  const response = await request(server, token, identityPath(sessionId, `/photos/${encodeURIComponent(photoId)}`), { cache: 'no-store' });
  return response.blob();
}
