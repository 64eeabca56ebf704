import * as v from 'valibot';
import { ClockStateSchema } from './clock.js';
import { CandidateEventSchema, SessionEventSchema } from './events.js';
import { FeedQualitySchema, FeedSchema, FeedStateSchema } from './feeds.js';
import { GeneratedIdSchema, HostIdSchema, NameSchema } from './ids.js';
import { FeedRecordingSchema, RECORDING_BACKLOG_MAX_MS, RecordingPolicySchema } from './recording.js';
import { SessionStatusSchema } from './status.js';
import { VerdictSummarySchema } from './review.js';

/** The protocol version every message carries as `v`. */
export const PROTOCOL_VERSION = 1;

const V = v.literal(PROTOCOL_VERSION);
const TokenSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(8192));
const SdpSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(48_000));

/**
 * Who is on the other end of a WebRTC signaling message. A candidate addresses a supervisor's
 * connection id; a supervisor addresses a session id. The server rewrites it when relaying so the
 * receiver always sees its own peer.
 */
const PeerSchema = GeneratedIdSchema;

/**
 * Which page of a session publishes, in `rtc.*` messages between it and a supervisor: absent for
 * the candidate's own page, `phone` for the phone paired with it.
 */
const SourceSchema = v.optional(v.literal('phone'));

const IceCandidateSchema = v.object({
  candidate: v.pipe(v.string(), v.maxLength(2048)),
  sdpMid: v.nullish(v.pipe(v.string(), v.maxLength(64))),
  sdpMLineIndex: v.nullish(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(64))),
  usernameFragment: v.nullish(v.pipe(v.string(), v.maxLength(256))),
});

const IceServerSchema = v.object({
  urls: v.union([v.string(), v.array(v.string())]),
  username: v.optional(v.string()),
  credential: v.optional(v.string()),
});

// ---- Messages both ways -------------------------------------------------------------------

/** An SDP offer from a candidate publishing feeds; `feeds` maps each transceiver's mid to its feed. */
export const RtcOfferSchema = v.object({
  v: V,
  type: v.literal('rtc.offer'),
  peer: PeerSchema,
  source: SourceSchema,
  pcId: GeneratedIdSchema,
  sdp: SdpSchema,
  feeds: v.pipe(
    v.record(v.pipe(v.string(), v.maxLength(16)), FeedSchema),
    v.check((map) => Object.keys(map).length <= 8, 'maps too many transceivers'),
  ),
});

/** A supervisor's SDP answer to an offer. */
export const RtcAnswerSchema = v.object({
  v: V,
  type: v.literal('rtc.answer'),
  peer: PeerSchema,
  source: SourceSchema,
  pcId: GeneratedIdSchema,
  sdp: SdpSchema,
});

/** A trickled ICE candidate, either way. */
export const RtcIceSchema = v.object({
  v: V,
  type: v.literal('rtc.ice'),
  peer: PeerSchema,
  source: SourceSchema,
  pcId: GeneratedIdSchema,
  candidate: IceCandidateSchema,
});

// ---- Client to server ---------------------------------------------------------------------

/** The first message of every connection. */
export const HelloSchema = v.object({
  v: V,
  type: v.literal('session.hello'),
  token: TokenSchema,
});

/** A candidate reports that one of its feeds went live or was lost. */
export const FeedStateMessageSchema = v.object({
  v: V,
  type: v.literal('feed.state'),
  feed: FeedSchema,
  state: FeedStateSchema,
});

/**
 * A recording page reports how much of one feed's recording waits on it to upload (0 once all is
 * stored), so supervisors see the backlog. Pages send it when it changes, not on every chunk.
 */
export const RecordingBacklogSchema = v.object({
  v: V,
  type: v.literal('recording.backlog'),
  feed: FeedSchema,
  pendingMs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(RECORDING_BACKLOG_MAX_MS)),
});

