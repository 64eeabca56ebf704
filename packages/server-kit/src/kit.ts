import type { Server } from 'node:http';
import type { Router } from 'express';
import * as v from 'valibot';
import {
  CloseCode,
  GeneratedIdSchema,
  HostIdSchema,
  IdentityVerdictSchema,
  LogNameSchema,
  SessionEventSchema,
  parse,
  type Claims,
  type SessionEvent,
  type SessionReport,
  type SessionSummary,
} from '@proctorkit/core/protocol';
import { KitError } from './errors.js';
import { createRouter } from './http/router.js';
import { PhonePairings } from './phone/pairings.js';
import { SessionHub } from './hub.js';
import { consoleLogger, type LogLevel, type Logger } from './logger.js';
import { guardProcess } from './process-guard.js';
import { resolveLimits, type KitLimits } from './limits/limits.js';
import { PageQuota } from './limits/page-quota.js';
import { localProvider } from './providers/local.js';
import type { MediaProvider } from './providers/provider.js';
import { Sessions, type Actor } from './sessions.js';
import { Access } from './access/access.js';
import { Revocations } from './access/revocations.js';
import { durationSeconds } from './duration.js';
import type { Person } from './limits/person.js';
import { localBus } from './bus/local/local-bus.js';
import type { KitBus } from './bus/kit-bus.js';
import { Cluster, type ClusterTimings } from './cluster/cluster.js';
import { FilePhotoStore } from './store/file-photo-store.js';
import type { KitStore } from './store/kit-store.js';
import { photoKey, type PhotoStore } from './store/photo-store.js';
import { sqliteStore } from './store/sqlite/sqlite-store.js';
import { TokenIssuer, type IssueOptions } from './tokens.js';
import { fileRecordingStore } from './recordings/file-recording-store.js';
import type { RecordingStore } from './recordings/recording-store.js';
import { Recordings } from './recordings/recordings.js';
import { RetentionSweep } from './recordings/retention.js';
import { ControlEndpoint, type ControlEndpointTimings } from './ws/control-endpoint.js';
import { DEFAULT_RETRY_SCHEDULE } from './webhooks/retry-schedule.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';
import { resolveRetrySchedule, resolveWebhooks, type WebhookEndpointOptions } from './webhooks/webhook-options.js';
import { webhooksApi, type WebhooksApi } from './webhooks/webhooks-api.js';
import { ReportMaker } from './review/report.js';
import { Reviews } from './review/reviews.js';
import { SIGNED_URL_VALIDITY_MS, UrlSigner } from './review/signed-urls.js';
import { VerdictSigner } from './review/verdict-signatures.js';

