import {
  CloseCode,
  IdentityVerdictSchema,
  parse,
  supervises,
  type CandidateClaims,
  type ClientMessage,
  type CommandMessage,
  type Feed,
  type FeedQuality,
  type PhoneClaims,
  type ProviderInfo,
  type RtcMessage,
  type SessionSummary,
  type SupervisorClaims,
  type Unversioned,
} from '@proctorkit/core/protocol';
import { KitError } from './errors.js';
import type { Logger } from './logger.js';
import type { MediaProvider, ProviderHost, ProviderRecords } from './providers/provider.js';
import { Sessions, type Actor, type SessionChange } from './sessions.js';
import type { SessionRecord } from './store/session-store.js';
import type { ClientConnection } from './ws/client-connection.js';

/** Why a candidate's page may not send what only its paired phone sends. */
const PHONE_FEED_IS_THE_PHONES = "The phone feed is published by the paired phone's page only.";

interface Subscription {
  supervisor: ClientConnection;
  feeds: Feed[];
  quality: FeedQuality;
}

/**
 * The live side of one kit process: which candidate and supervisor connections are open, who
 * subscribes to which session, routing of messages to {@link Sessions}, and the fan-out of
 * session changes, events and WebRTC signaling.
 */
export class SessionHub {
  private readonly candidates = new Map<string, ClientConnection>();
  /** sessionId → the paired phone's connection, which publishes the `phone` feed. */
  private readonly phones = new Map<string, ClientConnection>();
  /** Who receives a candidate's updates: `exam\0candidate` → supervisors naming it, `exam` → supervisors of `'*'`. */
  private readonly watchers = new Map<string, Set<ClientConnection>>();
  /** sessionId → supervisor connection id → what it wants. */
  private readonly subscriptions = new Map<string, Map<string, Subscription>>();
  private sessions!: Sessions;

  constructor(
    private readonly provider: MediaProvider,
    private readonly logger: Logger,
    private readonly providerRecords: ProviderRecords,
  ) {}

  /** Binds the sessions this hub announces; they ask the hub who is connected. */
  bind(sessions: Sessions): void {
    this.sessions = sessions;
    this.provider.attach?.(this.providerHost());
  }

  isConnected(sessionId: string): boolean {
    return this.candidates.has(sessionId);
  }

  /**
   * Announces a change to the session's candidate and supervisors: its events first (they say why),
   * then the session as it is now.
   */
  announce({ summary, changed, events }: SessionChange): void {
    const receivers = [...this.watchersOf(summary)];
    for (const page of [this.candidates.get(summary.sessionId), this.phones.get(summary.sessionId)]) if (page) receivers.push(page);
    for (const event of events) {
      for (const receiver of receivers) receiver.send({ type: 'session.event', sessionId: summary.sessionId, event });
    }
    if (changed) for (const receiver of receivers) receiver.send({ type: 'session.updated', session: summary });
    if (this.provider.sessionEnded && events.some((event) => event.type === 'session.ended')) {
      this.provider.sessionEnded(summary).catch((error) => this.logger.error(`releasing the media of session ${summary.sessionId} failed`, error));
    }
  }

  /** Creates or resumes the candidate's session and makes `connection` its live connection. */
  async joinCandidate(connection: ClientConnection, claims: CandidateClaims): Promise<void> {
    const record = await this.sessions.open(claims);
    connection.claims = claims;
    connection.sessionId = record.sessionId;
    const previous = this.candidates.get(record.sessionId);
    this.candidates.set(record.sessionId, connection);
    previous?.close(CloseCode.replaced, 'This session was opened on another page.');

    const { summary } = await this.sessions.joined(record.sessionId, claims.name);
    const joined = await this.sessions.require(record.sessionId);
    connection.send({
      type: 'session.welcome',
      role: 'candidate',
      connectionId: connection.id,
      examId: claims.examId,
      name: claims.name,
      session: summary,
      provider: await this.provider.joinInfo(joined),
      subscribers: [...(this.subscriptions.get(record.sessionId) ?? [])].map(([peer, { feeds, quality }]) => ({
        peer,
        feeds,
        quality,
      })),
      serverTime: Date.now(),
    });
    this.logger.info(`candidate ${claims.candidateId} joined exam ${claims.examId} (session ${record.sessionId})`);
  }