/** A supervisor asks for feeds of a session. Sent again, it replaces the set of feeds. */
export const SubscribeSchema = v.object({
  v: V,
  type: v.literal('feed.subscribe'),
  sessionId: GeneratedIdSchema,
  feeds: v.pipe(v.array(FeedSchema), v.minLength(1), v.maxLength(3)),
  quality: FeedQualitySchema,
});

/** A supervisor no longer wants any feed of a session. */
export const UnsubscribeSchema = v.object({
  v: V,
  type: v.literal('feed.unsubscribe'),
  sessionId: GeneratedIdSchema,
});

/** A supervisor switches a subscribed session between thumbnail and full quality. */
export const QualitySchema = v.object({
  v: V,
  type: v.literal('feed.quality'),
  sessionId: GeneratedIdSchema,
  quality: FeedQualitySchema,
});

/** The candidate starts the exam (after consent): the clock starts. Sent again, it changes nothing. */
export const StartSchema = v.object({ v: V, type: v.literal('session.start') });

/** A clock sample: the server answers `clock.pong` with its time. */
export const PingSchema = v.object({
  v: V,
  type: v.literal('clock.ping'),
  id: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

/** Events from the candidate's page, answered by `log.ack` once recorded. */
export const LogAppendSchema = v.object({
  v: V,
  type: v.literal('log.append'),
  events: v.pipe(v.array(CandidateEventSchema), v.minLength(1), v.maxLength(50)),
});

/** Asks for a session's events after `afterSeq`; answered by `events.batch`. */
export const EventsFetchSchema = v.object({
  v: V,
  type: v.literal('events.fetch'),
  sessionId: GeneratedIdSchema,
  afterSeq: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

/** A command's target: one session, or `'*'` for every session the supervisor watches. */
const TargetSchema = v.union([GeneratedIdSchema, v.literal('*')]);
const CommandIdSchema = GeneratedIdSchema;

export const PauseSchema = v.object({ v: V, type: v.literal('command.pause'), id: CommandIdSchema, target: TargetSchema });
export const ResumeSchema = v.object({ v: V, type: v.literal('command.resume'), id: CommandIdSchema, target: TargetSchema });
export const ExtendSchema = v.object({
  v: V,
  type: v.literal('command.extend'),
  id: CommandIdSchema,
  target: TargetSchema,
  minutes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(600)),
});
export const MessageSchema = v.object({
  v: V,
  type: v.literal('command.message'),
  id: CommandIdSchema,
  target: TargetSchema,
  text: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(1000)),
});
/** Ends one candidate's exam. Never for a whole room at once. */
export const TerminateSchema = v.object({
  v: V,
  type: v.literal('command.terminate'),
  id: CommandIdSchema,
  target: GeneratedIdSchema,
  reason: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(500)),
});

// ---- Identity check ------------------------------------------------------------------------

/** The photos of an identity check: the candidate's ID document, and their face. */
export const IDENTITY_PHOTO_KINDS = ['document', 'face'] as const;
/** One photo of an identity check. */
export type IdentityPhotoKind = (typeof IDENTITY_PHOTO_KINDS)[number];
export const IdentityPhotoKindSchema = v.picklist(IDENTITY_PHOTO_KINDS);

/** The image types an identity photo may be sent as. */
export const IDENTITY_PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type IdentityPhotoType = (typeof IDENTITY_PHOTO_TYPES)[number];

/** The largest identity photo, in bytes (2 MB). */
export const IDENTITY_PHOTO_MAX_BYTES = 2 * 1024 * 1024;

/**
 * Where a session's identity check is: `none` before the candidate submits (photos may be taken
 * and retaken), `submitted` waiting for a supervisor, `approved`, or `rejected` (the candidate may
 * retake photos and submit again).
 */
export const IdentityStatusSchema = v.picklist(['none', 'submitted', 'approved', 'rejected']);
export type IdentityStatus = v.InferOutput<typeof IdentityStatusSchema>;

const VerdictReasonSchema = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(500));