/** Options of {@link createProctorKit}. */
export interface ProctorKitOptions {
  /** Signs and verifies tokens (HS256). At least 32 bytes; keep it out of source control. */
  secret: string;
  /** The media path. Default: {@link localProvider}, browser WebRTC with no account. */
  provider?: MediaProvider;
  /**
   * Where sessions, their clocks and their logs are kept. Default: {@link sqliteStore} in
   * `proctorkit-data/proctorkit.db` under the working directory, so a restart loses nothing the kit
   * acknowledged. {@link memoryStore} keeps nothing past the process (tests). The kit closes it.
   */
  store?: KitStore;
  /**
   * What connects this kit to the other instances serving the same exams: {@link redisBus} when
   * several processes share one {@link postgresStore}, so a candidate on one and a supervisor on
   * another see each other live. Default: {@link localBus}, for a kit that is the only process.
   * The kit closes it.
   */
  bus?: KitBus;
  /** Exam length when a candidate token names none. Default: 60. */
  examDurationMinutes?: number;
  /** A logger, or the level of the console logger. Default: `'warn'`. */
  logger?: Logger | LogLevel;
  /** Default lifetime of issued tokens, as seconds or a duration string. Default: `'4h'`. */
  tokenTtl?: number | string;
  /**
   * Give each connected page a new token (same claims, as long-lived as the one the host issued but
   * never longer than `tokenTtl`) shortly before its token expires, so a page that reconnects after
   * hours is still let in. The page uses the new token for its reconnects and requests. Renewals
   * stop at `tokenMaxAge` after the host issued the first token, `tokenGraceAfterEnd` after a
   * candidate's session ended, and at once for a person the host revoked. With `false`, a page
   * whose token expired cannot reconnect: issue tokens that outlast the exam. Default: `true`.
   */
  renewTokens?: boolean;
  /**
   * The longest any token may be used after the host issued it, renewals included (and the longest
   * `expiresIn` of `issueToken`). An all-day supervision needs a new token from the host the next
   * day. Default: `'24h'`.
   */
  tokenMaxAge?: number | string;
  /**
   * How long after a candidate's session ended its pages' tokens are still renewed, e.g. to finish
   * uploads or read the result; after it they expire. Default: `'1h'`.
   */
  tokenGraceAfterEnd?: number | string;
  /**
   * Control-channel timings (defaults: hello within 10 s, heartbeat every 20 s) and how instances
   * on the bus tell they are alive (a beat every 2 s; silent for 6 s while this one hears its own
   * beats, an instance is taken for lost and its pages as gone), and how often the
   * `retentionDays` sweep runs (`retentionSweepMs`, default hourly), and how often the webhook
   * outbox is read for deliveries due (`webhookPollMs`, default every second; a commit that queued
   * deliveries is sent at once).
   */
  timings?: Partial<ControlEndpointTimings & ClusterTimings & { retentionSweepMs: number; webhookPollMs: number }>;
  /**
   * Start a candidate's exam clock only once a supervisor (or the host) approved the photos of
   * their ID document and face. The candidate's start waits for the approval. Default: `false`
   * (the identity check is still available, it just does not hold the clock).
   */
  requireIdentityCheck?: boolean;
  /**
   * The host's phone page (holding `<proctor-phone>`), where pairing links and QR codes point:
   * absolute, or a path on the origin the candidate's page used. Default: `'/phone'`.
   */
  phonePageUrl?: string;
  /**
   * What one person (a candidate, or a supervisor) may move through the device check's network
   * test in `windowMs`, both ways together; past it the test answers 429. Default: 100 MB per 10 minutes.
   */
  networkTestBudget?: { maxBytes: number; windowMs: number };
  /**
   * Where identity photos are kept. Default: a {@link FilePhotoStore} in `proctorkit-data/photos`
   * under the working directory, created on the first photo.
   */
  photoStore?: PhotoStore;
  /**
   * Where recordings are kept: chunks as pages upload them, then each run's finished file. Default:
   * {@link fileRecordingStore} in `proctorkit-data/recordings` under the working directory. With
   * {@link s3RecordingStore} pages upload chunks straight to the bucket through URLs the kit signs.
   * The kit closes it.
   */
  recordingStore?: RecordingStore;
  /**
   * Record the candidate's microphone into the webcam's file. The consent screen then says so.
   * Default: `false` (video only).
   */
  recordAudio?: boolean;
  /**
   * Delete a session's recordings, screenshots and identity photos this many days after its exam ended (a
   * sweep when the kit starts and every hour; each deletion is logged in the session's log). The
   * session, its log and its verdicts stay. Default: kept until the host deletes them
   * ({@link SessionsApi.deleteRecordings}, {@link SessionsApi.deleteIdentityPhotos}).
   */
  retentionDays?: number;
  /**
   * Log and survive errors that escape every handler (uncaught exceptions and unhandled
   * rejections) instead of letting Node end the process, so one fault cannot stop the supervision
   * of a whole exam. The guard covers the whole process while a kit is open, the host's own code
   * too: turn it off if the host installs its own `uncaughtException` handling. Default: `true`.
   */
  guardProcess?: boolean;
  /**
   * What one person, page or session may send: message and connection rates, events per minute, the
   * cap on a session's log, REST requests, phone pairing attempts. Each one left out keeps its
   * default (`DEFAULT_LIMITS`, listed in docs/guide/security.md).
   */
  limits?: Partial<KitLimits>;
  /**
   * The host's endpoints told about sessions by signed webhooks (Standard Webhooks: `webhook-id`,
   * `webhook-timestamp`, `webhook-signature`, HMAC-SHA256), each with its `whsec_` secret and the
   * event types it wants (default: all of `session.started`, `session.ended`, `identity.verified`,
   * `flag.created`, `verdict.signed`, `recording.ready`). Each delivery is queued in the commit of
   * the event it reports and sent at least once, with one `webhook-id` per event; see
   * docs/guide/webhooks.md. An endpoint that answers 410 Gone gets no more deliveries until its
   * entry here changes. Default: none.
   */
  webhooks?: readonly WebhookEndpointOptions[];
  /**
   * The waits (ms) between a failed delivery's attempts; once spent, the delivery has failed.
   * Default: 5 s, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h, each ±20% (`Retry-After` of a 429 or
   * 503 is waited at least).
   */
  webhookRetrySchedule?: readonly number[];
  /**
   * Let the candidate see the session's latest verdict (`accepted`, `rejected` with its reason, or
   * `inconclusive`) in their own session summary once the exam has ended: on their exam page and
   * from `GET …/sessions/:id` with their token. Reviewers' notes, flags and comments stay hidden
   * either way, and the paired phone never sees the verdict. Default: `false`.
   */
  showVerdictToCandidate?: boolean;
}

