// What <proctor-phone> loads when it is created: its templates, its styles and core's PhoneSession,
// in a chunk of their own, so exam and supervisor pages never download them.
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { PAIRING_CODE_LENGTH, type PhoneState, type ProctorError } from '@proctorkit/core';
import { cameraIcon } from '../shared/icons.js';
import { recordingLine } from '../shared/recording-status.js';
import { formatBacklog } from '../shared/time-format.js';
import type { PhoneStatus } from './phone.component.js';

export { PhoneSession } from '@proctorkit/core';
export { readPairingCode, formatPairingCode } from './pairing-code.js';
export { phoneStyles } from './phone.styles.js';

/** What the element gives its view to render. */
export interface PhoneViewModel {
  status: PhoneStatus;
  state: PhoneState | undefined;
  /** No link: the short code is asked for. */
  askCode: boolean;
  code: string;
  codeProblem: string | undefined;
  /** How many cameras the phone has (0 until known). */
  cameras: number;
  typed(event: InputEvent): void;
  submit(event: SubmitEvent): void;
  retryCamera(): void;
  switchCamera(): void;
  dismissRoomScan(): void;
  reconnect(): void;
}

const CONNECTION_TEXT: Partial<Record<PhoneStatus, string>> = {
  pairing: 'Pairing with the exam…',
  connecting: 'Connecting…',
  reconnecting: 'Connection lost — reconnecting…',
};

const END_TEXT: Record<string, string> = {
  expired: 'Time is up: the exam has ended.',
  terminated: 'A supervisor ended the exam.',
  finished: 'The exam has ended.',
};

/** Camera problems as a phone user fixes them. */
function cameraProblem(error: ProctorError | undefined): string {
  if (error?.code === 'camera-denied') {
    return 'The camera is blocked for this page. Allow it in the browser’s site settings (the icon beside the address), then try again.';
  }
  return error?.message ?? 'The camera could not be started.';
}

const previews = new WeakMap<MediaStreamTrack, MediaStream>();
/** One stream per track, so re-rendering never restarts the preview. */
function previewStream(track: MediaStreamTrack): MediaStream {
  let stream = previews.get(track);
  if (!stream) previews.set(track, (stream = new MediaStream([track])));
  return stream;
}

export function renderPhone(model: PhoneViewModel) {
  const { status, state } = model;
  switch (status) {
    case 'idle':
      return renderConsent(model, model.askCode);
    case 'refused':
      return renderConsent(model, true, {
        title: 'This pairing cannot be used',
        text: `${state?.error?.message ?? ''} Scan it, or type the code shown beside it here.`,
        tone: 'danger',
      });
    case 'replaced':
      return renderConsent(model, true, {
        title: 'Another phone was paired',
        text: 'This phone no longer sends its camera: a newer pairing on the exam page replaced it. To use this phone again, show a new QR code on the exam page and scan it, or type its code here.',
        tone: 'info',
      });
    case 'ended':
      return renderEnded(state!);
    case 'error':
      return renderError(model, state?.error);
    default:
      return renderLive(model, state!);
  }
}

/** The consent step; after a refused link or a replaced phone, with what happened first (consent was given on this page already). */
function renderConsent(model: PhoneViewModel, askCode: boolean, problem?: { title: string; text: string; tone: 'danger' | 'info' }) {
  const codeInvalid = !!model.codeProblem;
  return html`<section part="consent" aria-labelledby="title">
    <h2 id="title" tabindex="-1">${problem?.title ?? 'Use this phone as a room camera'}</h2>
    ${problem ? html`<p class="problem" part="problem" role="alert" data-tone=${problem.tone}>${problem.text}</p>` : nothing}
    <p>This phone’s camera shows your room to the exam supervisor during your exam, beside your webcam and your screen.</p>
    ${problem
      ? nothing
      : html`<ul class="facts">
            <li>Only the picture is sent — no sound.</li>
            <li>Nothing is sent until you tap “Connect this phone”. It stops when the exam ends or you close this page.</li>
            <li>The picture is also recorded for review after the exam, and kept only as long as the exam site’s privacy notice says.</li>
            <li>A supervisor may ask you to show your room with it.</li>
          </ul>
          <slot name="privacy"></slot>`}
    <form novalidate @submit=${model.submit}>
      ${askCode
        ? html`<label for="code">Code shown on the exam page</label>
            <p id="code-hint" class="fine">8 letters and digits, like K7MQ-2PXW</p>
            <input
              id="code"
              class="code"
              part="code"
              name="code"
              type="text"
              inputmode="text"
              autocapitalize="characters"
              autocomplete="one-time-code"
              autocorrect="off"
              spellcheck="false"
              enterkeyhint="go"
              maxlength=${PAIRING_CODE_LENGTH + 1}
              aria-describedby=${codeInvalid ? 'code-hint code-problem' : 'code-hint'}
              aria-invalid=${codeInvalid ? 'true' : 'false'}
              .value=${live(model.code)}
              @input=${model.typed}
            />
            ${codeInvalid ? html`<p id="code-problem" class="error">${model.codeProblem}</p>` : nothing}`
        : nothing}
      <button class="primary" type="submit">Connect this phone</button>
    </form>
  </section>`;
}

