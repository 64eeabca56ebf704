import { randomUUID } from 'node:crypto';
import {
  CloseCode,
  noFeeds,
  sessionStatus,
  supervises,
  type CandidateClaims,
  type ClientMessage,
  type Feed,
  type FeedQuality,
  type RtcMessage,
  type SessionSummary,
  type SupervisorClaims,
  type Unversioned,
} from '@proctorkit/core/protocol';
import { KitError } from './errors.js';
import { KeyedQueue } from './keyed-queue.js';
import type { Logger } from './logger.js';
import type { MediaProvider } from './providers/provider.js';
import type { SessionRecord, SessionStore } from './store/session-store.js';
import type { ClientConnection } from './ws/client-connection.js';

interface Subscription {
  supervisor: ClientConnection;
  feeds: Feed[];
  quality: FeedQuality;
}

/** A session as supervisors and host backends see it. */
export function toSummary(record: SessionRecord): SessionSummary {
  const { sessionId, examId, candidateId, name, feeds, joinedAt } = record;
  return { sessionId, examId, candidateId, name, feeds, joinedAt, status: sessionStatus(record.connected, feeds) };
}

/**
 * The live state of one kit process: which candidate and supervisor connections are open, who
 * subscribes to which session, and the fan-out of session updates and WebRTC signaling.
 */
export class SessionHub {
  private readonly candidates = new Map<string, ClientConnection>();
  private readonly supervisorsByExam = new Map<string, Set<ClientConnection>>();
  /** sessionId → supervisor connection id → what it wants. */
  private readonly subscriptions = new Map<string, Map<string, Subscription>>();
  private readonly sessionLocks = new KeyedQueue();

  constructor(
    private readonly store: SessionStore,
    private readonly provider: MediaProvider,
    private readonly logger: Logger,
  ) {}

  /** Creates or resumes the candidate's session and makes `connection` its live connection. */
  async joinCandidate(connection: ClientConnection, claims: CandidateClaims): Promise<void> {
    const { examId, candidateId } = claims;
    const record = await this.sessionLocks.run(`candidate:${examId}:${candidateId}`, async () => {
      const existing = await this.store.findByCandidate(examId, candidateId);
      if (existing) return existing;
      const created: SessionRecord = {
        sessionId: randomUUID(),
        examId,
        candidateId,
        name: claims.name,
        connected: false,
        feeds: noFeeds(),
        joinedAt: Date.now(),
      };
      await this.store.put(created);
      return created;
    });
    connection.claims = claims;
    connection.sessionId = record.sessionId;
    const previous = this.candidates.get(record.sessionId);
    this.candidates.set(record.sessionId, connection);
    previous?.close(CloseCode.replaced, 'This session was opened on another page.');

    const joined = await this.mutate(record.sessionId, (session) => {
      session.name = claims.name;
      session.feeds = noFeeds();
    });
    connection.send({
      type: 'session.welcome',
      role: 'candidate',
      connectionId: connection.id,
      examId,
      name: claims.name,
      session: toSummary(joined),
      provider: await this.provider.joinInfo(joined),
      subscribers: [...(this.subscriptions.get(record.sessionId) ?? [])].map(([peer, { feeds, quality }]) => ({
        peer,
        feeds,
        quality,
      })),
      serverTime: Date.now(),
    });
    this.logger.info(`candidate ${candidateId} joined exam ${examId} (session ${record.sessionId})`);
  }

  /** Registers a supervisor and sends it every session it may watch. */
  async joinSupervisor(connection: ClientConnection, claims: SupervisorClaims): Promise<void> {
    connection.claims = claims;
    let room = this.supervisorsByExam.get(claims.examId);
    if (!room) this.supervisorsByExam.set(claims.examId, (room = new Set()));
    room.add(connection);
    connection.send({
      type: 'session.welcome',
      role: 'supervisor',
      connectionId: connection.id,
      examId: claims.examId,
      name: claims.name,
      provider: await this.provider.joinInfo(),
      serverTime: Date.now(),
    });
    connection.send({ type: 'session.list', sessions: await this.listFor(claims) });
    this.logger.info(`supervisor ${claims.supervisorId} joined exam ${claims.examId}`);
  }

  /** The sessions a supervisor's claims cover. */
  async listFor(claims: SupervisorClaims): Promise<SessionSummary[]> {
    const records = await this.store.listByExam(claims.examId);
    return records.filter((r) => supervises(claims, r.examId, r.candidateId)).map(toSummary);
  }

  /** Handles one validated message from a connection that said hello. Throws KitError to refuse it. */
  async handle(connection: ClientConnection, message: ClientMessage): Promise<void> {
    const claims = connection.claims!;
    if (claims.role === 'candidate') return this.handleCandidate(connection, message);
    return this.handleSupervisor(connection, claims, message);
  }

  /** Forgets a closed connection and tells whoever depended on it. */
  async leave(connection: ClientConnection): Promise<void> {
    const claims = connection.claims;
    if (!claims) return;
    if (claims.role === 'candidate') {
      const sessionId = connection.sessionId!;
      if (this.candidates.get(sessionId) !== connection) return;
      this.candidates.delete(sessionId);
      await this.mutate(sessionId, (session) => {
        session.feeds = noFeeds();
      });
      this.logger.info(`candidate ${claims.candidateId} left (session ${sessionId})`);
      return;
    }
    this.supervisorsByExam.get(claims.examId)?.delete(connection);
    for (const sessionId of connection.subscriptions) this.unsubscribe(connection, sessionId);
  }