/** Options of {@link SessionsApi.report}. */
export interface ReportOptions {
  /**
   * Where the host mounted the kit's router: the report's signed links start with it. Default:
   * `'/proctor'`.
   */
  basePath?: string;
}

/** Options of {@link ProctorKit.attach}. */
export interface AttachOptions {
  /** The WebSocket path. Default: `'/proctor/ws'`, matching a router mounted at `/proctor`. */
  path?: string;
}

/**
 * Sessions for the host's backend: read them, and act on them as a supervisor would (e.g. extend
 * time for an accommodation). Changes reach the candidate and the supervisors live and are logged
 * with `source: 'host'`.
 */
export interface SessionsApi {
  /** One session, or `undefined`. */
  get(sessionId: string): Promise<SessionSummary | undefined>;
  /** Every session of an exam. */
  list(examId: string): Promise<SessionSummary[]>;
  /** The session's whole log, in order. */
  events(sessionId: string): Promise<SessionEvent[]>;
  pause(sessionId: string): Promise<SessionSummary>;
  resume(sessionId: string): Promise<SessionSummary>;
  extend(sessionId: string, minutes: number): Promise<SessionSummary>;
  /** Shows the candidate a message; resolves with its id, which the candidate's acknowledgement names. */
  message(sessionId: string, text: string): Promise<string>;
  /** Ends the candidate's exam with a reason the candidate sees. */
  terminate(sessionId: string, reason: string): Promise<SessionSummary>;
  /**
   * A verdict on the candidate's submitted identity photos, as a supervisor gives it: `'rejected'`
   * needs a `reason` the candidate sees. An approval starts the clock if the candidate is waiting
   * to start.
   */
  verifyIdentity(sessionId: string, verdict: 'approved' | 'rejected', reason?: string): Promise<SessionSummary>;
  /**
   * Deletes the session's identity photos from the photo store (e.g. once the exam is graded); the
   * verdict and the log stay. Resolves with how many photos were deleted.
   */
  deleteIdentityPhotos(sessionId: string): Promise<number>;
  /**
   * Deletes every recording of the session, chunks and finished files, from the recording store,
   * and the reviewers' screenshots of it (an erasure request); the log keeps a `recording.deleted`
   * and a `screenshot.deleted` entry. Resolves with how many objects were deleted.
   */
  deleteRecordings(sessionId: string): Promise<number>;
  /**
   * Everything about the session, as `GET …/sessions/:id/report` gives it to reviewers: summary,
   * device check, identity check, the whole log, flags, notes, screenshots, recordings and signed
   * verdicts (each with whether its signature is intact). Its links (recordings, screenshots,
   * identity photos, the printable page) are signed and work without a token for an hour.
   * `undefined` for an unknown session.
   */
  report(sessionId: string, options?: ReportOptions): Promise<SessionReport | undefined>;
  /** The session's report as a self-contained printable HTML page (A4). `undefined` for an unknown session. */
  reportHtml(sessionId: string, options?: ReportOptions): Promise<string | undefined>;
}

