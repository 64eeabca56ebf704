import { ProctorError } from '../errors.js';

/** The webcam as supervisors need it: enough to see a face, cheap to send. */
export const WEBCAM_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 480 },
  frameRate: { ideal: 15, max: 15 },
};

/** The screen, at a frame rate that shows typing without costing much. */
export const SCREEN_CONSTRAINTS: MediaTrackConstraints = { frameRate: { ideal: 15, max: 15 } };

/** Captures the webcam (video only). Throws {@link ProctorError} with a code the page can explain. */
export async function captureWebcam(constraints: MediaTrackConstraints = WEBCAM_CONSTRAINTS): Promise<MediaStreamTrack> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new ProctorError('camera-missing', 'This browser cannot use a camera here. Open the page over https in a current browser.');
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: constraints, audio: false });
    return stream.getVideoTracks()[0]!;
  } catch (error) {
    throw cameraError(error);
  }
}

/** Captures the screen. Throws {@link ProctorError} when refused or unsupported. */
export async function captureScreen(constraints: MediaTrackConstraints = SCREEN_CONSTRAINTS): Promise<MediaStreamTrack> {
  if (!navigator.mediaDevices?.getDisplayMedia) {
    throw new ProctorError('screen-unsupported', 'This browser cannot share the screen. Use a current desktop browser.');
  }
  try {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: constraints, audio: false });
    return stream.getVideoTracks()[0]!;
  } catch (error) {
    const name = (error as DOMException | undefined)?.name;
    if (name === 'NotAllowedError' || name === 'AbortError') {
      throw new ProctorError('screen-denied', 'Screen sharing was cancelled or not allowed. Share your entire screen to continue.', { cause: error });
    }
    throw new ProctorError('screen-unsupported', `Screen sharing failed: ${(error as Error).message}`, { cause: error });
  }
}

function cameraError(error: unknown): ProctorError {
  const name = (error as DOMException | undefined)?.name;
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new ProctorError('camera-denied', 'Camera access was blocked. Allow the camera for this site in the browser’s address bar, then try again.', { cause: error });
    case 'NotReadableError':
    case 'AbortError':
      return new ProctorError('camera-in-use', 'The camera could not be started. Close other apps that use it, then try again.', { cause: error });
    default:
      return new ProctorError('camera-missing', 'No camera was found. Connect a camera, then try again.', { cause: error });
  }
}

/** Captures the microphone for the webcam's recording (never published). `undefined` when there is none or it is refused. */
export async function captureMicrophone(): Promise<MediaStreamTrack | undefined> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true }, video: false });
    return stream.getAudioTracks()[0];
  } catch {
    return undefined;
  }
}
