import { randomUUID } from 'node:crypto';
import {
  candidateEventType,
  clockEnd,
  clockEndsAt,
  clockExtend,
  clockPause,
  clockResume,
  clockStart,
  isRunning,
  newClock,
  noFeeds,
  sessionStatus,
  type CandidateClaims,
  type CandidateEvent,
  type EndReason,
  type EventSource,
  type Feed,
  type FeedRecording,
  type FeedState,
  type IdentityPhoto,
  type IdentityVerdict,
  type SessionEvent,
  type SessionSummary,
} from '@proctorkit/core/protocol';
import { KitError } from './errors.js';
import { KeyedQueue } from './keyed-queue.js';
import type { PageQuota } from './limits/page-quota.js';
import type { EventDraft, KitStore } from './store/kit-store.js';
import type { SessionRecord } from './store/session-store.js';

/** Who made a change: a supervisor (by name), the host's backend, the candidate or the kit. */
export interface Actor {
  source: EventSource;
  by?: string;
}

/** What a change did: the session as it is now, and the events it appended. */
export interface SessionChange {
  summary: SessionSummary;
  /** Whether what supervisors see of the session (status, clock, feeds) changed. */
  changed: boolean;
  events: SessionEvent[];
}

type Draft = Omit<EventDraft, 'at' | 'source' | 'by'> & { clientEventId?: string };

const SERVER: Actor = { source: 'server' };
const CANDIDATE: Actor = { source: 'candidate' };
const EVENTS_PER_BATCH = 500;

export interface SessionsOptions {
  /** Where sessions and their logs are kept. */
  store: KitStore;
  /** Exam length when the token names none. */
  defaultDurationMs: number;
  /** Whether the clock starts only once a supervisor (or the host) approved the candidate's identity. */
  requireIdentityCheck?: boolean;
  /** What the session's pages may add to its log; unlimited without it. */
  pageQuota?: PageQuota;
  /** Whether the candidate's page of a session holds a connection now. */
  isConnected(sessionId: string): boolean;
  /** Called after every change, in order per session. */
  onChange(change: SessionChange): void;
  /** The webhook endpoints to tell about an event of this type: its deliveries are queued in its commit. */
  notify?(eventType: string): readonly string[];
}

/**
 * The sessions' rules, in one place for the control channel and the host's backend alike: each
 * change runs alone per session, updates the stored session, appends its events to the log, keeps
 * the expiry timer, and is announced through `onChange`.
 */
