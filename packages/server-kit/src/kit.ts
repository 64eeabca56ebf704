import type { Server } from 'node:http';
import type { Router } from 'express';
import { CloseCode, GeneratedIdSchema, parse, type Claims, type SessionSummary } from '@proctorkit/core/protocol';
import { KitError } from './errors.js';
import { createRouter } from './http/router.js';
import { SessionHub, toSummary } from './hub.js';
import { consoleLogger, type LogLevel, type Logger } from './logger.js';
import { localProvider } from './providers/local.js';
import type { MediaProvider } from './providers/provider.js';
import { MemorySessionStore } from './store/memory-store.js';
import type { SessionStore } from './store/session-store.js';
import { TokenIssuer, type IssueOptions } from './tokens.js';
import { ControlEndpoint, type ControlEndpointTimings } from './ws/control-endpoint.js';

/** Options of {@link createProctorKit}. */
export interface ProctorKitOptions {
  /** Signs and verifies tokens (HS256). At least 32 bytes; keep it out of source control. */
  secret: string;
  /** The media path. Default: {@link localProvider}, browser WebRTC with no account. */
  provider?: MediaProvider;
  /** Where sessions are kept. Default: in memory. */
  store?: SessionStore;
  /** A logger, or the level of the console logger. Default: `'warn'`. */
  logger?: Logger | LogLevel;
  /** Default lifetime of issued tokens, as seconds or a duration string. Default: `'4h'`. */
  tokenTtl?: number | string;
  /** Control-channel timings. Defaults: hello within 10 s, heartbeat every 20 s. */
  timings?: Partial<ControlEndpointTimings>;
}

/** Options of {@link ProctorKit.attach}. */
export interface AttachOptions {
  /** The WebSocket path. Default: `'/proctor/ws'`, matching a router mounted at `/proctor`. */
  path?: string;
}

/** Read access to sessions for the host's backend. */
export interface SessionsApi {
  /** One session, or `undefined`. */
  get(sessionId: string): Promise<SessionSummary | undefined>;
  /** Every session of an exam. */
  list(examId: string): Promise<SessionSummary[]>;
}

/** The server kit a host mounts: REST router, control channel and token issuing. */
export interface ProctorKit {
  /** Mount it where the pages' `server` attribute points, e.g. `app.use('/proctor', kit.router)`. */
  readonly router: Router;
  /** Serves the control channel's WebSocket on the host's HTTP server. */
  attach(server: Server, options?: AttachOptions): void;
  /** Signs a token for a candidate or a supervisor, after checking the claims. */
  issueToken(claims: Claims, options?: IssueOptions): Promise<string>;
  readonly sessions: SessionsApi;
  /** Closes every control connection (1001) and stops timers. */
  close(): Promise<void>;
}

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
  const tokens = new TokenIssuer(options.secret, options.tokenTtl ?? '4h');
  const store = options.store ?? new MemorySessionStore();
  const hub = new SessionHub(store, options.provider ?? localProvider(), logger);
  const endpoint = new ControlEndpoint(hub, tokens, logger, {
    helloTimeoutMs: options.timings?.helloTimeoutMs ?? 10_000,
    heartbeatMs: options.timings?.heartbeatMs ?? 20_000,
  });

  return {
    router: createRouter({ hub, store, tokens, logger }),
    attach: (server, { path = '/proctor/ws' } = {}) => endpoint.attach(server, path),
    issueToken: (claims, issueOptions) => tokens.issue(claims, issueOptions),
    sessions: {
      async get(sessionId) {
        const id = parse(GeneratedIdSchema, sessionId);
        if (!id.ok) throw new KitError('bad-message', `sessionId ${id.message}.`);
        const record = await store.get(id.value);
        return record && toSummary(record);
      },
      async list(examId) {
        return (await store.listByExam(examId)).map(toSummary);
      },
    },
    async close() {
      hub.closeAll(CloseCode.goingAway, 'Server is shutting down.');
      await endpoint.close();
    },
  };
}
