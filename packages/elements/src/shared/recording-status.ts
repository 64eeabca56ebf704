import type { RecordingStatus } from '@proctorkit/core';
import { formatBacklog } from './time-format.js';

/** How a recording page's status line reads: its `data-state` and its words. */
export interface RecordingLine {
  phase: 'recording' | 'uploading' | 'problem';
  text: string;
}

/**
 * The candidate's and the phone's recording status, in a few words: recording, what waits to
 * upload, or the problem. `undefined` when there is nothing to say.
 */
export function recordingLine(recording: RecordingStatus): RecordingLine | undefined {
  const waiting = recording.pendingChunks > 0 ? `${formatBacklog(recording.pendingMs)} waiting to upload` : '';
  if (recording.problem && waiting) return { phase: 'problem', text: `${recording.problem} (${waiting})` };
  if (recording.recording.length > 0) return { phase: 'recording', text: waiting ? `Recording · ${waiting}` : 'Recording' };
  if (waiting) return { phase: 'uploading', text: `Uploading the recording: ${waiting}` };
  return recording.problem ? { phase: 'problem', text: recording.problem } : undefined;
}
