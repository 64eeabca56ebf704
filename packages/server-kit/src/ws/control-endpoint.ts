import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  CLIENT_MESSAGE_TYPES,
  ClientMessageSchema,
  CloseCode,
  GeneratedIdSchema,
  HelloSchema,
  MAX_MESSAGE_BYTES,
  parse,
  parseJson,
  type Claims,
} from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import type { SessionHub } from '../hub.js';
import type { KitLimits } from '../limits/limits.js';
import { personKey, personOf } from '../limits/person.js';
import type { KitBus } from '../bus/kit-bus.js';
import { RateLimit } from '../limits/rate-limit.js';
import { SharedRateLimit } from '../limits/shared-rate-limit.js';
import type { Logger } from '../logger.js';
import type { Access } from '../access/access.js';
import type { Person } from '../limits/person.js';
import type { VerifiedToken } from '../tokens.js';
import { ClientConnection } from './client-connection.js';
import { TokenRenewal } from './token-renewal.js';

/** Timings of the control endpoint, shortened by tests. */
export interface ControlEndpointTimings {
  /** How long a new socket may take to say hello. */
  helloTimeoutMs: number;
  /** How often sockets are pinged; one missed pong closes the socket. */
  heartbeatMs: number;
}

/** Options of {@link ControlEndpoint}. */
export interface ControlEndpointOptions {
  timings: ControlEndpointTimings;
  /** Whether connected clients get a new token before theirs expires. */
  renewTokens: boolean;
  limits: KitLimits;
  /** Where the per-person limits are shared with the other instances. */
  bus: KitBus;
}

/** The control channel's WebSocket server, attached to the host's HTTP server at one path. */
export class ControlEndpoint {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  private readonly heartbeat: NodeJS.Timeout;
  private readonly connections = new Set<ClientConnection>();
  /** Per connection id. */
  private readonly messages: RateLimit;
  /** Per connection id: refused messages, forgiven one a second. */
  private readonly refusals: RateLimit;
  /** Per person, across instances: hellos. */
  private readonly hellos: SharedRateLimit;

  constructor(
    private readonly hub: SessionHub,
    private readonly access: Access,
    private readonly logger: Logger,
    private readonly options: ControlEndpointOptions,
  ) {
    const { limits } = options;
    this.messages = new RateLimit(limits.messageBurst, limits.messagesPerSecond);
    this.refusals = new RateLimit(limits.refusalsBeforeClose, 1);
    this.hellos = SharedRateLimit.per(options.bus, 'hellos', limits.connectionsPerMinute, 60_000, logger);
    this.wss.on('connection', (socket) => this.accept(socket));
    this.heartbeat = setInterval(() => this.ping(), options.timings.heartbeatMs);
    this.heartbeat.unref();
  }

