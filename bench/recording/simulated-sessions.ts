// The sessions `npm run bench:recording` uploads to: the kit process seeds them in its store, the
// load generator signs their candidates' tokens with the same secret. Both name session i alike.
import { newClock, noFeeds } from '@proctorkit/core/protocol';
import type { KitLimits, SessionRecord } from '@proctorkit/server-kit';

export const EXAM_ID = 'bench-recording';

/**
 * What the kit under load allows beyond its defaults. A simulated uploader sends chunk after chunk
 * as fast as the kit answers, far above a real page's one per feed every 4 s (45 requests a
 * minute for three feeds), so the per-person request rate is raised; the byte quota stays.
 */
export const LOAD_LIMITS: Partial<KitLimits> = { requestsPerMinute: 1_000_000 };

export const sessionId = (index: number) => `bench-rec-${String(index + 1).padStart(5, '0')}`;
export const candidateId = (index: number) => `cand-${String(index + 1).padStart(5, '0')}`;

/** Session `index` as the store keeps it: joined a minute ago, its exam clock running for an hour. */
export function sessionRecord(index: number): SessionRecord {
  const now = Date.now();
  return {
    sessionId: sessionId(index),
    examId: EXAM_ID,
    candidateId: candidateId(index),
    name: `Candidate ${index + 1}`,
    connected: true,
    feeds: noFeeds(),
    joinedAt: now - 60_000,
    clock: { ...newClock(3_600_000), startedAt: now - 60_000 },
  };
}