/**
 * A session's identity check as its summary carries it: `required` when the kit starts the exam
 * clock only after an approval (`requireIdentityCheck`), and the `reason` of a rejection.
 */
export const IdentitySummarySchema = v.object({
  required: v.boolean(),
  status: IdentityStatusSchema,
  reason: v.optional(VerdictReasonSchema),
});
export type IdentitySummary = v.InferOutput<typeof IdentitySummarySchema>;

/** One stored identity photo: its server-generated id, what it shows, its type, size and upload time. */
export const IdentityPhotoSchema = v.object({
  photoId: GeneratedIdSchema,
  kind: IdentityPhotoKindSchema,
  contentType: v.picklist(IDENTITY_PHOTO_TYPES),
  bytes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(IDENTITY_PHOTO_MAX_BYTES)),
  at: v.number(),
});
export type IdentityPhoto = v.InferOutput<typeof IdentityPhotoSchema>;

/** A session's identity check with its current photos, as supervisors read it (`GET …/identity`). */
export const IdentityViewSchema = v.object({
  ...IdentitySummarySchema.entries,
  photos: v.pipe(v.array(IdentityPhotoSchema), v.maxLength(IDENTITY_PHOTO_KINDS.length)),
});
export type IdentityView = v.InferOutput<typeof IdentityViewSchema>;

/** A verdict on a candidate's identity photos: approved, or rejected with a reason the candidate sees. */
export const IdentityVerdictSchema = v.variant('verdict', [
  v.object({ verdict: v.literal('approved') }),
  v.object({
    verdict: v.literal('rejected'),
    reason: v.pipe(v.string('is required to reject'), v.trim(), v.minLength(1, 'is required to reject'), v.maxLength(500)),
  }),
]);
export type IdentityVerdict = v.InferOutput<typeof IdentityVerdictSchema>;

/** Asks the candidate to show the room with the paired phone; the phone shows the request. */
export const RoomScanSchema = v.object({ v: V, type: v.literal('command.room-scan'), id: CommandIdSchema, target: GeneratedIdSchema });

/**
 * A supervisor's verdict on one candidate's identity photos. Rejecting needs a `reason`; the
 * server checks the pair against {@link IdentityVerdictSchema}.
 */
export const VerifyIdentitySchema = v.object({
  v: V,
  type: v.literal('command.identity'),
  id: CommandIdSchema,
  target: GeneratedIdSchema,
  verdict: v.picklist(['approved', 'rejected']),
  reason: v.optional(VerdictReasonSchema),
});

/** Every message a client may send after `session.hello`. */
export const ClientMessageSchema = v.variant('type', [
  StartSchema,
  PingSchema,
  LogAppendSchema,
  EventsFetchSchema,
  PauseSchema,
  ResumeSchema,
  ExtendSchema,
  MessageSchema,
  TerminateSchema,
  VerifyIdentitySchema,
  RoomScanSchema,
  FeedStateMessageSchema,
  RecordingBacklogSchema,
  SubscribeSchema,
  UnsubscribeSchema,
  QualitySchema,
  RtcOfferSchema,
  RtcAnswerSchema,
  RtcIceSchema,
]);

// ---- Server to client ---------------------------------------------------------------------

/**
 * A session as supervisors see it; `lastSeq` is the sequence number of its latest event (0 before
 * any). `identity` is there when the kit requires an identity check, or once the candidate sent a photo.
 */
export const SessionSummarySchema = v.object({
  sessionId: GeneratedIdSchema,
  examId: HostIdSchema,
  candidateId: HostIdSchema,
  name: NameSchema,
  status: SessionStatusSchema,
  feeds: v.object({ webcam: FeedStateSchema, screen: FeedStateSchema, phone: FeedStateSchema }),
  joinedAt: v.number(),
  clock: ClockStateSchema,
  lastSeq: v.pipe(v.number(), v.integer(), v.minValue(0)),
  identity: v.optional(IdentitySummarySchema),
  // Each feed's recording, once the session recorded anything.
  recording: v.optional(v.object({ webcam: FeedRecordingSchema, screen: FeedRecordingSchema, phone: FeedRecordingSchema })),
  // The latest signed verdict. A candidate's own summary carries it only when the host lets candidates see it.
  verdict: v.optional(VerdictSummarySchema),
});

