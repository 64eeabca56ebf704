// What <proctor-device-check> loads when it is created: its templates, its styles and core's
// DeviceCheck, in a chunk of their own, so pages without a device check never download them.
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import {
  BROWSER_FEATURES,
  BROWSER_FEATURE_LABELS,
  CHECK_NAMES,
  type CheckName,
  type CheckProgress,
  type CheckVerdict,
  type DeviceCheckResult,
  type DeviceCheckState,
  type ItemVerdict,
} from '@proctorkit/core';
import { cameraIcon, screenIcon } from '../shared/icons.js';
import { browserIcon, micIcon, networkIcon, verdictIcons } from './icons.js';

export { DeviceCheck } from '@proctorkit/core';
export { deviceCheckStyles } from './device-check.styles.js';

/** What the element gives its view to render. */
export interface ViewModel {
  state: DeviceCheckState | undefined;
  /** The microphone level now, 0–1. */
  level: number;
  announcement: string;
  start(): void;
  testScreen(): void;
}

const CHECK_LABEL: Record<CheckName, string> = {
  camera: 'Camera',
  microphone: 'Microphone',
  screen: 'Screen sharing',
  network: 'Connection',
  browser: 'Browser',
};
const CHECK_ICON = { camera: cameraIcon, microphone: micIcon, screen: screenIcon, network: networkIcon, browser: browserIcon };
const VERDICT_LABEL: Record<ItemVerdict, string> = { pass: 'Pass', warn: 'Warning', fail: 'Fail', skipped: 'Skipped' };
const OVERALL: Record<CheckVerdict, string> = {
  pass: 'Your setup is ready',
  warn: 'Your setup works, with something to fix',
  fail: 'Your setup needs fixing before the exam',
};
const STEP_LABEL = { ping: 'Measuring the round trip…', download: 'Measuring download…', upload: 'Measuring upload…' };
const SURFACE_LABEL: Record<string, string> = { monitor: 'Entire screen', window: 'A window', browser: 'A tab' };

const previews = new WeakMap<MediaStreamTrack, MediaStream>();
/** One stream per track: assigning `srcObject` again, as each meter update's render would, restarts the video. */
function previewStream(track: MediaStreamTrack): MediaStream {
  let stream = previews.get(track);
  if (!stream) previews.set(track, (stream = new MediaStream([track])));
  return stream;
}

const figure = (value: number | undefined, unit: string) => (value === undefined ? '—' : `${value.toLocaleString()} ${unit}`);

/** What a screen reader hears when the check completes: the outcome, then what to fix. */
export function completeAnnouncement(result: DeviceCheckResult): string {
  const toFix = CHECK_NAMES.filter((name) => result[name].verdict === 'warn' || result[name].verdict === 'fail');
  return `Check complete. ${OVERALL[result.verdict]}.${toFix.map((name) => ` ${CHECK_LABEL[name]}: ${result[name].message}`).join('')}`;
}

export function renderDeviceCheck(model: ViewModel) {
  const { state } = model;
  const started = state && state.phase !== 'idle';
  return html`
    <header>
      <h2>Check your setup</h2>
      ${started ? html`<button class="secondary" @click=${model.start}>Run again</button>` : nothing}
    </header>
    ${started
      ? html`<div class="checks" part="checks">
            ${card('camera', state, camera(state))} ${card('microphone', state, microphone(state, model.level))}
            ${card('screen', state, screen(state, model.testScreen))} ${card('network', state, network(state))}
            ${card('browser', state, browser(state))}
          </div>
          ${summary(state)}`
      : html`<section part="start">
          <p>
            This checks your camera, microphone, screen sharing, connection and browser, and says what to fix. Nothing is
            recorded or shown to anyone, and the camera and microphone turn off when the check ends.
          </p>
          <button class="primary" @click=${model.start}>Start the check</button>
        </section>`}
    <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${model.announcement}</div>
  `;
}

function card(name: CheckName, state: DeviceCheckState, body: unknown) {
  return html`<section class="card" part="card" data-check=${name} aria-labelledby="card-${name}">
    <h3 id="card-${name}"><span class="icon">${CHECK_ICON[name]}</span>${CHECK_LABEL[name]}</h3>
    ${state[name].result?.verdict === 'skipped' ? html`<p class="fine">Not tested.</p>` : body}
  </section>`;
}

