// The server side of `npm run bench:control`, run as a child process so its memory and CPU are
// measured alone: `server.ts proctorkit` (Express + the server kit, WebSocket at /proctor/ws) or
// `server.ts socketio` (a socket.io server doing the same fan-out with rooms). It listens on
// 127.0.0.1:0, sends `{ type: 'ready', port }` over IPC, answers `{ type: 'stats' }` with its
// memory (after settling GCs when asked), CPU and event-loop delay, and exits on `{ type: 'stop' }`
// (so `--cpu-prof` is written).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

export type ServerKind = 'proctorkit' | 'socketio';

/** Parent → child. */
export type ServerRequest = { type: 'stats'; id: number; gc: boolean; resetLag: boolean } | { type: 'stop' };

export interface ServerStats {
  memory: NodeJS.MemoryUsage;
  /** CPU microseconds since the process started. */
  cpu: NodeJS.CpuUsage;
  /** Event-loop delay since the last reset, in ms. */
  lag: { p50: number; p99: number; max: number };
  gcAvailable: boolean;
  /** With a GC requested: whether V8's young generation shrank back before the reading. */
  settled?: boolean;
}

/** Child → parent. */
export type ServerReply = { type: 'ready'; port: number } | { type: 'stats'; id: number; stats: ServerStats };

/** The socket.io baseline's handshake auth. */
export type SocketIoAuth =
  | { role: 'candidate'; examId: string; candidateId: string; name: string }
  | { role: 'supervisor'; examId: string; supervisorId: string; name: string; candidates: string[] };

const kind = process.argv[2] as ServerKind;
if (kind !== 'proctorkit' && kind !== 'socketio') {
  console.error(`bench/control/server.ts: unknown kind ${JSON.stringify(kind)} (proctorkit | socketio)`);
  process.exit(2);
}
if (!process.send) {
  console.error('bench/control/server.ts: run me with child_process.fork (an IPC channel is needed).');
  process.exit(2);
}
const send = (reply: ServerReply) => process.send!(reply);

const gc = (globalThis as { gc?: (options?: object) => void }).gc;
const SETTLE_ROUND_MS = 50;
const SETTLE_MAX_ROUNDS = 100;
const SETTLED_NEW_SPACE_BYTES = 2 * 1024 * 1024;

const lag = monitorEventLoopDelay({ resolution: 5 });
lag.enable();

const server = createServer();
const stop = kind === 'proctorkit' ? await startProctorkit(server) : await startSocketIo(server);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  send({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
});

process.on('message', (request: ServerRequest) => {
  if (request.type === 'stop') {
    void (async () => {
      const force = setTimeout(() => process.exit(0), 5_000);
      force.unref();
      await stop().catch(() => undefined);
      server.closeAllConnections();
      server.close(() => process.exit(0));
    })();
    return;
  }
  void (async () => {
    const settled = request.gc ? await collect() : undefined;
    const stats: ServerStats = {
      memory: process.memoryUsage(),
      cpu: process.cpuUsage(),
      lag: { p50: lag.percentile(50) / 1e6, p99: lag.percentile(99) / 1e6, max: lag.max / 1e6 },
      gcAvailable: !!gc,
      ...(settled === undefined ? {} : { settled }),
    };
    if (request.resetLag) lag.reset();
    send({ type: 'stats', id: request.id, stats });
  })();
});
process.on('disconnect', () => process.exit(0));

/**
 * Full, memory-reducing GCs (the 'last-resort' flavor also gives back freed pages) every 50 ms
 * until V8's young generation has shrunk back: V8 grows it up to 16 MB under allocation and
 * shrinks it only after a dozen or so quiet GCs, so without this RSS readings swing by ~15 MB.
 * Returns whether it shrank within 100 rounds.
 */
async function collect(): Promise<boolean> {
  if (!gc) return false;
  for (let round = 1; round <= SETTLE_MAX_ROUNDS; round++) {
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    await new Promise((resolve) => setTimeout(resolve, SETTLE_ROUND_MS));
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (round >= 2 && (!young || young.space_size <= SETTLED_NEW_SPACE_BYTES)) return true;
  }
  return false;
}

/**
 * Where the kit's sessions live, from the environment the parent sets: `BENCH_STORE=sqlite` (the
 * embedded default, a file in a directory of this run's own), `memory`, or `postgres`
 * (`BENCH_DATABASE_URL`, `BENCH_DATABASE_SCHEMA`) with a Redis bus (`BENCH_REDIS_URL`,
 * `BENCH_REDIS_PREFIX`) between the instances sharing them.
 */
export type BenchStore = 'sqlite' | 'memory' | 'postgres';

