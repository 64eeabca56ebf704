import type { SignalCode } from '../protocol/index.js';

/** Mean luminance (0–255) below which a frame counts as dark: a covered lens, not a dim room. */
export const DARK_LUMINANCE = 10;
/** Dark samples in a row that make a covered webcam: a blink of darkness is no cover. */
export const DARK_SAMPLES = 3;
/** Frames are judged on a thumbnail: enough to tell black from a face, cheap to read back. */
const SAMPLE_WIDTH = 32;
const SAMPLE_HEIGHT = 24;

/** Mean luma (ITU-R BT.601) of RGBA pixels, 0–255. */
export function meanLuminance(rgba: Uint8ClampedArray): number {
  let sum = 0;
  for (let i = 0; i < rgba.length; i += 4) sum += 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
  return rgba.length === 0 ? 0 : sum / (rgba.length / 4);
}

export interface WebcamWatchOptions {
  /** How often a frame is looked at, ms. */
  sampleMs: number;
  /** How long without a new frame makes `webcam-no-frames`, ms. */
  noFramesMs: number;
  /** A background page may stop rendering video, so frames are not expected from it. */
  isPageHidden: () => boolean;
  report: (code: SignalCode, data: Record<string, unknown>) => void;
  /** The condition is over: frames came back, or the picture is no longer dark. */
  clear: (code: SignalCode) => void;
}

/** The frame counter of a track where the browser keeps one (`MediaStreamTrack.stats`). */
function trackFrameCount(track: MediaStreamTrack): (() => number) | undefined {
  const withStats = track as MediaStreamTrack & { stats?: { totalFrames?: number } };
  return typeof withStats.stats?.totalFrames === 'number' ? () => withStats.stats!.totalFrames! : undefined;
}

/**
 * Watches one webcam track: counts its frames and samples its brightness. Nothing renders the track
 * between samples — a second, always-playing sink slows what the camera sends in Chromium — so each
 * sample plays the track in a detached, muted `<video>` just long enough to read one frame.
 * Never stops the track. A track that ends stops the watch: whoever owns the track reports that as
 * `webcam-stopped`.
 */
export class WebcamWatch {
  private readonly canvas = document.createElement('canvas');
  private readonly context: CanvasRenderingContext2D;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly countFrames?: () => number;
  private frames = -1;
  private lastFrameAt = performance.now();
  private darkSamples = 0;
  private sampling = false;
  private stopped = false;

  constructor(
    private readonly track: MediaStreamTrack,
    private readonly options: WebcamWatchOptions,
  ) {
    this.canvas.width = SAMPLE_WIDTH;
    this.canvas.height = SAMPLE_HEIGHT;
    this.context = this.canvas.getContext('2d', { willReadFrequently: true })!;
    this.countFrames = trackFrameCount(track);
    track.addEventListener('mute', this.onMute);
    track.addEventListener('unmute', this.onUnmute);
    track.addEventListener('ended', this.stop);
    this.timer = setInterval(() => void this.sample(), options.sampleMs);
    if (track.muted) this.onMute();
  }

  /** Stops watching and releases the canvas. */
  readonly stop = (): void => {
    this.stopped = true;
    clearInterval(this.timer);
    this.track.removeEventListener('mute', this.onMute);
    this.track.removeEventListener('unmute', this.onUnmute);
    this.track.removeEventListener('ended', this.stop);
    this.canvas.width = this.canvas.height = 0;
  };

  private readonly onMute = (): void => {
    this.options.report('webcam-no-frames', { reason: 'muted' });
  };

  private readonly onUnmute = (): void => {
    this.lastFrameAt = performance.now();
    this.options.clear('webcam-no-frames');
  };

  private async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      const frame = await this.readFrame();
      if (this.stopped) return;
      if (!this.framesArrive(frame)) return;
      if (frame.width > 0) this.judgeBrightness(frame.pixels);
    } finally {
      this.sampling = false;
    }
  }

  /**
   * Plays the track briefly and reads one frame into the sample canvas. Where the browser has no
   * frame counter, the video's own count stands in (it only grows while frames arrive).
   */
  private async readFrame(): Promise<{ width: number; pixels?: Uint8ClampedArray; videoFrames: number }> {
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = new MediaStream([this.track]);
    try {
      await Promise.race([video.play(), delay(this.options.sampleMs / 2)]);
      await Promise.race([new Promise((resolve) => video.addEventListener('loadeddata', resolve, { once: true })), delay(this.options.sampleMs / 2)]);
      if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0 || this.stopped) {
        return { width: 0, videoFrames: 0 };
      }
      this.context.drawImage(video, 0, 0, SAMPLE_WIDTH, SAMPLE_HEIGHT);
      const pixels = this.context.getImageData(0, 0, SAMPLE_WIDTH, SAMPLE_HEIGHT).data;
      return { width: video.videoWidth, pixels, videoFrames: video.getVideoPlaybackQuality().totalVideoFrames };
    } catch {
      return { width: 0, videoFrames: 0 };
    } finally {
      video.pause();
      video.srcObject = null;
    }
  }

  /** Whether new frames came since the last sample; reports a stall. */
  private framesArrive(frame: { width: number; pixels?: Uint8ClampedArray }): boolean {
    const now = performance.now();
    // Without a counter, a frame read now is the proof of life; its pixels tell a frozen camera apart.
    const frames = this.countFrames ? this.countFrames() : frame.pixels ? checksum(frame.pixels) : this.frames;
    if (frames !== this.frames) {
      this.frames = frames;
      this.lastFrameAt = now;
      this.options.clear('webcam-no-frames');
    } else if (this.options.isPageHidden()) {
      this.lastFrameAt = now;
    } else if (now - this.lastFrameAt >= this.options.noFramesMs) {
      this.options.report('webcam-no-frames', { reason: 'stalled' });
      return false;
    }
    return true;
  }

  private judgeBrightness(pixels: Uint8ClampedArray | undefined): void {
    if (!pixels) return;
    const luminance = meanLuminance(pixels);
    if (luminance >= DARK_LUMINANCE) {
      this.darkSamples = 0;
      this.options.clear('webcam-covered');
    } else if (++this.darkSamples >= DARK_SAMPLES) {
      this.options.report('webcam-covered', { luminance: Math.round(luminance) });
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A cheap fingerprint of a sample: two identical samples in a row mean a frozen picture. */
function checksum(pixels: Uint8ClampedArray): number {
  let sum = 0;
  for (let i = 0; i < pixels.length; i += 7) sum = (sum * 31 + pixels[i]!) | 0;
  return sum;
}