function camera({ camera, preview, phase }: DeviceCheckState) {
  const result = camera.result;
  const placeholder = result?.verdict === 'fail' ? 'No picture' : phase === 'complete' ? 'Camera off' : 'Waiting for the camera…';
  return html`<div class="frame" part="preview">
      ${preview
        ? html`<video autoplay muted playsinline .muted=${true} .srcObject=${live(previewStream(preview))} aria-label="Your camera"></video>`
        : html`<span>${placeholder}</span>`}
    </div>
    <p class="figure">${result?.width ? `${result.width}×${result.height} · ${result.fps} fps` : camera.status === 'done' ? '—' : 'Measuring…'}</p>`;
}

function microphone({ microphone, phase }: DeviceCheckState, level: number) {
  const percent = Math.round(level * 100);
  const verdict = microphone.result?.verdict;
  const peak = microphone.result?.peak;
  const caption =
    phase === 'complete'
      ? `Microphone off.${peak === undefined ? '' : ` Loudest sound: ${Math.round(peak * 100)}%.`}`
      : microphone.status === 'running'
        ? 'Say something: the bar should move.'
        : verdict === 'pass'
          ? 'Sound heard'
          : 'No sound heard';
  return html`<div
      class="meter"
      part="meter"
      role="meter"
      aria-label="Microphone level"
      aria-valuemin="0"
      aria-valuemax="100"
      aria-valuenow=${percent}
      aria-valuetext="${percent}%"
    >
      <span style="width:${percent}%"></span>
    </div>
    <p class="fine">${caption}</p>`;
}

function screen({ screen }: DeviceCheckState, testScreen: () => void) {
  const result = screen.result;
  return html`${result && result.verdict !== 'fail'
      ? html`<p class="figure">${SURFACE_LABEL[result.surface ?? ''] ?? 'Shared'}</p>
          <p class="fine">${result.width ? `${result.width}×${result.height}, ` : ''}sharing stopped.</p>`
      : html`<p class="fine">Shares your screen once, then stops at once.</p>`}
    ${screen.status === 'running'
      ? html`<p class="fine">Waiting for your choice…</p>`
      : html`<button class=${result ? 'secondary' : 'primary'} @click=${testScreen}>${result ? 'Test again' : 'Test screen sharing'}</button>`}`;
}

function network({ network, networkStep }: DeviceCheckState) {
  const result = network.result;
  return html`<dl class="figures">
      <dt>Round trip</dt>
      <dd>${figure(result?.rttMs, 'ms')}</dd>
      <dt>Download</dt>
      <dd>${figure(result?.downloadMbps, 'Mbit/s')}</dd>
      <dt>Upload</dt>
      <dd>${figure(result?.uploadMbps, 'Mbit/s')}</dd>
    </dl>
    ${networkStep ? html`<p class="fine">${STEP_LABEL[networkStep]}</p>` : nothing}`;
}

function browser({ features }: DeviceCheckState) {
  return html`<ul class="features">
    ${BROWSER_FEATURES.map((feature) => {
      const supported = !!features?.[feature];
      return html`<li data-supported=${supported}>
        ${verdictIcons[supported ? 'pass' : 'fail']}${BROWSER_FEATURE_LABELS[feature]}<span class="visually-hidden"
          >: ${supported ? 'supported' : 'missing'}</span
        >
      </li>`;
    })}
  </ul>`;
}

function summary(state: DeviceCheckState) {
  const verdict = state.result?.verdict;
  return html`<section class="summary" part="summary" aria-labelledby="summary-title" data-verdict=${verdict ?? 'running'}>
    <h3 id="summary-title" tabindex="-1">
      <span class="icon" data-verdict=${verdict ?? 'pending'}>${verdictIcons[verdict ?? 'pending']}</span>
      ${verdict ? OVERALL[verdict] : 'Checking your setup…'}
    </h3>
    <ul>
      ${CHECK_NAMES.map((name) => row(name, state[name]))}
    </ul>
  </section>`;
}

function row(name: CheckName, progress: CheckProgress<{ verdict: ItemVerdict; message: string }>) {
  const result = progress.result;
  const verdict = result?.verdict ?? 'pending';
  return html`<li data-check=${name} data-verdict=${verdict}>
    <span class="icon" data-verdict=${verdict}>${verdictIcons[verdict]}</span>
    <span class="what"><strong>${CHECK_LABEL[name]}</strong> <span class="verdict">${result ? VERDICT_LABEL[result.verdict] : ''}</span></span>
    <span class="message">${result?.message ?? (progress.status === 'waiting' ? 'Waiting for you: test screen sharing above.' : 'Checking…')}</span>
  </li>`;
}