  /**
   * Handles WebSocket upgrades of `server` at `path`. Other paths are left to the host's own upgrade
   * handlers; one that nobody answers (no other handler, or none wrote a byte within the hello
   * timeout) is refused with 404, so no socket lingers.
   */
  attach(server: Server, path: string): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (pathOf(request) === path) {
        this.wss.handleUpgrade(request, socket, head, (ws) => this.wss.emit('connection', ws, request));
        return;
      }
      if (server.listenerCount('upgrade') <= 1) return refuseUpgrade(socket);
      const unanswered = setTimeout(() => {
        if ((socket as Socket).bytesWritten === 0) refuseUpgrade(socket);
      }, this.options.timings.helloTimeoutMs);
      unanswered.unref();
      socket.once('close', () => clearTimeout(unanswered));
    });
  }

  /** Closes every connection of `person` (their access was revoked), with `code`. */
  closePerson(person: Person, code: number, reason: string): number {
    const key = personKey(person);
    let closed = 0;
    for (const connection of this.connections) {
      if (!connection.claims || personKey(personOf(connection.claims)) !== key) continue;
      connection.renewal?.stop();
      connection.close(code, reason);
      closed += 1;
    }
    return closed;
  }

  /** Closes every socket with 1001 (going away). */
  close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const socket of this.wss.clients) socket.close(CloseCode.goingAway, 'Server is shutting down.');
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const connection = new ClientConnection(socket);
    this.connections.add(connection);
    const helloTimer = setTimeout(
      () => connection.close(CloseCode.helloTimeout, 'No session.hello in time.'),
      this.options.timings.helloTimeoutMs,
    );
    socket.on('pong', () => (connection.alive = true));
    socket.on('message', (data, isBinary) => {
      // Checked as it arrives, so a flood is refused before it queues any work.
      const wait = this.messages.take(connection.id);
      if (wait > 0) {
        const error = new KitError('rate-limited', `Too many messages: at most ${this.options.limits.messagesPerSecond} a second.`, { retryAfterMs: wait });
        return this.refuse(connection, error);
      }
      this.run(connection, () =>
        connection.claims ? this.receive(connection, data, isBinary) : this.hello(connection, data, isBinary, helloTimer),
      );
    });
    socket.on('close', () => {
      clearTimeout(helloTimer);
      connection.renewal?.stop();
      this.connections.delete(connection);
      this.messages.forget(connection.id);
      this.refusals.forget(connection.id);
      void connection.serially(() => this.hub.leave(connection)).catch((error) => this.logger.error('leave failed', error));
    });
    socket.on('error', (error) => this.logger.debug(`socket error: ${error.message}`));
  }

  /**
   * Runs a connection's work in order. A failure nobody expected ends that connection (1011, logged
   * once) and nothing else: the page reconnects, every other page keeps its own.
   */
  private run(connection: ClientConnection, task: () => Promise<void>): void {
    connection.serially(task).catch((error: unknown) => {
      if (!connection.open) return;
      this.logger.error(`closed a control connection (1011) after an unexpected failure`, error);
      connection.close(CloseCode.internalError, 'The server failed to handle this connection; reconnect.');
    });
  }

  /**
   * Refuses a message past a rate (the connection's, or its session's events); a connection that
   * goes on sending past its refusals is closed with 4429.
   */
  private refuse(connection: ClientConnection, error: KitError, about: { ref?: string; id?: string } = {}): void {
    if (this.refusals.take(connection.id) === 0) {
      connection.sendError(error.code, error.message, { ...about, retryAfterMs: error.retryAfterMs });
      return;
    }
    if (!connection.open) return;
    this.logger.warn(`closed a control connection (4429) that kept sending past its rate${connection.claims ? ` (${describe(connection.claims)})` : ''}`);
    connection.close(CloseCode.rateLimited, 'Too many messages. Wait a moment before reconnecting.');
  }

  private async hello(
    connection: ClientConnection,
    data: RawData,
    isBinary: boolean,
    helloTimer: NodeJS.Timeout,
  ): Promise<void> {
    if (!connection.open) return;
    const json = decode(data, isBinary);
    const hello = json.ok ? parse(HelloSchema, json.value) : json;
    if (!hello.ok) {
      connection.close(CloseCode.badHello, truncate(`Expected session.hello: ${hello.message}`));
      return;
    }
    clearTimeout(helloTimer);
    let verified;
    try {
      verified = await this.access.verify(hello.value.token);
    } catch (error) {
      connection.close(CloseCode.unauthorized, truncate(error instanceof Error ? error.message : 'Unauthorized.'));
      return;
    }
    if (!connection.open) return;
    const { claims } = verified;
    if (claims.role === 'reviewer') {
      connection.close(CloseCode.forbidden, 'A reviewer token reads sessions over the REST API; it cannot join the live control channel.');
      return;
    }
    const wait = await this.hellos.take(personKey(personOf(claims)));
    if (!connection.open) return;
    if (wait > 0) {
      this.logger.info(`refused a connection (4429): ${describe(claims)} reconnects too often`);
      connection.close(CloseCode.rateLimited, `Too many connections in a short time. Try again in ${Math.ceil(wait / 1000)} s.`);
      return;
    }
    try {
      if (claims.role === 'candidate') await this.hub.joinCandidate(connection, claims);
      else if (claims.role === 'phone') await this.hub.joinPhone(connection, claims);
      else await this.hub.joinSupervisor(connection, claims);
    } catch (error) {
      this.logger.error(`${claims.role} join failed`, error);
      connection.close(CloseCode.internalError, 'The server failed to open the session; try again.');
      return;
    }
    if (this.options.renewTokens && connection.open) this.renewTokens(connection, verified);
  }

  private renewTokens(connection: ClientConnection, verified: VerifiedToken): void {
    let current = verified;
    connection.renewal = new TokenRenewal({
      renew: async () => {
        const renewed = await this.access.renew(current, connection.sessionId);
        if (renewed) current = { ...current, issuedAt: renewed.issuedAt, expiresAt: renewed.expiresAt };
        return renewed;
      },
      send: ({ token, expiresAt }) => connection.send({ type: 'session.token', token, expiresAt }),
      onError: (error) => this.logger.error('token renewal failed', error),
    });
    connection.renewal.scheduleFor(verified.expiresAt);
  }

  private async receive(connection: ClientConnection, data: RawData, isBinary: boolean): Promise<void> {
    const json = decode(data, isBinary);
    if (!json.ok) return connection.sendError('bad-message', json.message);
    const type = (json.value as { type?: unknown } | null)?.type;
    const ref = typeof type === 'string' ? type.slice(0, 64) : undefined;
    if (typeof type !== 'string' || !CLIENT_MESSAGE_TYPES.has(type)) {
      const what = type === 'session.hello' ? 'session.hello was already accepted' : `unknown message type ${JSON.stringify(ref ?? null)}`;
      return connection.sendError(type === 'session.hello' ? 'bad-message' : 'unknown-type', what, { ref });
    }
    // A command's id, even when the rest of the command is refused, so the client can tell which one failed.
    const rawId = (json.value as { id?: unknown }).id;
    const id = typeof rawId === 'string' && parse(GeneratedIdSchema, rawId).ok ? rawId : undefined;
    const message = parse(ClientMessageSchema, json.value);
    if (!message.ok) return connection.sendError('bad-message', `${type}: ${message.message}`, { ref, id });
    try {
      await this.hub.handle(connection, message.value);
    } catch (error) {
      if (error instanceof KitError && error.code === 'rate-limited') return this.refuse(connection, error, { ref, id });
      if (error instanceof KitError) return connection.sendError(error.code, error.message, { ref, id });
      // Not the message's fault (a store that cannot be reached, a bug): the connection closes with
      // 1011, and the page reconnects and sends again what the kit never acknowledged.
      throw error;
    }
  }

  private ping(): void {
    for (const connection of this.connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }
}