/** Express + the server kit, as a host site mounts it. */
async function startProctorkit(http: Server): Promise<() => Promise<void>> {
  const { default: express } = await import('express');
  const { createProctorKit, memoryStore, postgresStore, redisBus, sqliteStore } = await import('@proctorkit/server-kit');
  const secret = process.env.BENCH_SECRET;
  if (!secret) throw new Error('BENCH_SECRET is not set');
  const kind = (process.env.BENCH_STORE ?? 'sqlite') as BenchStore;
  const required = (name: string) => process.env[name] ?? (() => { throw new Error(`${name} is not set`); })();
  let storage;
  if (kind === 'memory') {
    storage = { store: memoryStore() };
  } else if (kind === 'postgres') {
    storage = {
      store: postgresStore({ connectionString: required('BENCH_DATABASE_URL'), schema: required('BENCH_DATABASE_SCHEMA'), logger: console }),
      bus: redisBus({ url: required('BENCH_REDIS_URL'), prefix: required('BENCH_REDIS_PREFIX') }),
    };
  } else {
    const directory = mkdtempSync(join(tmpdir(), 'proctorkit-bench-'));
    process.on('exit', () => rmSync(directory, { recursive: true, force: true }));
    storage = { store: sqliteStore({ path: join(directory, 'proctorkit.db') }) };
  }
  // Migrated (or opened) before the kit listens, so the first joins do not pay for it.
  await storage.store.listSessions('bench-warm-up');
  const kit = createProctorKit({ secret, logger: 'silent', ...storage });
  const app = express();
  app.use('/proctor', kit.router);
  http.on('request', app);
  kit.attach(http);
  return () => kit.close();
}

/**
 * The baseline: the same fan-out with socket.io rooms. A candidate joins `cand:<id>`; a supervisor
 * joins the rooms of the candidates its auth names. A candidate's log line goes to its room (its
 * supervisors, and the candidate itself as Proctorkit echoes events to the candidate) and is
 * acknowledged; a supervisor's message goes to the candidate's room (the candidate, and the
 * supervisors watching it, as Proctorkit's `session.event` does) and is acknowledged. A candidate
 * joining is announced to its room. No validation library, no JWT, no stored log.
 */
async function startSocketIo(http: Server): Promise<() => Promise<void>> {
  const { Server: IoServer } = await import('socket.io');
  const io = new IoServer(http, { serveClient: false, transports: ['websocket'] });
  const online = new Set<string>();
  const seqs = new Map<string, number>();
  const nextSeq = (candidateId: string) => {
    const seq = (seqs.get(candidateId) ?? 0) + 1;
    seqs.set(candidateId, seq);
    return seq;
  };
  io.on('connection', (socket) => {
    const auth = socket.handshake.auth as SocketIoAuth;
    if (auth?.role === 'candidate') {
      const { candidateId } = auth;
      const room = `cand:${candidateId}`;
      void socket.join(room);
      online.add(candidateId);
      socket.emit('welcome', { role: 'candidate', candidateId, serverTime: Date.now() });
      socket.to(room).emit('updated', { candidateId, status: 'online' });
      socket.on('log', (event: { id: string; name: string; data: Record<string, unknown>; at: number }, ack?: (reply: unknown) => void) => {
        if (typeof event?.id !== 'string' || typeof event.name !== 'string') return ack?.({ error: 'bad-message' });
        io.to(room).emit('event', {
          candidateId,
          event: { seq: nextSeq(candidateId), at: Date.now(), type: `log.${event.name}`, source: 'candidate', data: event.data },
        });
        ack?.({ ids: [event.id] });
      });
      socket.on('disconnect', () => {
        online.delete(candidateId);
        io.to(room).emit('updated', { candidateId, status: 'offline' });
      });
    } else if (auth?.role === 'supervisor' && Array.isArray(auth.candidates)) {
      const allowed = new Set(auth.candidates);
      void socket.join(auth.candidates.map((id) => `cand:${id}`));
      socket.emit('welcome', { role: 'supervisor', supervisorId: auth.supervisorId, serverTime: Date.now() });
      socket.emit('list', { candidates: auth.candidates.filter((id) => online.has(id)) });
      socket.on('command', (command: { id: string; target: string; text: string }, ack?: (reply: unknown) => void) => {
        if (typeof command?.id !== 'string' || !allowed.has(command.target)) return ack?.({ id: command?.id, error: 'not-found' });
        io.to(`cand:${command.target}`).emit('event', {
          candidateId: command.target,
          event: { seq: nextSeq(command.target), at: Date.now(), type: 'message.sent', source: 'supervisor', data: { text: command.text }, by: auth.name },
        });
        ack?.({ id: command.id, sessionIds: [command.target] });
      });
    } else {
      socket.disconnect(true);
    }
  });
  return async () => {
    io.disconnectSockets(true);
  };
}

