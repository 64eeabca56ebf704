import { recordingContainer, type Feed } from '@proctorkit/core/protocol';

/** Every object of a session's recordings lies under this prefix. */
export function sessionRecordingsPrefix(sessionId: string): string {
  return `recordings/${sessionId}/`;
}

/** The chunks of one run lie under this prefix. */
export function runChunksPrefix(sessionId: string, feed: Feed, runId: string): string {
  return `recordings/${sessionId}/${feed}/${runId}/`;
}

/** One chunk: its number padded so that key order is chunk order. */
export function chunkKey(sessionId: string, feed: Feed, runId: string, seq: number): string {
  return `${runChunksPrefix(sessionId, feed, runId)}${String(seq).padStart(6, '0')}`;
}

/** The chunk number of a chunk key. */
export function chunkSeq(key: string): number {
  return Number(key.slice(key.lastIndexOf('/') + 1));
}

/** A run's finished file. */
export function runFileKey(sessionId: string, feed: Feed, runId: string, mimeType: string): string {
  return `recordings/${sessionId}/${feed}/${runId}.${recordingContainer(mimeType) === 'video/mp4' ? 'mp4' : 'webm'}`;
}
