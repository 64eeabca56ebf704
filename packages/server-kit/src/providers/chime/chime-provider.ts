import type {
  Attendee,
  ChimeSDKMeetingsClient,
  ChimeSDKMeetingsClientConfig,
  CreateAttendeeError,
  CreateAttendeeRequestItem,
  Meeting,
} from '@aws-sdk/client-chime-sdk-meetings';
import {
  ChimeAttendeeSchema,
  ChimeMeetingSchema,
  FEEDS,
  parse,
  type ChimeMeeting,
  type ChimeProviderInfo,
} from '@proctorkit/core/protocol';
import { KitError } from '../../errors.js';
import { KeyedQueue } from '../../keyed-queue.js';
import type { SessionRecord } from '../../store/session-store.js';
import type { MediaProvider, ProviderHost, SessionRef } from '../provider.js';
import { chimeCalls, type ChimeCalls } from './chime-calls.js';
import type { ChimeMeetingRecord, ChimeMeetingStore } from './meeting-store.js';
import { feedUserId, meetingRequestToken, viewerUserId } from './names.js';
import { QueueCancelledError, RateQueue, type Failure, type RateQueueStats } from './rate-queue.js';

/** Options of {@link chimeProvider}. */
export interface ChimeProviderOptions {
  /** The AWS Region whose Chime SDK meetings API the kit calls, e.g. `'us-east-1'`. */
  region: string;
  /** Where meetings' media is hosted; pick the Region nearest the candidates. Default: `region`. */
  mediaRegion?: string;
  /**
   * A client of your own. Give it `maxAttempts: 1`: the provider's queue retries, and the SDK's own
   * retries would only add requests while Chime throttles. `region`, `endpoint` and `credentials`
   * are then not used.
   */
  client?: ChimeSDKMeetingsClient;
  /**
   * Chime requests per second, all operations together. Default 10. Set it to the quota of your
   * account (AWS raises it on request); the provider never sends faster.
   */
  maxRequestsPerSecond?: number;
  /** Another control-plane endpoint, e.g. a local fake: `'http://127.0.0.1:4566'`. */
  endpoint?: string;
  /** Credentials. Default: the AWS SDK's chain (environment, shared config, instance or task role). */
  credentials?: ChimeSDKMeetingsClientConfig['credentials'];
  /**
   * Where meetings and attendees are kept. Default: the kit's own store, so a restarted kit (or
   * another instance sharing its store) rejoins each session's meeting instead of creating one.
   */
  store?: ChimeMeetingStore;
  /** Whether browsers may send Chime's client events to AWS (`EventIngestionUrl`). Default `true`. */
  eventIngestion?: boolean;
  /** Attendees per CreateMeetingWithAttendees; the rest go in BatchCreateAttendee. Default 10, at most 20. */
  attendeesPerCreate?: number;
  /** How often waiting candidates hear their place in the queue. Default 2000 ms. */
  progressIntervalMs?: number;
  /** The queue's pause after a throttled or failed request, doubling up to `capMs`. Defaults 250 ms, 20 s. */
  backoff?: { baseMs?: number; capMs?: number };
}

/** The Amazon Chime provider: a {@link MediaProvider} that reports on its request queue. */
export interface ChimeProvider extends MediaProvider {
  readonly name: 'chime';
  /** What the shared request queue did so far: requests, throttling, waits. */
  readonly stats: Readonly<RateQueueStats>;
  /** Requests waiting in the queue now. */
  readonly waiting: number;
}

/** Video only, sent: a feed's attendee. */
const SEND_VIDEO = { Audio: 'None', Video: 'Send', Content: 'None' } as const;
/** Video only, received: a supervisor's attendee. */
const RECEIVE_VIDEO = { Audio: 'None', Video: 'Receive', Content: 'None' } as const;
/** Chime's limit on BatchCreateAttendee. */
const BATCH_MAX = 100;
const PENDING: ChimeProviderInfo = { name: 'chime', state: 'pending' };
const RETRY_LATER = 'The media service could not prepare your session; reload the page to try again.';

