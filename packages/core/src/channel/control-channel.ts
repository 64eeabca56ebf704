import {
  CloseCode,
  PROTOCOL_VERSION,
  ServerMessageSchema,
  TERMINAL_CLOSE_CODES,
  parse,
  parseJson,
  type ClientMessage,
  type ServerMessage,
  type Unversioned,
  type Welcome,
} from '../protocol/index.js';
import { ProctorError } from '../errors.js';
import { Emitter } from '../util/emitter.js';
import { createLogger } from '../util/logger.js';
import { Store, type Readable } from '../util/store.js';

const log = createLogger('channel');

/** Where the control channel is: connecting the first time, open, reconnecting after a drop, or closed for good. */
export type ChannelState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Options of {@link ControlChannel}. */
export interface ControlChannelOptions {
  /** The WebSocket URL, e.g. from {@link controlUrl}. */
  url: string;
  /** The token the first hello carries; the server may replace it (see {@link ControlChannel.token}). */
  token: string;
  /** A WebSocket implementation, for Node. Default: the global one. */
  WebSocket?: typeof WebSocket;
  /** First reconnect delay in ms, doubled per failed attempt up to `maxRetryDelayMs`. Default 250. */
  retryDelayMs?: number;
  /** Longest reconnect delay in ms. Default 5000. */
  maxRetryDelayMs?: number;
  /**
   * After this long without a message from the server, the channel pings it; with no answer within
   * `pingTimeoutMs` the connection counts as dead and is replaced. Default 10 000.
   */
  keepaliveMs?: number;
  /** How long a ping may take. Default 5000. */
  pingTimeoutMs?: number;
}

/** One round trip to the server, in the page's monotonic time (`performance.now()`). */
export interface PingSample {
  sentAt: number;
  receivedAt: number;
  /** The server's clock when it answered (ms since epoch). */
  serverTime: number;
}

type MessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

interface ChannelEvents extends Record<string, unknown> {
  /** Every accepted hello, the first and each after a reconnect. */
  welcome: Welcome;
  /** The channel closed for good; `error` says why when it was not {@link ControlChannel.close}. */
  closed: { error?: ProctorError };
  /** The server renewed the token before it expired. */
  token: { token: string; expiresAt: number };
}

/**
 * The client end of the control channel: says hello with the token, reconnects by itself with
 * backoff after a drop, and hands validated server messages to handlers by type.
 */
export class ControlChannel {
  private readonly stateStore = new Store<ChannelState>('connecting');
  private readonly events = new Emitter<ChannelEvents>();
  private readonly handlers = new Map<string, Set<(message: never) => void>>();
  private socket?: WebSocket;
  private attempts = 0;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private stopped = false;
  private lastWelcome?: Welcome;
  private lastHeardAt = 0;
  private keepaliveTimer?: ReturnType<typeof setInterval>;
  private nextPingId = 0;
  private readonly pings = new Map<number, (serverTime: number) => void>();
  private currentToken: string;

  constructor(private readonly options: ControlChannelOptions) {
    this.currentToken = options.token;
  }

  /**
   * The token to use now: the one given, until the server sends a renewed one before it expires.
   * Hellos after a drop carry it, and so should the page's requests to the kit.
   */
  get token(): string {
    return this.currentToken;
  }

  /** The channel's state, to show connection status. */
  get state(): Readable<ChannelState> {
    return this.stateStore;
  }

  /** The latest welcome, once the server accepted the token. */
  get welcome(): Welcome | undefined {
    return this.lastWelcome;
  }

  /** Opens the channel. Safe to call once; reconnects happen by themselves. */
  connect(): void {
    this.stopped = false;
    this.open();
  }