  /**
   * Makes `connection` the session's phone, if its token is of the session's latest pairing. The
   * phone publishes only the `phone` feed, to the supervisors subscribed to it.
   */
  async joinPhone(connection: ClientConnection, claims: PhoneClaims): Promise<void> {
    const record = await this.sessions.get(claims.sessionId);
    if (!record || record.examId !== claims.examId || record.phone?.pairingId !== claims.pairingId) {
      connection.close(CloseCode.unauthorized, 'This phone was replaced by a newer pairing. Pair it again from the exam page.');
      return;
    }
    connection.claims = claims;
    connection.sessionId = record.sessionId;
    const previous = this.phones.get(record.sessionId);
    this.phones.set(record.sessionId, connection);
    previous?.close(CloseCode.replaced, 'This phone was opened on another page.');
    connection.send({
      type: 'session.welcome',
      role: 'phone',
      connectionId: connection.id,
      examId: claims.examId,
      name: claims.name,
      session: await this.sessions.summary(record),
      provider: phoneInfo(await this.provider.joinInfo(record)),
      subscribers: [...(this.subscriptions.get(record.sessionId) ?? [])]
        .filter(([, { feeds }]) => feeds.includes('phone'))
        .map(([peer, { quality }]) => ({ peer, feeds: ['phone' as const], quality })),
      serverTime: Date.now(),
    });
    this.logger.info(`phone of candidate ${claims.candidateId} joined (session ${record.sessionId})`);
  }

  /** A new pairing was redeemed: the old phone, if connected, is closed for good. */
  replacePhone(sessionId: string): void {
    const previous = this.phones.get(sessionId);
    if (!previous) return;
    this.phones.delete(sessionId);
    previous.close(CloseCode.unauthorized, 'This phone was replaced by a newer pairing.');
  }

  /** Registers a supervisor and sends it every session it may watch. */
  async joinSupervisor(connection: ClientConnection, claims: SupervisorClaims): Promise<void> {
    connection.claims = claims;
    for (const key of watchKeys(claims)) {
      let set = this.watchers.get(key);
      if (!set) this.watchers.set(key, (set = new Set()));
      set.add(connection);
    }
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
    return Promise.all((await this.watchableRecords(claims)).map((record) => this.sessions.summary(record)));
  }

  /** Handles one validated message from a connection that said hello. Throws KitError to refuse it. */
  async handle(connection: ClientConnection, message: ClientMessage): Promise<void> {
    if (message.type === 'clock.ping') {
      connection.send({ type: 'clock.pong', id: message.id, serverTime: Date.now() });
      return;
    }
    const claims = connection.claims!;
    if (claims.role === 'candidate') return this.handleCandidate(connection, message);
    if (claims.role === 'phone') return this.handlePhone(connection, message);
    return this.handleSupervisor(connection, claims, message);
  }

  /** Forgets a closed connection and tells whoever depended on it. */
  async leave(connection: ClientConnection): Promise<void> {
    const claims = connection.claims;
    if (!claims) return;
    if (claims.role === 'phone') {
      const sessionId = connection.sessionId!;
      if (this.phones.get(sessionId) !== connection) return;
      this.phones.delete(sessionId);
      const record = await this.sessions.get(sessionId);
      if (record && record.clock.endedAt === null && record.feeds.phone === 'live') await this.sessions.setFeed(sessionId, 'phone', 'lost');
      this.logger.info(`phone of candidate ${claims.candidateId} left (session ${sessionId})`);
      return;
    }
    if (claims.role === 'candidate') {
      const sessionId = connection.sessionId!;
      if (this.candidates.get(sessionId) !== connection) return;
      this.candidates.delete(sessionId);
      await this.sessions.left(sessionId);
      this.logger.info(`candidate ${claims.candidateId} left (session ${sessionId})`);
      return;
    }
    for (const key of watchKeys(claims)) {
      const set = this.watchers.get(key);
      set?.delete(connection);
      if (set?.size === 0) this.watchers.delete(key);
    }
    for (const sessionId of connection.subscriptions) this.unsubscribe(connection, sessionId);
  }

  /** Closes every live connection, e.g. when the host shuts down. */
  closeAll(code: number, reason: string): void {
    for (const connection of [...this.candidates.values(), ...this.phones.values()]) connection.close(code, reason);
    const supervisors = new Set([...this.watchers.values()].flatMap((set) => [...set]));
    for (const connection of supervisors) connection.close(code, reason);
  }

