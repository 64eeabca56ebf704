import { meanLuminance } from '../integrity/webcam-watch.js';
import type { CameraMeasurement } from './verdicts.js';

/** How long the camera's frames are counted, ms. */
export const CAMERA_PROBE_MS = 1000;

type FrameCallbackVideo = HTMLVideoElement & {
  requestVideoFrameCallback?(callback: (now: number, metadata: { mediaTime: number }) => void): number;
  cancelVideoFrameCallback?(handle: number): void;
};

/**
 * Measures a live camera track: its size, its frame rate over `durationMs`, and the brightness of
 * one frame. Plays the track in a detached, muted `<video>` for that time; never stops the track.
 *
 * Frames are counted where the browser counts them for the track (`track.stats`, Chromium: also in
 * a background tab), else with `requestVideoFrameCallback` (which background tabs do not fire),
 * else the frame rate is the one the camera reports (`getSettings().frameRate`).
 */
export async function probeCamera(track: MediaStreamTrack, durationMs = CAMERA_PROBE_MS): Promise<CameraMeasurement> {
  const video = document.createElement('video') as FrameCallbackVideo;
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  try {
    await video.play().catch(() => undefined);
    const count = frameCounter(track, video);
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, durationMs));
    const frames = count();
    const settings = track.getSettings();
    const seconds = (performance.now() - started) / 1000;
    const width = video.videoWidth || settings.width || 0;
    const height = video.videoHeight || settings.height || 0;
    const brightness = readBrightness(video);
    return {
      width,
      height,
      fps: frames === undefined ? (settings.frameRate ?? 0) : frames / seconds,
      ...(brightness === undefined ? {} : { brightness }),
    };
  } finally {
    video.pause();
    video.srcObject = null;
  }
}

/** Starts counting new frames; the function it returns stops and says how many (`undefined`: cannot count). */
function frameCounter(track: MediaStreamTrack, video: FrameCallbackVideo): () => number | undefined {
  const stats = (track as MediaStreamTrack & { stats?: { totalFrames?: number } }).stats;
  if (typeof stats?.totalFrames === 'number') {
    const first = stats.totalFrames;
    return () => stats.totalFrames! - first;
  }
  if (!video.requestVideoFrameCallback) return () => undefined;
  const seen = new Set<number>();
  let handle = 0;
  const onFrame = (_now: number, { mediaTime }: { mediaTime: number }) => {
    seen.add(mediaTime);
    handle = video.requestVideoFrameCallback!(onFrame);
  };
  handle = video.requestVideoFrameCallback(onFrame);
  return () => {
    video.cancelVideoFrameCallback?.(handle);
    // A hidden page fires no callbacks at all: that says nothing about the camera.
    return seen.size === 0 && document.visibilityState === 'hidden' ? undefined : seen.size;
  };
}

/** Mean luminance of the video's current frame on a 32×24 thumbnail, or `undefined` before any frame. */
function readBrightness(video: HTMLVideoElement): number | undefined {
  if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return undefined;
  const canvas = document.createElement('canvas');
  canvas.width = 32;
  canvas.height = 24;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return undefined;
  context.drawImage(video, 0, 0, canvas.width, canvas.height);
  return meanLuminance(context.getImageData(0, 0, canvas.width, canvas.height).data);
}
