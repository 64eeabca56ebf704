/** Session records with an ended clock, recording runs and identity photos, for the store tests. */
import { newClock, noFeeds, type ClockState, type IdentityPhoto } from '@proctorkit/core/protocol';
import type { SessionRecord, StoredRun } from './session-store.js';

/** An exam clock that ran and ended at `endedAt`. */
export function endedClock(endedAt: number): ClockState {
  return { ...newClock(3_600_000), startedAt: endedAt - 60_000, endedAt, endReason: 'expired' };
}

/** A session of `exam-1` without media, ended at `endedAt` (`null`: still going). */
export function session(candidateId: string, endedAt: number | null): SessionRecord {
  return {
    sessionId: `session-${candidateId}`,
    examId: 'exam-1',
    candidateId,
    name: `Candidate ${candidateId}`,
    connected: false,
    feeds: noFeeds(),
    joinedAt: 1,
    clock: endedAt === null ? newClock(3_600_000) : endedClock(endedAt),
  };
}

/** A finished webcam run. */
export function run(runId: string): StoredRun {
  return { feed: 'webcam', runId, mimeType: 'video/webm', startedAt: 1, state: 'complete', endedAt: 2, chunks: 1 };
}

export const photo: IdentityPhoto = { photoId: 'photo-1', kind: 'face', contentType: 'image/png', bytes: 10, at: 5 };