  private async handleCandidate(connection: ClientConnection, message: ClientMessage): Promise<void> {
    const sessionId = connection.sessionId!;
    switch (message.type) {
      case 'session.start':
        await this.sessions.start(sessionId);
        return;
      case 'feed.state':
        if (message.feed === 'phone') throw new KitError('forbidden', PHONE_FEED_IS_THE_PHONES);
        await this.sessions.setFeed(sessionId, message.feed, message.state);
        return;
      case 'log.append':
        connection.send({ type: 'log.ack', ids: await this.sessions.appendFromCandidate(sessionId, message.events) });
        return;
      case 'events.fetch':
        return this.sendOwnEvents(connection, message.sessionId, message.afterSeq);
      case 'rtc.offer':
      case 'rtc.ice':
        if (message.source === 'phone' || publishes(message, 'phone')) {
          throw new KitError('forbidden', PHONE_FEED_IS_THE_PHONES);
        }
        return this.relayToSupervisor(sessionId, message);
      default:
        throw new KitError('forbidden', `A candidate may not send ${message.type}.`);
    }
  }

  private async handlePhone(connection: ClientConnection, message: ClientMessage): Promise<void> {
    const sessionId = connection.sessionId!;
    switch (message.type) {
      case 'feed.state':
        if (message.feed !== 'phone') throw new KitError('forbidden', 'A phone publishes only the phone feed.');
        await this.sessions.setFeed(sessionId, 'phone', message.state);
        return;
      case 'events.fetch':
        return this.sendOwnEvents(connection, message.sessionId, message.afterSeq);
      case 'rtc.offer':
      case 'rtc.ice':
        if (publishes(message, 'webcam') || publishes(message, 'screen')) throw new KitError('forbidden', 'A phone publishes only the phone feed.');
        return this.relayToSupervisor(sessionId, message, 'phone');
      default:
        throw new KitError('forbidden', `A phone may not send ${message.type}.`);
    }
  }

  /** A candidate's or phone's page reads its own session's log. */
  private async sendOwnEvents(connection: ClientConnection, sessionId: string, afterSeq: number): Promise<void> {
    if (sessionId !== connection.sessionId) throw new KitError('not-found', `No session ${sessionId} that you may read.`);
    connection.send({ type: 'events.batch', sessionId, ...(await this.sessions.events(sessionId, afterSeq)) });
  }

  /** Signaling from a publishing page (the candidate's, or its phone) to a supervisor subscribed to it. */
  private relayToSupervisor(sessionId: string, message: RtcMessage, source?: 'phone'): void {
    const subscription = this.subscriptions.get(sessionId)?.get(message.peer);
    if (!subscription || (source && !subscription.feeds.includes(source))) {
      throw new KitError('not-found', `No supervisor ${message.peer} subscribes to this ${source ?? 'session'}.`);
    }
    subscription.supervisor.send(source ? { ...relay(message, sessionId), source } : relay(message, sessionId));
  }

