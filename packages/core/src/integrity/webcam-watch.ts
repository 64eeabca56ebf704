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

/** Reads one frame of a track now: `ImageCapture.grabFrame()` where the browser has it. */
type FrameGrabber = () => Promise<CanvasImageSource & { close?: () => void }>;

/** The frame counter of a track where the browser keeps one (`MediaStreamTrack.stats`). */
function trackFrameCount(track: MediaStreamTrack): (() => number) | undefined {
  const stats = (track as MediaStreamTrack & { stats?: { totalFrames?: number } }).stats;
  return typeof stats?.totalFrames === 'number' ? () => (track as unknown as { stats: { totalFrames: number } }).stats.totalFrames : undefined;
}

/**
 * Watches one webcam track: counts its frames and samples its brightness. Where the browser can
 * count frames and grab one on demand (Chromium), nothing renders the track between samples, so the
 * watch costs nothing while the encoder works; elsewhere a detached, muted `<video>` plays it.
 * Never stops the track. A track that ends stops the watch: whoever owns the track reports that as
 * `webcam-stopped`.
 */
export class WebcamWatch {
  private readonly canvas = document.createElement('canvas');
  private readonly context: CanvasRenderingContext2D;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly countFrames: () => number;
  private readonly grab: FrameGrabber;
  private video?: HTMLVideoElement;
  private frames = -1;
  private lastFrameAt = performance.now();
  private darkSamples = 0;
  private sampling = false;

  constructor(
    private readonly track: MediaStreamTrack,
    private readonly options: WebcamWatchOptions,
  ) {
    this.canvas.width = SAMPLE_WIDTH;
    this.canvas.height = SAMPLE_HEIGHT;
    this.context = this.canvas.getContext('2d', { willReadFrequently: true })!;
    const ImageCaptureImpl = (globalThis as { ImageCapture?: new (track: MediaStreamTrack) => { grabFrame(): Promise<ImageBitmap> } }).ImageCapture;
    const counter = trackFrameCount(track);
    if (ImageCaptureImpl && counter) {
      const capture = new ImageCaptureImpl(track);
      this.grab = () => capture.grabFrame();
      this.countFrames = counter;
    } else {
      const video = this.playDetached(track);
      this.grab = async () => video;
      this.countFrames = () => video.getVideoPlaybackQuality().totalVideoFrames;
    }
    track.addEventListener('mute', this.onMute);
    track.addEventListener('unmute', this.onUnmute);
    track.addEventListener('ended', this.stop);
    this.timer = setInterval(() => void this.sample(), options.sampleMs);
    if (track.muted) this.onMute();
  }

  /** Stops watching and releases the canvas (and the video element, if one was needed). */
  readonly stop = (): void => {
    clearInterval(this.timer);
    this.track.removeEventListener('mute', this.onMute);
    this.track.removeEventListener('unmute', this.onUnmute);
    this.track.removeEventListener('ended', this.stop);
    if (this.video) {
      this.video.pause();
      this.video.srcObject = null;
    }
    this.canvas.width = this.canvas.height = 0;
  };

  private playDetached(track: MediaStreamTrack): HTMLVideoElement {
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = new MediaStream([track]);
    // stop() during start-up aborts play(); a refused play() shows up as missing frames anyway.
    video.play().catch(() => undefined);
    this.video = video;
    return video;
  }

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
      if (!this.framesArrive()) return;
      await this.judgeBrightness();
    } finally {
      this.sampling = false;
    }
  }

  /** Whether new frames came since the last sample; reports a stall. */
  private framesArrive(): boolean {
    const now = performance.now();
    const frames = this.countFrames();
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

  private async judgeBrightness(): Promise<void> {
    let frame: Awaited<ReturnType<FrameGrabber>>;
    try {
      frame = await this.grab();
    } catch {
      return; // No frame to grab right now (muted, or between frames): the frame count tells.
    }
    if (this.video && this.video.videoWidth === 0) return;
    this.context.drawImage(frame, 0, 0, SAMPLE_WIDTH, SAMPLE_HEIGHT);
    frame.close?.();
    if (this.canvas.width === 0) return;
    const luminance = meanLuminance(this.context.getImageData(0, 0, SAMPLE_WIDTH, SAMPLE_HEIGHT).data);
    if (luminance >= DARK_LUMINANCE) {
      this.darkSamples = 0;
      this.options.clear('webcam-covered');
    } else if (++this.darkSamples >= DARK_SAMPLES) {
      this.options.report('webcam-covered', { luminance: Math.round(luminance) });
    }
  }
}