// ---- Amazon Chime join info ----------------------------------------------------------------
// Field names as Chime's API spells them, so the browser hands them to the Chime SDK unchanged.
// Lengths are Chime's own limits.

const ChimeGuidSchema = v.pipe(v.string(), v.regex(/^[\w-]{2,64}$/, 'is not a Chime id'));
const ChimeExternalIdSchema = v.pipe(v.string(), v.minLength(2), v.maxLength(64));
const ChimeUrlSchema = v.pipe(v.string(), v.regex(/^\S{1,2048}$/, 'is not a Chime URL'));

/** What the Chime browser SDK needs of a meeting (a subset of CreateMeeting's `Meeting`). */
export const ChimeMeetingSchema = v.object({
  MeetingId: ChimeGuidSchema,
  ExternalMeetingId: v.optional(ChimeExternalIdSchema),
  MediaRegion: v.pipe(v.string(), v.regex(/^[a-z0-9-]{2,64}$/, 'is not an AWS Region')),
  MediaPlacement: v.object({
    AudioHostUrl: ChimeUrlSchema,
    AudioFallbackUrl: ChimeUrlSchema,
    SignalingUrl: ChimeUrlSchema,
    TurnControlUrl: ChimeUrlSchema,
    ScreenDataUrl: v.optional(ChimeUrlSchema),
    ScreenViewingUrl: v.optional(ChimeUrlSchema),
    ScreenSharingUrl: v.optional(ChimeUrlSchema),
    // Absent when the kit switched off Chime's client event ingestion.
    EventIngestionUrl: v.optional(ChimeUrlSchema),
  }),
});

/** An attendee a page joins a Chime meeting as. Its `JoinToken` is this page's secret. */
export const ChimeAttendeeSchema = v.object({
  ExternalUserId: ChimeExternalIdSchema,
  AttendeeId: ChimeGuidSchema,
  JoinToken: v.pipe(v.string(), v.regex(/^\S{2,2048}$/, 'is not a Chime join token')),
});

/** One feed's attendee as a viewer sees it, to bind its video tile: no join token. */
const ChimeFeedAttendeeSchema = v.object({
  feed: FeedSchema,
  ExternalUserId: ChimeExternalIdSchema,
  AttendeeId: ChimeGuidSchema,
});

const uniqueFeeds = (list: readonly { feed: string }[]) => new Set(list.map((a) => a.feed)).size === list.length;

/**
 * Chime join info. `pending`: the media comes later in `session.media` — a candidate's meeting is
 * being created (`session.preparing` says how long the queue is), and a supervisor gets one meeting
 * per session it subscribes to. `ready`: a candidate's meeting with one send-only attendee per feed,
 * or a supervisor's view of one session: its receive-only attendee and the feeds' attendees.
 */
export const ChimeProviderInfoSchema = v.variant('state', [
  v.object({ name: v.literal('chime'), state: v.literal('pending') }),
  v.variant('role', [
    v.object({
      name: v.literal('chime'),
      state: v.literal('ready'),
      role: v.literal('candidate'),
      meeting: ChimeMeetingSchema,
      attendees: v.pipe(
        v.array(v.object({ feed: FeedSchema, ...ChimeAttendeeSchema.entries })),
        v.minLength(1),
        v.maxLength(3),
        v.check((list) => uniqueFeeds(list), 'names a feed twice'),
      ),
    }),
    v.object({
      name: v.literal('chime'),
      state: v.literal('ready'),
      role: v.literal('supervisor'),
      meeting: ChimeMeetingSchema,
      attendee: ChimeAttendeeSchema,
      feeds: v.pipe(v.array(ChimeFeedAttendeeSchema), v.maxLength(3), v.check((list) => uniqueFeeds(list), 'names a feed twice')),
    }),
  ]),
]);