  /** Closes every live connection, e.g. when the host shuts down. */
  closeAll(code: number, reason: string): void {
    for (const connection of this.candidates.values()) connection.close(code, reason);
    for (const room of this.supervisorsByExam.values()) for (const c of room) c.close(code, reason);
  }

  private async handleCandidate(connection: ClientConnection, message: ClientMessage): Promise<void> {
    const sessionId = connection.sessionId!;
    switch (message.type) {
      case 'feed.state':
        await this.mutate(sessionId, (session) => {
          session.feeds[message.feed] = message.state;
        });
        return;
      case 'rtc.offer':
      case 'rtc.ice': {
        const subscription = this.subscriptions.get(sessionId)?.get(message.peer);
        if (!subscription) throw new KitError('not-found', `No supervisor ${message.peer} subscribes to this session.`);
        subscription.supervisor.send(relay(message, sessionId));
        return;
      }
      default:
        throw new KitError('forbidden', `A candidate may not send ${message.type}.`);
    }
  }

  private async handleSupervisor(
    connection: ClientConnection,
    claims: SupervisorClaims,
    message: ClientMessage,
  ): Promise<void> {
    switch (message.type) {
      case 'feed.subscribe': {
        await this.requireWatchable(claims, message.sessionId);
        let subscribers = this.subscriptions.get(message.sessionId);
        if (!subscribers) this.subscriptions.set(message.sessionId, (subscribers = new Map()));
        const feeds = [...new Set(message.feeds)];
        subscribers.set(connection.id, { supervisor: connection, feeds, quality: message.quality });
        connection.subscriptions.add(message.sessionId);
        this.candidates
          .get(message.sessionId)
          ?.send({ type: 'feed.subscribe', peer: connection.id, feeds, quality: message.quality });
        return;
      }
      case 'feed.unsubscribe':
        this.unsubscribe(connection, message.sessionId);
        return;
      case 'feed.quality': {
        const subscription = this.requireSubscription(connection, message.sessionId);
        subscription.quality = message.quality;
        this.candidates.get(message.sessionId)?.send({ type: 'feed.quality', peer: connection.id, quality: message.quality });
        return;
      }
      case 'rtc.answer':
      case 'rtc.ice': {
        this.requireSubscription(connection, message.peer);
        const candidate = this.candidates.get(message.peer);
        if (!candidate) throw new KitError('not-connected', `The candidate of session ${message.peer} is offline.`);
        candidate.send(relay(message, connection.id));
        return;
      }
      default:
        throw new KitError('forbidden', `A supervisor may not send ${message.type}.`);
    }
  }

  private unsubscribe(connection: ClientConnection, sessionId: string): void {
    connection.subscriptions.delete(sessionId);
    const subscribers = this.subscriptions.get(sessionId);
    if (!subscribers?.delete(connection.id)) return;
    if (subscribers.size === 0) this.subscriptions.delete(sessionId);
    this.candidates.get(sessionId)?.send({ type: 'feed.unsubscribe', peer: connection.id });
  }

  private requireSubscription(connection: ClientConnection, sessionId: string): Subscription {
    const subscription = this.subscriptions.get(sessionId)?.get(connection.id);
    if (!subscription) throw new KitError('not-found', `You do not subscribe to session ${sessionId}.`);
    return subscription;
  }

  private async requireWatchable(claims: SupervisorClaims, sessionId: string): Promise<SessionRecord> {
    const record = await this.store.get(sessionId);
    if (!record || !supervises(claims, record.examId, record.candidateId)) {
      throw new KitError('not-found', `No session ${sessionId} that you may watch.`);
    }
    return record;
  }

  /**
   * Changes a stored session one change at a time, recomputes whether it is connected, and tells
   * its supervisors when what they see changed.
   */
  private mutate(sessionId: string, change: (session: SessionRecord) => void): Promise<SessionRecord> {
    return this.sessionLocks.run(`session:${sessionId}`, async () => {
      const record = await this.store.get(sessionId);
      if (!record) throw new KitError('not-found', `Session ${sessionId} does not exist.`);
      const before = JSON.stringify(toSummary(record));
      change(record);
      record.connected = this.candidates.has(sessionId);
      await this.store.put(record);
      const summary = toSummary(record);
      if (JSON.stringify(summary) !== before) this.broadcast(summary);
      return record;
    });
  }

  private broadcast(session: SessionSummary): void {
    for (const supervisor of this.supervisorsByExam.get(session.examId) ?? []) {
      const claims = supervisor.claims as SupervisorClaims;
      if (supervises(claims, session.examId, session.candidateId)) supervisor.send({ type: 'session.updated', session });
    }
  }
}

/** The same signaling message, addressed from the receiver's point of view. */
function relay(message: RtcMessage, peer: string): Unversioned<RtcMessage> {
  const { v: _version, ...rest } = message;
  return { ...rest, peer } as Unversioned<RtcMessage>;
}