/** The server kit a host mounts: REST router, control channel and token issuing. */
export interface ProctorKit {
  /** Mount it where the pages' `server` attribute points, e.g. `app.use('/proctor', kit.router)`. */
  readonly router: Router;
  /** Serves the control channel's WebSocket on the host's HTTP server. */
  attach(server: Server, options?: AttachOptions): void;
  /** Signs a token for a candidate, a supervisor or a reviewer, after checking the claims. */
  issueToken(claims: Claims, options?: IssueOptions): Promise<string>;
  readonly sessions: SessionsApi;
  /** The webhook outbox: the delivery log and replays. */
  readonly webhooks: WebhooksApi;
  /**
   * Adds a host log line to a session, e.g. `kit.log(id, 'answer.graded', { question: 3, correct: true })`.
   * It appears in the supervisors' event feed as `log.answer.graded`.
   */
  log(sessionId: string, name: string, data?: Record<string, unknown>): Promise<SessionEvent>;
  /**
   * Revokes a person's access: a supervisor removed from an event (`{ examId, supervisorId }`), a
   * reviewer (`{ examId, reviewerId }`), a candidate barred (`{ examId, candidateId }`, their
   * paired phone too). Signed links already handed out (an hour at most) keep working until they expire. Their connections close
   * (4401), renewals stop and every token issued to them until now is refused, over the control
   * channel and the REST API alike, on every instance on the bus. A token issued afterwards lets
   * them in again. Resolves with how many connections this instance closed.
   */
  revoke(person: Person): Promise<number>;
  /** Closes every control connection (1001) and stops timers. */
  close(): Promise<void>;
}

const HOST: Actor = { source: 'host' };
/** The kit deleting media past `retentionDays`. */
const RETENTION: Actor = { source: 'server', by: 'retention' };

const PersonSchema = v.union([
  v.strictObject({ examId: HostIdSchema, supervisorId: HostIdSchema }),
  v.strictObject({ examId: HostIdSchema, reviewerId: HostIdSchema }),
  v.strictObject({ examId: HostIdSchema, candidateId: HostIdSchema }),
]);

/**
 * Creates the server kit.
 *
 * @example
 * ```ts
 * const kit = createProctorKit({ secret: process.env.PROCTOR_SECRET! });
 * app.use('/proctor', kit.router);
 * const server = app.listen(3000);
 * kit.attach(server);
 * ```
 */
