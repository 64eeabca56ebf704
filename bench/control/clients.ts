// Simulated candidates and supervisors for `npm run bench:control`: control channel only, no media.
// One driver speaks Proctorkit's protocol over `ws`, the other the socket.io baseline's events. Both
// report to a Recorder, which times joins and matches each probe (a log line, a supervisor message)
// to its delivery by a unique id.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { WebSocket as WsSocket } from 'ws';
import { io } from 'socket.io-client';
import type { SocketIoAuth } from './server.js';
import { Failures } from './stats.js';

// The bench's own `ws` is the one the server kit depends on (the repo root hoists an older major).
const WebSocket = createRequire(new URL('../../packages/server-kit/package.json', import.meta.url))('ws') as typeof WsSocket;

export const EXAM_ID = 'bench-exam';
export const LOG_NAME = 'question.opened';
const PROBE_IN_TEXT = /\[probe ([\w-]+)\]$/;

export type Role = 'candidate' | 'supervisor';

interface Pending {
  sentAt: number;
  /** The acknowledgement (log.ack / command.done) came back. */
  answered: boolean;
  /** The fan-out reached the other side. */
  delivered: boolean;
}

/** Everything measured on the client side of one system's run. */
export class Recorder {
  readonly failures = new Failures();
  readonly join: Record<Role, number[]> = { candidate: [], supervisor: [] };
  /** Candidate sends a log line → its supervisor gets the session event. */
  readonly eventLatency: number[] = [];
  /** Supervisor sends a message → the candidate gets the session event. */
  readonly commandLatency: number[] = [];
  /** log.append → log.ack, and command → command.done. */
  readonly ackLatency: number[] = [];
  readonly doneLatency: number[] = [];
  readonly logs = new Map<string, Pending>();
  readonly commands = new Map<string, Pending>();
  sent = { logs: 0, commands: 0 };
  /** Set before the bench closes its sockets: closes after it are expected. */
  closing = false;

  fail(kind: string, detail: string): void {
    this.failures.add(kind, detail);
  }

  logSent(id: string): void {
    this.sent.logs++;
    this.logs.set(id, { sentAt: performance.now(), answered: false, delivered: false });
  }

  commandSent(id: string): void {
    this.sent.commands++;
    this.commands.set(id, { sentAt: performance.now(), answered: false, delivered: false });
  }

  logDelivered(id: string, at: number): void {
    this.settle(this.logs, id, at, 'delivered', this.eventLatency, 'log line delivered twice or unknown');
  }

  logAcked(id: string, at: number): void {
    this.settle(this.logs, id, at, 'answered', this.ackLatency, 'log line acknowledged twice or unknown');
  }

  commandDelivered(id: string, at: number): void {
    this.settle(this.commands, id, at, 'delivered', this.commandLatency, 'message delivered twice or unknown');
  }

  commandDone(id: string, at: number): void {
    this.settle(this.commands, id, at, 'answered', this.doneLatency, 'command answered twice or unknown');
  }

  /** Probes still missing their delivery or answer. */
  get outstanding(): number {
    return this.logs.size + this.commands.size;
  }

  /** Counts every probe that never completed as a failure. */
  reportLost(): void {
    for (const [label, map] of [
      ['log line', this.logs],
      ['message', this.commands],
    ] as const) {
      for (const [id, pending] of map) {
        if (!pending.delivered) this.fail(`${label} never delivered`, id);
        if (!pending.answered) this.fail(`${label} never acknowledged`, id);
      }
      map.clear();
    }
  }

  private settle(map: Map<string, Pending>, id: string, at: number, field: 'answered' | 'delivered', into: number[], duplicate: string): void {
    const pending = map.get(id);
    if (!pending || pending[field]) {
      this.fail(duplicate, id);
      return;
    }
    pending[field] = true;
    into.push(at - pending.sentAt);
    if (pending.answered && pending.delivered) map.delete(id);
  }
}

export interface Identity {
  index: number;
  id: string;
  name: string;
}

export interface CandidateClient {
  readonly joined: boolean;
  sendLog(id: string, question: number): void;
  close(): void;
  readonly closed: Promise<void>;
}

export interface SupervisorClient {
  readonly joined: boolean;
  /** How many of its candidates the supervisor has heard of (session list / updates). */
  readonly known: number;
  sendMessage(candidateId: string, id: string): void;
  close(): void;
  readonly closed: Promise<void>;
}

export interface Driver {
  readonly label: string;
  candidate(who: Identity, recorder: Recorder, examId?: string): CandidateClient;
  supervisor(who: Identity, candidateIds: string[], recorder: Recorder, examId?: string): SupervisorClient;
}

const JOIN_TIMEOUT_MS = 15_000;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const messageText = (id: string) => `Please look at the camera. [probe ${id}]`;

