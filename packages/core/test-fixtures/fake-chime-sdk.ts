// A fake of the Chime browser SDK for tests: meeting sessions that "connect" at once and an
// in-page SFU that hands each sender's video to the viewers of the same meeting as a video tile,
// bound to the sender's attendee like Chime's. Stop codes and meeting events can be played in.
import type { AudioVideoObserver, MeetingSessionStatus, VideoTileState } from 'amazon-chime-sdk-js';
import type { ChimeJoin, ChimeMeetingSession, ChimeSdk, VideoWish } from '../src/media/chime/chime-sdk.js';

const STATUS_NAMES: Record<number, string> = {
  1: 'Left',
  2: 'AudioJoinedFromAnotherDevice',
  5: 'MeetingEnded',
  12: 'SignalingInternalServerError',
  14: 'SignalingChannelClosedUnexpectedly',
  22: 'AudioAttendeeRemoved',
};

/** Chime's status codes the tests play in. */
export const Status = { Left: 1, JoinedFromAnotherDevice: 2, MeetingEnded: 5, SignalingInternalServerError: 12, AttendeeRemoved: 22 } as const;

let nextTileId = 1;

export class FakeChimeSdk implements ChimeSdk {
  /** Every meeting session made, in order. */
  readonly sessions: FakeMeetingSession[] = [];
  /** How many times the SDK was loaded through {@link loader}. */
  loads = 0;

  /** A loader to pass as `chimeSdk`. */
  readonly loader = async (): Promise<ChimeSdk> => {
    this.loads += 1;
    return this;
  };

  createMeetingSession(join: ChimeJoin, role: 'sender' | 'viewer'): FakeMeetingSession {
    const session = new FakeMeetingSession(this, join, role);
    this.sessions.push(session);
    return session;
  }

  statusName(code: number): string {
    return STATUS_NAMES[code] ?? `status ${code}`;
  }

  /** Sessions joined and not stopped. */
  live(role?: 'sender' | 'viewer'): FakeMeetingSession[] {
    return this.sessions.filter((s) => s.state === 'live' && (!role || s.role === role));
  }

  /** The sender session of an attendee's external user id, e.g. `alice/webcam`. */
  sender(externalUserId: string): FakeMeetingSession | undefined {
    return this.sessions.findLast((s) => s.role === 'sender' && s.join.attendee.ExternalUserId === externalUserId);
  }

  /** Called by sessions when what flows in a meeting changed: every viewer learns of every sender. */
  route(meetingId: string): void {
    const inMeeting = this.live().filter((s) => s.join.meeting.MeetingId === meetingId);
    for (const viewer of inMeeting.filter((s) => s.role === 'viewer')) {
      for (const sender of inMeeting.filter((s) => s.role === 'sender')) viewer.see(sender);
    }
    for (const viewer of inMeeting.filter((s) => s.role === 'viewer')) viewer.forgetAllBut(inMeeting);
  }
}

export class FakeMeetingSession implements ChimeMeetingSession {
  state: 'new' | 'live' | 'stopped' = 'new';
  videoInput: MediaStream | null = null;
  sendsVideo = false;
  /** The latest `chooseVideos` of a viewer. */
  wishes: VideoWish[] = [];
  private readonly observers: AudioVideoObserver[] = [];
  private readonly eventObservers: { eventDidReceive(name: string, attributes: Record<string, unknown>): void }[] = [];
  /** A viewer's tiles by sender attendee id. */
  private readonly tiles = new Map<string, { tileId: number; track: MediaStreamTrack }>();
  private startedAt = 0;

  readonly audioVideo: FakeMeetingSession['facade'];
  readonly eventController = { addObserver: (observer: FakeMeetingSession['eventObservers'][number]) => this.eventObservers.push(observer) };

  constructor(
    private readonly sdk: FakeChimeSdk,
    readonly join: ChimeJoin,
    readonly role: 'sender' | 'viewer',
  ) {
    this.audioVideo = this.facade;
  }