export function createProctorKit(options: ProctorKitOptions): ProctorKit {
  const logger = typeof options.logger === 'object' ? options.logger : consoleLogger(options.logger);
  const tokens = new TokenIssuer(options.secret, options.tokenTtl ?? '4h', options.tokenMaxAge ?? '24h');
  const graceAfterEndMs = durationSeconds(options.tokenGraceAfterEnd ?? '1h', 'tokenGraceAfterEnd') * 1000;
  const phonePageUrl = options.phonePageUrl ?? '/phone';
  if (!phonePageUrl.startsWith('/') && !/^https?:\/\/[^/]/.test(phonePageUrl)) {
    throw new KitError('bad-message', 'createProctorKit: `phonePageUrl` must be a path such as /phone or an absolute http(s) URL.');
  }
  const durationMinutes = options.examDurationMinutes ?? 60;
  if (!Number.isFinite(durationMinutes) || durationMinutes <= 0) {
    throw new KitError('bad-message', 'createProctorKit: `examDurationMinutes` must be a positive number.');
  }
  if (options.retentionDays !== undefined && !(Number.isFinite(options.retentionDays) && options.retentionDays > 0)) {
    throw new KitError('bad-message', 'createProctorKit: `retentionDays` must be a positive number of days.');
  }
  const limits = resolveLimits(options.limits);
  const provider = options.provider ?? localProvider();
  const photos = options.photoStore ?? new FilePhotoStore();
  const recordingStore = options.recordingStore ?? fileRecordingStore();
  const webhookEndpoints = resolveWebhooks(options.webhooks);
  const retrySchedule = resolveRetrySchedule(options.webhookRetrySchedule, DEFAULT_RETRY_SCHEDULE);
  // Last, once every option was found good: nothing is opened for a kit that is refused.
  const store = options.store ?? sqliteStore();
  const bus = options.bus ?? localBus();
  const cluster = new Cluster(bus, logger, {
    beatMs: options.timings?.beatMs ?? 2000,
    lostAfterMs: options.timings?.lostAfterMs ?? 3 * (options.timings?.beatMs ?? 2000),
  });
  const hub = new SessionHub(
    provider,
    logger,
    {
      get: (id) => store.getProviderRecord(id),
      put: (id, record) => store.putProviderRecord(id, record),
      delete: (id) => store.deleteProviderRecord(id),
    },
    cluster,
    bus,
    { audio: options.recordAudio === true, ...(options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays }) },
    options.showVerdictToCandidate === true,
  );
  const dispatcher = new WebhookDispatcher({
    store,
    endpoints: webhookEndpoints,
    schedule: retrySchedule,
    pollMs: options.timings?.webhookPollMs ?? 1000,
    logger,
  });
  const sessions = new Sessions({
    store,
    // Whole milliseconds: the clock schema allows no fractions (0.017 min is 1020.0000000000001 ms).
    defaultDurationMs: Math.round(durationMinutes * 60_000),
    requireIdentityCheck: options.requireIdentityCheck === true,
    pageQuota: new PageQuota(limits),
    isConnected: (sessionId) => hub.isConnected(sessionId),
    onChange: (change) => {
      hub.announce(change);
      if (change.events.some((event) => dispatcher.endpointsFor(event.type).length > 0)) dispatcher.poke();
    },
    notify: (eventType) => dispatcher.endpointsFor(eventType),
  });
  hub.bind(sessions).catch((error) => logger.error('joining the other kit instances on the bus failed', error));
  sessions.resumeClocks().catch((error) => logger.error('re-arming the clocks of running exams failed', error));
  const recordings = new Recordings({ store: recordingStore, sessions, logger, maxSessionBytes: limits.recordingBytesPerSession });
  const urls = new UrlSigner(options.secret);
  const verdicts = new VerdictSigner(options.secret);
  const reviews = new Reviews({ sessions, store, photos, verdicts, logger });
  const reports = new ReportMaker({ sessions, recordings, urls, verdicts });
  const eraseRecordings = async (id: string, actor: Actor) => (await recordings.deleteAll(id, actor)) + (await reviews.deleteScreenshots(id, actor));
  const report = async (id: string, { basePath = '/proctor' }: ReportOptions = {}) => {
    const record = await sessions.get(sessionId(id));
    const now = Date.now();
    return record && reports.make(record, { basePath, expiresAt: now + SIGNED_URL_VALIDITY_MS, now });
  };
  const deletePhotos = async (id: string, actor: Actor) => {
    const record = await sessions.require(id);
    // The files first: a photo the log calls deleted is gone.
    await Promise.all((record.identity?.photos ?? []).map((photo) => photos.delete(photoKey(id, photo.photoId))));
    return (await sessions.deleteIdentityPhotos(id, actor)).deleted.length;
  };
  const retention =
    options.retentionDays === undefined
      ? undefined
      : new RetentionSweep({
          days: options.retentionDays,
          everyMs: options.timings?.retentionSweepMs ?? 3_600_000,
          store,
          logger,
          erase: async (id) => ({
            recordings: await recordings.deleteAll(id, RETENTION),
            screenshots: await reviews.deleteScreenshots(id, RETENTION),
            photos: await deletePhotos(id, RETENTION),
          }),
        });
  retention?.start();
  const revocations = new Revocations(store, tokens.maxAgeMs);
  const revokedMessage = 'Your access to this exam was revoked.';
  cluster.handle<{ person: Person; at: number }>('revoked', ({ person, at }) => {
    revocations.remember(person, at);
    endpoint.closePerson(person, CloseCode.unauthorized, revokedMessage);
  });
  const access = new Access({ tokens, revocations, sessions, graceAfterEndMs });
  const endpoint = new ControlEndpoint(hub, access, logger, {
    timings: {
      helloTimeoutMs: options.timings?.helloTimeoutMs ?? 10_000,
      heartbeatMs: options.timings?.heartbeatMs ?? 20_000,
    },
    renewTokens: options.renewTokens !== false,
    limits,
    bus,
  });

  const sessionId = (id: string) => {
    const parsed = parse(GeneratedIdSchema, id);
    if (!parsed.ok) throw new KitError('bad-message', `sessionId ${parsed.message}.`);
    return parsed.value;
  };
  const text = (value: string, what: string, max: number) => {
    const trimmed = typeof value === 'string' ? value.trim() : '';
    if (!trimmed || trimmed.length > max) throw new KitError('bad-message', `${what} must be 1 to ${max} characters.`);
    return trimmed;
  };

  // Once the kit is whole: a construction that throws leaves the process's error handling as it was.
  const releaseGuard = options.guardProcess === false ? () => {} : guardProcess(logger);
  return {
    router: createRouter({
      hub, sessions, tokens, access, logger, photos, limits, bus, pairings: new PhonePairings(store), phonePageUrl, recordings, recordingStore,
      reviews, reports, urls, showVerdictToCandidate: options.showVerdictToCandidate === true,
      ...(options.networkTestBudget ? { networkTestBudget: options.networkTestBudget } : {}),
    }),
    attach: (server, { path = '/proctor/ws' } = {}) => endpoint.attach(server, path),
    issueToken: (claims, issueOptions) => tokens.issue(claims, issueOptions),
    sessions: {
      async get(id) {
        const record = await sessions.get(sessionId(id));
        return record && sessions.summary(record);
      },
      async list(examId) {
        return Promise.all((await sessions.listByExam(examId)).map((record) => sessions.summary(record)));
      },
      async events(id) {
        const all: SessionEvent[] = [];
        for (let more = true; more; ) {
          const batch = await sessions.events(sessionId(id), all.length);
          all.push(...batch.events);
          more = batch.more;
        }
        return all;
      },
      pause: async (id) => (await sessions.pause(sessionId(id), HOST)).summary,
      resume: async (id) => (await sessions.resume(sessionId(id), HOST)).summary,
      async extend(id, minutes) {
        if (!Number.isInteger(minutes) || minutes < 1 || minutes > 600) {
          throw new KitError('bad-message', 'extend: minutes must be a whole number from 1 to 600.');
        }
        return (await sessions.extend(sessionId(id), minutes, HOST)).summary;
      },
      message: async (id, body) => (await sessions.message(sessionId(id), text(body, 'message', 1000), HOST)).messageId,
      terminate: async (id, reason) =>
        (await sessions.terminate(sessionId(id), text(reason, 'terminate: reason', 500), HOST)).summary,
      async verifyIdentity(id, verdict, reason) {
        const parsed = parse(IdentityVerdictSchema, { verdict, reason });
        if (!parsed.ok) throw new KitError('bad-message', `verifyIdentity: ${parsed.message}.`);
        return (await sessions.verifyIdentity(sessionId(id), parsed.value, HOST)).summary;
      },
      deleteIdentityPhotos: async (id) => deletePhotos(sessionId(id), HOST),
      deleteRecordings: async (id) => eraseRecordings(sessionId(id), HOST),
      report,
      async reportHtml(id, reportOptions) {
        const made = await report(id, reportOptions);
        return made && reports.html(made);
      },
    },
    webhooks: webhooksApi(store, dispatcher),
    async log(id, name, data = {}) {
      const parsedName = parse(LogNameSchema, name);
      if (!parsedName.ok) throw new KitError('bad-message', `log: name ${parsedName.message}.`);
      // Through JSON and the event schema, so what is stored is what clients receive and accept.
      let json: string | undefined;
      try {
        json = JSON.stringify(data);
      } catch {
        json = undefined;
      }
      const parsedData = json === undefined ? undefined : parse(SessionEventSchema.entries.data, JSON.parse(json));
      if (!parsedData?.ok) {
        const why = parsedData ? parsedData.message : 'must be a JSON object';
        throw new KitError('bad-message', `log: data ${why}.`);
      }
      const { events } = await sessions.log(sessionId(id), parsedName.value, parsedData.value);
      return events[0]!;
    },
    async revoke(person) {
      const parsed = parse(PersonSchema, person);
      if (!parsed.ok) throw new KitError('bad-message', `revoke: ${parsed.message}.`);
      const at = await revocations.revoke(parsed.value);
      cluster.broadcast('revoked', { person: parsed.value, at });
      const closed = endpoint.closePerson(parsed.value, CloseCode.unauthorized, revokedMessage);
      logger.info(`revoked ${JSON.stringify(parsed.value)}: ${closed} connection(s) closed here`);
      return closed;
    },
    async close() {
      sessions.close();
      await retention?.stop();
      hub.closeAll(CloseCode.goingAway, 'Server is shutting down.');
      await endpoint.close();
      await cluster.close();
      await provider.close?.();
      await bus.close();
      await recordings.settled();
      await recordingStore.close?.();
      await dispatcher.close();
      await store.close();
      releaseGuard();
    },
  };
}
