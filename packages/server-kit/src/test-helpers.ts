/**
 * Helpers shared by the server kit's tests: a kit mounted in a real Express app on 127.0.0.1, a
 * control-channel client that records what the server sends, and hand-made tokens.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import express from 'express';
import { SignJWT } from 'jose';
import { WebSocket, type ClientOptions } from 'ws';
import {
  PROTOCOL_VERSION,
  ServerMessageSchema,
  parse,
  type CandidateClaims,
  type ServerMessage,
  type SessionEvent,
  type SessionSummary,
  type SignalCode,
  type SupervisorClaims,
} from '@proctorkit/core/protocol';
import { createProctorKit, memoryStore, type ProctorKit, type ProctorKitOptions } from './index.js';

export const SECRET = 'a-test-secret-that-is-longer-than-32-bytes';
export const OTHER_SECRET = 'another-test-secret-longer-than-32-bytes!';
export const EXAM = 'exam-1';
export const OTHER_EXAM = 'exam-2';

/** How long a test waits for something the server should do at once. */
const WAIT_MS = 2000;

export type MessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

export interface CloseEvent {
  code: number;
  reason: string;
}

/** Rejects with a message saying what did not happen when `promise` takes longer than `ms`. */
export function within<T>(promise: Promise<T>, what: string | (() => string), ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_resolve, reject) => {
    const describe = typeof what === 'string' ? () => what : what;
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${describe()}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A control-channel client that keeps every message the server sends, checked against the protocol. */
export class TestClient {
  /** Every message received, in order. */
  readonly received: ServerMessage[] = [];
  /** Messages that do not match the server message schema (a protocol bug). */
  readonly invalid: string[] = [];
  readonly closed: Promise<CloseEvent>;
  private readonly unread: ServerMessage[] = [];
  private readonly waiters = new Set<() => void>();
  private syncs = 0;

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      });
    });
    socket.on('error', () => {});
    socket.on('message', (data, isBinary) => {
      const text = data.toString();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        this.invalid.push(`not JSON (binary: ${isBinary}): ${text.slice(0, 200)}`);
        return;
      }
      const message = parse(ServerMessageSchema, json);
      if (!message.ok) this.invalid.push(`${message.message} in ${text.slice(0, 200)}`);
      const value = (message.ok ? message.value : json) as ServerMessage;
      this.received.push(value);
      this.unread.push(value);
      this.wake();
    });
  }

  static async open(url: string, options?: ClientOptions): Promise<TestClient> {
    const socket = new WebSocket(url, options);
    const client = new TestClient(socket);
    await within(once(socket, 'open'), `the WebSocket to ${url} to open`);
    return client;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends an object as JSON text, a string as text, and a Buffer as a binary frame. */
  send(message: object | string | Buffer): void {
    if (Buffer.isBuffer(message)) this.socket.send(message, { binary: true });
    else this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  hello(token: string): void {
    this.send({ v: PROTOCOL_VERSION, type: 'session.hello', token });
  }

  /**
   * The first unread message of `type` (that `matches`), waiting for it if needed. Reading it
   * leaves other unread messages in place.
   */
  async next<T extends ServerMessage['type']>(
    type: T,
    matches: (message: MessageOf<T>) => boolean = () => true,
  ): Promise<MessageOf<T>> {
    const find = () => {
      const index = this.unread.findIndex((m) => m.type === type && matches(m as MessageOf<T>));
      return index === -1 ? undefined : (this.unread.splice(index, 1)[0] as MessageOf<T>);
    };
    const found = find();
    if (found) return found;
    let check = () => {};
    const waiting = new Promise<MessageOf<T>>((resolve, reject) => {
      check = () => {
        const message = find();
        if (message) resolve(message);
        else if (this.socket.readyState === WebSocket.CLOSED) {
          reject(new Error(`Socket closed while waiting for ${type}; received ${this.describe()}`));
        }
      };
    });
    this.waiters.add(check);
    try {
      return await within(waiting, () => `${type} (received ${this.describe()})`);
    } finally {
      this.waiters.delete(check);
    }
  }

  /** The `error` message refusing the next message of type `ref`. */
  error(ref: string): Promise<MessageOf<'error'>> {
    return this.next('error', (m) => m.ref === ref);
  }

  /** Every message of `type` received so far, read or not. */
  all<T extends ServerMessage['type']>(type: T): MessageOf<T>[] {
    return this.received.filter((m): m is MessageOf<T> => m.type === type);
  }

  /** The events of every `session.event` received so far (of one session, when given), read or not. */
  sessionEvents(sessionId?: string): SessionEvent[] {
    return this.all('session.event')
      .filter((m) => sessionId === undefined || m.sessionId === sessionId)
      .map((m) => m.event);
  }

  /** The next unread `session.event` whose event has `type`. */
  async nextEvent(type: string, sessionId?: string): Promise<SessionEvent> {
    const message = await this.next('session.event', (m) => m.event.type === type && (sessionId === undefined || m.sessionId === sessionId));
    return message.event;
  }

  /** Sends `events.fetch` and waits for its batch. */
  async fetchEvents(sessionId: string, afterSeq = 0): Promise<MessageOf<'events.batch'>> {
    this.send({ v: PROTOCOL_VERSION, type: 'events.fetch', sessionId, afterSeq });
    return this.next('events.batch', (m) => m.sessionId === sessionId);
  }

  /** Sends a command and waits for its `command.done`. */
  async command(message: { id: string }): Promise<MessageOf<'command.done'>> {
    this.send(message);
    return this.next('command.done', (m) => m.id === message.id);
  }

  /** Sends a command and waits for the `error` refusing it, which names its id. */
  async commandError(message: { id: string; type: string }): Promise<MessageOf<'error'>> {
    this.send(message);
    return this.next('error', (m) => m.ref === message.type && m.id === message.id);
  }

  /**
   * Makes a round trip through the server. The server handles a connection's messages in order
   * and writes to a socket in order, so afterwards everything it sent this client before handling
   * the round trip has arrived.
   */
  async sync(): Promise<void> {
    const type = `test.sync-${++this.syncs}`;
    this.send({ v: PROTOCOL_VERSION, type });
    await this.next('error', (m) => m.ref === type);
  }

  /** Waits for the server to close the socket. */
  closeEvent(): Promise<CloseEvent> {
    return within(this.closed, () => `the socket to close (received ${this.describe()})`);
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await this.closeEvent();
  }

  private wake(): void {
    for (const check of [...this.waiters]) check();
  }

  private describe(): string {
    return JSON.stringify(this.received.map((m) => m.type));
  }
}

export interface JoinedCandidate {
  client: TestClient;
  welcome: MessageOf<'session.welcome'>;
  session: SessionSummary;
}

export interface JoinedSupervisor {
  client: TestClient;
  welcome: MessageOf<'session.welcome'>;
  list: MessageOf<'session.list'>;
}

/** Mounts `kit` at `/proctor` in an Express app, as a host does, listening on a free port of 127.0.0.1. */
export async function serveKit(kit: ProctorKit): Promise<{ server: Server; origin: string }> {
  const app = express();
  app.use('/proctor', kit.router);
  const server = createServer(app);
  kit.attach(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A kit mounted at `/proctor` in an Express app listening on 127.0.0.1, closed after the test. */
export class TestServer {
  private readonly clients = new Set<TestClient>();

  private constructor(
    readonly kit: ProctorKit,
    readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(t: TestContext, options: Partial<ProctorKitOptions> = {}): Promise<TestServer> {
    const kit = createProctorKit({
      secret: SECRET,
      logger: 'silent',
      store: memoryStore(),
      ...options,
      timings: { helloTimeoutMs: 300, heartbeatMs: 60_000, ...options.timings },
    });
    const { server, origin } = await serveKit(kit);
    const testServer = new TestServer(kit, server, origin);
    t.after(() => testServer.stop());
    return testServer;
  }

  get wsUrl(): string {
    return `${this.origin.replace('http', 'ws')}/proctor/ws`;
  }

  /** Opens a control connection without saying hello. */
  async connect(options?: ClientOptions): Promise<TestClient> {
    const client = await TestClient.open(this.wsUrl, options);
    this.clients.add(client);
    return client;
  }

  /** Connects and says hello at once with a token made beforehand, so the hello timeout never bites. */
  async hello(token: string, options?: ClientOptions): Promise<TestClient> {
    const client = await this.connect(options);
    client.hello(token);
    return client;
  }

  candidateToken(candidateId: string, claims: Partial<CandidateClaims> = {}): Promise<string> {
    return this.kit.issueToken({ role: 'candidate', examId: EXAM, candidateId, name: `Candidate ${candidateId}`, ...claims });
  }

  supervisorToken(candidates: SupervisorClaims['candidates'], claims: Partial<SupervisorClaims> = {}): Promise<string> {
    return this.kit.issueToken({ role: 'supervisor', examId: EXAM, supervisorId: 'sup-1', name: 'Supervisor', candidates, ...claims });
  }

  /** Connects a candidate and waits for its welcome. */
  async candidate(candidateId: string, claims: Partial<CandidateClaims> = {}): Promise<JoinedCandidate> {
    const client = await this.hello(await this.candidateToken(candidateId, claims));
    const welcome = await client.next('session.welcome');
    assert.ok(welcome.session, 'a candidate welcome carries its session');
    return { client, welcome, session: welcome.session };
  }

  /** Connects a supervisor and waits for its welcome and session list. */
  async supervisor(
    candidates: SupervisorClaims['candidates'],
    claims: Partial<SupervisorClaims> = {},
  ): Promise<JoinedSupervisor> {
    const client = await this.hello(await this.supervisorToken(candidates, claims));
    const welcome = await client.next('session.welcome');
    const list = await client.next('session.list');
    return { client, welcome, list };
  }

  /** Connects a candidate who starts the exam, and waits until its clock runs. */
  async started(candidateId: string, claims: Partial<CandidateClaims> = {}): Promise<JoinedCandidate> {
    const joined = await this.candidate(candidateId, claims);
    joined.client.send({ v: PROTOCOL_VERSION, type: 'session.start' });
    const { session } = await joined.client.next('session.updated', (m) => m.session.clock.startedAt !== null);
    return { ...joined, session };
  }

  /** GET on the kit's router, with a bearer token when given. */
  get(path: string, token?: string): Promise<Response> {
    return fetch(`${this.origin}/proctor${path}`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
  }

  private async stop(): Promise<void> {
    for (const client of this.clients) client.socket.terminate();
    await this.kit.close();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    for (const client of this.clients) {
      assert.deepEqual(client.invalid, [], 'the server sent only messages the protocol allows');
    }
  }
}

/** The body of every refusal of the kit's REST API. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/**
 * Asserts that `response` is the kit's refusal with `status` and `code`: a JSON body of only
 * `error`, with a message that says what went wrong (and matches `message` when given).
 */
export async function assertError(response: Response, status: number, code: string, message?: RegExp): Promise<ErrorBody> {
  assert.equal(response.status, status);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const body = (await response.json()) as ErrorBody;
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0, 'the error says what went wrong');
  if (message) assert.match(body.error.message, message);
  return body;
}

export interface RawTokenOptions {
  secret?: string;
  alg?: string;
  issuer?: string;
  audience?: string;
  /** Expiry as seconds since the epoch; `null` for none. Default: in an hour. */
  exp?: number | null;
  nbf?: number;
}

/** Signs any payload with jose directly, to make tokens the kit would never issue. */
export function signRaw(payload: Record<string, unknown>, options: RawTokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setIssuer(options.issuer ?? 'proctorkit')
    .setAudience(options.audience ?? 'proctorkit')
    .setIssuedAt();
  const exp = options.exp === undefined ? now + 3600 : options.exp;
  if (exp !== null) jwt.setExpirationTime(exp);
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

/** An unsigned token (`alg: none`) with otherwise valid claims. */
export function unsignedToken(payload: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ iss: 'proctorkit', aud: 'proctorkit', iat: now, exp: now + 3600, ...payload })}.`;
}

export function candidateClaims(candidateId: string, examId = EXAM): CandidateClaims {
  return { role: 'candidate', examId, candidateId, name: `Candidate ${candidateId}` };
}

export function supervisorClaims(candidates: SupervisorClaims['candidates'], examId = EXAM): SupervisorClaims {
  return { role: 'supervisor', examId, supervisorId: 'sup-1', name: 'Supervisor', candidates };
}

let commandCount = 0;

/** A fresh command id. */
export function commandId(): string {
  return `cmd-${String(++commandCount).padStart(6, '0')}`;
}

/** Supervisor commands as a client sends them, each with a fresh id unless given. */
export const commands = {
  pause: (target: string, id = commandId()) => ({ v: PROTOCOL_VERSION, type: 'command.pause', id, target }) as const,
  resume: (target: string, id = commandId()) => ({ v: PROTOCOL_VERSION, type: 'command.resume', id, target }) as const,
  extend: (target: string, minutes: number, id = commandId()) =>
    ({ v: PROTOCOL_VERSION, type: 'command.extend', id, target, minutes }) as const,
  message: (target: string, text: string, id = commandId()) =>
    ({ v: PROTOCOL_VERSION, type: 'command.message', id, target, text }) as const,
  terminate: (target: string, reason: string, id = commandId()) =>
    ({ v: PROTOCOL_VERSION, type: 'command.terminate', id, target, reason }) as const,
};

let eventCount = 0;

/** A fresh client event id. */
export function clientEventId(): string {
  return `evt-${String(++eventCount).padStart(8, '0')}`;
}

/** Events a candidate's page appends, each with a fresh id unless given. */
export const candidateEvents = {
  signal: (code: SignalCode | string, data: Record<string, unknown> = {}, id = clientEventId(), at = Date.now()) =>
    ({ kind: 'signal', id, code, data, at }) as const,
  log: (name: string, data: Record<string, unknown> = {}, id = clientEventId(), at = Date.now()) =>
    ({ kind: 'log', id, name, data, at }) as const,
  ack: (messageId: string, id = clientEventId(), at = Date.now()) => ({ kind: 'ack', id, messageId, at }) as const,
};

/** A `log.append` message. */
export function logAppend(...events: object[]): { v: 1; type: 'log.append'; events: object[] } {
  return { v: PROTOCOL_VERSION, type: 'log.append', events };
}

/** The `session.start` message. */
export const START = { v: PROTOCOL_VERSION, type: 'session.start' } as const;

/** REST calls about one session as one token holder (none: no Authorization header), under `prefix`. */
export class SessionRequests {
  constructor(
    protected readonly server: TestServer,
    private readonly token: string | undefined,
    private readonly sessionId: string,
    private readonly prefix = '',
  ) {}

  request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token !== undefined) headers.set('authorization', `Bearer ${this.token}`);
    return fetch(`${this.server.origin}/proctor/sessions/${this.sessionId}${this.prefix}${path}`, { ...init, headers });
  }

  post(path: string, body: unknown): Promise<Response> {
    return this.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
}
