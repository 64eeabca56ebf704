/**
 * Helpers of the identity check's tests: a kit with seeded sessions keeping photos in a temporary
 * directory, image bytes with the right signatures, and the candidate's upload and submit calls.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { newClock, noFeeds, type IdentityPhoto } from '@proctorkit/core/protocol';
import type { ProctorKitOptions } from '../kit.js';
import { FilePhotoStore } from '../store/file-photo-store.js';
import { memoryStore } from '../store/memory/memory-store.js';
import type { SessionRecord } from '../store/session-store.js';
import { EXAM, OTHER_EXAM, TestServer } from '../test-helpers.js';

/** A tiny "JPEG": the signature is what the kit checks. */
export const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 1, 2, 3, 4, 5]);
export const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
export const WEBP = Uint8Array.from([0x52, 0x49, 0x46, 0x46, 8, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20]);

function record(sessionId: string, candidateId: string, examId = EXAM): SessionRecord {
  return { sessionId, examId, candidateId, name: `Candidate ${candidateId}`, connected: false, feeds: noFeeds(), joinedAt: 1_700_000_000_000, clock: newClock(3_600_000) };
}

export const ADA = 'session-ada';
export const BOB = 'session-bob';

export interface PhotoServer {
  server: TestServer;
  directory: string;
  /** Ada's candidate token. */
  ada: string;
}

/** A kit with Ada and Bob in the exam and Ada in another exam, keeping photos in a fresh temporary directory. */
export async function photoServer(t: TestContext, options: Partial<ProctorKitOptions> = {}): Promise<PhotoServer> {
  const directory = await mkdtemp(join(tmpdir(), 'proctorkit-photos-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const store = memoryStore();
  for (const r of [record(ADA, 'ada'), record(BOB, 'bob'), record('session-ada-exam-2', 'ada', OTHER_EXAM)]) await store.createSession(r);
  const server = await TestServer.start(t, { store, photoStore: new FilePhotoStore(directory), ...options });
  return { server, directory, ada: await server.candidateToken('ada') };
}

/** Uploads a photo of `kind` to a session as the token's holder. */
export function upload(
  server: TestServer,
  token: string | undefined,
  kind: string,
  body: Uint8Array | ReadableStream<Uint8Array> = JPEG,
  { contentType = 'image/jpeg' as string | null, sessionId = ADA } = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (contentType !== null) headers['content-type'] = contentType;
  return fetch(`${server.origin}/proctor/sessions/${sessionId}/identity/photos/${kind}`, {
    method: 'POST',
    headers,
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}

/** Submits the candidate's photos as the token's holder. */
export function submit(server: TestServer, token: string, sessionId = ADA): Promise<Response> {
  return fetch(`${server.origin}/proctor/sessions/${sessionId}/identity/submit`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
}

/** The photo a successful upload answers with. */
export async function uploaded(response: Response): Promise<IdentityPhoto> {
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { photo: IdentityPhoto }).photo;
}