  private get facade() {
    return {
      addObserver: (observer: AudioVideoObserver) => void this.observers.push(observer),
      start: () => {
        if (this.state === 'live') return;
        this.state = 'live';
        this.startedAt = performance.now();
        this.notify((o) => o.audioVideoDidStartConnecting?.(false));
        queueMicrotask(() => {
          if (this.state !== 'live') return;
          this.notify((o) => o.audioVideoDidStart?.());
          this.emit('meetingStartSucceeded', { meetingStartDurationMs: 42, attendeeId: this.join.attendee.AttendeeId });
          this.sdk.route(this.join.meeting.MeetingId);
        });
      },
      stop: () => this.halt(Status.Left, true),
      startVideoInput: async (device: unknown) => {
        this.videoInput = device as MediaStream;
        this.sdk.route(this.join.meeting.MeetingId);
        return this.videoInput;
      },
      stopVideoInput: async () => {
        this.videoInput = null;
        this.sdk.route(this.join.meeting.MeetingId);
      },
      startLocalVideoTile: () => {
        this.sendsVideo = true;
        this.sdk.route(this.join.meeting.MeetingId);
        return 0;
      },
      stopLocalVideoTile: () => {
        this.sendsVideo = false;
        this.sdk.route(this.join.meeting.MeetingId);
      },
      getRTCPeerConnectionStats: async (track?: MediaStreamTrack) => {
        const { width = 0, height = 0, frameRate = 15 } = track?.getSettings() ?? {};
        const framesDecoded = Math.floor(((performance.now() - this.startedAt) / 1000) * frameRate);
        return new Map([['in', { type: 'inbound-rtp', kind: 'video', framesDecoded, frameWidth: width, frameHeight: height }]]) as unknown as RTCStatsReport;
      },
    };
  }

  chooseVideos(wishes: VideoWish[]): void {
    this.wishes = wishes;
  }

  /** Plays in Chime stopping this session, e.g. `failWith(Status.MeetingEnded, true)`. */
  failWith(code: number, terminal: boolean): void {
    this.halt(code, terminal);
  }

  /** Plays in one of Chime's meeting events. */
  emit(name: string, attributes: Record<string, unknown>): void {
    for (const observer of this.eventObservers) observer.eventDidReceive(name, attributes);
  }

  /** The video this sender sends, if any. */
  get sentTrack(): MediaStreamTrack | undefined {
    return this.sendsVideo ? this.videoInput?.getVideoTracks()[0] : undefined;
  }

  see(sender: FakeMeetingSession): void {
    const track = sender.sentTrack;
    const attendee = sender.join.attendee;
    const known = this.tiles.get(attendee.AttendeeId);
    if (!track) {
      if (known) this.removeTile(attendee.AttendeeId);
      return;
    }
    if (known?.track === track) return;
    const tileId = known?.tileId ?? nextTileId++;
    this.tiles.set(attendee.AttendeeId, { tileId, track });
    const tile: Partial<VideoTileState> = {
      tileId,
      localTile: false,
      active: true,
      boundAttendeeId: attendee.AttendeeId,
      boundExternalUserId: attendee.ExternalUserId,
      boundVideoStream: new MediaStream([track]),
    };
    this.notify((o) => o.videoTileDidUpdate?.(tile as VideoTileState));
  }

  forgetAllBut(live: FakeMeetingSession[]): void {
    const sending = new Set(live.filter((s) => s.sentTrack).map((s) => s.join.attendee.AttendeeId));
    for (const attendeeId of [...this.tiles.keys()]) if (!sending.has(attendeeId)) this.removeTile(attendeeId);
  }

  private removeTile(attendeeId: string): void {
    const tile = this.tiles.get(attendeeId);
    if (!tile) return;
    this.tiles.delete(attendeeId);
    this.notify((o) => o.videoTileWasRemoved?.(tile.tileId));
  }

  private halt(code: number, terminal: boolean): void {
    if (this.state !== 'live') return;
    this.state = 'stopped';
    for (const attendeeId of [...this.tiles.keys()]) this.removeTile(attendeeId);
    const status = { statusCode: () => code, isTerminal: () => terminal, isFailure: () => code !== Status.Left } as unknown as MeetingSessionStatus;
    this.notify((o) => o.audioVideoDidStop?.(status));
    this.sdk.route(this.join.meeting.MeetingId);
  }

  private notify(call: (observer: AudioVideoObserver) => void): void {
    for (const observer of [...this.observers]) call(observer);
  }
}