/** How a client reaches the media: the provider's name and what that provider needs. */
export const ProviderInfoSchema = v.variant('name', [
  v.object({ name: v.literal('local'), iceServers: v.array(IceServerSchema) }),
  ChimeProviderInfoSchema,
]);

/**
 * The server's answer to `session.hello`: who the client is and how media flows. Candidates also
 * get their `session`, and the `subscribers` already watching it (any other peer the page holds is gone).
 */
export const WelcomeSchema = v.object({
  v: V,
  type: v.literal('session.welcome'),
  role: v.picklist(['candidate', 'supervisor', 'phone']),
  connectionId: GeneratedIdSchema,
  examId: HostIdSchema,
  name: NameSchema,
  session: v.optional(SessionSummarySchema),
  provider: ProviderInfoSchema,
  subscribers: v.optional(
    v.array(v.object({ peer: PeerSchema, feeds: v.array(FeedSchema), quality: FeedQualitySchema })),
  ),
  serverTime: v.number(),
  // How the candidate's and phone's pages record; absent for supervisors.
  recording: v.optional(RecordingPolicySchema),
});

/** Every session a supervisor may watch, sent once after the welcome. */
export const SessionListSchema = v.object({
  v: V,
  type: v.literal('session.list'),
  sessions: v.array(SessionSummarySchema),
});

/** A session joined, changed status, or went offline. */
export const SessionUpdatedSchema = v.object({
  v: V,
  type: v.literal('session.updated'),
  session: SessionSummarySchema,
});

/** Tells a candidate that a supervisor (its `peer`) wants these feeds. */
export const PeerSubscribeSchema = v.object({
  v: V,
  type: v.literal('feed.subscribe'),
  peer: PeerSchema,
  feeds: v.pipe(v.array(FeedSchema), v.minLength(1), v.maxLength(3)),
  quality: FeedQualitySchema,
});

/** Tells a candidate that a supervisor left or no longer wants its feeds. */
export const PeerUnsubscribeSchema = v.object({
  v: V,
  type: v.literal('feed.unsubscribe'),
  peer: PeerSchema,
});

/** Tells a candidate which quality a supervisor wants. */
export const PeerQualitySchema = v.object({
  v: V,
  type: v.literal('feed.quality'),
  peer: PeerSchema,
  quality: FeedQualitySchema,
});

/** A new entry of a session's log, sent to its candidate and the supervisors watching it. */
export const SessionEventMessageSchema = v.object({
  v: V,
  type: v.literal('session.event'),
  sessionId: GeneratedIdSchema,
  event: SessionEventSchema,
});

/** The events asked for by `events.fetch`, in order; `more` when another fetch will return more. */
export const EventsBatchSchema = v.object({
  v: V,
  type: v.literal('events.batch'),
  sessionId: GeneratedIdSchema,
  events: v.array(SessionEventSchema),
  more: v.boolean(),
});

/**
 * Tells a candidate that its session's media is being prepared (e.g. its Chime meeting waits for
 * its turn under the account's rate limit): `ahead` requests are queued before its own.
 */
