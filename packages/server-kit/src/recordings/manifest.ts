import { FEEDS, type GapReason, type RecordingManifest, type RecordingRun, type RunEndReason } from '@proctorkit/core/protocol';
import type { SessionRecord, StoredRun } from '../store/session-store.js';
import type { Recordings } from './recordings.js';

const GAP_REASON: Record<RunEndReason, GapReason> = {
  'share-stopped': 'share-stopped',
  'camera-lost': 'camera-lost',
  'page-closed': 'page-closed',
  'exam-ended': 'unknown',
  stopped: 'unknown',
};

/**
 * The session's recordings as `GET …/recordings` answers them: each feed's runs in order with where
 * they are, and the gaps between a feed's runs with the reason the run before the gap ended.
 * `fileUrl` makes the path that serves a finished run.
 */
export async function recordingManifest(record: SessionRecord, recordings: Recordings, fileUrl: (run: StoredRun) => string): Promise<RecordingManifest> {
  const runs = record.recordings ?? [];
  const manifest: RecordingManifest = { recordings: [], gaps: [] };
  for (const feed of FEEDS) {
    const ofFeed = runs.filter((run) => run.feed === feed);
    if (ofFeed.length === 0) continue;
    manifest.recordings.push({ feed, runs: await Promise.all(ofFeed.map((run) => manifestRun(record, run, recordings, fileUrl))) });
    for (let i = 1; i < ofFeed.length; i++) {
      const before = ofFeed[i - 1]!;
      const after = ofFeed[i]!;
      const from = before.endedAt ?? before.startedAt;
      if (after.startedAt > from) manifest.gaps.push({ feed, from, to: after.startedAt, reason: before.endReason ? GAP_REASON[before.endReason] : 'page-closed' });
    }
  }
  return manifest;
}

async function manifestRun(record: SessionRecord, run: StoredRun, recordings: Recordings, fileUrl: (run: StoredRun) => string): Promise<RecordingRun> {
  const base = { runId: run.runId, startedAt: run.startedAt, endedAt: run.endedAt ?? null, mimeType: run.mimeType, state: run.state };
  if (run.file) {
    return { ...base, durationMs: run.file.durationMs, bytes: run.file.bytes, url: fileUrl(run), chunks: { received: run.chunks ?? 0, missing: [] } };
  }
  const { seqs, bytes } = await recordings.storedChunks(record.sessionId, run);
  // Every chunk is in, yet no file: the finish was cut short (a restart, a crash). Finish it now.
  if (run.state === 'uploading' && run.chunks !== undefined && seqs.length >= run.chunks) recordings.finishWhenComplete(record.sessionId, run.runId);
  const have = new Set(seqs);
  // Known missing: below the run's end, or below the highest chunk that arrived.
  const upTo = run.chunks ?? seqs.reduce((top, seq) => Math.max(top, seq + 1), 0);
  const missing: number[] = [];
  for (let seq = 0; seq < upTo && missing.length < 1000; seq++) if (!have.has(seq)) missing.push(seq);
  return { ...base, durationMs: null, bytes, url: null, chunks: { received: seqs.length, missing } };
}
