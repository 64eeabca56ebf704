import { html, nothing } from 'lit';
import type { RecordingStatus } from '@proctorkit/core';
import { formatBacklog } from '../shared/time-format.js';

/**
 * What the ended page says of the recording still on this computer: how much is left of what
 * waited when the exam ended, with a progress bar, until the kit stored it all (`saved`); once the
 * page waited as long as the host allows, that the rest uploads the next time the exam page is opened here.
 */
export function renderUploadAtEnd(recording: RecordingStatus | undefined, recorded: boolean, saved: boolean, backlogAtEndMs: number, waitOver: boolean) {
  if (!recording || !recorded) return nothing;
  if (saved) {
    return html`<p class="upload-at-end" part="upload" data-state="done" role="status">The recording is saved. You may close this page.</p>`;
  }
  const left = recording.pendingMs;
  const total = Math.max(backlogAtEndMs, left);
  const advice = waitOver
    ? 'You may close this page: the rest uploads the next time you open this exam page on this computer. Keeping it open finishes sooner.'
    : 'Keep this page open until it is done.';
  const progress = left > 0 ? `: ${formatBacklog(left)} of ${formatBacklog(total)} left to upload` : '';
  return html`<div class="upload-at-end" part="upload" data-state=${waitOver ? 'later' : 'uploading'}>
    <p role="status">Saving the recording${progress}. ${advice}</p>
    ${left > 0
      ? html`<progress max=${total} .value=${total - left} aria-label="Recording uploaded"></progress>`
      : html`<progress aria-label="Saving the recording"></progress>`}
    ${recording.problem ? html`<p class="fine">${recording.problem}</p>` : nothing}
  </div>`;
}