/**
 * Amazon Chime SDK meetings as the media path, for events of thousands: one meeting per session,
 * created with CreateMeetingWithAttendees with one send-only attendee per feed
 * (`<candidateId>/webcam|screen|phone`) and the candidate's assigned supervisors as receive-only
 * attendees. Every Chime request goes through one rate-limited queue; a candidate waiting for its
 * turn is told its place (`session.preparing`), and supervisors see the session as `preparing`.
 * Meetings are kept in a store so a rejoin reuses them; one Chime has ended is recreated; a
 * session's end deletes its meeting. The AWS SDK is loaded at the first Chime request, so hosts
 * that never use this provider never load it.
 *
 * @example
 * ```ts
 * const kit = createProctorKit({
 *   secret: process.env.PROCTOR_SECRET!,
 *   provider: chimeProvider({ region: 'eu-central-1', maxRequestsPerSecond: 10 }),
 * });
 * ```
 */
export function chimeProvider(options: ChimeProviderOptions): ChimeProvider {
  return new ChimeMeetings(options);
}

interface ViewerBatch {
  userIds: Set<string>;
  done: Promise<ChimeMeetingRecord | undefined>;
}

class ChimeMeetings implements ChimeProvider {
  readonly name = 'chime';
  private readonly chime: ChimeCalls;
  private readonly queue: RateQueue;
  private readonly rate: number;
  /** The host's own meeting store, or the kit's once attached. */
  private store: ChimeMeetingStore | undefined;
  private readonly mediaRegion: string;
  private readonly eventIngestion: boolean;
  private readonly attendeesPerCreate: number;
  private readonly progressIntervalMs: number;
  /** Each session's changes to its stored meeting, one at a time. */
  private readonly locks = new KeyedQueue();
  /** Meetings being created (or recreated), by session. */
  private readonly preparing = new Map<string, Promise<ChimeMeetingRecord | undefined>>();
  /** Supervisors waiting to be added to a session's meeting in the next request. */
  private readonly viewerBatches = new Map<string, ViewerBatch>();
  private readonly verifying = new Set<string>();
  /** Sessions ending now: their queued requests are dropped. */
  private readonly ending = new Set<string>();
  /** The place in the queue each waiting candidate was last told. */
  private readonly told = new Map<string, number>();
  private host: ProviderHost | undefined;
  private progressTimer: NodeJS.Timeout | undefined;

