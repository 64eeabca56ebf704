import { html, nothing } from 'lit';
import type { RecordingStatus } from '@proctorkit/core';
import { formatBacklog } from '../shared/time-format.js';

/**
 * What the ended page says of the recording still on this computer: how much is left of what
 * waited when the exam ended, with a progress bar, until it is all stored; once the page waited
 * as long as the host allows, that the rest uploads the next time the exam page is opened here.
 */
export function renderUploadAtEnd(recording: RecordingStatus | undefined, backlogAtEndMs: number, waitOver: boolean) {
  if (!recording || backlogAtEndMs === 0) return nothing;
  if (recording.pendingChunks === 0) {
    return html`<p class="upload-at-end" part="upload" data-state="done" role="status">The recording is saved. You may close this page.</p>`;
  }
  const left = recording.pendingMs;
  const total = Math.max(backlogAtEndMs, left);
  const advice = waitOver
    ? 'You may close this page: the rest uploads the next time you open this exam page on this computer. Keeping it open finishes sooner.'
    : 'Keep this page open until it is done.';
  return html`<div class="upload-at-end" part="upload" data-state=${waitOver ? 'later' : 'uploading'}>
    <p role="status">Saving the recording: ${formatBacklog(left)} of ${formatBacklog(total)} left to upload. ${advice}</p>
    <progress max=${total} .value=${total - left} aria-label="Recording uploaded"></progress>
    ${recording.problem ? html`<p class="fine">${recording.problem}</p>` : nothing}
  </div>`;
}
