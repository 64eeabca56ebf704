import * as v from 'valibot';
import { FEEDS, FeedSchema, type Feed } from './feeds.js';
import type { SessionEvent } from './events.js';
import type { IdentityView, SessionSummary } from './messages.js';
import type { RecordingManifest } from './recording.js';

/**
 * Review: what people record about a session during and after the exam — notes, screenshots,
 * flags, dismissed integrity signals and verdicts. Each is an event of the session's log, so the
 * log stays the one record; {@link reviewRecords} reads them back out of it. Nothing automated
 * writes any of them: every one names the person behind it.
 */

/** Server time in ms since epoch. */
const ServerTimeSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(8.64e15));

/** The longest a flag's time range may be: a day. */
export const FLAG_MAX_RANGE_MS = 24 * 60 * 60 * 1000;

/**
 * Why a person flags an incident. Stable codes, worded for people in docs/guide/review.md and by
 * {@link FLAG_REASON_LABELS}; `other` needs a free text.
 */
export const FLAG_REASONS = [
  'another-person',
  'talking',
  'phone-or-device',
  'unauthorised-material',
  'left-the-camera',
  'screen-content',
  'identity-mismatch',
  'camera-covered',
  'technical-problem',
  'other',
] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

/** The words a person reads for each flag reason. */
export const FLAG_REASON_LABELS: Record<FlagReason, string> = {
  'another-person': 'Another person present',
  talking: 'Talking to someone',
  'phone-or-device': 'Phone or other device',
  'unauthorised-material': 'Unauthorised notes or material',
  'left-the-camera': 'Left the camera’s view',
  'screen-content': 'Unexpected screen content',
  'identity-mismatch': 'Identity does not match',
  'camera-covered': 'Camera covered or turned away',
  'technical-problem': 'Technical problem',
  other: 'Other',
};

/** How serious a flag is, from a remark to something the verdict must weigh. */
export const FLAG_SEVERITIES = ['low', 'medium', 'high'] as const;
export type FlagSeverity = (typeof FLAG_SEVERITIES)[number];