  constructor(options: ChimeProviderOptions) {
    const fail = (message: string): never => {
      throw new KitError('bad-message', `chimeProvider: ${message}`);
    };
    if (!options.client && (typeof options.region !== 'string' || !/^[a-z0-9-]{2,64}$/.test(options.region))) {
      fail('`region` must be an AWS Region, e.g. "us-east-1".');
    }
    const mediaRegion = options.mediaRegion ?? options.region;
    if (typeof mediaRegion !== 'string' || !/^[a-z0-9-]{2,64}$/.test(mediaRegion)) fail('`mediaRegion` must be an AWS Region.');
    const rate = options.maxRequestsPerSecond ?? 10;
    if (!(rate > 0) || !Number.isFinite(rate)) fail('`maxRequestsPerSecond` must be a number > 0.');
    const perCreate = options.attendeesPerCreate ?? 10;
    if (!Number.isInteger(perCreate) || perCreate < FEEDS.length || perCreate > 20) {
      fail(`\`attendeesPerCreate\` must be a whole number from ${FEEDS.length} to 20.`);
    }
    this.mediaRegion = mediaRegion;
    this.attendeesPerCreate = perCreate;
    this.eventIngestion = options.eventIngestion ?? true;
    this.progressIntervalMs = options.progressIntervalMs ?? 2000;
    this.store = options.store;
    // The AWS SDK loads at the first request, so a kit that never uses Chime never loads it.
    this.chime = chimeCalls(
      options.client
        ? { client: options.client }
        : {
            config: {
              region: options.region,
              // The queue retries; the SDK's own retries would add requests while Chime throttles.
              maxAttempts: 1,
              requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000, throwOnRequestTimeout: true },
              ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
              ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
            },
          },
    );
    this.rate = rate;
    this.queue = new RateQueue({
      ratePerSecond: rate,
      classify,
      ...(options.backoff?.baseMs === undefined ? {} : { backoffBaseMs: options.backoff.baseMs }),
      ...(options.backoff?.capMs === undefined ? {} : { backoffCapMs: options.backoff.capMs }),
    });
  }

  /** Where meetings are kept; a provider is attached to its kit before any other call. */
  private get meetings(): ChimeMeetingStore {
    if (!this.store) throw new KitError('internal', 'chimeProvider: attach it to a kit (createProctorKit({ provider })) before use.');
    return this.store;
  }

  get stats(): Readonly<RateQueueStats> {
    return this.queue.stats;
  }

  get waiting(): number {
    return this.queue.waiting;
  }

  attach(host: ProviderHost): void {
    if (this.host) throw new KitError('conflict', 'chimeProvider: a provider serves one kit; create one per kit.');
    this.host = host;
    this.store ??= meetingStoreIn(host.records);
    // One account, one quota: N kit instances together send at most `maxRequestsPerSecond`.
    this.queue.share(host.sharedRate('chime-requests', this.rate));
    this.progressTimer = setInterval(() => this.tellPlaces(), this.progressIntervalMs);
    this.progressTimer.unref();
  }

  /**
   * A candidate's meeting when it is stored (a rejoin: checked in the background), else `pending`
   * while it is created; a supervisor's welcome is always `pending` (its meetings come per session).
   */
  async joinInfo(session?: SessionRecord): Promise<ChimeProviderInfo> {
    if (!session || session.clock.endedAt !== null) return PENDING;
    const { sessionId } = session;
    if (!this.preparing.has(sessionId)) {
      const record = await this.meetings.get(sessionId);
      if (record) {
        // A kit restarted while preparing (durable stores) left the status behind.
        if (session.preparing) this.requireHost().setPreparing(sessionId, false);
        this.verify(record);
        return candidateJoinInfo(record);
      }
      void this.prepare(session, undefined);
    }
    // A new page of the candidate hears its place at once.
    this.told.delete(sessionId);
    this.tellPlace(sessionId, this.queue.ahead(sessionId));
    return PENDING;
  }

  /** `undefined` while the meeting is being created: once it is, the kit asks again for each subscriber. */
  async viewInfo(session: SessionRecord, supervisorId: string): Promise<ChimeProviderInfo | undefined> {
    if (session.clock.endedAt !== null || this.preparing.has(session.sessionId)) return undefined;
    const userId = viewerUserId(supervisorId);
    let record = await this.meetings.get(session.sessionId);
    if (record && !record.attendees[userId]) record = await this.addViewer(record, userId);
    return record && supervisorJoinInfo(record, userId);
  }

  async sessionEnded(session: SessionRef): Promise<void> {
    const { sessionId } = session;
    this.ending.add(sessionId);
    this.queue.cancel(sessionId, 'The session ended.');
    try {
      await this.preparing.get(sessionId);
      const record = await this.locks.run(sessionId, async () => {
        const stored = await this.meetings.get(sessionId);
        if (stored) await this.meetings.delete(sessionId);
        return stored;
      });
      if (!record) return;
      const MeetingId = record.meeting.MeetingId;
      await this.queue.run(sessionId, () => this.chime.deleteMeeting({ MeetingId }), 'later').catch((error) => {
        if (isNotFound(error) || error instanceof QueueCancelledError) return;
        this.host?.logger.warn(`chime: deleting meeting ${MeetingId} of session ${sessionId} failed; Chime ends it once idle`, error);
      });
    } finally {
      this.ending.delete(sessionId);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.progressTimer);
    this.queue.close();
    this.chime.destroy();
  }

  /** Creates the session's meeting once, however many ask at once. `stale`: the meeting Chime ended, if any. */
  private prepare(session: SessionRef, stale: string | undefined): Promise<ChimeMeetingRecord | undefined> {
    const { sessionId } = session;
    let running = this.preparing.get(sessionId);
    if (!running) {
      const created = this.locks.run(sessionId, () => this.create(session, stale));
      this.preparing.set(sessionId, created);
      void created.finally(() => this.donePreparing(sessionId, created));
      running = created;
    }
    return running;
  }

  private donePreparing(sessionId: string, preparation: Promise<unknown>): void {
    if (this.preparing.get(sessionId) !== preparation) return;
    this.preparing.delete(sessionId);
    this.told.delete(sessionId);
  }

  /** Never throws: a failure is logged and the candidate told. */
  private async create(session: SessionRef, stale: string | undefined): Promise<ChimeMeetingRecord | undefined> {
    const host = this.requireHost();
    const { sessionId, candidateId } = session;
    const previous = await this.meetings.get(sessionId);
    // Created meanwhile; or, when recreating, recreated already or deleted (the session ended).
    if (stale === undefined ? previous : previous?.meeting.MeetingId !== stale) return previous;
    if (this.ending.has(sessionId)) return undefined;
    host.setPreparing(sessionId, true);
    try {
      const generation = previous ? previous.generation + 1 : 0;
      // Chosen when the request starts, so supervisors who subscribed while it waited are in it;
      // a retry sends the same request, as its ClientRequestToken promises.
      let wanted: CreateAttendeeRequestItem[] | undefined;
      const creating = this.call(sessionId, () => {
        wanted ??= [
          ...FEEDS.map((feed) => ({ ExternalUserId: feedUserId(candidateId, feed), Capabilities: SEND_VIDEO })),
          ...[...new Set(host.supervisorsOf(session))].map((id) => ({ ExternalUserId: viewerUserId(id), Capabilities: RECEIVE_VIDEO })),
        ];
        return this.chime.createMeetingWithAttendees({
          MediaRegion: this.mediaRegion,
          ExternalMeetingId: sessionId,
          ClientRequestToken: meetingRequestToken(sessionId, generation),
          Attendees: wanted.slice(0, this.attendeesPerCreate),
        });
      });
      this.tellPlace(sessionId, this.queue.ahead(sessionId));
      const created = await creating;
      const record: ChimeMeetingRecord = {
        sessionId,
        examId: session.examId,
        candidateId,
        generation,
        meeting: this.meetingOf(created.Meeting),
        attendees: {},
        createdAt: Date.now(),
      };
      this.addAttendees(record, created.Attendees, created.Errors);
      if (!FEEDS.some((feed) => record.attendees[feedUserId(candidateId, feed)])) {
        throw new KitError('internal', `Chime created meeting ${record.meeting.MeetingId} without any feed's attendee.`);
      }
      const rest = wanted!.slice(this.attendeesPerCreate);
      for (let i = 0; i < rest.length; i += BATCH_MAX) {
        const Attendees = rest.slice(i, i + BATCH_MAX);
        try {
          const added = await this.call(sessionId, () => this.chime.batchCreateAttendee({ MeetingId: record.meeting.MeetingId, Attendees }));
          this.addAttendees(record, added.Attendees, added.Errors);
        } catch (error) {
          if (error instanceof QueueCancelledError) break;
          host.logger.warn(`chime: adding ${Attendees.length} supervisors to session ${sessionId} failed; each is added when it subscribes`, error);
        }
      }
      await this.meetings.put(record);
      if (stale) host.logger.info(`chime: session ${sessionId} has a new meeting ${record.meeting.MeetingId}; Chime ended ${stale}`);
      // No longer preparing before the kit asks for the subscribers' views.
      this.donePreparing(sessionId, this.preparing.get(sessionId)!);
      if (!this.ending.has(sessionId)) host.mediaReady(sessionId, candidateJoinInfo(record));
      return record;
    } catch (error) {
      if (!(error instanceof QueueCancelledError)) {
        host.logger.error(`chime: creating the meeting of session ${sessionId} failed${hint(error)}`, error);
        host.mediaFailed(sessionId, RETRY_LATER);
      }
      return undefined;
    } finally {
      host.setPreparing(sessionId, false);
    }
  }

  /** A rejoin reuses the stored meeting at once; this checks, when the queue is idle, that Chime has not ended it. */
  private verify(record: ChimeMeetingRecord): void {
    const { sessionId } = record;
    const MeetingId = record.meeting.MeetingId;
    if (this.verifying.has(sessionId)) return;
    this.verifying.add(sessionId);
    this.call(sessionId, () => this.chime.getMeeting({ MeetingId }), 'later')
      .then(
        () => undefined,
        async (error: unknown) => {
          if (isNotFound(error)) await this.prepare(record, MeetingId);
          else if (!(error instanceof QueueCancelledError)) {
            this.host?.logger.warn(`chime: checking meeting ${MeetingId} of session ${sessionId} failed`, error);
          }
        },
      )
      .finally(() => this.verifying.delete(sessionId));
  }

  /**
   * Adds a supervisor to the session's meeting. Supervisors asking while the request waits for its
   * turn ride along in the same request (BatchCreateAttendee).
   */
  private addViewer(record: ChimeMeetingRecord, userId: string): Promise<ChimeMeetingRecord | undefined> {
    let batch = this.viewerBatches.get(record.sessionId);
    if (!batch) {
      const opened: ViewerBatch = { userIds: new Set(), done: Promise.resolve(undefined) };
      this.viewerBatches.set(record.sessionId, opened);
      opened.done = this.addViewers(record, opened);
      batch = opened;
    }
    batch.userIds.add(userId);
    return batch.done;
  }

  private async addViewers(session: SessionRef, batch: ViewerBatch): Promise<ChimeMeetingRecord | undefined> {
    const { sessionId } = session;
    let ended: string | undefined;
    const record = await this.locks.run(sessionId, async () => {
      const current = await this.meetings.get(sessionId);
      if (!current) {
        this.closeBatch(sessionId, batch);
        return undefined;
      }
      const MeetingId = current.meeting.MeetingId;
      try {
        const added = await this.call(sessionId, async () => {
          this.closeBatch(sessionId, batch);
          // Beyond Chime's batch of 100, which is more than a meeting holds in practice, the rest
          // get theirs when they subscribe again.
          const Attendees = [...batch.userIds]
            .filter((id) => !current.attendees[id])
            .slice(0, BATCH_MAX)
            .map((ExternalUserId) => ({ ExternalUserId, Capabilities: RECEIVE_VIDEO }));
          if (Attendees.length === 0) return undefined;
          if (Attendees.length > 1) return this.chime.batchCreateAttendee({ MeetingId, Attendees });
          const { Attendee } = await this.chime.createAttendee({ MeetingId, ...Attendees[0]! });
          return { Attendees: Attendee ? [Attendee] : [], Errors: [] };
        });
        if (added) {
          this.addAttendees(current, added.Attendees, added.Errors);
          await this.meetings.put(current);
        }
        return current;
      } catch (error) {
        if (isNotFound(error)) ended = MeetingId;
        else if (!(error instanceof QueueCancelledError)) {
          this.host?.logger.warn(`chime: adding supervisors to meeting ${MeetingId} of session ${sessionId} failed`, error);
        }
        return undefined;
      }
    });
    // Outside the lock: recreating takes it. The new meeting includes the subscribed supervisors.
    return ended ? this.prepare(session, ended) : record;
  }

  private closeBatch(sessionId: string, batch: ViewerBatch): void {
    if (this.viewerBatches.get(sessionId) === batch) this.viewerBatches.delete(sessionId);
  }

  /** Runs one Chime request through the queue, unless the session is ending by then. */
  private call<T>(sessionId: string, request: () => Promise<T>, lane: 'now' | 'later' = 'now'): Promise<T> {
    return this.queue.run(
      sessionId,
      () => (this.ending.has(sessionId) ? Promise.reject(new QueueCancelledError('The session ended.')) : request()),
      lane,
    );
  }

  /** Tells every candidate still waiting where it stands, when that changed. */
  private tellPlaces(): void {
    if (this.preparing.size === 0) return;
    const positions = this.queue.positions();
    for (const sessionId of this.preparing.keys()) this.tellPlace(sessionId, positions.get(sessionId));
  }

  private tellPlace(sessionId: string, ahead: number | undefined): void {
    if (ahead === undefined || this.told.get(sessionId) === ahead) return;
    this.told.set(sessionId, ahead);
    this.host?.progress(sessionId, ahead);
  }

  /** What browsers need of Chime's meeting, checked against the protocol before anyone gets it. */
  private meetingOf(meeting: Meeting | undefined): ChimeMeeting {
    const placement = meeting?.MediaPlacement ?? {};
    const urls = {
      AudioHostUrl: placement.AudioHostUrl,
      AudioFallbackUrl: placement.AudioFallbackUrl,
      SignalingUrl: placement.SignalingUrl,
      TurnControlUrl: placement.TurnControlUrl,
      ScreenDataUrl: placement.ScreenDataUrl,
      ScreenViewingUrl: placement.ScreenViewingUrl,
      ScreenSharingUrl: placement.ScreenSharingUrl,
      EventIngestionUrl: this.eventIngestion ? placement.EventIngestionUrl : undefined,
    };
    const parsed = parse(ChimeMeetingSchema, {
      MeetingId: meeting?.MeetingId,
      ...(meeting?.ExternalMeetingId === undefined ? {} : { ExternalMeetingId: meeting.ExternalMeetingId }),
      MediaRegion: meeting?.MediaRegion,
      MediaPlacement: Object.fromEntries(Object.entries(urls).filter(([, url]) => url !== undefined)),
    });
    if (!parsed.ok) throw new KitError('internal', `Chime answered a meeting browsers cannot join: ${parsed.message}.`);
    return parsed.value;
  }

  private addAttendees(record: ChimeMeetingRecord, attendees: Attendee[] = [], errors: CreateAttendeeError[] = []): void {
    for (const attendee of attendees) {
      const parsed = parse(ChimeAttendeeSchema, attendee);
      if (!parsed.ok) {
        this.host?.logger.warn(`chime: skipped an attendee of meeting ${record.meeting.MeetingId}: ${parsed.message}`);
        continue;
      }
      const { ExternalUserId, AttendeeId, JoinToken } = parsed.value;
      record.attendees[ExternalUserId] = { AttendeeId, JoinToken };
    }
    for (const { ExternalUserId, ErrorCode, ErrorMessage } of errors) {
      this.host?.logger.warn(`chime: attendee ${ExternalUserId} of meeting ${record.meeting.MeetingId} refused: ${ErrorCode} ${ErrorMessage}`);
    }
  }

  private requireHost(): ProviderHost {
    if (!this.host) throw new KitError('internal', 'chimeProvider: used before a kit attached it.');
    return this.host;
  }
}

