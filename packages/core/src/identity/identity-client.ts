import * as v from 'valibot';
import { ProctorError } from '../errors.js';
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

/**
 * The URL of one of the kit's REST routes for a `server` such as `/proctor` or
 * `https://exams.example/proctor`, resolved against the page's address.
 */
function routeUrl(server: string, path: string): string {
  return new URL(server.replace(/\/+$/, '') + path, globalThis.location?.href ?? 'http://localhost/').toString();
}

function identityPath(sessionId: string, rest = ''): string {
  return `/sessions/${encodeURIComponent(sessionId)}/identity${rest}`;
}

/** Sends a request with the token; a refusal becomes a {@link ProctorError} carrying the server's message. */
async function request(
  server: string,
  token: string,
  path: string,
  init: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> } = {},
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(routeUrl(server, path), { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });
  } catch (error) {
    throw new ProctorError('connection-refused', 'The server could not be reached. Check the connection, then try again.', { cause: error });
  }
  if (response.ok) return response;
  const body = (await response.json().catch(() => undefined)) as { error?: { message?: unknown } } | undefined;
  const message = typeof body?.error?.message === 'string' ? body.error.message : `The server answered ${response.status}.`;
  const status = response.status;
  throw new ProctorError(status === 401 ? 'unauthorized' : status === 400 || status === 413 || status === 415 ? 'bad-input' : 'command-refused', message);
}

async function json<S extends v.GenericSchema>(response: Response, key: string, schema: S): Promise<v.InferOutput<S>> {
  const body = (await response.json()) as Record<string, unknown>;
  const parsed = v.safeParse(schema, body[key]);
  if (!parsed.success) throw new ProctorError('command-refused', `The server's answer has no valid ${key}.`);
  return parsed.output;
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
