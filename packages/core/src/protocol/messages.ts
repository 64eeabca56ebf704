import * as v from 'valibot';
import { FeedQualitySchema, FeedSchema, FeedStateSchema } from './feeds.js';
import { GeneratedIdSchema, HostIdSchema, NameSchema } from './ids.js';
import { SessionStatusSchema } from './status.js';

/** The protocol version every message carries as `v`. */
export const PROTOCOL_VERSION = 1;

const V = v.literal(PROTOCOL_VERSION);
const SdpSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(48_000));

/**
 * Who is on the other end of a WebRTC signaling message. A candidate addresses a supervisor's
 * connection id; a supervisor addresses a session id. The server rewrites it when relaying so the
 * receiver always sees its own peer.
 */
const PeerSchema = GeneratedIdSchema;

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
  pcId: GeneratedIdSchema,
  sdp: SdpSchema,
});

/** A trickled ICE candidate, either way. */
export const RtcIceSchema = v.object({
  v: V,
  type: v.literal('rtc.ice'),
  peer: PeerSchema,
  pcId: GeneratedIdSchema,
  candidate: IceCandidateSchema,
});

// ---- Client to server ---------------------------------------------------------------------

/** The first message of every connection. */
export const HelloSchema = v.object({
  v: V,
  type: v.literal('session.hello'),
  token: v.pipe(v.string(), v.minLength(1), v.maxLength(8192)),
});

/** A candidate reports that one of its feeds went live or was lost. */
export const FeedStateMessageSchema = v.object({
  v: V,
  type: v.literal('feed.state'),
  feed: FeedSchema,
  state: FeedStateSchema,
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

/** Every message a client may send after `session.hello`. */
export const ClientMessageSchema = v.variant('type', [
  FeedStateMessageSchema,
  SubscribeSchema,
  UnsubscribeSchema,
  QualitySchema,
  RtcOfferSchema,
  RtcAnswerSchema,
  RtcIceSchema,
]);

// ---- Server to client ---------------------------------------------------------------------

export const SessionSummarySchema = v.object({
  sessionId: GeneratedIdSchema,
  examId: HostIdSchema,
  candidateId: HostIdSchema,
  name: NameSchema,
  status: SessionStatusSchema,
  feeds: v.object({ webcam: FeedStateSchema, screen: FeedStateSchema, phone: FeedStateSchema }),
  joinedAt: v.number(),
});

export const ProviderInfoSchema = v.variant('name', [
  v.object({ name: v.literal('local'), iceServers: v.array(IceServerSchema) }),
]);

/**
 * The server's answer to `session.hello`: who the client is and how media flows. Candidates also
 * get their `session`, and the `subscribers` already watching it (any other peer the page holds is gone).
 */
export const WelcomeSchema = v.object({
  v: V,
  type: v.literal('session.welcome'),
  role: v.picklist(['candidate', 'supervisor']),
  connectionId: GeneratedIdSchema,
  examId: HostIdSchema,
  name: NameSchema,
  session: v.optional(SessionSummarySchema),
  provider: ProviderInfoSchema,
  subscribers: v.optional(
    v.array(v.object({ peer: PeerSchema, feeds: v.array(FeedSchema), quality: FeedQualitySchema })),
  ),
  serverTime: v.number(),
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

/** Stable codes of `error` messages and HTTP error bodies. */
export const ERROR_CODES = [
  'bad-message',
  'unknown-type',
  'unauthorized',
  'forbidden',
  'not-found',
  'not-connected',
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
  ErrorMessageSchema,
]);

export type Hello = v.InferOutput<typeof HelloSchema>;
export type ClientMessage = v.InferOutput<typeof ClientMessageSchema>;
export type ServerMessage = v.InferOutput<typeof ServerMessageSchema>;
export type SessionSummary = v.InferOutput<typeof SessionSummarySchema>;
export type ProviderInfo = v.InferOutput<typeof ProviderInfoSchema>;
export type Welcome = v.InferOutput<typeof WelcomeSchema>;
export type RtcOffer = v.InferOutput<typeof RtcOfferSchema>;
export type RtcAnswer = v.InferOutput<typeof RtcAnswerSchema>;
export type RtcIce = v.InferOutput<typeof RtcIceSchema>;
export type RtcMessage = RtcOffer | RtcAnswer | RtcIce;

/** Known client message types, to tell an unknown type from a malformed message. */
export const CLIENT_MESSAGE_TYPES: ReadonlySet<string> = new Set(
  ClientMessageSchema.options.map((option) => option.entries.type.literal),
);

/** A message without the `v` field, as callers write it; the sender adds the version. */
export type Unversioned<M> = M extends unknown ? Omit<M, 'v'> : never;