type Decoded = { ok: true; value: unknown } | { ok: false; message: string };

function decode(data: RawData, isBinary: boolean): Decoded {
  if (isBinary) return { ok: false, message: 'Messages must be JSON text, not binary.' };
  return parseJson(data.toString());
}

/** The request's path, or `undefined` when its target is not one. */
function pathOf(request: IncomingMessage): string | undefined {
  try {
    return new URL(request.url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/** Answers an upgrade request nobody serves with 404 and closes its socket. */
function refuseUpgrade(socket: Duplex): void {
  if (socket.destroyed) return;
  socket.on('error', () => {});
  socket.once('finish', () => socket.destroy());
  const body = 'No WebSocket endpoint at this path.';
  socket.end(`HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
}

/** Who a token speaks for, for the log. */
function describe(claims: Claims): string {
  if (claims.role === 'supervisor') return `supervisor ${claims.supervisorId} of exam ${claims.examId}`;
  if (claims.role === 'reviewer') return `reviewer ${claims.reviewerId} of exam ${claims.examId}`;
  return `${claims.role} ${claims.candidateId} of exam ${claims.examId}`;
}

/** Close reasons are limited to 123 bytes by the WebSocket protocol. */
function truncate(reason: string): string {
  if (Buffer.byteLength(reason) <= 123) return reason;
  let kept = '';
  // Whole characters only: a cut through one would decode to U+FFFD and grow past the limit.
  for (const character of reason) {
    if (Buffer.byteLength(kept + character) > 120) break;
    kept += character;
  }
  return `${kept}...`;
}
