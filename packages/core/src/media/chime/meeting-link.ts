import type { AudioVideoObserver, EventAttributes, MeetingSessionStatus, VideoTileState } from 'amazon-chime-sdk-js';
import type { ChimeJoin, ChimeMeetingSession, ChimeSdk, VideoWish } from './chime-sdk.js';

/** Where one attendee's connection to its meeting is. */
export type LinkState = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** What a {@link MeetingLink} tells its owner. */
export interface MeetingLinkHandlers {
  /** `offline` comes with the Chime status that ended the link for good, e.g. `MeetingEnded`. */
  state?(state: LinkState, status?: string): void;
  /** One of Chime's meeting events worth a log line (see {@link LOGGED_EVENTS}), kebab-cased. */
  meetingEvent?(name: string, data: Record<string, string | number>): void;
  tile?(tile: VideoTileState): void;
  tileRemoved?(tileId: number): void;
  sourcesChanged?(): void;
}

/** Chime's meeting events that go into the session log, as the platform this grew from posted them. */
export const LOGGED_EVENTS = new Set([
  'meetingStartSucceeded',
  'meetingStartFailed',
  'meetingFailed',
  'meetingEnded',
  'meetingReconnected',
  'signalingDropped',
  'videoInputFailed',
]);

/** The attributes kept of a logged event: small figures and messages, never ids or URLs. */
const KEPT_ATTRIBUTES = [
  'meetingStatus',
  'meetingErrorMessage',
  'signalingDroppedErrorMessage',
  'videoInputErrorMessage',
  'retryCount',
  'meetingStartDurationMs',
  'meetingDurationMs',
  'poorConnectionCount',
] as const;

const RETRY_BASE_MS = 1_000;
const RETRY_CAP_MS = 30_000;

/**
 * One attendee's Chime meeting session, kept alive: a stop Chime may recover from is retried with
 * capped exponential backoff and jitter; a terminal one (meeting ended, attendee removed, joined
 * elsewhere) makes the link `offline` with its reason.
 */
export class MeetingLink {
  readonly meetingId: string;
  readonly attendeeId: string;
  private readonly session: ChimeMeetingSession;
  private started = false;
  private closed = false;
  private retries = 0;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private sentTrack?: MediaStreamTrack;

  constructor(
    private readonly sdk: ChimeSdk,
    join: ChimeJoin,
    role: 'sender' | 'viewer',
    private readonly handlers: MeetingLinkHandlers,
  ) {
    this.meetingId = join.meeting.MeetingId;
    this.attendeeId = join.attendee.AttendeeId;
    this.session = sdk.createMeetingSession(join, role);
    const observer: AudioVideoObserver = {
      audioVideoDidStartConnecting: (reconnecting) => handlers.state?.(reconnecting ? 'reconnecting' : 'connecting'),
      audioVideoDidStart: () => {
        this.retries = 0;
        handlers.state?.('live');
      },
      audioVideoDidStop: (status) => this.stopped(status),
      videoTileDidUpdate: (tile) => handlers.tile?.(tile),
      videoTileWasRemoved: (tileId) => handlers.tileRemoved?.(tileId),
      remoteVideoSourcesDidChange: () => handlers.sourcesChanged?.(),
    };
    this.session.audioVideo.addObserver(observer);
    this.session.eventController?.addObserver({
      eventDidReceive: (name, attributes) => {
        if (LOGGED_EVENTS.has(name)) handlers.meetingEvent?.(kebab(name), kept(attributes));
      },
    });
  }

  /** Joins the meeting. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.session.audioVideo.start();
  }

  /**
   * Sends `track` as this attendee's video. Chime gets a clone: it stops what it is given when the
   * input changes, and the page's own track must outlive the meeting.
   */
  async send(track: MediaStreamTrack): Promise<void> {
    const { audioVideo } = this.session;
    const previous = this.sentTrack;
    this.sentTrack = track.clone();
    await audioVideo.startVideoInput(new MediaStream([this.sentTrack]));
    previous?.stop();
    if (this.closed) return;
    this.start();
    audioVideo.startLocalVideoTile();
  }

  chooseVideos(wishes: VideoWish[]): void {
    this.session.chooseVideos(wishes);
  }

  stats(track: MediaStreamTrack): Promise<RTCStatsReport> {
    return this.session.audioVideo.getRTCPeerConnectionStats(track);
  }

  /** Leaves the meeting for good and stops the clone of the sent track. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    const { audioVideo } = this.session;
    if (this.sentTrack) {
      audioVideo.stopLocalVideoTile();
      void audioVideo.stopVideoInput();
      this.sentTrack.stop();
    }
    audioVideo.stop();
  }

  private stopped(status: MeetingSessionStatus): void {
    if (this.closed) return;
    const name = this.sdk.statusName(status.statusCode());
    if (status.isTerminal()) {
      this.closed = true;
      this.sentTrack?.stop();
      this.handlers.state?.('offline', name);
      return;
    }
    this.handlers.state?.('reconnecting', name);
    const delay = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** this.retries++) * (0.5 + Math.random() / 2);
    this.retryTimer = setTimeout(() => {
      if (!this.closed) this.session.audioVideo.start();
    }, delay);
  }
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function kept(attributes: EventAttributes): Record<string, string | number> {
  const data: Record<string, string | number> = {};
  for (const key of KEPT_ATTRIBUTES) {
    const value: unknown = (attributes as Record<string, unknown>)[key];
    if (typeof value === 'number') data[key] = value;
    else if (typeof value === 'string') data[key] = value.slice(0, 200);
  }
  return data;
}