  private async handleSupervisor(
    connection: ClientConnection,
    claims: SupervisorClaims,
    message: ClientMessage,
  ): Promise<void> {
    switch (message.type) {
      case 'command.pause':
      case 'command.resume':
      case 'command.extend':
      case 'command.message':
      case 'command.terminate':
      case 'command.identity':
      case 'command.room-scan':
        return this.command(connection, claims, message);
      case 'events.fetch': {
        await this.requireWatchable(claims, message.sessionId);
        const batch = await this.sessions.events(message.sessionId, message.afterSeq);
        connection.send({ type: 'events.batch', sessionId: message.sessionId, ...batch });
        return;
      }
      case 'feed.subscribe': {
        const record = await this.requireWatchable(claims, message.sessionId);
        let subscribers = this.subscriptions.get(message.sessionId);
        if (!subscribers) this.subscriptions.set(message.sessionId, (subscribers = new Map()));
        const feeds = [...new Set(message.feeds)];
        const first = !subscribers.has(connection.id);
        subscribers.set(connection.id, { supervisor: connection, feeds, quality: message.quality });
        connection.subscriptions.add(message.sessionId);
        this.candidates
          .get(message.sessionId)
          ?.send({ type: 'feed.subscribe', peer: connection.id, feeds, quality: message.quality });
        if (feeds.includes('phone')) {
          this.phones.get(message.sessionId)?.send({ type: 'feed.subscribe', peer: connection.id, feeds: ['phone'], quality: message.quality });
        }
        if (first) this.sendView(connection, record);
        return;
      }
      case 'feed.unsubscribe':
        this.unsubscribe(connection, message.sessionId);
        return;
      case 'feed.quality': {
        const subscription = this.requireSubscription(connection, message.sessionId);
        subscription.quality = message.quality;
        for (const page of this.pagesOf(message.sessionId)) page.send({ type: 'feed.quality', peer: connection.id, quality: message.quality });
        return;
      }
      case 'rtc.answer':
      case 'rtc.ice': {
        this.requireSubscription(connection, message.peer);
        const publisher = (message.source === 'phone' ? this.phones : this.candidates).get(message.peer);
        if (!publisher) throw new KitError('not-connected', `The ${message.source ?? 'candidate'} of session ${message.peer} is offline.`);
        const { source: _source, ...toPublisher } = relay(message, connection.id);
        publisher.send(toPublisher as Unversioned<RtcMessage>);
        return;
      }
      default:
        throw new KitError('forbidden', `A supervisor may not send ${message.type}.`);
    }
  }

  /** Carries out a supervisor's command on one session or, with `'*'`, on every session it watches. */
  private async command(connection: ClientConnection, claims: SupervisorClaims, message: CommandMessage): Promise<void> {
    const actor: Actor = { source: 'supervisor', by: claims.name };
    const records =
      message.target === '*'
        ? (await this.watchableRecords(claims)).filter((r) => r.clock.endedAt === null)
        : [await this.requireWatchable(claims, message.target)];
    const sessionIds: string[] = [];
    for (const { sessionId } of records) {
      try {
        await this.applyCommand(sessionId, message, actor);
        sessionIds.push(sessionId);
      } catch (error) {
        // One ended session must not stop a room-wide pause; a single target reports it.
        if (message.target !== '*') throw error;
      }
    }
    connection.send({ type: 'command.done', id: message.id, sessionIds });
  }

  private async applyCommand(sessionId: string, message: CommandMessage, actor: Actor): Promise<void> {
    switch (message.type) {
      case 'command.pause':
        await this.sessions.pause(sessionId, actor);
        return;
      case 'command.resume':
        await this.sessions.resume(sessionId, actor);
        return;
      case 'command.extend':
        await this.sessions.extend(sessionId, message.minutes, actor);
        return;
      case 'command.message':
        await this.sessions.message(sessionId, message.text, actor);
        return;
      case 'command.terminate':
        await this.sessions.terminate(sessionId, message.reason, actor);
        return;
      case 'command.room-scan':
        await this.sessions.requestRoomScan(sessionId, actor);
        return;
      case 'command.identity': {
        const verdict = parse(IdentityVerdictSchema, message);
        if (!verdict.ok) throw new KitError('bad-message', `command.identity: ${verdict.message}.`);
        await this.sessions.verifyIdentity(sessionId, verdict.value, actor);
        return;
      }
    }
  }

  /**
   * Sends a subscribed supervisor its own join info for the session, from providers with media per
   * session (Chime). It may wait for the provider's queue, so the supervisor's next messages do not.
   */
  private sendView(connection: ClientConnection, record: SessionRecord): void {
    if (!this.provider.viewInfo) return;
    const { sessionId } = record;
    const { supervisorId } = connection.claims as SupervisorClaims;
    this.provider.viewInfo(record, supervisorId).then(
      (provider) => {
        if (provider && this.subscriptions.get(sessionId)?.has(connection.id)) connection.send({ type: 'session.media', sessionId, provider });
      },
      (error) => this.logger.error(`media join info of session ${sessionId} for supervisor ${supervisorId} failed`, error),
    );
  }