function renderLive(model: PhoneViewModel, state: PhoneState) {
  const { status } = model;
  const camera = state.camera;
  const sending = status === 'connected' && camera.state === 'live';
  let text = CONNECTION_TEXT[status] ?? '';
  if (status === 'connected') {
    text =
      camera.state === 'live'
        ? 'Connected — the supervisor can see this camera'
        : camera.state === 'failed'
          ? 'Connected — the camera is off'
          : 'Connected — starting the camera…';
  }
  const front = state.facing === 'user';
  return html`
    <h2 id="title" tabindex="-1">Room camera${state.name ? html` <span class="who">for ${state.name}’s exam</span>` : nothing}</h2>
    <p class="status" part="status" role="status" data-status=${sending ? 'sending' : status}>
      <span class="dot" aria-hidden="true"></span>${text}
    </p>
    ${renderRecording(state)}
    <div class="scan-region" role="alert">${state.roomScan ? renderRoomScan(model, state.roomScan.from) : nothing}</div>
    <figure class="preview" part="preview" data-facing=${state.facing}>
      ${camera.track
        ? html`<video autoplay muted playsinline .muted=${true} .srcObject=${live(previewStream(camera.track))} aria-label="Camera preview"></video>`
        : html`<span>${camera.state === 'failed' ? 'Camera off' : 'Starting the camera…'}</span>`}
    </figure>
    ${camera.state === 'failed'
      ? html`<div class="problem" part="problem" role="alert">
          <p>${cameraProblem(camera.error)}</p>
          <button class="primary" @click=${model.retryCamera}>Try the camera again</button>
        </div>`
      : nothing}
    <div class="actions">
      ${model.cameras > 1
        ? html`<button class="secondary" ?disabled=${camera.state === 'starting'} @click=${model.switchCamera}>
            ${cameraIcon}${front ? 'Switch to the back camera' : 'Switch to the front camera'}
          </button>`
        : nothing}
    </div>
    <p class="fine">
      Keep this page open. Prop the phone up about 1–2 m away, to one side, so that it shows you, your desk and your screen;
      plug it in if you can.
    </p>
  `;
}

function renderRoomScan(model: PhoneViewModel, from: string | undefined) {
  return html`<div class="room-scan" part="room-scan">
    <p><strong>Show your room${from ? `, ${from} asks` : ''}.</strong> Hold the phone up and turn slowly around with it: the whole room, then your desk, the floor around you and under the desk.</p>
    <button class="primary" @click=${model.dismissRoomScan}>Done</button>
  </div>`;
}

/** Whether the exam ended with recording left to upload (its last chunk may still be being written). */
function uploadingAfterEnd(state: PhoneState): boolean {
  const recording = state.recording;
  return !!state.ended && !!recording && (recording.recording.length > 0 || recording.pendingChunks > 0);
}

/** Whether the camera is recorded and what still waits to upload, in the exam page's words; after the exam, to keep the page open until it is uploaded. */
function renderRecording(state: PhoneState) {
  const recording = state.recording;
  if (!recording) return nothing;
  const line = uploadingAfterEnd(state) && !(recording.problem && recording.pendingChunks > 0)
    ? { phase: 'uploading', text: `Uploading the recording${recording.pendingChunks > 0 ? `: ${formatBacklog(recording.pendingMs)} waiting to upload` : ''}. Keep this page open.` }
    : recordingLine(recording);
  return line ? html`<p class="recording" part="recording" data-state=${line.phase} role="status">${line.text}</p>` : nothing;
}

function renderEnded(state: PhoneState) {
  const uploading = uploadingAfterEnd(state);
  return html`<section class="ended" part="ended" aria-labelledby="title">
    <h2 id="title" tabindex="-1">Exam ended</h2>
    <p>${END_TEXT[state.ended!.reason] ?? END_TEXT.finished} ${uploading ? 'The camera is off.' : 'The camera is off: you can close this page.'}</p>
    ${renderRecording(state)}
  </section>`;
}

function renderError(model: PhoneViewModel, error: ProctorError | undefined) {
  const elsewhere = error?.code === 'replaced';
  return html`<section aria-labelledby="title">
    <h2 id="title" tabindex="-1">${elsewhere ? 'Open on another page' : 'Cannot connect'}</h2>
    <p class="problem" part="problem" role="alert">
      ${elsewhere ? 'This phone page is open in another tab or window, which now sends the camera.' : (error?.message ?? 'The connection was closed.')}
    </p>
    <div class="actions">
      <button class="primary" @click=${model.reconnect}>${elsewhere ? 'Use this page instead' : 'Try again'}</button>
    </div>
  </section>`;
}
