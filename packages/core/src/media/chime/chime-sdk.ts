import type { AudioVideoFacade, EventController } from 'amazon-chime-sdk-js';
import type { ChimeAttendee, ChimeMeeting, ChimeProviderInfo } from '../../protocol/index.js';

/** A meeting and the attendee a page joins it as. */
export interface ChimeJoin {
  meeting: ChimeMeeting;
  attendee: ChimeAttendee;
}

/** A viewer's wish for one remote video: thumbnails small, the focused candidate large. */
export interface VideoWish {
  attendeeId: string;
  size: 'small' | 'large';
}

/** The part of Chime's `AudioVideoFacade` Proctorkit uses. */
export type ChimeAudioVideo = Pick<
  AudioVideoFacade,
  | 'addObserver'
  | 'start'
  | 'stop'
  | 'startVideoInput'
  | 'stopVideoInput'
  | 'startLocalVideoTile'
  | 'stopLocalVideoTile'
  | 'getRTCPeerConnectionStats'
>;

/** One attendee's connection to a meeting: Chime's `MeetingSession`, and how a viewer picks videos. */
export interface ChimeMeetingSession {
  readonly audioVideo: ChimeAudioVideo;
  readonly eventController?: Pick<EventController, 'addObserver'>;
  /** Which remote videos a viewer receives and at what size (its `VideoPriorityBasedPolicy`). */
  chooseVideos(wishes: VideoWish[]): void;
}

/**
 * Makes Chime meeting sessions. The real one wraps `amazon-chime-sdk-js` and is loaded on demand
 * ({@link loadChimeSdk}); tests and custom builds may pass their own.
 */
export interface ChimeSdk {
  /** A `sender` sends one video and receives none; a `viewer` receives the videos it chooses. */
  createMeetingSession(join: ChimeJoin, role: 'sender' | 'viewer'): ChimeMeetingSession;
  /** The name of a `MeetingSessionStatusCode`, e.g. `MeetingEnded`, for logs. */
  statusName(code: number): string;
}

/** Loads a {@link ChimeSdk}. */
export type ChimeSdkLoader = () => Promise<ChimeSdk>;

let loading: Promise<ChimeSdk> | undefined;

/**
 * Loads `amazon-chime-sdk-js` (≈ 300 KB gzipped) with a dynamic `import()` the first time a page
 * meets a Chime server kit: a page on the local provider never downloads it.
 */
export const loadChimeSdk: ChimeSdkLoader = () => {
  loading ??= import('./chime-sdk-module.js').then((module) => module.chimeSdk);
  // A failed download (offline for a moment) is tried again next time.
  loading.catch(() => (loading = undefined));
  return loading;
};

/** Chime join info that is ready, for either role. */
export type ReadyChimeInfo = Extract<ChimeProviderInfo, { state: 'ready' }>;