export class Sessions {
  private readonly locks = new KeyedQueue();
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: SessionsOptions) {}

  /** The candidate's session for this exam, created on the first join. */
  async open(claims: CandidateClaims): Promise<SessionRecord> {
    const { examId, candidateId } = claims;
    return this.locks.run(`candidate:${examId}:${candidateId}`, async () => {
      const existing = await this.options.store.findSession(examId, candidateId);
      if (existing) return existing;
      const durationMs = claims.durationMinutes ? claims.durationMinutes * 60_000 : this.options.defaultDurationMs;
      const created: SessionRecord = {
        sessionId: randomUUID(),
        examId,
        candidateId,
        name: claims.name,
        connected: false,
        feeds: noFeeds(),
        joinedAt: Date.now(),
        clock: newClock(durationMs),
      };
      return this.options.store.createSession(created);
    });
  }

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    return this.options.store.getSession(sessionId);
  }

  async listByExam(examId: string): Promise<SessionRecord[]> {
    return this.options.store.listSessions(examId);
  }

  async require(sessionId: string): Promise<SessionRecord> {
    const record = await this.options.store.getSession(sessionId);
    if (!record) throw new KitError('not-found', `Session ${sessionId} does not exist.`);
    return record;
  }

  async summary(record: SessionRecord): Promise<SessionSummary> {
    // Whether a page is connected is this process's to say, never what a stored record remembers.
    const live = { ...record, connected: this.options.isConnected(record.sessionId) };
    return toSummary(live, await this.options.store.lastSeq(record.sessionId), this.identityRequired);
  }

  /**
   * After a start: arms the expiry of every running exam the store holds. Time that passed while no
   * kit was running counts as exam time, as the server's clock says: an exam whose time ran out
   * meanwhile ends now, as `expired`.
   */
  async resumeClocks(): Promise<number> {
    const open = await this.options.store.listOpenSessions();
    for (const record of open) this.scheduleExpiry(record);
    return open.length;
  }

  private get identityRequired(): boolean {
    return this.options.requireIdentityCheck === true;
  }

  /** Up to 500 events after `afterSeq`, and whether more follow. */
  async events(sessionId: string, afterSeq: number): Promise<{ events: SessionEvent[]; more: boolean }> {
    const page = await this.options.store.listEvents(sessionId, afterSeq, EVENTS_PER_BATCH + 1);
    return { events: page.slice(0, EVENTS_PER_BATCH), more: page.length > EVENTS_PER_BATCH };
  }

  /** A page of the candidate connected (it may have replaced another): its feeds start over. */
  joined(sessionId: string, name: string): Promise<SessionChange> {
    return this.change(sessionId, SERVER, (record) => {
      record.name = name;
      // The paired phone is a page of its own: its feed outlives the candidate's page.
      record.feeds = { ...noFeeds(), phone: record.feeds.phone };
      // A start waiting for an identity approval was this page's; a new page asks again.
      delete record.startRequested;
      return [{ type: 'session.joined', data: {} }];
    });
  }

  /** The provider is preparing the session's media (`true`), or done (`false`): status `preparing`. */
  setPreparing(sessionId: string, preparing: boolean): Promise<SessionChange> {
    return this.change(sessionId, SERVER, (record) => {
      if (preparing) record.preparing = true;
      else delete record.preparing;
      return [];
    });
  }

  /** The candidate's page left. */
  left(sessionId: string): Promise<SessionChange> {
    return this.change(sessionId, SERVER, (record) => {
      record.feeds = { ...noFeeds(), phone: record.feeds.phone };
      delete record.startRequested;
      return [{ type: 'session.left', data: {} }];
    });
  }

  setFeed(sessionId: string, feed: Feed, state: FeedState): Promise<SessionChange> {
    return this.change(sessionId, CANDIDATE, (record) => {
      requireNotEnded(record);
      const before = record.feeds[feed];
      record.feeds[feed] = state;
      if (before === state || state === 'off') return [];
      return [{ type: state === 'live' ? 'feed.live' : 'feed.lost', data: { feed } }];
    });
  }

  /** A recording page reports how much of `feed`'s recording waits on it to upload. */
  setRecordingBacklog(sessionId: string, feed: Feed, pendingMs: number): Promise<SessionChange> {
    return this.change(sessionId, CANDIDATE, (record) => {
      const backlog = { ...record.recordingBacklog };
      if (pendingMs > 0) backlog[feed] = pendingMs;
      else delete backlog[feed];
      if (Object.keys(backlog).length > 0) record.recordingBacklog = backlog;
      else delete record.recordingBacklog;
      return [];
    });
  }

  /**
   * The candidate starts (after consent): the clock runs. Starting again changes nothing. When the
   * kit requires an identity check that is not approved yet, the start waits for the approval.
   */
  start(sessionId: string): Promise<SessionChange> {
    return this.change(sessionId, CANDIDATE, (record, now) => {
      requireNotEnded(record);
      if (record.clock.startedAt !== null) return [];
      if (this.identityRequired && record.identity?.status !== 'approved') {
        record.startRequested = true;
        return [];
      }
      return startClock(record, now);
    });
  }

  /**
   * Keeps a candidate's identity photo (already stored) in place of the earlier one of its kind.
   * Refused while the photos wait for a verdict or once approved. Returns the replaced photo, whose
   * bytes the caller deletes.
   */
  async addIdentityPhoto(sessionId: string, photo: IdentityPhoto): Promise<{ change: SessionChange; replaced?: IdentityPhoto }> {
    let replaced: IdentityPhoto | undefined;
    const change = await this.change(sessionId, CANDIDATE, (record) => {
      requirePhotosOpen(record);
      const identity = record.identity ?? { status: 'none', photos: [] };
      replaced = identity.photos.find((p) => p.kind === photo.kind);
      record.identity = { ...identity, photos: [...identity.photos.filter((p) => p.kind !== photo.kind), photo] };
      const { kind, photoId, contentType, bytes } = photo;
      return [{ type: 'identity.photo', data: { kind, photoId, contentType, bytes } }];
    });
    return { change, ...(replaced ? { replaced } : {}) };
  }

  /** The candidate sends its photos to the supervisors: both are needed. Submitting again changes nothing. */
  submitIdentity(sessionId: string): Promise<SessionChange> {
    return this.change(sessionId, CANDIDATE, (record) => {
      if (record.identity?.status === 'submitted') return [];
      requirePhotosOpen(record);
      const photos = record.identity?.photos ?? [];
      const document = photos.find((p) => p.kind === 'document');
      const face = photos.find((p) => p.kind === 'face');
      if (!document || !face) {
        throw new KitError('conflict', `Take a photo of ${document ? 'your face' : 'your ID document'} before submitting.`);
      }
      record.identity = { status: 'submitted', photos };
      return [{ type: 'identity.submitted', data: { document: document.photoId, face: face.photoId } }];
    });
  }

  /**
   * A verdict on the submitted photos. A verdict can be changed (the same one again changes
   * nothing); an approval starts the clock when the candidate already asked to start.
   */
  verifyIdentity(sessionId: string, verdict: IdentityVerdict, actor: Actor): Promise<SessionChange> {
    return this.change(sessionId, actor, (record, now) => {
      requireNotEnded(record);
      const identity = record.identity;
      if (!identity || identity.status === 'none') {
        throw new KitError('conflict', `The candidate of session ${sessionId} has not submitted identity photos yet.`);
      }
      if (identity.status === verdict.verdict) return [];
      if (verdict.verdict === 'rejected') {
        record.identity = { status: 'rejected', photos: identity.photos, reason: verdict.reason };
        return [{ type: 'identity.rejected', data: { reason: verdict.reason } }];
      }
      record.identity = { status: 'approved', photos: identity.photos };
      const drafts: Draft[] = [{ type: 'identity.approved', data: {} }];
      if (record.startRequested && record.clock.startedAt === null) drafts.push(...startClock(record, now));
      return drafts;
    });
  }

  /** Forgets a session's identity photos (the verdict stays); returns them, for the caller to delete their bytes. */
  async deleteIdentityPhotos(sessionId: string, actor: Actor): Promise<{ change: SessionChange; deleted: IdentityPhoto[] }> {
    let deleted: IdentityPhoto[] = [];
    const change = await this.change(sessionId, actor, (record) => {
      deleted = record.identity?.photos ?? [];
      if (!record.identity || deleted.length === 0) return [];
      record.identity = { ...record.identity, photos: [] };
      return [{ type: 'identity.deleted', data: { photoIds: deleted.map((p) => p.photoId) } }];
    });
    return { change, deleted };
  }

  pause(sessionId: string, actor: Actor): Promise<SessionChange> {
    return this.change(sessionId, actor, (record, now) => {
      requireNotEnded(record);
      if (!isRunning(record.clock) || record.clock.pausedAt !== null) return [];
      record.clock = clockPause(record.clock, now);
      return [{ type: 'session.paused', data: {} }];
    });
  }

  resume(sessionId: string, actor: Actor): Promise<SessionChange> {
    return this.change(sessionId, actor, (record, now) => {
      requireNotEnded(record);
      if (record.clock.pausedAt === null) return [];
      const pausedForMs = now - record.clock.pausedAt;
      record.clock = clockResume(record.clock, now);
      return [{ type: 'session.resumed', data: { pausedForMs } }];
    });
  }

  extend(sessionId: string, minutes: number, actor: Actor): Promise<SessionChange> {
    return this.change(sessionId, actor, (record, now) => {
      requireNotEnded(record);
      record.clock = clockExtend(record.clock, minutes * 60_000);
      return [{ type: 'session.extended', data: { minutes, endsAt: clockEndsAt(record.clock, now) } }];
    });
  }

  /** Sends the candidate a message; returns its id, which the candidate's acknowledgement names. */
  async message(sessionId: string, text: string, actor: Actor): Promise<{ messageId: string; change: SessionChange }> {
    const messageId = randomUUID();
    const change = await this.change(sessionId, actor, (record) => {
      requireNotEnded(record);
      return [{ type: 'message.sent', data: { messageId, text } }];
    });
    return { messageId, change };
  }

  terminate(sessionId: string, reason: string, actor: Actor): Promise<SessionChange> {
    return this.end(sessionId, 'terminated', actor, reason);
  }

  /** A phone pairing was redeemed: it replaces any earlier phone of the session. */
  phonePaired(sessionId: string, pairingId: string): Promise<SessionChange> {
    return this.change(sessionId, SERVER, (record, now) => {
      requireNotEnded(record);
      const replaced = record.phone !== undefined;
      record.phone = { pairingId, pairedAt: now };
      return [{ type: 'phone.paired', data: { pairingId, replaced } }];
    });
  }

  /** Asks the candidate to show the room with the paired phone. */
  requestRoomScan(sessionId: string, actor: Actor): Promise<SessionChange> {
    return this.change(sessionId, actor, (record) => {
      requireNotEnded(record);
      if (!record.phone) throw new KitError('conflict', 'This candidate has no paired phone to show the room with.');
      return [{ type: 'phone.room-scan-requested', data: {} }];
    });
  }

  /** Ends the session; ending an ended session changes nothing. */
  end(sessionId: string, endReason: EndReason, actor: Actor, message?: string): Promise<SessionChange> {
    return this.change(sessionId, actor, (record, now) => {
      if (record.clock.endedAt !== null) return [];
      record.clock = clockEnd(record.clock, now, endReason);
      return [{ type: 'session.ended', data: { reason: endReason, ...(message ? { message } : {}) } }];
    });
  }

  /** Records events from the candidate's page; returns the ids recorded now or before (to acknowledge). */
  async appendFromCandidate(sessionId: string, events: CandidateEvent[]): Promise<string[]> {
    await this.change(sessionId, CANDIDATE, () =>
      events.map((event) => ({
        type: candidateEventType(event),
        data: event.kind === 'ack' ? { messageId: event.messageId } : event.data,
        occurredAt: event.at,
        clientEventId: event.id,
      })),
    );
    return events.map((event) => event.id);
  }

  /** A host log line, e.g. `answer.graded`. */
  log(sessionId: string, name: string, data: Record<string, unknown>): Promise<SessionChange> {
    return this.change(sessionId, { source: 'host' }, () => [{ type: `log.${name}`, data }]);
  }

  /**
   * A change another instance committed: this one arms the session's expiry too, so the exam ends
   * on time whichever instances stay up. Each fires; the store lets one of them end it.
   */
  observe(session: Pick<SessionRecord, 'sessionId' | 'clock'>): void {
    this.scheduleExpiry(session);
  }

  /** Stops every expiry timer (the kit is closing). */
  close(): void {
    for (const timer of this.expiryTimers.values()) clearTimeout(timer);
    this.expiryTimers.clear();
  }

  /**
   * One change of a session under its lock, for rules kept in modules of their own (recordings):
   * `apply` edits the record and returns the events to log; throwing writes nothing.
   */
  change(
    sessionId: string,
    actor: Actor,
    apply: (record: SessionRecord, now: number) => Draft[],
  ): Promise<SessionChange> {
    // The queue keeps this process's changes of a session in order; the store keeps them alone across processes.
    return this.locks.run(`session:${sessionId}`, async () => {
      let changed = false;
      let clockChanged = false;
      const now = Date.now();
      const { record, events, lastSeq } = await this.options.store.update(sessionId, (record, lastSeq) => {
        const before = JSON.stringify(toSummary(record, 0, this.identityRequired));
        const stored = JSON.stringify(record);
        const clockBefore = JSON.stringify(record.clock);
        const drafts = apply(record, now);
        if (actor.source === 'candidate' && drafts.length > 0) this.options.pageQuota?.admit(sessionId, lastSeq, drafts, now);
        record.connected = this.options.isConnected(sessionId);
        changed = JSON.stringify(toSummary(record, 0, this.identityRequired)) !== before;
        clockChanged = JSON.stringify(record.clock) !== clockBefore;
        return {
          // Some of a record changes unseen (`preparing` of an offline session, identity photos, a waiting start), yet must be stored.
          ...(JSON.stringify(record) !== stored ? { record } : {}),
          events: drafts.map(({ clientEventId, ...draft }) => {
            const notify = this.options.notify?.(draft.type) ?? [];
            return {
              draft: { ...draft, at: now, source: actor.source, ...(actor.by ? { by: actor.by } : {}) },
              ...(clientEventId === undefined ? {} : { clientEventId }),
              ...(notify.length > 0 ? { notify } : {}),
            };
          }),
        };
      });
      if (clockChanged) this.scheduleExpiry(record);
      const change = { summary: toSummary(record, lastSeq, this.identityRequired), changed, events };
      if (change.changed || events.length > 0) this.options.onChange(change);
      return change;
    });
  }

  /** Arms the timer that ends a running session when its time is up. */
  private scheduleExpiry(record: Pick<SessionRecord, 'sessionId' | 'clock'>): void {
    const { sessionId, clock } = record;
    clearTimeout(this.expiryTimers.get(sessionId));
    this.expiryTimers.delete(sessionId);
    if (!isRunning(clock) || clock.pausedAt !== null) return;
    const endsAt = clockEndsAt(clock, Date.now())!;
    // setTimeout holds at most ~24.8 days; a longer exam is re-armed when the timer fires.
    const delay = Math.min(Math.max(0, endsAt - Date.now()), 2 ** 31 - 1);
    const timer = setTimeout(() => {
      this.expiryTimers.delete(sessionId);
      void this.expireIfDue(sessionId);
    }, delay);
    timer.unref();
    this.expiryTimers.set(sessionId, timer);
  }

  /** Ends a running session whose time is up; checked under the session's lock, so a pause in the same instant wins or loses cleanly. */
  private async expireIfDue(sessionId: string): Promise<void> {
    let early: SessionRecord | undefined;
    await this.change(sessionId, SERVER, (record, now) => {
      if (!isRunning(record.clock) || record.clock.pausedAt !== null) return [];
      if (clockEndsAt(record.clock, now)! > now) {
        early = record;
        return [];
      }
      record.clock = clockEnd(record.clock, now, 'expired');
      return [{ type: 'session.ended', data: { reason: 'expired' } }];
    });
    if (early) this.scheduleExpiry(early);
  }
}

