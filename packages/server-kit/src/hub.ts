import {
  CloseCode,
  IdentityVerdictSchema,
  parse,
  covers,
  type CandidateClaims,
  type ClientMessage,
  type CommandMessage,
  type Feed,
  type PhoneClaims,
  type ProviderInfo,
  type RecordingPolicy,
  type ReviewerClaims,
  type RtcMessage,
  type ServerMessage,
  type SessionSummary,
  type SupervisorClaims,
  type Unversioned,
} from '@proctorkit/core/protocol';
import type { Cluster } from './cluster/cluster.js';
import { newer, type DirectoryEntry, type Located, type PageEntry, type SubscriptionEntry } from './cluster/directory.js';
import type { KitBus } from './bus/kit-bus.js';
import { KitError } from './errors.js';
import { sharedRate } from './limits/shared-rate-limit.js';
import type { Logger } from './logger.js';
import type { MediaProvider, ProviderHost, ProviderRecords } from './providers/provider.js';
import { Sessions, type Actor, type SessionChange } from './sessions.js';
import type { SessionRecord } from './store/session-store.js';
import { pageEvent, pageSummary, type OwnPage } from './review/page-view.js';
import type { ClientConnection } from './ws/client-connection.js';

/** Why a candidate's page may not send what only its paired phone sends. */
const PHONE_FEED_IS_THE_PHONES = "The phone feed is published by the paired phone's page only.";

/** A message for a page or a supervisor connection held by another instance. */
interface Delivery {
  to: string;
  message: Unversioned<ServerMessage>;
}

/**
 * The live side of the kit: which candidate, phone and supervisor connections are open on this
 * instance, routing of messages to {@link Sessions}, and the fan-out of session changes, events
 * and WebRTC signaling. Which page and which subscription is where, on this instance or another,
 * is the cluster's {@link Directory}: a message for a connection held elsewhere goes over the bus.
 */
export class SessionHub {
  /** This instance's open connections that said hello, by id. */
  private readonly connections = new Map<string, ClientConnection>();
  /** Who receives a candidate's updates: `exam\0candidate` → supervisors naming it, `exam` → supervisors of `'*'`. */
  private readonly watchers = new Map<string, Set<ClientConnection>>();
  private sessions!: Sessions;

  constructor(
    private readonly provider: MediaProvider,
    private readonly logger: Logger,
    private readonly providerRecords: ProviderRecords,
    private readonly cluster: Cluster,
    private readonly bus: KitBus,
    /** How the candidate's and phone's pages record, told them in their welcome. */
    private readonly recording: RecordingPolicy,
    /** Whether the candidate's page sees the session's verdict once the exam ended (`showVerdictToCandidate`). */
    private readonly showVerdictToCandidate = false,
  ) {}

  /** Binds the sessions this hub announces (they ask the hub who is connected) and joins the other instances. */
  async bind(sessions: Sessions): Promise<void> {
    this.sessions = sessions;
    this.provider.attach?.(this.providerHost());
    this.cluster.handle<SessionChange>('change', (change) => {
      this.announceHere(change);
      this.sessions.observe(change.summary);
    });
    this.cluster.handle<Delivery>('deliver', ({ to, message }) => this.connections.get(to)?.send(message));
    this.cluster.handle<{ sessionId: string; pairingId: string }>('phone-replaced', ({ sessionId, pairingId }) => this.closeOldPhone(sessionId, pairingId));
    this.cluster.handle<{ sessionId: string }>('media-ready', ({ sessionId }) => this.sendViews(sessionId));
    await this.cluster.start({
      entryChanged: (instance, entry, previous, lost) => this.remoteEntryChanged(instance, entry, previous, lost),
      reconnected: () => void this.catchUpPages(),
    });
  }

  /** Whether the candidate's page is connected, to this instance or another. */
  isConnected(sessionId: string): boolean {
    return this.cluster.directory.page(sessionId, 'candidate') !== undefined;
  }

  /**
   * Announces a change committed here to the session's candidate, phone and supervisors, on every
   * instance: its events first (they say why), then the session as it is now.
   */
  announce(change: SessionChange): void {
    this.announceHere(change);
    this.cluster.broadcast('change', change);
    const { summary, events } = change;
    if (this.provider.sessionEnded && events.some((event) => event.type === 'session.ended')) {
      this.provider.sessionEnded(summary).catch((error) => this.logger.error(`releasing the media of session ${summary.sessionId} failed`, error));
    }
  }

