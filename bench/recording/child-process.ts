// The child processes of `npm run bench:recording` (the kit under load, the local S3 server), so
// that each one's CPU is measured alone. A child says it is ready with what the parent needs to
// reach it, answers CPU readings, and stops when told (or when the parent goes away).
import { fork, type ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Parent → child. */
type ChildRequest = { type: 'cpu'; id: number } | { type: 'stop' };

/** Child → parent. */
type ChildReply<Info> = { type: 'ready'; info: Info } | { type: 'cpu'; id: number; cpu: NodeJS.CpuUsage };

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** In a child: tells the parent it is ready with `info`, answers CPU readings, and calls `stop` before exiting. */
export function serveParent<Info>(info: Info, stop: () => Promise<void>): void {
  const send = (reply: ChildReply<Info>) => process.send?.(reply);
  let stopping = false;
  const exit = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), STOP_TIMEOUT_MS / 2).unref();
    void stop()
      .catch((error: Error) => console.error(`bench:recording child: ${error.message}`))
      .finally(() => process.exit(0));
  };
  process.on('message', (request: ChildRequest) => {
    if (request.type === 'stop') exit();
    else send({ type: 'cpu', id: request.id, cpu: process.cpuUsage() });
  });
  process.on('disconnect', exit);
  send({ type: 'ready', info });
}

/** A running child, seen from the parent. */
export interface ChildHandle<Info> {
  info: Info;
  /** CPU seconds the child used since it started, all its threads together. */
  cpuSeconds(): Promise<number>;
  /** Asks it to stop; kills it if it has not within 10 s. */
  stop(): Promise<void>;
}

/**
 * Forks `script` with this process's Node flags (tsx, the source condition) and waits until it is
 * ready. With `profileDir`, the child writes a CPU profile there when it stops.
 */
export async function startChild<Info>(script: URL, env: Record<string, string>, profileDir?: string): Promise<ChildHandle<Info>> {
  const path = fileURLToPath(script);
  const name = basename(path);
  const execArgv = profileDir ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${profileDir}`] : process.execArgv;
  const child: ChildProcess = fork(path, [], { execArgv, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waiting = new Map<number, (cpu: NodeJS.CpuUsage) => void>();
  let nextId = 0;
  const info = await new Promise<Info>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready`));
    });
    child.on('message', (reply: ChildReply<Info>) => {
      if (reply.type === 'ready') {
        clearTimeout(timer);
        resolve(reply.info);
      } else {
        waiting.get(reply.id)?.(reply.cpu);
        waiting.delete(reply.id);
      }
    });
  }).catch((error: Error) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    info,
    cpuSeconds: () =>
      new Promise<number>((resolve, reject) => {
        if (!child.connected) return reject(new Error(`${name} exited during the run`));
        const id = nextId++;
        waiting.set(id, (cpu) => resolve((cpu.user + cpu.system) / 1e6));
        child.send({ type: 'cpu', id } satisfies ChildRequest);
      }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: 'stop' } satisfies ChildRequest);
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