/** A candidate's join info: the meeting and one attendee per feed. */
function candidateJoinInfo(record: ChimeMeetingRecord): ChimeProviderInfo {
  const attendees = FEEDS.flatMap((feed) => {
    const ExternalUserId = feedUserId(record.candidateId, feed);
    const attendee = record.attendees[ExternalUserId];
    return attendee ? [{ feed, ExternalUserId, ...attendee }] : [];
  });
  return { name: 'chime', state: 'ready', role: 'candidate', meeting: record.meeting, attendees };
}

/** A supervisor's join info for one session: its own attendee and the feeds' attendees (no tokens). */
function supervisorJoinInfo(record: ChimeMeetingRecord, userId: string): ChimeProviderInfo | undefined {
  const attendee = record.attendees[userId];
  if (!attendee) return undefined;
  const feeds = FEEDS.flatMap((feed) => {
    const ExternalUserId = feedUserId(record.candidateId, feed);
    const feedAttendee = record.attendees[ExternalUserId];
    return feedAttendee ? [{ feed, ExternalUserId, AttendeeId: feedAttendee.AttendeeId }] : [];
  });
  return {
    name: 'chime',
    state: 'ready',
    role: 'supervisor',
    meeting: record.meeting,
    attendee: { ExternalUserId: userId, ...attendee },
    feeds,
  };
}

