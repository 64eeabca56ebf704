import * as v from 'valibot';
import { FeedSchema } from './feeds.js';
import { GeneratedIdSchema } from './ids.js';

/**
 * Recording: each feed's `MediaRecorder` output, as one or more **runs** (a new run each time a
 * recorder restarts), each uploaded as numbered **chunks** from 0 and finished into one seekable
 * file. The browser's recorder and the kit's upload routes share these schemas and bounds.
 */

/** The containers a run may be recorded in: WebM (Chromium, Firefox), MP4 (Safari). */
export const RECORDING_CONTAINERS = ['video/webm', 'video/mp4'] as const;
export type RecordingContainer = (typeof RECORDING_CONTAINERS)[number];

/** A recorder's MIME type with its codecs, e.g. `video/webm;codecs=vp8,opus`. */
export const RecordingMimeTypeSchema = v.pipe(
  v.string(),
  v.maxLength(100),
  v.regex(/^video\/(?:webm|mp4)(?:;\s*codecs="?[\w.,+ -]{1,60}"?)?$/i, 'must be video/webm or video/mp4, with codecs'),
);

/** The container of a recorder's MIME type (`video/webm;codecs=vp8` → `video/webm`). */
export function recordingContainer(mimeType: string): RecordingContainer {
  return mimeType.toLowerCase().startsWith('video/mp4') ? 'video/mp4' : 'video/webm';
}

/** The most bytes one chunk may have: a 4 s slice of a busy 1080p screen at the default bitrates is far below. */
export const RECORDING_CHUNK_MAX_BYTES = 8 * 1024 * 1024;

/** The most chunks one run may have: 100,000 slices of 4 s are 111 hours. */
export const RECORDING_MAX_CHUNKS = 100_000;

/** The most runs one feed of a session may have (a camera that keeps failing starts a run each time). */
export const RECORDING_MAX_RUNS_PER_FEED = 200;

/** A chunk's number within its run, from 0, as a URL path segment. */
export const ChunkSeqSchema = v.pipe(
  v.string(),
  v.regex(/^(?:0|[1-9]\d{0,5})$/, 'must be a whole number from 0'),
  v.transform(Number),
  v.maxValue(RECORDING_MAX_CHUNKS - 1, `must be below ${RECORDING_MAX_CHUNKS}`),
);

const ServerTimeSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(8.64e15));

/** A page starts a run (`POST …/recordings/:feed/runs`): its id, type and server time. Idempotent per `runId`. */
export const RunStartSchema = v.strictObject({
  runId: GeneratedIdSchema,
  mimeType: RecordingMimeTypeSchema,
  /** When the recorder started, in server time as the page estimates it. */
  startedAt: ServerTimeSchema,
});
export type RunStart = v.InferOutput<typeof RunStartSchema>;

/** Why a run ended, as the page knows it. */
export const RUN_END_REASONS = ['exam-ended', 'share-stopped', 'camera-lost', 'page-closed', 'stopped'] as const;
export type RunEndReason = (typeof RUN_END_REASONS)[number];

/** A page ended a run (`POST …/runs/:runId/end`) after its last chunk: how many chunks it has. */
export const RunEndSchema = v.strictObject({
  chunks: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(RECORDING_MAX_CHUNKS)),
  endedAt: ServerTimeSchema,
  reason: v.picklist(RUN_END_REASONS),
});
export type RunEnd = v.InferOutput<typeof RunEndSchema>;

/** A page asks where to upload a chunk straight to the object store: its size and MD5 (base64). */
export const ChunkUploadRequestSchema = v.strictObject({
  bytes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(RECORDING_CHUNK_MAX_BYTES)),
  md5: v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]{22}==$/, 'must be an MD5 in base64')),
});
export type ChunkUploadRequest = v.InferOutput<typeof ChunkUploadRequestSchema>;

/**
 * Where a run is: `recording` while its recorder runs, `uploading` once it ended with chunks still
 * to arrive (or being finished), `complete` once its file is finished, `incomplete` when chunks
 * never arrived or the bytes could not be finished into a file.
 */
export const RecordingStateSchema = v.picklist(['recording', 'uploading', 'complete', 'incomplete']);
export type RecordingState = v.InferOutput<typeof RecordingStateSchema>;

/** One run in the manifest. Times are server time; `url` serves the finished file (Range requests). */
export const RecordingRunSchema = v.object({
  runId: GeneratedIdSchema,
  startedAt: v.number(),
  endedAt: v.nullable(v.number()),
  durationMs: v.nullable(v.number()),
  bytes: v.number(),
  mimeType: v.string(),
  state: RecordingStateSchema,
  url: v.nullable(v.string()),
  // Chunks the kit holds, and the numbers of those it knows are missing.
  chunks: v.object({ received: v.number(), missing: v.array(v.number()) }),
});
export type RecordingRun = v.InferOutput<typeof RecordingRunSchema>;

/** Why a feed was not recorded for a while, from the session's log. */
export const GAP_REASONS = ['share-stopped', 'camera-lost', 'page-closed', 'disconnected', 'unknown'] as const;
export type GapReason = (typeof GAP_REASONS)[number];

/** `GET {server}/sessions/:id/recordings`: every feed's runs, and the gaps between them. */
export const RecordingManifestSchema = v.object({
  recordings: v.array(v.object({ feed: FeedSchema, runs: v.array(RecordingRunSchema) })),
  gaps: v.array(v.object({ feed: FeedSchema, from: v.number(), to: v.number(), reason: v.picklist(GAP_REASONS) })),
});
export type RecordingManifest = v.InferOutput<typeof RecordingManifestSchema>;

/** Which container the bytes of a run's first chunk are: the EBML header (WebM) or an `ftyp` box (MP4). */
export function sniffContainer(bytes: Uint8Array): RecordingContainer | undefined {
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'video/webm';
  if (bytes.length >= 8 && bytes[4] === 0x66 && bytes[5] === 0x74 && bytes[6] === 0x79 && bytes[7] === 0x70) return 'video/mp4';
  return undefined;
}

/** The kit's answer to a chunk upload request: stored already, or where to PUT it (valid until `expiresAt`). */
export type PresignedChunkUpload =
  | { stored: true }
  | { stored: false; upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: number } };

/** The most recording a page reports waiting to upload for one feed: a day. */
export const RECORDING_BACKLOG_MAX_MS = 86_400_000;

/**
 * Where one feed's recording is, as supervisors see it: `off` before its first run, `recording`
 * while a recorder runs, `uploading` while recorded chunks wait on the page or the kit finishes a
 * file, then the latest run's `complete` or `incomplete`. `pendingMs` is about how much recording
 * waits on the candidate's (or phone's) page, as that page last reported it.
 */
export const FeedRecordingSchema = v.object({
  state: v.picklist(['off', 'recording', 'uploading', 'complete', 'incomplete']),
  pendingMs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(RECORDING_BACKLOG_MAX_MS)),
});
export type FeedRecording = v.InferOutput<typeof FeedRecordingSchema>;

/** What the kit tells a recording page: whether the microphone goes into the webcam's file, and how many days recordings are kept after the exam. */
export const RecordingPolicySchema = v.object({
  audio: v.boolean(),
  retentionDays: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(36_500))),
});
export type RecordingPolicy = v.InferOutput<typeof RecordingPolicySchema>;
