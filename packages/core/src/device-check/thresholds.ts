/**
 * Where a device check draws its lines between pass, warn and fail. The defaults are sized for
 * what Proctorkit sends: up to three thumbnails (webcam, screen, phone) of 320×240 at 15 fps and
 * 150 kbit/s each, and one feed at full quality (webcam 1 Mbit/s) while a supervisor looks closer.
 */
export interface DeviceCheckThresholds {
  /** A camera picture narrower than this warns (either orientation). Default 640. */
  cameraMinWidth: number;
  /** A camera picture shorter than this warns (either orientation): 640×360 (16:9) still shows a face well. Default 360. */
  cameraMinHeight: number;
  /** A camera slower than this (frames per second) warns: movements look jerky. Default 10. */
  cameraWarnFps: number;
  /** A camera slower than this fails: it sends almost no picture. Default 2. */
  cameraFailFps: number;
  /**
   * A microphone level (0–1, see {@link microphoneLevel}) at or above this counts as sound heard.
   * Default 0.33, about −40 dBFS: speech at arm's length, well above a quiet room.
   */
  micHeardLevel: number;
  /** How long the microphone is listened to for sound before it warns, ms. Default 8000. */
  micListenMs: number;
  /** A round trip to the server slower than this warns, ms: commands and messages lag. Default 300. */
  rttWarnMs: number;
  /** A round trip slower than this fails, ms: live supervision is unusable. Default 1000. */
  rttFailMs: number;
  /** Upload below this warns, Mbit/s: a supervisor's close-up (1 Mbit/s) plus thumbnails will not fit. Default 1.5. */
  uploadWarnMbps: number;
  /** Upload below this fails, Mbit/s: three thumbnails (0.45 Mbit/s) plus overhead will not fit. Default 0.5. */
  uploadFailMbps: number;
  /** Download below this warns, Mbit/s. A candidate receives little, so slow download never fails. Default 1. */
  downloadWarnMbps: number;
}

/** The thresholds a device check uses unless told otherwise. */
export const DEFAULT_THRESHOLDS: Readonly<DeviceCheckThresholds> = Object.freeze({
  cameraMinWidth: 640,
  cameraMinHeight: 360,
  cameraWarnFps: 10,
  cameraFailFps: 2,
  micHeardLevel: 0.33,
  micListenMs: 8000,
  rttWarnMs: 300,
  rttFailMs: 1000,
  uploadWarnMbps: 1.5,
  uploadFailMbps: 0.5,
  downloadWarnMbps: 1,
});

/**
 * A microphone level from 0 to 1 for samples in −1…1: their RMS on a decibel scale, where
 * −60 dBFS (silence) is 0 and 0 dBFS (full scale) is 1. Linear in decibels, so a meter moves as
 * loudness is heard rather than jumping only for shouts.
 */
export function microphoneLevel(samples: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  const rms = samples.length === 0 ? 0 : Math.sqrt(sum / samples.length);
  if (rms === 0) return 0;
  return Math.min(1, Math.max(0, (20 * Math.log10(rms) + 60) / 60));
}
