/**
 * Helpers of the review tests: a kit with seeded sessions (Ada's ended with integrity signals in
 * her log, Bob's running, Ada's in another exam), photos and recordings in temporary directories,
 * tokens of every role, and the review calls as a page makes them.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { newClock, noFeeds, type ReviewerClaims } from '@proctorkit/core/protocol';
import { JPEG } from '../http/identity-test-support.js';
import type { ProctorKitOptions } from '../kit.js';
import { fileRecordingStore } from '../recordings/file-recording-store.js';
import type { RecordingStore } from '../recordings/recording-store.js';
import { FilePhotoStore } from '../store/file-photo-store.js';
import type { KitStore } from '../store/kit-store.js';
import { memoryStore } from '../store/memory/memory-store.js';
import type { SessionRecord } from '../store/session-store.js';
import { EXAM, OTHER_EXAM, SessionRequests, TestServer } from '../test-helpers.js';

export const ADA = 'session-ada-review';
export const BOB = 'session-bob-review';
export const ADA_OTHER_EXAM = 'session-ada-exam-2-review';
export const PAIRING = 'pairing-ada-review';
/** Seqs of Ada's log: joined, started, a page-hidden signal, a host log line, a window-blur signal, ended. */
export const SIGNAL = 3;
export const LOG_LINE = 4;
export const OTHER_SIGNAL = 5;

const T0 = Date.now() - 3_600_000;

function record(sessionId: string, candidateId: string, examId = EXAM): SessionRecord {
  return {
    sessionId,
    examId,
    candidateId,
    name: `Candidate ${candidateId}`,
    connected: false,
    feeds: noFeeds(),
    joinedAt: T0,
    clock: { ...newClock(3_600_000), startedAt: T0 + 60_000 },
    phone: { pairingId: PAIRING, pairedAt: T0 + 30_000 },
  };
}

/** Seeds the sessions: Ada's log holds two integrity signals and ended; Bob's is running. */
export async function seed(store: KitStore, { adaEnded = true } = {}): Promise<void> {
  for (const r of [record(ADA, 'ada'), record(BOB, 'bob'), record(ADA_OTHER_EXAM, 'ada', OTHER_EXAM)]) await store.createSession(r);
  const event = (type: string, at: number, data: Record<string, unknown> = {}) => ({ draft: { type, at, source: 'candidate' as const, data } });
  await store.update(ADA, (current) => {
    if (adaEnded) current.clock = { ...current.clock, endedAt: T0 + 1_800_000, endReason: 'finished' };
    return {
      record: current,
      events: [
        event('session.joined', T0),
        event('session.started', T0 + 60_000, { durationMs: 3_600_000 }),
        event('signal.page-hidden', T0 + 120_000),
        { draft: { type: 'log.answer.saved', at: T0 + 130_000, source: 'host' as const, data: { question: 3 } } },
        event('signal.window-blur', T0 + 140_000),
        ...(adaEnded ? [{ draft: { type: 'session.ended', at: T0 + 1_800_000, source: 'candidate' as const, data: { reason: 'finished' } } }] : []),
      ],
    };
  });
}

export interface ReviewServer {
  server: TestServer;
  store: KitStore;
  photoDirectory: string;
  recordings: RecordingStore;
  tokens: {
    ada: string;
    phone: string;
    /** A reviewer of every candidate of the exam. */
    reviewer: string;
    /** A supervisor of Ada. */
    supervisor: string;
    /** A reviewer of Bob only. */
    bobsReviewer: string;
    /** A supervisor of Bob only. */
    bobsSupervisor: string;
    /** A reviewer of every candidate of another exam. */
    otherExamReviewer: string;
  };
}

/** A kit serving the seeded sessions, with photos and recordings in fresh temporary directories. */
export async function reviewServer(t: TestContext, options: Partial<ProctorKitOptions> = {}, seeding: { adaEnded?: boolean } = {}): Promise<ReviewServer> {
  const directory = await mkdtemp(join(tmpdir(), 'proctorkit-review-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const store = options.store ?? memoryStore();
  await seed(store, seeding);
  const photoDirectory = join(directory, 'photos');
  const recordings = fileRecordingStore({ directory: join(directory, 'recordings') });
  const server = await TestServer.start(t, { store, photoStore: new FilePhotoStore(photoDirectory), recordingStore: recordings, ...options });
  const reviewer = (claims: Partial<ReviewerClaims> = {}) =>
    server.kit.issueToken({ role: 'reviewer', examId: EXAM, reviewerId: 'rev-1', name: 'Dr. Reyes', candidates: '*', ...claims });
  return {
    server,
    store,
    photoDirectory,
    recordings,
    tokens: {
      ada: await server.candidateToken('ada'),
      phone: await server.kit.issueToken({ role: 'phone', examId: EXAM, candidateId: 'ada', name: 'Candidate ada', sessionId: ADA, pairingId: PAIRING }),
      reviewer: await reviewer(),
      supervisor: await server.supervisorToken(['ada'], { supervisorId: 'sup-ada', name: 'Sam Supervisor' }),
      bobsReviewer: await reviewer({ reviewerId: 'rev-bob', candidates: ['bob'] }),
      bobsSupervisor: await server.supervisorToken(['bob']),
      otherExamReviewer: await reviewer({ examId: OTHER_EXAM, reviewerId: 'rev-other' }),
    },
  };
}

/** The review calls of one token holder (none: no Authorization header). */
export class ReviewCalls extends SessionRequests {
  constructor(server: TestServer, token: string | undefined, sessionId = ADA) {
    super(server, token, sessionId);
  }

  note(body: unknown = { at: Date.now(), text: 'Looked away twice.' }): Promise<Response> {
    return this.post('/notes', body);
  }

  flag(body: unknown = { from: T0 + 100_000, to: T0 + 160_000, feeds: ['webcam'], severity: 'medium', reason: 'talking' }): Promise<Response> {
    return this.post('/flags', body);
  }

  dismiss(seq: number | string = SIGNAL, body: unknown = { comment: 'Opened the calculator the exam allows.' }): Promise<Response> {
    return this.post(`/signals/${seq}/dismiss`, body);
  }

  verdict(body: unknown = { verdict: 'accepted' }): Promise<Response> {
    return this.post('/verdicts', body);
  }

  screenshot(image: Uint8Array<ArrayBuffer> = JPEG, { contentType = 'image/jpeg', query = 'feed=webcam&at=1700000000000&width=640&height=480' } = {}): Promise<Response> {
    return this.request(`/screenshots?${query}`, { method: 'POST', headers: { 'content-type': contentType }, body: image });
  }

  report(query = ''): Promise<Response> {
    return this.request(`/report${query}`);
  }
}

/** The JSON body of a 201, after checking the status. */
export async function created<T>(response: Response, key: string): Promise<T> {
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as Record<string, T>)[key]!;
}

/** The JSON body of a 200, after checking the status. */
export async function okJson<T>(response: Response): Promise<T> {
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as T;
}
