import type { ProctorError } from '../errors.js';
import { DARK_LUMINANCE } from '../integrity/webcam-watch.js';
import { BROWSER_FEATURE_LABELS, BROWSER_FEATURES, REQUIRED_FEATURES, type BrowserFeature } from './browser-support.js';
import type { DeviceCheckThresholds } from './thresholds.js';

/** How one check went: fine, works with a problem worth fixing, or blocks a supervised exam. */
export type CheckVerdict = 'pass' | 'warn' | 'fail';

/** A check's verdict, or `skipped` when the page left it out. */
export type ItemVerdict = CheckVerdict | 'skipped';

/** The five checks of a device check, in the order they are shown. */
export const CHECK_NAMES = ['camera', 'microphone', 'screen', 'network', 'browser'] as const;

/** One of {@link CHECK_NAMES}. */
export type CheckName = (typeof CHECK_NAMES)[number];

/** The browser's verdict, with what it lacks. */
export type BrowserResult = { verdict: ItemVerdict; message: string; missing: BrowserFeature[] };

/** The camera's verdict, with what it delivered (absent when it could not start). */
export type CameraResult = { verdict: ItemVerdict; message: string; width?: number; height?: number; fps?: number };

/** The microphone's verdict, with the loudest level heard (0–1). */
export type MicrophoneResult = { verdict: ItemVerdict; message: string; peak?: number };

/** The screen share's verdict: what was shared (`monitor`, `window`, `browser`) and its size. */
export type ScreenResult = { verdict: ItemVerdict; message: string; surface?: string; width?: number; height?: number };

/** The connection's verdict, from real transfers to the server kit. */
export type NetworkResult = {
  verdict: ItemVerdict;
  message: string;
  /** Median round trip of small requests, ms. */
  rttMs?: number;
  downloadMbps?: number;
  uploadMbps?: number;
  /** Bytes actually received by the download test. */
  downloadBytes?: number;
  /** Bytes the server confirmed receiving in the upload test. */
  uploadBytes?: number;
};

/**
 * A finished device check, small enough (well under 2 KB of JSON) to go into a session's log:
 * `candidate.log('device-check.completed', result)`. Holds figures and sentences, no media.
 */
export type DeviceCheckResult = {
  /** The worst verdict of the checks that ran. */
  verdict: CheckVerdict;
  /** When the check finished, ms since the epoch by this computer's clock. */
  at: number;
  camera: CameraResult;
  microphone: MicrophoneResult;
  screen: ScreenResult;
  network: NetworkResult;
  browser: BrowserResult;
};

/** What the camera delivered during its probe. */
export interface CameraMeasurement {
  width: number;
  height: number;
  /** Frames per second, measured from the live track (or as the camera reports it where it cannot be measured). */
  fps: number;
  /** Mean luminance 0–255 of one frame, when one could be read. */
  brightness?: number;
}

/** Why a microphone could not be listened to. */
export type MicrophoneProblem = 'denied' | 'missing' | 'in-use' | 'unsupported';

/** What a screen share gave. */
export interface ScreenMeasurement {
  /** `getSettings().displaySurface`: `monitor`, `window` or `browser`; absent where the browser does not say. */
  surface?: string;
  width?: number;
  height?: number;
}

/** What {@link measureNetwork} measured. */
export interface NetworkMeasurement {
  rttMs: number;
  downloadMbps: number;
  uploadMbps: number;
  downloadBytes: number;
  uploadBytes: number;
}

const BROWSERS = 'Use a current Chrome, Edge, Firefox or Safari on a computer.';
const CONNECTION_FIX = 'Move closer to the Wi-Fi router or use a cable, and pause downloads, cloud sync and video calls.';

export function judgeBrowser(features: Record<BrowserFeature, boolean>, needsScreen: boolean): BrowserResult {
  const missing = BROWSER_FEATURES.filter((feature) => !features[feature] && (needsScreen || feature !== 'screen-sharing'));
  const blocking = missing.filter((feature) => REQUIRED_FEATURES.includes(feature));
  const list = (of: BrowserFeature[]) => of.map((feature) => lowerFirst(BROWSER_FEATURE_LABELS[feature])).join(', ');
  if (missing.includes('secure-context')) {
    return { verdict: 'fail', missing, message: 'This page is not secure (no https), so the browser blocks the camera. Open the exam at its https:// address.' };
  }
  if (blocking.length > 0) return { verdict: 'fail', missing, message: `This browser lacks ${list(blocking)}. ${BROWSERS}` };
  if (missing.length > 0) return { verdict: 'warn', missing, message: `This browser lacks ${list(missing)}. Supervision works, but for the best result: ${lowerFirst(BROWSERS)}` };
  return { verdict: 'pass', missing, message: 'Your browser has everything supervision needs.' };
}

export function judgeCamera(measured: CameraMeasurement | ProctorError, t: DeviceCheckThresholds): CameraResult {
  if (measured instanceof Error) return { verdict: 'fail', message: measured.message };
  const fps = Math.round(measured.fps);
  const { width, height } = measured;
  const figures = { width, height, fps };
  if (measured.fps < t.cameraFailFps) {
    return { verdict: 'fail', ...figures, message: `Your camera sends almost no picture (${fps} frames per second). Close other apps that use the camera, then run the check again.` };
  }
  if (measured.brightness !== undefined && measured.brightness < DARK_LUMINANCE) {
    return { verdict: 'warn', ...figures, message: 'Your camera’s picture is black. Uncover the lens or turn on a light, then run the check again.' };
  }
  if (Math.max(width, height) < t.cameraMinWidth || Math.min(width, height) < t.cameraMinHeight) {
    return { verdict: 'warn', ...figures, message: `Your camera’s picture is small (${width}×${height}; ${t.cameraMinWidth}×${t.cameraMinHeight} or more is best). Supervisors may not see you clearly: use a better camera if you can.` };
  }
  if (measured.fps < t.cameraWarnFps) {
    return { verdict: 'warn', ...figures, message: `Your camera is slow (${fps} frames per second; ${t.cameraWarnFps} or more is best). Add light, or close other apps that use the camera.` };
  }
  return { verdict: 'pass', ...figures, message: `Your camera works: ${width}×${height} at ${fps} frames per second.` };
}

