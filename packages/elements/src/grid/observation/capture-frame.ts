import { SCREENSHOT_MAX_BYTES } from '@proctorkit/core';

/** A frame of a stream as an image, at the stream's own size. */
export interface CapturedFrame {
  image: Blob;
  width: number;
  height: number;
}

/**
 * The stream's current frame as a JPEG at the video's intrinsic size (what the candidate's camera
 * or screen sends, not the size the tile shows it at). A frame too large for the kit at quality
 * 0.9 is encoded again at 0.7. Rejects with a message for the supervisor when there is no picture.
 */
export async function captureFrame(stream: MediaStream): Promise<CapturedFrame> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  try {
    await video.play();
    const { videoWidth: width, videoHeight: height } = video;
    if (!width || !height) throw new Error('The feed shows no picture yet: try again in a moment.');
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    canvas.getContext('2d')!.drawImage(video, 0, 0, width, height);
    for (const quality of [0.9, 0.7]) {
      const image = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
      if (image && image.size <= SCREENSHOT_MAX_BYTES) return { image, width, height };
    }
    throw new Error('The frame could not be saved as an image.');
  } finally {
    video.srcObject = null;
  }
}