export const SessionPreparingSchema = v.object({
  v: V,
  type: v.literal('session.preparing'),
  sessionId: GeneratedIdSchema,
  ahead: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

/**
 * A session's media join info, for providers that prepare it apart from the welcome (Amazon Chime):
 * to a candidate once its meeting is ready (again if it had to be recreated), to a supervisor for
 * each session it subscribes to.
 */
export const SessionMediaSchema = v.object({
  v: V,
  type: v.literal('session.media'),
  sessionId: GeneratedIdSchema,
  provider: ProviderInfoSchema,
});

/**
 * A new token with the same claims, sent to a connected client before its token expires: the page
 * says hello with it after a drop and sends it with its requests, so an exam or a day of supervision
 * outlasts the token the host issued.
 */
export const SessionTokenSchema = v.object({
  v: V,
  type: v.literal('session.token'),
  token: TokenSchema,
  /** When the new token expires, ms since epoch. */
  expiresAt: v.number(),
});

/** The server's time for a `clock.ping`. */
export const PongSchema = v.object({
  v: V,
  type: v.literal('clock.pong'),
  id: v.pipe(v.number(), v.integer(), v.minValue(0)),
  serverTime: v.number(),
});

/** The candidate events the server recorded (or had already recorded): the page may forget them. */
export const LogAckSchema = v.object({
  v: V,
  type: v.literal('log.ack'),
  ids: v.array(v.string()),
});

/** A command was carried out on these sessions (those already in that state are included). */
export const CommandDoneSchema = v.object({
  v: V,
  type: v.literal('command.done'),
  id: GeneratedIdSchema,
  sessionIds: v.array(GeneratedIdSchema),
});

/** Stable codes of `error` messages and HTTP error bodies. */
export const ERROR_CODES = [
  'bad-message',
  'unknown-type',
  'unauthorized',
  'forbidden',
  'not-found',
  'not-connected',
  'conflict',
  'too-large',
  'unsupported-type',
  'rate-limited',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The server refused a message; the connection stays open. */
export const ErrorMessageSchema = v.object({
  v: V,
  type: v.literal('error'),
  code: v.picklist(ERROR_CODES),
  message: v.string(),
  /** The `type` of the refused message, when it had one. */
  ref: v.optional(v.string()),
  /** The `id` of the refused command, when it had one. */
  id: v.optional(v.string()),
  /** For `rate-limited`: how long to wait before sending it again, in ms. */
  retryAfterMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

export const ServerMessageSchema = v.variant('type', [
  WelcomeSchema,
  SessionListSchema,
  SessionUpdatedSchema,
  PeerSubscribeSchema,
  PeerUnsubscribeSchema,
  PeerQualitySchema,
  RtcOfferSchema,
  RtcAnswerSchema,
  RtcIceSchema,
  SessionEventMessageSchema,
  SessionPreparingSchema,
  SessionMediaSchema,
  SessionTokenSchema,
  EventsBatchSchema,
  PongSchema,
  LogAckSchema,
  CommandDoneSchema,
  ErrorMessageSchema,
]);

export type Hello = v.InferOutput<typeof HelloSchema>;
export type ClientMessage = v.InferOutput<typeof ClientMessageSchema>;
export type ServerMessage = v.InferOutput<typeof ServerMessageSchema>;
export type SessionSummary = v.InferOutput<typeof SessionSummarySchema>;
export type ProviderInfo = v.InferOutput<typeof ProviderInfoSchema>;
export type ChimeProviderInfo = v.InferOutput<typeof ChimeProviderInfoSchema>;
export type ChimeMeeting = v.InferOutput<typeof ChimeMeetingSchema>;
export type ChimeAttendee = v.InferOutput<typeof ChimeAttendeeSchema>;
export type Welcome = v.InferOutput<typeof WelcomeSchema>;
export type RtcOffer = v.InferOutput<typeof RtcOfferSchema>;
export type RtcAnswer = v.InferOutput<typeof RtcAnswerSchema>;
export type RtcIce = v.InferOutput<typeof RtcIceSchema>;
export type RtcMessage = RtcOffer | RtcAnswer | RtcIce;
/** A supervisor's command message. */
export type CommandMessage = Extract<ClientMessage, { type: `command.${string}` }>;

/** Known client message types, to tell an unknown type from a malformed message. */
export const CLIENT_MESSAGE_TYPES: ReadonlySet<string> = new Set(
  ClientMessageSchema.options.map((option) => option.entries.type.literal),
);

/** A message without the `v` field, as callers write it; the sender adds the version. */
export type Unversioned<M> = M extends unknown ? Omit<M, 'v'> : never;