// --- Proctorkit ------------------------------------------------------------------------------------

/**
 * Speaks the control channel as `<proctor-candidate>` and `<proctor-grid>` do (minus media), each
 * user on the kit instance `portOf` names.
 */
export function proctorkitDriver(
  portOf: (role: Role, who: Identity) => number,
  tokens: { candidate(id: string, examId: string): string; supervisor(id: string, examId: string): string },
  label = 'Proctorkit',
): Driver {
  function open(token: string, role: Role, who: Identity, recorder: Recorder, onMessage: (message: Record<string, any>, at: number) => void) {
    const socket = new WebSocket(`ws://127.0.0.1:${portOf(role, who)}/proctor/ws`, { perMessageDeflate: false });
    const done = deferred();
    const state = { joined: false, openedAt: 0 };
    const timer = setTimeout(() => {
      if (!state.joined) recorder.fail(`${role} join timed out (${JOIN_TIMEOUT_MS / 1000} s)`, who.id);
    }, JOIN_TIMEOUT_MS);
    socket.on('open', () => {
      state.openedAt = performance.now();
      socket.send(JSON.stringify({ v: 1, type: 'session.hello', token }));
    });
    socket.on('message', (data, isBinary) => {
      const at = performance.now();
      let message: Record<string, any>;
      try {
        message = JSON.parse(isBinary ? '' : data.toString());
      } catch {
        recorder.fail('unparsable server message', who.id);
        return;
      }
      if (message.type === 'session.welcome') {
        state.joined = true;
        clearTimeout(timer);
        recorder.join[role].push(at - state.openedAt);
      } else if (message.type === 'error') {
        recorder.fail(`server error ${message.code}`, `${who.id}: ${message.ref ?? ''} ${message.message}`);
      }
      onMessage(message, at);
    });
    socket.on('error', (error) => recorder.fail('socket error', `${who.id}: ${error.message}`));
    socket.on('close', (code, reason) => {
      clearTimeout(timer);
      if (!recorder.closing) recorder.fail('unexpected close', `${who.id}: ${code} ${reason.toString()}`);
      done.resolve();
    });
    return {
      socket,
      state,
      closed: done.promise,
      send(message: object) {
        if (socket.readyState !== WebSocket.OPEN) {
          recorder.fail('send on a closed socket', who.id);
          return false;
        }
        socket.send(JSON.stringify(message));
        return true;
      },
      close() {
        if (socket.readyState === WebSocket.CLOSED) return;
        if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
        else socket.close(1000, 'bench done');
      },
    };
  }

  return {
    label,
    candidate(who, recorder, examId = EXAM_ID) {
      const connection = open(tokens.candidate(who.id, examId), 'candidate', who, recorder, (message, at) => {
        if (message.type === 'log.ack') for (const id of message.ids as string[]) recorder.logAcked(id, at);
        else if (message.type === 'session.event' && message.event?.type === 'message.sent') {
          const probe = PROBE_IN_TEXT.exec(String(message.event.data?.text ?? ''))?.[1];
          if (probe) recorder.commandDelivered(probe, at);
        }
      });
      return {
        get joined() {
          return connection.state.joined;
        },
        closed: connection.closed,
        close: connection.close,
        sendLog(id, question) {
          const event = { kind: 'log', id, name: LOG_NAME, data: { question, sentAt: performance.now(), probe: id }, at: Date.now() };
          if (connection.send({ v: 1, type: 'log.append', events: [event] })) recorder.logSent(id);
        },
      };
    },
    supervisor(who, candidateIds, recorder, examId = EXAM_ID) {
      const watched = new Set(candidateIds);
      const sessionOf = new Map<string, string>();
      const learn = (session: { candidateId: string; sessionId: string }) => {
        if (!watched.has(session.candidateId)) recorder.fail('supervisor told of a candidate it does not watch', `${who.id}: ${session.candidateId}`);
        else sessionOf.set(session.candidateId, session.sessionId);
      };
      const connection = open(tokens.supervisor(who.id, examId), 'supervisor', who, recorder, (message, at) => {
        if (message.type === 'session.list') for (const session of message.sessions) learn(session);
        else if (message.type === 'session.updated') learn(message.session);
        else if (message.type === 'command.done') recorder.commandDone(message.id, at);
        else if (message.type === 'session.event' && message.event?.type === `log.${LOG_NAME}`) {
          const probe = message.event.data?.probe;
          if (typeof probe === 'string') recorder.logDelivered(probe, at);
        }
      });
      return {
        get joined() {
          return connection.state.joined;
        },
        get known() {
          return sessionOf.size;
        },
        closed: connection.closed,
        close: connection.close,
        sendMessage(candidateId, id) {
          const target = sessionOf.get(candidateId);
          if (!target) {
            recorder.fail('supervisor does not know the session of its candidate', `${who.id}: ${candidateId}`);
            return;
          }
          if (connection.send({ v: 1, type: 'command.message', id, target, text: messageText(id) })) recorder.commandSent(id);
        },
      };
    },
  };
}