/**
 * A session as supervisors and host backends see it. It carries the identity check when the kit
 * requires one (`identityRequired`) or the candidate has sent a photo.
 */
export function toSummary(record: SessionRecord, lastSeq: number, identityRequired = false): SessionSummary {
  const { sessionId, examId, candidateId, name, feeds, joinedAt, clock, identity } = record;
  const status = sessionStatus(record.connected, feeds, clock.endedAt !== null, record.preparing === true);
  const summary: SessionSummary = { sessionId, examId, candidateId, name, feeds: { ...feeds }, joinedAt, clock: { ...clock }, status, lastSeq };
  if (identityRequired || identity) {
    summary.identity = { required: identityRequired, status: identity?.status ?? 'none', ...(identity?.reason ? { reason: identity.reason } : {}) };
  }
  if (record.recordings?.length || record.recordingBacklog) {
    summary.recording = { webcam: feedRecording(record, 'webcam'), screen: feedRecording(record, 'screen'), phone: feedRecording(record, 'phone') };
  }
  if (record.verdict) {
    const { verdict, reason, signedAt } = record.verdict;
    summary.verdict = { verdict, signedAt, ...(verdict === 'rejected' && reason ? { reason } : {}) };
  }
  return summary;
}

/** Where a feed's recording is: a running recorder first, then what waits to upload, then how its latest run ended. */
function feedRecording(record: SessionRecord, feed: Feed): FeedRecording {
  const runs = (record.recordings ?? []).filter((run) => run.feed === feed);
  const pendingMs = record.recordingBacklog?.[feed] ?? 0;
  if (runs.some((run) => run.state === 'recording')) return { state: 'recording', pendingMs };
  if (pendingMs > 0 || runs.some((run) => run.state === 'uploading')) return { state: 'uploading', pendingMs };
  return { state: runs.at(-1)?.state ?? 'off', pendingMs };
}

/** Starts the clock of a session that has not started. */
function startClock(record: SessionRecord, now: number): Draft[] {
  delete record.startRequested;
  record.clock = clockStart(record.clock, now);
  return [{ type: 'session.started', data: { durationMs: record.clock.durationMs } }];
}

/** Photos may be taken and retaken until they are submitted, and again after a rejection. */
export function requirePhotosOpen(record: SessionRecord): void {
  requireNotEnded(record);
  const status = record.identity?.status;
  if (status === 'submitted') throw new KitError('conflict', 'Your photos are with a supervisor: wait for their verdict.');
  if (status === 'approved') throw new KitError('conflict', 'Your identity is already approved.');
}

function requireNotEnded(record: SessionRecord): void {
  if (record.clock.endedAt !== null) throw new KitError('conflict', `Session ${record.sessionId} has ended.`);
}