  /** What the provider may ask of the hub, and how it reaches the clients of a session. */
  private providerHost(): ProviderHost {
    return {
      logger: this.logger,
      records: this.providerRecords,
      supervisorsOf: ({ sessionId, examId, candidateId }) => {
        const connections = [
          ...(this.watchers.get(`${examId}\u0000${candidateId}`) ?? []),
          ...[...(this.subscriptions.get(sessionId)?.values() ?? [])].map((s) => s.supervisor),
        ];
        return [...new Set(connections.map((c) => (c.claims as SupervisorClaims).supervisorId))];
      },
      setPreparing: (sessionId, preparing) => {
        this.sessions.setPreparing(sessionId, preparing).catch((error) => this.logger.error(`session ${sessionId}: status failed`, error));
      },
      progress: (sessionId, ahead) => this.candidates.get(sessionId)?.send({ type: 'session.preparing', sessionId, ahead }),
      mediaReady: (sessionId, provider) => {
        this.candidates.get(sessionId)?.send({ type: 'session.media', sessionId, provider });
        this.phones.get(sessionId)?.send({ type: 'session.media', sessionId, provider: phoneInfo(provider) });
        const subscribers = [...(this.subscriptions.get(sessionId)?.values() ?? [])];
        if (subscribers.length === 0) return;
        this.sessions.get(sessionId).then(
          (record) => {
            if (record) for (const { supervisor } of subscribers) this.sendView(supervisor, record);
          },
          (error) => this.logger.error(`session ${sessionId}: reading it failed`, error),
        );
      },
      mediaFailed: (sessionId, message) => this.candidates.get(sessionId)?.sendError('internal', message),
    };
  }

  /** The publishing pages of a session: the candidate's, and its paired phone. */
  private *pagesOf(sessionId: string): Iterable<ClientConnection> {
    const candidate = this.candidates.get(sessionId);
    const phone = this.phones.get(sessionId);
    if (candidate) yield candidate;
    if (phone) yield phone;
  }

  private *watchersOf(session: SessionSummary): Iterable<ClientConnection> {
    yield* this.watchers.get(session.examId) ?? [];
    yield* this.watchers.get(`${session.examId}\u0000${session.candidateId}`) ?? [];
  }

  private unsubscribe(connection: ClientConnection, sessionId: string): void {
    connection.subscriptions.delete(sessionId);
    const subscribers = this.subscriptions.get(sessionId);
    if (!subscribers?.delete(connection.id)) return;
    if (subscribers.size === 0) this.subscriptions.delete(sessionId);
    for (const page of this.pagesOf(sessionId)) page.send({ type: 'feed.unsubscribe', peer: connection.id });
  }

  private requireSubscription(connection: ClientConnection, sessionId: string): Subscription {
    const subscription = this.subscriptions.get(sessionId)?.get(connection.id);
    if (!subscription) throw new KitError('not-found', `You do not subscribe to session ${sessionId}.`);
    return subscription;
  }

  private async watchableRecords(claims: SupervisorClaims): Promise<SessionRecord[]> {
    const records = await this.sessions.listByExam(claims.examId);
    return records.filter((r) => supervises(claims, r.examId, r.candidateId));
  }

  private async requireWatchable(claims: SupervisorClaims, sessionId: string): Promise<SessionRecord> {
    const record = await this.sessions.get(sessionId);
    if (!record || !supervises(claims, record.examId, record.candidateId)) {
      throw new KitError('not-found', `No session ${sessionId} that you may watch.`);
    }
    return record;
  }
}

/** The keys of {@link SessionHub} `watchers` a supervisor's claims put it under. */
function watchKeys(claims: SupervisorClaims): string[] {
  if (claims.candidates === '*') return [claims.examId];
  return [...new Set(claims.candidates)].map((candidateId) => `${claims.examId}\u0000${candidateId}`);
}

/** Whether a signaling message offers `feed`. */
function publishes(message: RtcMessage, feed: Feed): boolean {
  return message.type === 'rtc.offer' && Object.values(message.feeds).includes(feed);
}

/** A candidate's join info as its phone needs it: with Chime, only the phone feed's attendee. */
function phoneInfo(info: ProviderInfo): ProviderInfo {
  if (info.name !== 'chime' || info.state !== 'ready' || info.role !== 'candidate') return info;
  const attendees = info.attendees.filter((a) => a.feed === 'phone');
  return attendees.length > 0 ? { ...info, attendees } : { name: 'chime', state: 'pending' };
}

/** The same signaling message, addressed from the receiver's point of view. */
function relay(message: RtcMessage, peer: string): Unversioned<RtcMessage> {
  const { v: _version, ...rest } = message;
  return { ...rest, peer } as Unversioned<RtcMessage>;
}