// --- socket.io baseline ------------------------------------------------------------------------------

export function socketIoDriver(port: number): Driver {
  const url = `http://127.0.0.1:${port}`;

  function open(auth: SocketIoAuth, role: Role, who: Identity, recorder: Recorder) {
    // forceNew: one engine.io connection per simulated user, as separate browsers would have.
    const socket = io(url, { transports: ['websocket'], auth, forceNew: true, reconnection: false, timeout: JOIN_TIMEOUT_MS });
    const done = deferred();
    const state = { joined: false, openedAt: 0 };
    const timer = setTimeout(() => {
      if (!state.joined) recorder.fail(`${role} join timed out (${JOIN_TIMEOUT_MS / 1000} s)`, who.id);
    }, JOIN_TIMEOUT_MS);
    // The engine.io connection is open (its handshake done): the socket.io CONNECT with auth follows.
    socket.io.on('open', () => (state.openedAt = performance.now()));
    socket.on('welcome', () => {
      state.joined = true;
      clearTimeout(timer);
      recorder.join[role].push(performance.now() - state.openedAt);
    });
    socket.on('connect_error', (error) => recorder.fail('connect error', `${who.id}: ${error.message}`));
    socket.on('disconnect', (reason) => {
      clearTimeout(timer);
      if (!recorder.closing) recorder.fail('unexpected close', `${who.id}: ${reason}`);
      done.resolve();
    });
    socket.io.on('close', () => done.resolve());
    return {
      socket,
      state,
      closed: done.promise,
      usable() {
        if (socket.connected) return true;
        recorder.fail('send on a closed socket', who.id);
        return false;
      },
      close() {
        if (socket.connected) socket.disconnect();
        else {
          socket.close();
          done.resolve();
        }
      },
    };
  }

  return {
    label: 'socket.io',
    candidate(who, recorder, examId = EXAM_ID) {
      const connection = open({ role: 'candidate', examId, candidateId: who.id, name: who.name }, 'candidate', who, recorder);
      connection.socket.on('event', (message: { event: { type: string; data: { text?: string } } }) => {
        const at = performance.now();
        if (message.event.type !== 'message.sent') return;
        const probe = PROBE_IN_TEXT.exec(String(message.event.data.text ?? ''))?.[1];
        if (probe) recorder.commandDelivered(probe, at);
      });
      return {
        get joined() {
          return connection.state.joined;
        },
        closed: connection.closed,
        close: connection.close,
        sendLog(id, question) {
          if (!connection.usable()) return;
          const event = { id, name: LOG_NAME, data: { question, sentAt: performance.now(), probe: id }, at: Date.now() };
          recorder.logSent(id);
          connection.socket.emit('log', event, (reply: { ids?: string[]; error?: string }) => {
            const at = performance.now();
            if (reply.error) recorder.fail(`server error ${reply.error}`, `${who.id}: log`);
            for (const acked of reply.ids ?? []) recorder.logAcked(acked, at);
          });
        },
      };
    },
    supervisor(who, candidateIds, recorder, examId = EXAM_ID) {
      const known = new Set<string>();
      const watched = new Set(candidateIds);
      const learn = (candidateId: string) => {
        if (!watched.has(candidateId)) recorder.fail('supervisor told of a candidate it does not watch', `${who.id}: ${candidateId}`);
        else known.add(candidateId);
      };
      const connection = open({ role: 'supervisor', examId, supervisorId: who.id, name: who.name, candidates: candidateIds }, 'supervisor', who, recorder);
      connection.socket.on('list', (message: { candidates: string[] }) => message.candidates.forEach(learn));
      connection.socket.on('updated', (message: { candidateId: string }) => learn(message.candidateId));
      connection.socket.on('event', (message: { event: { type: string; data: { probe?: unknown } } }) => {
        const at = performance.now();
        if (message.event.type !== `log.${LOG_NAME}`) return;
        if (typeof message.event.data.probe === 'string') recorder.logDelivered(message.event.data.probe, at);
      });
      return {
        get joined() {
          return connection.state.joined;
        },
        get known() {
          return known.size;
        },
        closed: connection.closed,
        close: connection.close,
        sendMessage(candidateId, id) {
          if (!connection.usable()) return;
          recorder.commandSent(id);
          connection.socket.emit('command', { id, target: candidateId, text: messageText(id) }, (reply: { id?: string; error?: string }) => {
            const at = performance.now();
            if (reply.error) recorder.fail(`server error ${reply.error}`, `${who.id}: command ${id}`);
            else recorder.commandDone(id, at);
          });
        },
      };
    },
  };
}
