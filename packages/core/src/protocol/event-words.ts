import type { SignalCode } from './events.js';

/**
 * The words a person reads for parts of a session's log, shared by the supervisors' event feed and
 * the printable report so both say the same.
 */

/** What each feed is called in a sentence ("Screen recording started"). */
export const FEED_WORDS: Record<string, string> = { webcam: 'Webcam', screen: 'Screen', phone: 'Phone camera' };

/** Plain words for each integrity signal. */
export const SIGNAL_WORDS: Record<SignalCode, string> = {
  'page-hidden': 'Page hidden',
  'page-visible': 'Page visible again',
  'window-blur': 'Switched to another window',
  'window-focus': 'Back in the exam window',
  'fullscreen-exit': 'Left fullscreen',
  copy: 'Copied text',
  paste: 'Pasted text',
  'screen-share-stopped': 'Screen sharing stopped',
  'webcam-stopped': 'Webcam stopped',
  'webcam-covered': 'Webcam picture is dark',
  'webcam-no-frames': 'Webcam sends no picture',
  'second-display': 'A second display is connected',
};

/** Why a recording run stopped, after "Webcam recording stopped". */
export const RUN_END_WORDS: Record<string, string> = {
  'exam-ended': ' at the end of the exam',
  'share-stopped': ': screen sharing stopped',
  'camera-lost': ': the camera stopped',
  'page-closed': ': the exam page was closed or reloaded',
};

/** How an exam ended, by its end reason. */
export const END_WORDS: Record<string, string> = {
  expired: 'Time is up: the exam ended',
  finished: 'Finished the exam',
  terminated: 'The exam was ended',
};

/** `12 s`, `3 min 5 s`, `1 h 2 min`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  return minutes % 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes / 60} h`;
}
