import * as v from 'valibot';
import { ProctorError } from '../errors.js';
import { json, postJson, request, sessionPath } from '../util/rest.js';
import {
  RecordingManifestSchema,
  SCREENSHOT_MAX_BYTES,
  SCREENSHOT_TYPES,
  SessionEventSchema,
  SessionSummarySchema,
  type Feed,
  type Flag,
  type FlagInput,
  type Note,
  type RecordingManifest,
  type Screenshot,
  type SessionEvent,
  type SessionReport,
  type SessionSummary,
  type SignalDismissal,
  type VerdictEntry,
  type VerdictInput,
} from '../protocol/index.js';

/** An answer the kit made of a record it just wrote: checked for its `seq`, the rest as the kit sent it. */
const WrittenSchema = v.looseObject({ seq: v.pipe(v.number(), v.integer(), v.minValue(1)) });
const EventsSchema = v.object({ events: v.array(SessionEventSchema), more: v.boolean() });
const ReportSchema = v.looseObject({ generatedAt: v.number(), session: SessionSummarySchema, events: v.array(SessionEventSchema) });

/**
 * The review routes of the kit, for a supervisor's or reviewer's token: read sessions, their logs,
 * recordings and reports; write notes, screenshots, flags, signal dismissals and verdicts. Every
 * refusal rejects with a {@link ProctorError} carrying the kit's message.
 */
export class ReviewClient {
  /** `server` as the elements take it (e.g. `/proctor`); `token()` gives the current token. */
  constructor(
    private readonly server: string,
    private readonly token: () => string,
  ) {}

  /** The sessions the token may review. */
  async sessions(): Promise<SessionSummary[]> {
    return json(await this.get('/sessions'), 'sessions', v.array(SessionSummarySchema));
  }

  async session(sessionId: string): Promise<SessionSummary> {
    return json(await this.get(sessionPath(sessionId)), 'session', SessionSummarySchema);
  }

  /** Every event of a session's log, in order (fetched in batches). */
  async events(sessionId: string, afterSeq = 0): Promise<SessionEvent[]> {
    const events: SessionEvent[] = [];
    for (let after = afterSeq; ; ) {
      const response = await this.get(sessionPath(sessionId, `/events?after=${after}`));
      const batch = v.safeParse(EventsSchema, await response.json());
      if (!batch.success) throw new ProctorError('command-refused', "The server's answer has no valid events.");
      events.push(...batch.output.events);
      if (!batch.output.more || batch.output.events.length === 0) return events;
      after = batch.output.events.at(-1)!.seq;
    }
  }

  /** The session's recordings: each feed's runs with a signed `url` a `<video>` can play, and the gaps. */
  async recordings(sessionId: string): Promise<RecordingManifest> {
    const parsed = v.safeParse(RecordingManifestSchema, await (await this.get(sessionPath(sessionId, '/recordings'))).json());
    if (!parsed.success) throw new ProctorError('command-refused', "The server's answer is not a recording manifest.");
    return parsed.output;
  }

  /** Everything about the session, with signed links (recordings, screenshots, the printable report). */
  async report(sessionId: string): Promise<SessionReport> {
    return (await json(await this.get(sessionPath(sessionId, '/report')), 'report', ReportSchema)) as unknown as SessionReport;
  }

  /** A note at `at` (server time: the current time during the exam, the playhead in a replay). */
  async addNote(sessionId: string, at: number, text: string): Promise<Note> {
    return this.written(postJson(this.server, this.token(), sessionPath(sessionId, '/notes'), { at: Math.round(at), text }), 'note');
  }

  /** Marks an incident; with `signalSeq` it confirms that integrity signal as this incident. */
  async addFlag(sessionId: string, flag: FlagInput): Promise<Flag> {
    return this.written(postJson(this.server, this.token(), sessionPath(sessionId, '/flags'), flag), 'flag');
  }

  /** Judges the integrity signal logged at `signalSeq` no incident. */
  async dismissSignal(sessionId: string, signalSeq: number, comment?: string): Promise<SignalDismissal> {
    const body = comment ? { comment } : {};
    return this.written(postJson(this.server, this.token(), sessionPath(sessionId, `/signals/${signalSeq}/dismiss`), body), 'dismissal');
  }

  /** Signs the session's verdict (a revision when it has one: then `comment` says why). */
  async signVerdict(sessionId: string, verdict: VerdictInput): Promise<VerdictEntry> {
    return this.written(postJson(this.server, this.token(), sessionPath(sessionId, '/verdicts'), verdict), 'verdict');
  }

  /**
   * Stores a screenshot of `feed` at `at` (server time): the image as the stream has it, JPEG,
   * PNG or WebP, at most 4 MB, with its size in pixels.
   */
  async addScreenshot(sessionId: string, shot: { feed: Feed; at: number; width: number; height: number; image: Blob }): Promise<Screenshot> {
    const type = SCREENSHOT_TYPES.find((t) => t === shot.image.type);
    if (!type) throw new ProctorError('bad-input', `A screenshot must be ${SCREENSHOT_TYPES.join(', ')}, not ${shot.image.type || 'untyped'}.`);
    if (shot.image.size > SCREENSHOT_MAX_BYTES) throw new ProctorError('bad-input', 'The screenshot is larger than 4 MB.');
    const query = new URLSearchParams({ feed: shot.feed, at: String(Math.round(shot.at)), width: String(shot.width), height: String(shot.height) });
    const response = request(this.server, this.token(), sessionPath(sessionId, `/screenshots?${query}`), {
      method: 'POST',
      headers: { 'content-type': type },
      body: shot.image,
    });
    return this.written(response, 'screenshot');
  }

  /** A screenshot's image. Show it with `URL.createObjectURL(blob)` and revoke the URL once gone. */
  async screenshot(sessionId: string, screenshotId: string): Promise<Blob> {
    return (await this.get(sessionPath(sessionId, `/screenshots/${encodeURIComponent(screenshotId)}`))).blob();
  }

  private get(path: string): Promise<Response> {
    return request(this.server, this.token(), path, { cache: 'no-store' });
  }

  private async written<T>(response: Promise<Response>, key: string): Promise<T> {
    return (await json(await response, key, WrittenSchema)) as T;
  }
}