const MICROPHONE_PROBLEM: Record<MicrophoneProblem, string> = {
  denied: 'Microphone access was blocked. Allow the microphone for this site in the browser’s address bar, then run the check again.',
  missing: 'No microphone was found. Connect one (a headset works), then run the check again.',
  'in-use': 'The microphone could not be started. Close other apps that use it, then run the check again.',
  unsupported: `This browser cannot measure sound. ${BROWSERS}`,
};

/**
 * The microphone's verdict. Proctorkit sends no sound today, so a microphone problem warns and
 * never fails: it is worth fixing, but does not stop a supervised exam.
 */
export function judgeMicrophone(measured: { peak: number } | MicrophoneProblem, t: DeviceCheckThresholds): MicrophoneResult {
  if (typeof measured === 'string') return { verdict: 'warn', message: MICROPHONE_PROBLEM[measured] };
  const peak = Math.round(measured.peak * 100) / 100;
  if (measured.peak >= t.micHeardLevel) return { verdict: 'pass', peak, message: 'Your microphone works: it picks up sound.' };
  return {
    verdict: 'warn',
    peak,
    message: `We heard no sound in ${Math.round(t.micListenMs / 1000)} seconds. Check that your microphone is not muted, speak, and run the check again.`,
  };
}

const SURFACE_NAME: Record<string, string> = { window: 'a window', browser: 'a browser tab' };

export function judgeScreen(measured: ScreenMeasurement | ProctorError): ScreenResult {
  if (measured instanceof Error) {
    return measured.code === 'screen-unsupported'
      ? { verdict: 'fail', message: `This browser cannot share the screen. ${BROWSERS}` }
      : { verdict: 'fail', message: 'Screen sharing was cancelled or blocked. Try again and choose your entire screen; if nothing is offered, allow screen sharing in the browser’s settings.' };
  }
  const { surface, width, height } = measured;
  const figures = { ...(surface ? { surface } : {}), ...(width && height ? { width, height } : {}) };
  const size = width && height ? ` (${width}×${height})` : '';
  const shared = surface ? SURFACE_NAME[surface] : undefined;
  if (shared) {
    return { verdict: 'warn', ...figures, message: `You shared ${shared}, not your entire screen. The exam needs your entire screen: choose it when the browser asks.` };
  }
  return { verdict: 'pass', ...figures, message: `Screen sharing works${surface === 'monitor' ? ': your entire screen' : ''}${size}.` };
}

export function judgeNetwork(measured: NetworkMeasurement | ProctorError, t: DeviceCheckThresholds): NetworkResult {
  if (measured instanceof Error) return { verdict: 'fail', message: measured.message };
  const rttMs = Math.round(measured.rttMs * 10) / 10;
  const downloadMbps = roundMbps(measured.downloadMbps);
  const uploadMbps = roundMbps(measured.uploadMbps);
  const figures = { rttMs, downloadMbps, uploadMbps, downloadBytes: measured.downloadBytes, uploadBytes: measured.uploadBytes };
  const rtt = Math.round(measured.rttMs);
  const problem: [CheckVerdict, string] | undefined =
    measured.rttMs > t.rttFailMs
      ? ['fail', `Your connection is very slow to answer (${rtt} ms round trip).`]
      : measured.uploadMbps < t.uploadFailMbps
        ? ['fail', `Your upload is too slow (${uploadMbps} Mbit/s; at least ${t.uploadFailMbps} is needed).`]
        : measured.rttMs > t.rttWarnMs
          ? ['warn', `Your connection is slow to answer (${rtt} ms round trip): messages may lag.`]
          : measured.uploadMbps < t.uploadWarnMbps
            ? ['warn', `Your upload is slow (${uploadMbps} Mbit/s; ${t.uploadWarnMbps} or more is best): supervisors may see a blurry picture.`]
            : measured.downloadMbps < t.downloadWarnMbps
              ? ['warn', `Your download is slow (${downloadMbps} Mbit/s; ${t.downloadWarnMbps} or more is best).`]
              : undefined;
  if (problem) return { verdict: problem[0], ...figures, message: `${problem[1]} ${CONNECTION_FIX}` };
  return {
    verdict: 'pass',
    ...figures,
    message: `Your connection is good: ${rttMs} ms round trip, ${downloadMbps} Mbit/s down, ${uploadMbps} Mbit/s up.`,
  };
}

/** The worst verdict among those that ran; `pass` when every check was skipped. */
export function overallVerdict(verdicts: readonly ItemVerdict[]): CheckVerdict {
  if (verdicts.includes('fail')) return 'fail';
  return verdicts.includes('warn') ? 'warn' : 'pass';
}

/** Mbit/s to one decimal below 10, whole above: as precise as a connection's speed ever is. */
function roundMbps(mbps: number): number {
  return mbps >= 10 ? Math.round(mbps) : Math.round(mbps * 10) / 10;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
