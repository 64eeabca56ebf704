import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import {
  PROTOCOL_VERSION,
  type Claims,
  type ErrorCode,
  type ServerMessage,
  type Unversioned,
} from '@proctorkit/core/protocol';
import type { TokenRenewal } from './token-renewal.js';

/** One open control-channel socket, after or before its hello. */
export class ClientConnection {
  readonly id = randomUUID();
  /** Set once the hello's token is verified. */
  claims?: Claims;
  /** The candidate's session, once joined. */
  sessionId?: string;
  /** Sessions this supervisor subscribes to. */
  readonly subscriptions = new Set<string>();
  /** Keeps the client's token fresh while it is connected. */
  renewal?: TokenRenewal;
  /** Whether a pong came back since the last ping. */
  alive = true;
  private work: Promise<void> = Promise.resolve();
  /**
   * Messages for this client before its welcome. The hub registers a connection before the
   * provider's join info arrives, and clients expect the welcome first.
   */
  private held: Unversioned<ServerMessage>[] | undefined = [];

  constructor(readonly socket: WebSocket) {}

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(message: Unversioned<ServerMessage>): void {
    if (this.held && message.type !== 'session.welcome') {
      this.held.push(message);
      return;
    }
    if (this.open) this.socket.send(JSON.stringify({ v: PROTOCOL_VERSION, ...message }));
    const held = this.held;
    this.held = undefined;
    for (const later of held ?? []) this.send(later);
  }

  /** Refuses a message: `ref` is its type, `id` its command id, `retryAfterMs` when to try a rate-limited one again. */
  sendError(code: ErrorCode, message: string, about: { ref?: string; id?: string; retryAfterMs?: number } = {}): void {
    const { ref, id, retryAfterMs } = about;
    this.send({
      type: 'error',
      code,
      message,
      ...(ref === undefined ? {} : { ref }),
      ...(id === undefined ? {} : { id }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }

  /** Runs `task` after every earlier task of this connection, so messages are handled in order. */
  serially(task: () => Promise<void>): Promise<void> {
    this.work = this.work.then(task, task);
    return this.work;
  }
}
