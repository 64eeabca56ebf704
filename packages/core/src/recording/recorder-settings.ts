import type { Feed } from '../protocol/index.js';

/** How a feed is recorded. */
export interface RecorderSettings {
  /** Video bits per second. Chromium's default, ~2.5 Mbit/s at any size, is far more than a review needs. */
  videoBitsPerSecond: number;
  /** Milliseconds of recording per chunk: what a crash or a reload can lose at most. */
  timesliceMs: number;
  /** At most this long between keyframes, so a still screen stays seekable (Chromium 119+; ignored elsewhere). */
  keyframeIntervalMs: number;
}

/** The defaults: ~450 kbit/s for the webcam at 640×480@15, ~300 kbit/s for the screen and the phone, 4 s chunks. */
export const DEFAULT_RECORDER_SETTINGS: Readonly<Record<Feed, RecorderSettings>> = {
  webcam: { videoBitsPerSecond: 450_000, timesliceMs: 4_000, keyframeIntervalMs: 2_000 },
  screen: { videoBitsPerSecond: 300_000, timesliceMs: 4_000, keyframeIntervalMs: 2_000 },
  phone: { videoBitsPerSecond: 300_000, timesliceMs: 4_000, keyframeIntervalMs: 2_000 },
};

/**
 * H.264 in MP4 first: its encoder costs a fraction of VP8's (measured in headless Chromium, webcam
 * and screen at 15 fps: +1 % of a core against +39 % for VP8), Chromium has it since 126 and Safari
 * records nothing else; then VP8 in WebM (Firefox, older Chromium). The kit remuxes either into a
 * seekable file.
 */
const MIME_TYPES = ['video/mp4;codecs=avc1', 'video/webm;codecs=vp8', 'video/webm;codecs=vp9', 'video/webm', 'video/mp4'];
const WITH_AUDIO = ['video/mp4;codecs=avc1,mp4a.40.2', 'video/mp4;codecs=avc1,opus', 'video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm', 'video/mp4'];

/** The first MIME type this browser's `MediaRecorder` records, or `undefined` when it records none. */
export function recorderMimeType(withAudio = false): string | undefined {
  if (typeof MediaRecorder === 'undefined') return undefined;
  return (withAudio ? WITH_AUDIO : MIME_TYPES).find((type) => MediaRecorder.isTypeSupported(type));
}