const TextSchema = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`));
const SeqSchema = v.pipe(v.number(), v.integer(), v.minValue(1));

/** `POST …/notes`: a note at a time of the session (the current time, or the player's playhead). */
export const NoteInputSchema = v.strictObject({
  at: ServerTimeSchema,
  text: TextSchema(1000),
});
export type NoteInput = v.InferOutput<typeof NoteInputSchema>;

/**
 * `POST …/flags`: an incident from `from` to `to` (server time) on some feeds, how serious and why.
 * With `signalSeq` it confirms that integrity signal (the log entry of that seq) as this incident.
 */
export const FlagInputSchema = v.pipe(
  v.strictObject({
    from: ServerTimeSchema,
    to: ServerTimeSchema,
    feeds: v.pipe(
      v.array(FeedSchema),
      v.minLength(1, 'must name at least one feed'),
      v.maxLength(FEEDS.length),
      v.check((feeds) => new Set(feeds).size === feeds.length, 'names a feed twice'),
    ),
    severity: v.picklist(FLAG_SEVERITIES),
    reason: v.picklist(FLAG_REASONS),
    text: v.optional(TextSchema(500)),
    signalSeq: v.optional(SeqSchema),
  }),
  v.check((flag) => flag.to >= flag.from, 'ends before it starts'),
  v.check((flag) => flag.to - flag.from <= FLAG_MAX_RANGE_MS, 'spans more than a day'),
  v.check((flag) => flag.reason !== 'other' || flag.text !== undefined, 'needs a text when the reason is "other"'),
);
export type FlagInput = v.InferOutput<typeof FlagInputSchema>;

/** `POST …/signals/:seq/dismiss`: an integrity signal a person judged no incident, and why. */
export const SignalDismissSchema = v.strictObject({
  comment: v.optional(TextSchema(500)),
});
export type SignalDismiss = v.InferOutput<typeof SignalDismissSchema>;

/** A person's conclusion on a session. */
export const VERDICTS = ['accepted', 'rejected', 'inconclusive'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * `POST …/verdicts`: a verdict with a comment for the host. `rejected` needs a `reason` (the
 * candidate may see it). Revising an earlier verdict needs a `comment` saying why.
 */
export const VerdictInputSchema = v.variant('verdict', [
  v.strictObject({ verdict: v.literal('accepted'), comment: v.optional(TextSchema(1000)) }),
  v.strictObject({
    verdict: v.literal('rejected'),
    reason: TextSchema(500),
    comment: v.optional(TextSchema(1000)),
  }),
  v.strictObject({ verdict: v.literal('inconclusive'), comment: v.optional(TextSchema(1000)) }),
]);
export type VerdictInput = v.InferOutput<typeof VerdictInputSchema>;

/** The image types a screenshot may be sent as. */
export const SCREENSHOT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ScreenshotType = (typeof SCREENSHOT_TYPES)[number];
/** The largest screenshot, in bytes (a 1080p frame as JPEG is far below). */
export const SCREENSHOT_MAX_BYTES = 4 * 1024 * 1024;
/** The most screenshots one session may have. */
export const SCREENSHOTS_PER_SESSION = 200;

/**
 * `POST …/screenshots?feed=…&at=…&width=…&height=…` takes the image as its body; these are its
 * query parameters (strings, as a URL carries them).
 */
export const ScreenshotQuerySchema = v.strictObject({
  feed: FeedSchema,
  at: v.pipe(v.string(), v.regex(/^\d{1,16}$/, 'must be a time in ms'), v.transform(Number)),
  width: v.pipe(v.string(), v.regex(/^\d{1,5}$/, 'must be whole pixels'), v.transform(Number), v.minValue(1), v.maxValue(16_384)),
  height: v.pipe(v.string(), v.regex(/^\d{1,5}$/, 'must be whole pixels'), v.transform(Number), v.minValue(1), v.maxValue(16_384)),
});

/** Who recorded something: the role and host id of the person, and their name. */
export interface Signer {
  role: 'supervisor' | 'reviewer' | 'host';
  id: string;
  name: string;
}

/** A note as the log holds it (`note.added`). */
export interface Note {
  noteId: string;
  seq: number;
  /** The session time the note is about. */
  at: number;
  /** When it was written. */
  writtenAt: number;
  text: string;
  by: Signer;
}

/** A screenshot as the log holds it (`screenshot.taken`); the image is served at `…/screenshots/:screenshotId`. */
export interface Screenshot {
  screenshotId: string;
  seq: number;
  feed: Feed;
  at: number;
  width: number;
  height: number;
  contentType: ScreenshotType;
  bytes: number;
  by: Signer;
}

/** A flag as the log holds it (`flag.created`). */
export interface Flag extends FlagInput {
  flagId: string;
  seq: number;
  /** When it was marked. */
  createdAt: number;
  by: Signer;
}

/** A dismissed integrity signal (`signal.dismissed`). */
export interface SignalDismissal {
  signalSeq: number;
  seq: number;
  at: number;
  comment?: string;
  by: Signer;
}

/**
 * One signed verdict entry (`verdict.signed`). `signature` is the kit's HMAC-SHA256 over the
 * entry and the previous entry's signature (`previous`), so an entry cannot be changed or dropped
 * unnoticed; a revision is a new entry, never an overwrite.
 */
export interface VerdictEntry {
  verdictId: string;
  seq: number;
  verdict: Verdict;
  reason?: string;
  comment?: string;
  signedAt: number;
  by: Signer;
  /** The verdict this one revises. */
  revises?: string;
  previous?: string;
  signature: string;
}

/** The event types of review records, written by the kit on a person's request. */
export const REVIEW_EVENT_TYPES = ['note.added', 'screenshot.taken', 'flag.created', 'signal.dismissed', 'verdict.signed'] as const;

/** What the log says people recorded about a session, in log order. */
export interface ReviewRecords {
  notes: Note[];
  screenshots: Screenshot[];
  flags: Flag[];
  dismissals: SignalDismissal[];
  verdicts: VerdictEntry[];
}

/**
 * The latest verdict, as a session's summary carries it: for supervisors and reviewers always;
 * for the candidate only when the host lets candidates see it (`reason` only for `rejected`).
 */
export const VerdictSummarySchema = v.object({
  verdict: v.picklist(VERDICTS),
  reason: v.optional(v.pipe(v.string(), v.maxLength(500))),
  signedAt: v.number(),
});
export type VerdictSummary = v.InferOutput<typeof VerdictSummarySchema>;

/** One verdict entry as the report gives it: with whether its signature checks out now. */
export interface ReportVerdict extends VerdictEntry {
  /** Whether the kit's signature over this entry (and its chain) is intact. */
  signatureValid: boolean;
}

/** A screenshot as the report gives it: with a signed URL of its image, valid for an hour. */
export interface ReportScreenshot extends Screenshot {
  url: string;
}

/**
 * `GET {server}/sessions/:id/report`: everything about one session for the host and its reviewers.
 * URLs in it (recordings, screenshots, identity photos, the printable report) are signed and
 * work without a token until `linksExpireAt`.
 */
export interface SessionReport {
  generatedAt: number;
  linksExpireAt: number;
  session: SessionSummary;
  /** The candidate's setup check, as their page logged it (`log.device-check.completed`). */
  deviceCheck: SessionEvent | null;
  identity: IdentityView & { photoUrls: Record<string, string> };
  events: SessionEvent[];
  flags: Flag[];
  dismissals: SignalDismissal[];
  notes: Note[];
  screenshots: ReportScreenshot[];
  recordings: RecordingManifest;
  verdicts: ReportVerdict[];
  /** The printable HTML report (one page per session; print it to PDF from the browser). */
  htmlUrl: string;
}