  /**
   * Measures one round trip; resolves `undefined` when not connected or with no answer in time.
   */
  ping(): Promise<PingSample | undefined> {
    const id = this.nextPingId++;
    const sentAt = performance.now();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pings.delete(id);
        resolve(undefined);
      }, this.options.pingTimeoutMs ?? 5000);
      this.pings.set(id, (serverTime) => {
        clearTimeout(timer);
        this.pings.delete(id);
        resolve({ sentAt, receivedAt: performance.now(), serverTime });
      });
      if (!this.send({ type: 'clock.ping', id })) {
        clearTimeout(timer);
        this.pings.delete(id);
        resolve(undefined);
      }
    });
  }

  /** Closes the channel for good. */
  close(): void {
    this.stopped = true;
    clearInterval(this.keepaliveTimer);
    clearTimeout(this.retryTimer);
    this.socket?.close(1000, 'Closed by the page.');
    this.socket = undefined;
    this.stateStore.set('closed');
  }

  /** Sends a message if the channel is open; returns whether it was sent. */
  send(message: Unversioned<ClientMessage>): boolean {
    if (this.stateStore.value !== 'open' || this.socket?.readyState !== 1) return false;
    this.socket.send(JSON.stringify({ v: PROTOCOL_VERSION, ...message }));
    return true;
  }

  /** Calls `handler` for every server message of `type`. Returns the function that stops it. */
  on<T extends ServerMessage['type']>(type: T, handler: (message: MessageOf<T>) => void): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler as (message: never) => void);
    return () => set.delete(handler as (message: never) => void);
  }

  /** Listens to the channel's own events: each `welcome`, a renewed `token`, and `closed` for good. */
  onEvent<K extends keyof ChannelEvents>(type: K, handler: (detail: ChannelEvents[K]) => void): () => void {
    return this.events.on(type, handler);
  }

  private open(): void {
    const Impl = this.options.WebSocket ?? globalThis.WebSocket;
    const socket = new Impl(this.options.url);
    this.socket = socket;
    socket.onopen = () => {
      socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'session.hello', token: this.currentToken }));
    };
    socket.onmessage = (event) => {
      if (socket !== this.socket) return;
      this.lastHeardAt = performance.now();
      this.receive(event.data);
    };
    socket.onclose = (event) => {
      if (socket === this.socket) this.dropped(event.code, event.reason);
    };
  }

  private receive(data: unknown): void {
    const json = parseJson(String(data));
    if (!json.ok) {
      log.warn(`ignored a server message: ${json.message}`);
      return;
    }
    const parsed = parse(ServerMessageSchema, json.value);
    if (!parsed.ok) {
      log.warn(`ignored an invalid server message: ${parsed.message}`);
      return;
    }
    const message = parsed.value;
    if (message.type === 'session.welcome') {
      this.attempts = 0;
      this.lastWelcome = message;
      this.stateStore.set('open');
      this.keepAlive();
      this.events.emit('welcome', message);
    }
    if (message.type === 'session.token') {
      this.currentToken = message.token;
      this.events.emit('token', { token: message.token, expiresAt: message.expiresAt });
    }
    if (message.type === 'clock.pong') this.pings.get(message.id)?.(message.serverTime);
    if (message.type === 'error') log.debug(`server refused ${message.ref ?? 'a message'}: ${message.message}`);
    for (const handler of [...(this.handlers.get(message.type) ?? [])]) {
      (handler as (m: ServerMessage) => void)(message);
    }
  }

  /**
   * A network can die without closing the socket (a laptop lid, a dead Wi-Fi): when the server has
   * been silent too long and does not answer a ping, replace the connection.
   */
  private keepAlive(): void {
    clearInterval(this.keepaliveTimer);
    const idleMs = this.options.keepaliveMs ?? 10_000;
    let probing = false;
    this.keepaliveTimer = setInterval(async () => {
      const socket = this.socket;
      if (probing || !socket || performance.now() - this.lastHeardAt < idleMs) return;
      probing = true;
      const answered = await this.ping();
      probing = false;
      if (answered || socket !== this.socket) return;
      log.info('the server stopped answering; reconnecting');
      socket.onclose = socket.onmessage = null;
      socket.close();
      this.dropped(4000, 'No answer from the server.');
    }, Math.max(250, idleMs / 4));
  }

  private dropped(code: number, reason: string): void {
    this.socket = undefined;
    clearInterval(this.keepaliveTimer);
    if (this.stopped) return;
    if (TERMINAL_CLOSE_CODES.has(code)) {
      this.stopped = true;
      this.stateStore.set('closed');
      this.events.emit('closed', { error: closeError(code, reason) });
      return;
    }
    this.stateStore.set(this.lastWelcome ? 'reconnecting' : 'connecting');
    const base = this.options.retryDelayMs ?? 250;
    const longest = this.options.maxRetryDelayMs ?? 5000;
    // Closed for sending too much: reconnecting at once would be refused again.
    const delay = code === CloseCode.rateLimited ? longest : Math.min(base * 2 ** this.attempts, longest);
    this.attempts += 1;
    this.retryTimer = setTimeout(() => this.open(), delay * (0.75 + Math.random() * 0.5));
  }
}

function closeError(code: number, reason: string): ProctorError {
  if (code === CloseCode.unauthorized) return new ProctorError('unauthorized', reason || 'The token was refused.');
  if (code === CloseCode.replaced) return new ProctorError('replaced', reason || 'This session was opened on another page.');
  return new ProctorError('connection-refused', `The server closed the connection (${code}): ${reason}`);
}