  /** Creates or resumes the candidate's session and makes `connection` its live connection. */
  async joinCandidate(connection: ClientConnection, claims: CandidateClaims): Promise<void> {
    const record = await this.sessions.open(claims);
    connection.claims = claims;
    connection.sessionId = record.sessionId;
    this.holdPage(connection, { kind: 'candidate', sessionId: record.sessionId, connectionId: connection.id, since: Date.now() }, 'This session was opened on another page.');

    const { summary } = await this.sessions.joined(record.sessionId, claims.name);
    const joined = await this.sessions.require(record.sessionId);
    connection.send({
      type: 'session.welcome',
      role: 'candidate',
      connectionId: connection.id,
      examId: claims.examId,
      name: claims.name,
      session: pageSummary(summary, 'candidate', this.showVerdictToCandidate),
      provider: await this.provider.joinInfo(joined),
      subscribers: this.cluster.directory.subscriptions(record.sessionId).map(({ entry: { connectionId, feeds, quality } }) => ({
        peer: connectionId,
        feeds,
        quality,
      })),
      serverTime: Date.now(),
      recording: this.recording,
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
    const entry: PageEntry = { kind: 'phone', sessionId: record.sessionId, connectionId: connection.id, since: Date.now(), pairingId: claims.pairingId };
    this.holdPage(connection, entry, 'This phone was opened on another page.');
    connection.send({
      type: 'session.welcome',
      role: 'phone',
      connectionId: connection.id,
      examId: claims.examId,
      name: claims.name,
      session: pageSummary(await this.sessions.summary(record), 'phone', false),
      provider: phoneInfo(await this.provider.joinInfo(record)),
      subscribers: this.cluster.directory
        .subscriptions(record.sessionId)
        .filter(({ entry: { feeds } }) => feeds.includes('phone'))
        .map(({ entry: { connectionId, quality } }) => ({ peer: connectionId, feeds: ['phone' as const], quality })),
      serverTime: Date.now(),
      recording: { audio: false },
    });
    this.logger.info(`phone of candidate ${claims.candidateId} joined (session ${record.sessionId})`);
  }

  /** A new pairing was redeemed: the old phone, connected here or elsewhere, is closed for good. */
  replacePhone(sessionId: string, pairingId: string): void {
    this.closeOldPhone(sessionId, pairingId);
    this.cluster.broadcast('phone-replaced', { sessionId, pairingId });
  }

  /** Registers a supervisor and sends it every session it may watch. */
  async joinSupervisor(connection: ClientConnection, claims: SupervisorClaims): Promise<void> {
    connection.claims = claims;
    this.connections.set(connection.id, connection);
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

  /** The sessions a supervisor's or reviewer's claims cover. */
  async listFor(claims: SupervisorClaims | ReviewerClaims): Promise<SessionSummary[]> {
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
    if (claims.role === 'reviewer') throw new KitError('forbidden', 'A reviewer cannot use the live control channel.');
    return this.handleSupervisor(connection, claims, message);
  }

  /** Forgets a closed connection and tells whoever depended on it. */
  async leave(connection: ClientConnection): Promise<void> {
    const claims = connection.claims;
    if (!claims) return;
    if (this.connections.get(connection.id) !== connection) return;
    this.connections.delete(connection.id);
    if (claims.role === 'reviewer') return;
    if (claims.role === 'phone' || claims.role === 'candidate') {
      const sessionId = connection.sessionId!;
      // Replaced by a newer page (here or elsewhere): that page is the session's now.
      if (this.cluster.directory.pageOf(this.cluster.id, sessionId, claims.role)?.connectionId !== connection.id) return;
      this.cluster.drop({ kind: claims.role, sessionId, connectionId: connection.id });
      await this.pageLeft(sessionId, claims.role);
      this.logger.info(`${claims.role === 'phone' ? 'phone of ' : ''}candidate ${claims.candidateId} left (session ${sessionId})`);
      return;
    }
    for (const key of watchKeys(claims)) {
      const set = this.watchers.get(key);
      set?.delete(connection);
      if (set?.size === 0) this.watchers.delete(key);
    }
    for (const sessionId of connection.subscriptions) this.unsubscribe(connection, sessionId);
  }

  /** Closes every live connection of this instance, e.g. when the host shuts down. */
  closeAll(code: number, reason: string): void {
    for (const connection of this.connections.values()) connection.close(code, reason);
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
      case 'recording.backlog':
        if (message.feed === 'phone') throw new KitError('forbidden', PHONE_FEED_IS_THE_PHONES);
        await this.sessions.setRecordingBacklog(sessionId, message.feed, message.pendingMs);
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
      case 'recording.backlog':
        if (message.feed !== 'phone') throw new KitError('forbidden', 'A phone records only the phone feed.');
        await this.sessions.setRecordingBacklog(sessionId, 'phone', message.pendingMs);
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
    const { events, more } = await this.sessions.events(sessionId, afterSeq);
    connection.send({ type: 'events.batch', sessionId, events: events.map(pageEvent), more });
  }

  /** Signaling from a publishing page (the candidate's, or its phone) to a supervisor subscribed to it. */
  private relayToSupervisor(sessionId: string, message: RtcMessage, source?: 'phone'): void {
    const subscription = this.cluster.directory.subscription(sessionId, message.peer);
    if (!subscription || (source && !subscription.entry.feeds.includes(source))) {
      throw new KitError('not-found', `No supervisor ${message.peer} subscribes to this ${source ?? 'session'}.`);
    }
    this.deliver(subscription, source ? { ...relay(message, sessionId), source } : relay(message, sessionId));
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
        const first = !connection.subscriptions.has(message.sessionId);
        connection.subscriptions.add(message.sessionId);
        this.putSubscription({
          kind: 'subscription',
          sessionId: message.sessionId,
          connectionId: connection.id,
          supervisorId: claims.supervisorId,
          feeds: [...new Set(message.feeds)],
          quality: message.quality,
        });
        if (first) this.sendView(connection, record);
        return;
      }
      case 'feed.unsubscribe':
        this.unsubscribe(connection, message.sessionId);
        return;
      case 'feed.quality': {
        const { entry } = this.requireSubscription(connection, message.sessionId);
        this.putSubscription({ ...entry, quality: message.quality });
        return;
      }
      case 'rtc.answer':
      case 'rtc.ice': {
        this.requireSubscription(connection, message.peer);
        const publisher = this.cluster.directory.page(message.peer, message.source === 'phone' ? 'phone' : 'candidate');
        if (!publisher) throw new KitError('not-connected', `The ${message.source ?? 'candidate'} of session ${message.peer} is offline.`);
        const { source: _source, ...toPublisher } = relay(message, connection.id);
        this.deliver(publisher, toPublisher as Unversioned<RtcMessage>);
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
        if (provider && connection.subscriptions.has(sessionId)) connection.send({ type: 'session.media', sessionId, provider });
      },
      (error) => this.logger.error(`media join info of session ${sessionId} for supervisor ${supervisorId} failed`, error),
    );
  }

  /** What the provider may ask of the hub, and how it reaches the clients of a session. */
  private providerHost(): ProviderHost {
    return {
      logger: this.logger,
      records: this.providerRecords,
      sharedRate: (name, perSecond) => sharedRate(this.bus, name, perSecond, this.logger),
      supervisorsOf: ({ sessionId, examId, candidateId }) => {
        const watching = [...(this.watchers.get(`${examId}\u0000${candidateId}`) ?? [])].map((c) => (c.claims as SupervisorClaims).supervisorId);
        const subscribed = this.cluster.directory.subscriptions(sessionId).map(({ entry }) => entry.supervisorId);
        return [...new Set([...watching, ...subscribed])];
      },
      setPreparing: (sessionId, preparing) => {
        this.sessions.setPreparing(sessionId, preparing).catch((error) => this.logger.error(`session ${sessionId}: status failed`, error));
      },
      progress: (sessionId, ahead) => this.toPage(sessionId, 'candidate', { type: 'session.preparing', sessionId, ahead }),
      mediaReady: (sessionId, provider) => {
        this.toPage(sessionId, 'candidate', { type: 'session.media', sessionId, provider });
        this.toPage(sessionId, 'phone', { type: 'session.media', sessionId, provider: phoneInfo(provider) });
        this.sendViews(sessionId);
        this.cluster.broadcast('media-ready', { sessionId });
      },
      mediaFailed: (sessionId, message) => this.toPage(sessionId, 'candidate', { type: 'error', code: 'internal', message }),
    };
  }

  /** Sends each supervisor subscribed to the session here its view of the session's media. */
  private sendViews(sessionId: string): void {
    const subscribers = [...this.connections.values()].filter((c) => c.claims?.role === 'supervisor' && c.subscriptions.has(sessionId));
    if (subscribers.length === 0 || !this.provider.viewInfo) return;
    this.sessions.get(sessionId).then(
      (record) => {
        if (record) for (const supervisor of subscribers) this.sendView(supervisor, record);
      },
      (error) => this.logger.error(`session ${sessionId}: reading it failed`, error),
    );
  }

  /** Sends to a connection wherever it is: here, or over the bus to the instance holding it. */
  private deliver(located: Located, message: Unversioned<ServerMessage>): void {
    if (located.instance === this.cluster.id) this.connections.get(located.entry.connectionId)?.send(message);
    else this.cluster.send(located.instance, 'deliver', { to: located.entry.connectionId, message } satisfies Delivery);
  }

  /** Sends to the session's candidate or phone page, wherever it is; nothing when it is offline. */
  private toPage(sessionId: string, kind: PageEntry['kind'], message: Unversioned<ServerMessage>): void {
    const page = this.cluster.directory.page(sessionId, kind);
    if (page) this.deliver(page, message);
  }

  /** The session's page of `kind` that this instance holds (for a moment, a newer one may be elsewhere). */
  private localPage(sessionId: string, kind: PageEntry['kind']): ClientConnection | undefined {
    const page = this.cluster.directory.pageOf(this.cluster.id, sessionId, kind);
    return page && this.connections.get(page.connectionId);
  }

  /** Makes `connection` the session's page of its kind; the page it replaces, here or elsewhere, is closed. */
  private holdPage(connection: ClientConnection, entry: PageEntry, replacedReason: string): void {
    const previous = this.localPage(entry.sessionId, entry.kind);
    this.connections.set(connection.id, connection);
    this.cluster.put(entry);
    // Another instance's page is closed there, when it hears of this newer one.
    previous?.close(CloseCode.replaced, replacedReason);
  }

  /** A page of the session went offline: its state says so (a phone's feed is lost; a candidate left). */
  private async pageLeft(sessionId: string, kind: PageEntry['kind']): Promise<void> {
    if (this.cluster.directory.page(sessionId, kind)) return;
    if (kind === 'candidate') {
      await this.sessions.left(sessionId);
      return;
    }
    const record = await this.sessions.get(sessionId);
    if (record && record.clock.endedAt === null && record.feeds.phone === 'live') await this.sessions.setFeed(sessionId, 'phone', 'lost');
  }

  private closeOldPhone(sessionId: string, pairingId: string): void {
    const phone = this.localPage(sessionId, 'phone');
    if (!phone || (phone.claims as PhoneClaims).pairingId === pairingId) return;
    this.cluster.drop({ kind: 'phone', sessionId, connectionId: phone.id });
    this.connections.delete(phone.id);
    phone.close(CloseCode.unauthorized, 'This phone was replaced by a newer pairing.');
  }

  /** Publishes a subscription and tells the session's pages held here. */
  private putSubscription(entry: SubscriptionEntry): void {
    const previous = this.cluster.directory.subscription(entry.sessionId, entry.connectionId)?.entry;
    this.cluster.put(entry);
    this.subscriptionChanged(entry.sessionId, entry, previous);
  }

  /**
   * What the session's pages held here hear when a subscription to it appears, changes or goes,
   * wherever the supervisor is: a new quality alone is `feed.quality`, anything else a subscribe.
   */
  private subscriptionChanged(sessionId: string, entry: SubscriptionEntry | undefined, previous: SubscriptionEntry | undefined): void {
    const peer = (entry ?? previous)!.connectionId;
    const candidate = this.localPage(sessionId, 'candidate');
    const phone = this.localPage(sessionId, 'phone');
    if (!candidate && !phone) return;
    if (!entry) {
      for (const page of [candidate, phone]) page?.send({ type: 'feed.unsubscribe', peer });
      return;
    }
    const { feeds, quality } = entry;
    if (previous && sameFeeds(previous.feeds, feeds) && previous.quality !== quality) {
      for (const page of [candidate, phone]) page?.send({ type: 'feed.quality', peer, quality });
      return;
    }
    candidate?.send({ type: 'feed.subscribe', peer, feeds, quality });
    if (feeds.includes('phone')) phone?.send({ type: 'feed.subscribe', peer, feeds: ['phone'], quality });
    else if (previous?.feeds.includes('phone')) phone?.send({ type: 'feed.unsubscribe', peer });
  }

  /** Another instance's directory entry appeared, changed or went. */
  private remoteEntryChanged(instance: string, entry: DirectoryEntry | undefined, previous: DirectoryEntry | undefined, lost: boolean): void {
    const about = (entry ?? previous)!;
    if (about.kind === 'subscription') {
      this.subscriptionChanged(about.sessionId, entry as SubscriptionEntry | undefined, previous as SubscriptionEntry | undefined);
      return;
    }
    if (entry) {
      // A newer page of the session on another instance: this one's is replaced.
      const mine = this.localPage(about.sessionId, about.kind);
      const myEntry = this.cluster.directory.pageOf(this.cluster.id, about.sessionId, about.kind);
      if (mine && myEntry && newer(entry as PageEntry, instance, { instance: this.cluster.id, entry: myEntry })) {
        this.cluster.drop({ kind: about.kind, sessionId: about.sessionId, connectionId: mine.id });
        this.connections.delete(mine.id);
        mine.close(CloseCode.replaced, about.kind === 'phone' ? 'This phone was opened on another page.' : 'This session was opened on another page.');
      }
      return;
    }
    // An instance was lost with its pages: one survivor (the first by id) records that they left.
    if (lost && this.cluster.instances[0] === this.cluster.id) {
      this.pageLeft(about.sessionId, about.kind).catch((error) => this.logger.error(`session ${about.sessionId}: recording its lost page failed`, error));
    }
  }

  /**
   * After a cut from the bus: every page here hears the sessions as they are now, and asks the
   * store for the events it missed (the clients catch up by `seq`); expiry timers are set again.
   */
  private async catchUpPages(): Promise<void> {
    try {
      await this.sessions.resumeClocks();
      for (const connection of this.connections.values()) {
        const claims = connection.claims!;
        if (claims.role === 'supervisor') {
          connection.send({ type: 'session.list', sessions: await this.listFor(claims) });
          continue;
        }
        const record = await this.sessions.get(connection.sessionId!);
        if (record) connection.send({ type: 'session.updated', session: this.ownView(await this.sessions.summary(record), claims.role === 'phone' ? 'phone' : 'candidate') });
      }
    } catch (error) {
      this.logger.error('catching pages up after the bus came back failed', error);
    }
  }

  /** Sends a change committed here or elsewhere to the session's pages and supervisors held here. */
  private announceHere({ summary, changed, events }: SessionChange): void {
    const { sessionId } = summary;
    const watchers = [...this.watchersOf(summary)];
    for (const event of events) {
      for (const watcher of watchers) watcher.send({ type: 'session.event', sessionId, event });
    }
    if (changed) for (const watcher of watchers) watcher.send({ type: 'session.updated', session: summary });
    for (const kind of ['candidate', 'phone'] as const) {
      const page = this.localPage(sessionId, kind);
      if (!page) continue;
      for (const event of events) page.send({ type: 'session.event', sessionId, event: pageEvent(event) });
      if (changed) page.send({ type: 'session.updated', session: this.ownView(summary, kind) });
    }
  }

  /** A summary as the session's own candidate or phone page may see it. */
  private ownView(summary: SessionSummary, page: OwnPage): SessionSummary {
    return pageSummary(summary, page, this.showVerdictToCandidate);
  }

  private *watchersOf(session: SessionSummary): Iterable<ClientConnection> {
    yield* this.watchers.get(session.examId) ?? [];
    yield* this.watchers.get(`${session.examId}\u0000${session.candidateId}`) ?? [];
  }

  private unsubscribe(connection: ClientConnection, sessionId: string): void {
    if (!connection.subscriptions.delete(sessionId)) return;
    const previous = this.cluster.directory.subscription(sessionId, connection.id)?.entry;
    this.cluster.drop({ kind: 'subscription', sessionId, connectionId: connection.id });
    if (previous) this.subscriptionChanged(sessionId, undefined, previous);
  }

  private requireSubscription(connection: ClientConnection, sessionId: string): Located<SubscriptionEntry> {
    const subscription = connection.subscriptions.has(sessionId) ? this.cluster.directory.subscription(sessionId, connection.id) : undefined;
    if (!subscription) throw new KitError('not-found', `You do not subscribe to session ${sessionId}.`);
    return subscription;
  }

  private async watchableRecords(claims: SupervisorClaims | ReviewerClaims): Promise<SessionRecord[]> {
    const records = await this.sessions.listByExam(claims.examId);
    return records.filter((r) => covers(claims, r.examId, r.candidateId));
  }

  private async requireWatchable(claims: SupervisorClaims, sessionId: string): Promise<SessionRecord> {
    const record = await this.sessions.get(sessionId);
    if (!record || !covers(claims, record.examId, record.candidateId)) {
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

function sameFeeds(a: Feed[], b: Feed[]): boolean {
  return a.length === b.length && a.every((feed) => b.includes(feed));
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