interface AwsError {
  name?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

/** What Chime's APIs call throttling (the older namespace says ThrottledClientException). */
const THROTTLING = new Set(['ThrottlingException', 'ThrottledClientException', 'TooManyRequestsException']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/** Throttling waits its turn again; 5xx and network failures are retried a few times; the rest fail. */
function classify(error: unknown): Failure {
  if (error instanceof QueueCancelledError || typeof error !== 'object' || error === null) return 'final';
  const { name, code, $fault, $metadata } = error as AwsError;
  const status = $metadata?.httpStatusCode;
  if (status === 429 || (name !== undefined && THROTTLING.has(name))) return 'throttled';
  if ($fault === 'server' || (status !== undefined && status >= 500)) return 'transient';
  if (name === 'TimeoutError' || (code !== undefined && NETWORK_CODES.has(code))) return 'transient';
  // An SDK error with no HTTP status never reached Chime (connection failed).
  if ($metadata && status === undefined) return 'transient';
  return 'final';
}

function isNotFound(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as AwsError;
  return name === 'NotFoundException' || $metadata?.httpStatusCode === 404;
}

/** What an operator can do about a failure Chime explained. */
function hint(error: unknown): string {
  const { name } = (error ?? {}) as AwsError;
  if (name === 'LimitExceededException') return ' (an account quota, e.g. concurrent meetings: ask AWS to raise it)';
  if (name === 'ForbiddenException' || name === 'UnauthorizedException') return ' (check the IAM permissions of the kit\'s credentials)';
  return '';
}

/** The kit's provider records, as the meeting store the provider reads and writes. */
function meetingStoreIn(records: ProviderHost['records']): ChimeMeetingStore {
  return {
    get: async (sessionId) => (await records.get(sessionId)) as ChimeMeetingRecord | undefined,
    put: (record) => records.put(record.sessionId, record),
    delete: (sessionId) => records.delete(sessionId),
  };
}
