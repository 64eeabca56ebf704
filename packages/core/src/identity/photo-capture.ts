import { ProctorError } from '../errors.js';
import { IDENTITY_PHOTO_MAX_BYTES } from '../protocol/index.js';

/** Options of {@link capturePhoto}. */
export interface PhotoOptions {
  /** JPEG quality from 0 to 1. Default: 0.9. */
  quality?: number;
  /** The widest the photo gets, in pixels; a larger picture is scaled down. Default: 1280. */
  maxWidth?: number;
}

/** A video showing `track`, once its first frame is there. */
async function videoOf(track: MediaStreamTrack): Promise<HTMLVideoElement> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  await video.play();
  return video;
}

/** Waits until the video has a frame to draw. */
function frameOf(video: HTMLVideoElement): Promise<void> {
  if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new ProctorError('camera-stopped', 'The camera gives no picture. Check it, then try again.')), 5000);
    video.addEventListener('loadeddata', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

function encode(canvas: HTMLCanvasElement, quality: number): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
}

/**
 * Takes a JPEG photo of what a camera shows now, for the identity check: from a live video track,
 * or from a video element that already shows one (e.g. a self-preview). The photo stays under the
 * kit's 2 MB limit. The track is not stopped.
 */
export async function capturePhoto(source: MediaStreamTrack | HTMLVideoElement, options: PhotoOptions = {}): Promise<Blob> {
  const video = source instanceof HTMLVideoElement ? source : await videoOf(source);
  try {
    await frameOf(video);
    let width = Math.min(video.videoWidth, options.maxWidth ?? 1280);
    let quality = options.quality ?? 0.9;
    for (;;) {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = Math.round((video.videoHeight * width) / video.videoWidth);
      canvas.getContext('2d')!.drawImage(video, 0, 0, canvas.width, canvas.height);
      const blob = await encode(canvas, quality);
      if (!blob) throw new ProctorError('camera-stopped', 'The photo could not be taken. Try again.');
      if (blob.size <= IDENTITY_PHOTO_MAX_BYTES || width < 320) return blob;
      width = Math.round(width * 0.7);
      quality = Math.min(quality, 0.8);
    }
  } finally {
    if (video !== source) video.srcObject = null;
  }
}
