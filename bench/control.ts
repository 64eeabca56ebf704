// Control-channel benchmark: `npm run bench:control [-- --candidates 2000 --supervisors 100 --duration 30]`.
//
// Starts the server kit (Express + kit, as a host mounts it) in a child process, so its memory and
// CPU are measured alone, and drives it from this process over 127.0.0.1: N simulated candidates and
// M supervisors (control channel only, no media) join on a steady ramp, then for a steady phase each
// candidate sends a host log line every 10 s and each supervisor a message to one of its candidates
// every 2–5 s. Measures join latency, supervisor → candidate and candidate → supervisor latency,
// and the server's RSS per session. Then, in the same run, the same load against a socket.io server
// doing the same fan-out with rooms (also a child process), and prints the ratios.
//
// With `--instances N` (N ≥ 2) it compares one kit process keeping everything in memory (what a kit
// was before it was durable) with N kit processes sharing PostgreSQL and a Redis bus: candidates of
// one supervisor on one instance, that supervisor on the next, so every command and event crosses
// instances.
import { execSync, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createProctorKit, memoryStore } from '@proctorkit/server-kit';
import { Redis } from 'ioredis';
import { build } from 'esbuild';
import {
  EXAM_ID,
  Recorder,
  proctorkitDriver,
  socketIoDriver,
  type CandidateClient,
  type Driver,
  type Identity,
  type SupervisorClient,
} from './control/clients.js';
import type { BenchStore, ServerKind, ServerReply, ServerRequest, ServerStats } from './control/server.js';
import { dropSchema, TEST_DATABASE_URL } from '../packages/server-kit/src/store/postgres/postgres-test-support.js';
import { kb, mb, ms, ratio, sleep, summarize, type Failures, type Summary } from './control/stats.js';
import { cli, stopOnSignalOrTimeout } from '../scripts/cli.js';
import { machineCpu } from './cpu.js';

const GOAL_COMMAND_P99_MS = 50;
const GOAL_RSS_PER_SESSION_KB = 25;
const LOG_INTERVAL_MS = 10_000;
const COMMAND_INTERVAL_MS = [2_000, 5_000] as const;
const RAMP_RATE_PER_S = 80;
const MAX_RAMP_S = 30;
const JOIN_GRACE_MS = 15_000;
const DRAIN_MS = 5_000;
const WARM_UP = { candidates: 20, logs: 2, messages: 20 };
const WARM_UP_EXAM = 'bench-warm-up';

const SOCKET_IO_NOTE = `Proctorkit does more per message: it validates every inbound message against its schema (valibot),
  verifies a JWT (HS256) at join, and appends each event to the session's sequence-numbered log
  (per-session lock, session copy + compare, client-id dedup) before fanning it out. The socket.io
  baseline checks nothing, verifies no token and stores no log; its acks are socket.io callbacks.`;
const INSTANCES_NOTE = `The instances commit each event in a PostgreSQL transaction (the session's row locked, seq taken
  there) before it is published on Redis to the instance holding the other side; the single process
  keeps its sessions in memory and fans out within itself. Both run on this machine's ${cpus().length} cores, with
  PostgreSQL and Redis on the same cores: a deployment gives each its own.`;

const USAGE = `Usage: npm run bench:control -- [options]

Drives the server kit's control channel with simulated candidates and supervisors (no media),
then the same load against a socket.io baseline, and prints join latency, message latencies and
server RSS per session.

Options:
  --candidates N   simulated candidates (default 2000)
  --supervisors M  supervisors; each watches ⌈N/M⌉ candidates (default 100)
  --duration S     seconds of steady traffic (default 30)
  --instances N    N kit processes on PostgreSQL + Redis (PROCTOR_TEST_DATABASE_URL, PROCTOR_TEST_REDIS_URL),
                   against one in-memory process, instead of SQLite against socket.io (default 1)
  --no-baseline    skip the baseline run
  --profile        write a CPU profile of the server kit's process (node --cpu-prof) to a temp dir
  -h, --help       show this help`;

const { values, fail, positive } = cli('bench:control', USAGE, {
  candidates: { type: 'string', default: '2000' },
  supervisors: { type: 'string', default: '100' },
  duration: { type: 'string', default: '30' },
  instances: { type: 'string', default: '1' },
  'no-baseline': { type: 'boolean', default: false },
  profile: { type: 'boolean', default: false },
});
const candidateCount = positive('--candidates', values.candidates, true);
const supervisorCount = positive('--supervisors', values.supervisors, true);
const durationS = positive('--duration', values.duration, false);
if (supervisorCount > candidateCount) fail('--supervisors must not exceed --candidates.');
const perSupervisor = Math.ceil(candidateCount / supervisorCount);
const instanceCount = positive('--instances', values.instances, true);
if (instanceCount > 8) fail('--instances must be 8 or fewer: the machine runs every process.');
const REDIS_URL = process.env.PROCTOR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One system under load: what serves, on how many processes. The first is the one the goals apply to. */
interface System {
  kind: ServerKind;
  label: string;
  store?: BenchStore;
  instances: number;
}
const systems: System[] =
  instanceCount > 1
    ? [
        { kind: 'proctorkit', label: `Proctorkit, ${instanceCount} processes on PostgreSQL + Redis`, store: 'postgres', instances: instanceCount },
        { kind: 'proctorkit', label: 'Proctorkit, 1 process, in memory (nothing survives a restart)', store: 'memory', instances: 1 },
      ]
    : [
        { kind: 'proctorkit', label: 'Proctorkit (SQLite, the embedded default)', store: 'sqlite', instances: 1 },
        { kind: 'socketio', label: 'socket.io', instances: 1 },
      ];
if (values['no-baseline']) systems.length = 1;
const rampS = Math.min(MAX_RAMP_S, Math.max(2, (candidateCount + supervisorCount) / RAMP_RATE_PER_S));
const HARD_LIMIT_MS = systems.length * (rampS + durationS + 60) * 1000 + 30_000;

checkFileLimit(candidateCount + supervisorCount + WARM_UP.candidates + 100);

// --- Set-up ------------------------------------------------------------------------------------

const started = performance.now();
const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(2)} s`;
const log = (message: string) => console.log(`[${seconds(performance.now() - started).padStart(8)}] ${message}`);
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The instance a user connects to: a supervisor's candidates on one, the supervisor on the next. */
const instanceOf = (role: 'candidate' | 'supervisor', who: Identity, instances: number) =>
  (role === 'supervisor' ? who.index + 1 : Math.floor(who.index / perSupervisor)) % instances;

const candidates: Identity[] = Array.from({ length: candidateCount }, (_, index) => ({
  index,
  id: `cand-${pad(index + 1, 5)}`,
  name: `Candidate ${index + 1}`,
}));
const supervisors = Array.from({ length: supervisorCount }, (_, index) => ({
  who: { index, id: `sup-${pad(index + 1, 4)}`, name: `Supervisor ${index + 1}` } as Identity,
  watches: candidates.slice(index * perSupervisor, (index + 1) * perSupervisor).map((c) => c.id),
}));
const warmUpCandidates: Identity[] = Array.from({ length: WARM_UP.candidates }, (_, index) => ({
  index,
  id: `warm-${pad(index + 1, 3)}`,
  name: `Warm-up ${index + 1}`,
}));
const warmUpSupervisor = { index: 0, id: 'warm-sup', name: 'Warm-up supervisor' } satisfies Identity;

const children = new Set<ChildProcess>();
let serverBundle: string | undefined;
let cleaning: Promise<void> | undefined;
const cleanUp = (code: number) =>
  (cleaning ??= (async () => {
    for (const child of children) child.kill('SIGKILL');
    process.exit(code);
  })());
stopOnSignalOrTimeout('bench:control', HARD_LIMIT_MS, cleanUp);

interface RunResult {
  label: string;
  recorder: Recorder;
  join: { candidate: Summary; supervisor: Summary };
  /** From the first socket opened to the last welcome. */
  allJoinedMs: number;
  command: Summary;
  event: Summary;
  ack: Summary;
  done: Summary;
  memory: { idle: ServerStats; connected: ServerStats; afterSteady: ServerStats };
  cpu: { ramp: number; steady: number };
  /** Whole machine and everything but the server and this process, steady phase, % of one core. */
  machine: { total: number; others: number };
  serverLag: ServerStats['lag'];
  generator: { cpu: number; lagP99: number; lagMax: number };
  sent: { logs: number; commands: number };
  steadyS: number;
  warmUp: Failures;
}

let exitCode = 0;
const results: RunResult[] = [];
const profileDir = values.profile ? join(tmpdir(), `proctorkit-bench-control-${Date.now()}`) : undefined;
try {
  const secret = randomBytes(32).toString('hex');
  const tokens = await issueTokens(secret);
  for (const system of systems) results.push(await runSystem(system, secret, tokens));
  report(results);
  const failures = results.reduce((sum, result) => sum + result.recorder.failures.total + result.warmUp.total, 0);
  if (failures > 0) exitCode = 1;
} catch (error) {
  exitCode = 1;
  console.error(`bench:control: the run could not complete: ${(error as Error).message}`);
}
await cleanUp(exitCode);

// --- One system ---------------------------------------------------------------------------------

async function runSystem(system: System, secret: string, tokens: Tokens): Promise<RunResult> {
  const shared = system.store === 'postgres' ? await sharedState() : undefined;
  try {
    return await runServers(system, secret, tokens, shared?.env ?? {});
  } finally {
    await shared?.remove();
  }
}

async function runServers(system: System, secret: string, tokens: Tokens, env: Record<string, string>): Promise<RunResult> {
  const server = await startServers(system, secret, env);
  const driver: Driver =
    system.kind === 'proctorkit'
      ? proctorkitDriver(
          (role, who) => server.ports[instanceOf(role, who, server.ports.length)]!,
          {
            candidate: (id, examId) => tokens.get(`candidate:${examId}:${id}`)!,
            supervisor: (id, examId) => tokens.get(`supervisor:${examId}:${id}`)!,
          },
          system.label,
        )
      : socketIoDriver(server.ports[0]!);
  log(`${driver.label}: ${server.ports.length === 1 ? 'server' : 'servers'} (pid ${server.pids.join(', ')}) on 127.0.0.1:${server.ports.join(', ')}; warming up…`);

  // Warm-up: a few users through every path, so the idle baseline includes loaded code and JIT.
  const warm = new Recorder();
  const warmCandidates = warmUpCandidates.map((who) => driver.candidate(who, warm, WARM_UP_EXAM));
  const warmSupervisor = driver.supervisor(warmUpSupervisor, warmUpCandidates.map((c) => c.id), warm, WARM_UP_EXAM);
  await until(() => warmCandidates.every((c) => c.joined) && warmSupervisor.joined && warmSupervisor.known === WARM_UP.candidates, 10_000);
  for (let n = 0; n < WARM_UP.logs; n++) warmCandidates.forEach((c, i) => c.sendLog(`warm-log-${i}-${n}`, n));
  for (let n = 0; n < WARM_UP.messages; n++) warmSupervisor.sendMessage(warmUpCandidates[n % WARM_UP.candidates]!.id, `warm-cmd-${n}`);
  await until(() => warm.outstanding === 0, 5_000);
  warm.reportLost();
  warm.closing = true;
  await closeAll([...warmCandidates, warmSupervisor]);
  await sleep(200);
  const idle = await server.stats({ gc: true });

  // Ramp: supervisors and their candidates interleaved (supervisor j, then its candidates).
  const recorder = new Recorder();
  const order: ({ role: 'supervisor'; j: number } | { role: 'candidate'; i: number })[] = [];
  supervisors.forEach((_, j) => {
    order.push({ role: 'supervisor', j });
    for (let i = j * perSupervisor; i < Math.min(candidateCount, (j + 1) * perSupervisor); i++) order.push({ role: 'candidate', i });
  });
  const candidateClients: CandidateClient[] = new Array(candidateCount);
  const supervisorClients: SupervisorClient[] = new Array(supervisorCount);
  log(`${driver.label}: opening ${candidateCount} candidates + ${supervisorCount} supervisors over ${rampS.toFixed(1)} s…`);
  const cpuAtRamp = await server.stats({ gc: false });
  const rampStart = performance.now();
  await new Promise<void>((resolve) => {
    let next = 0;
    const spacing = (rampS * 1000) / order.length;
    const timer = setInterval(() => {
      const due = Math.min(order.length, Math.floor((performance.now() - rampStart) / spacing) + 1);
      for (; next < due; next++) {
        const item = order[next]!;
        if (item.role === 'supervisor') {
          const { who, watches } = supervisors[item.j]!;
          supervisorClients[item.j] = driver.supervisor(who, watches, recorder);
        } else {
          candidateClients[item.i] = driver.candidate(candidates[item.i]!, recorder);
        }
      }
      if (next === order.length) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  const everyoneJoined = () => candidateClients.every((c) => c.joined) && supervisorClients.every((s) => s.joined);
  await until(everyoneJoined, JOIN_GRACE_MS);
  const allJoinedMs = performance.now() - rampStart;
  const cpuAfterRamp = await server.stats({ gc: false });
  const joinedCount = candidateClients.filter((c) => c.joined).length + supervisorClients.filter((s) => s.joined).length;
  log(`${driver.label}: ${joinedCount}/${order.length} joined after ${seconds(allJoinedMs)}`);
  const expectedKnown = (j: number) => supervisors[j]!.watches.length;
  await until(() => supervisorClients.every((s, j) => s.known === expectedKnown(j)), 5_000);
  supervisorClients.forEach((s, j) => {
    if (s.known !== expectedKnown(j)) recorder.fail('supervisor missed candidates joining', `${supervisors[j]!.who.id} knows ${s.known}/${expectedKnown(j)}`);
  });
  const connected = await server.stats({ gc: true, resetLag: true });

  // Steady phase.
  log(`${driver.label}: steady traffic for ${durationS} s (a log line per candidate every ${LOG_INTERVAL_MS / 1000} s, a message per supervisor every ${COMMAND_INTERVAL_MS[0] / 1000}–${COMMAND_INTERVAL_MS[1] / 1000} s)…`);
  const generatorLag = monitorEventLoopDelay({ resolution: 5 });
  generatorLag.enable();
  const generatorCpu = process.cpuUsage();
  const machineBefore = machineCpu();
  const steadyStart = performance.now();
  const steadyEnd = steadyStart + durationS * 1000;
  const timers = new Set<NodeJS.Timeout>();
  const every = (firstDelay: number, nextDelay: () => number, action: () => void) => {
    const tick = () => {
      if (performance.now() >= steadyEnd) return;
      action();
      const timer = setTimeout(() => (timers.delete(timer), tick()), nextDelay());
      timers.add(timer);
    };
    const timer = setTimeout(() => (timers.delete(timer), tick()), firstDelay);
    timers.add(timer);
  };
  candidateClients.forEach((client, i) => {
    let question = 0;
    every(Math.random() * LOG_INTERVAL_MS, () => LOG_INTERVAL_MS, () => {
      question++;
      client.sendLog(`log-${candidates[i]!.id}-${question}`, question);
    });
  });
  supervisorClients.forEach((client, j) => {
    const { who, watches } = supervisors[j]!;
    if (!watches.length) return;
    let n = 0;
    const gap = () => COMMAND_INTERVAL_MS[0] + Math.random() * (COMMAND_INTERVAL_MS[1] - COMMAND_INTERVAL_MS[0]);
    every(gap(), gap, () => {
      client.sendMessage(watches[n % watches.length]!, `cmd-${who.id}-${n}`);
      n++;
    });
  });
  await sleep(durationS * 1000);
  for (const timer of timers) clearTimeout(timer);
  const steadyS = (performance.now() - steadyStart) / 1000;
  const cpuAfterSteady = await server.stats({ gc: false });
  const generatorUsage = process.cpuUsage(generatorCpu);
  const machineAfter = machineCpu();
  generatorLag.disable();
  await until(() => recorder.outstanding === 0, DRAIN_MS);
  recorder.reportLost();
  const afterSteady = await server.stats({ gc: true });
  log(`${driver.label}: sent ${recorder.sent.logs} log lines and ${recorder.sent.commands} messages; closing…`);

  recorder.closing = true;
  await closeAll([...candidateClients, ...supervisorClients]);
  await server.stop();

  const cpuPercent = (from: ServerStats, to: ServerStats, seconds: number) =>
    ((to.cpu.user + to.cpu.system - from.cpu.user - from.cpu.system) / 1e6 / seconds) * 100;
  const generatorPercent = ((generatorUsage.user + generatorUsage.system) / 1e6 / steadyS) * 100;
  const serverSteady = cpuPercent(connected, cpuAfterSteady, steadyS);
  const machinePercent =
    ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100 * cpus().length;
  return {
    label: driver.label,
    recorder,
    join: { candidate: summarize(recorder.join.candidate), supervisor: summarize(recorder.join.supervisor) },
    allJoinedMs,
    command: summarize(recorder.commandLatency),
    event: summarize(recorder.eventLatency),
    ack: summarize(recorder.ackLatency),
    done: summarize(recorder.doneLatency),
    memory: { idle, connected, afterSteady },
    cpu: { ramp: cpuPercent(cpuAtRamp, cpuAfterRamp, allJoinedMs / 1000), steady: serverSteady },
    machine: { total: machinePercent, others: Math.max(0, machinePercent - serverSteady - generatorPercent) },
    serverLag: cpuAfterSteady.lag,
    generator: {
      cpu: generatorPercent,
      lagP99: generatorLag.percentile(99) / 1e6,
      lagMax: generatorLag.max / 1e6,
    },
    sent: recorder.sent,
    steadyS,
    warmUp: warm.failures,
  };
}

// --- Report --------------------------------------------------------------------------------------

function report(runs: RunResult[]): void {
  const mark = (ok: boolean) => (ok ? 'MET' : 'MISSED');
  const kit = runs[0]!;
  const base = runs[1];
  const rss = (run: RunResult) => run.memory.connected.memory.rss - run.memory.idle.memory.rss;
  const heap = (run: RunResult) => run.memory.connected.memory.heapUsed - run.memory.idle.memory.heapUsed;
  const perSession = (run: RunResult) => rss(run) / candidateCount;
  const failures = (run: RunResult) => run.recorder.failures.total + run.warmUp.total;
  const line = (summary: Summary) => `p50 ${ms(summary.p50)}, p99 ${ms(summary.p99)}, max ${ms(summary.max)} (n = ${summary.n})`;

  const section = (run: RunResult, goals: boolean) => {
    const { idle, connected, afterSteady } = run.memory;
    const goal = (text: string) => (goals ? `   ${text}` : '');
    return `
${run.label}
  failures:                        ${failures(run)}${goal(`goal 0: ${mark(failures(run) === 0)}`)}${run.recorder.failures.lines().map((text) => `\n    ${text}`).join('')}${run.warmUp.lines().map((text) => `\n    during warm-up: ${text}`).join('')}
  join, socket open → welcome:     candidates ${line(run.join.candidate)}
                                   supervisors ${line(run.join.supervisor)}
                                   all ${candidateCount + supervisorCount} in ${seconds(run.allJoinedMs)} from the first open (ramp ${rampS.toFixed(1)} s)
  supervisor → candidate:          ${line(run.command)}${goal(`goal p99 ≤ ${GOAL_COMMAND_P99_MS} ms: ${mark(run.command.p99 <= GOAL_COMMAND_P99_MS)}`)}
    (message sent → the candidate's session.event message.sent; command.done back: ${line(run.done)})
  candidate → supervisor:          ${line(run.event)}
    (log.append sent → the supervisor's session.event log.question.opened; log.ack back: ${line(run.ack)})
  server RSS:                      idle ${mb(idle.memory.rss)}, all connected ${mb(connected.memory.rss)} (+${mb(rss(run))}), after the steady phase ${mb(afterSteady.memory.rss)}
  server V8 heap used:             idle ${mb(idle.memory.heapUsed)}, all connected ${mb(connected.memory.heapUsed)}, after the steady phase ${mb(afterSteady.memory.heapUsed)}
  RSS per session above idle:      ${kb(perSession(run))}${goal(`goal ≤ ${GOAL_RSS_PER_SESSION_KB} KB: ${mark(perSession(run) <= GOAL_RSS_PER_SESSION_KB * 1024)}`)}   (heap used ${kb(heap(run) / candidateCount)} per session)${rss(run) < 10 * 1024 * 1024 ? `\n    (rough: readings drift by ~1–2 MB, large against +${mb(rss(run))}; use ≥ 1000 candidates for this figure)` : ''}${[idle, connected, afterSteady].every((stats) => stats.settled) ? '' : '\n    (V8 had not shrunk its young generation back before a reading: RSS figures are high by up to ~15 MB)'}
  server CPU (% of one core):      ${run.cpu.ramp.toFixed(0)} % while joining, ${run.cpu.steady.toFixed(0)} % steady; server event-loop delay in the steady phase p99 ${ms(run.serverLag.p99)}, max ${ms(run.serverLag.max)}
  load generator (this process):   ${run.generator.cpu.toFixed(0)} % CPU steady, event-loop delay p99 ${ms(run.generator.lagP99)}, max ${ms(run.generator.lagMax)}${run.generator.cpu > 80 ? ' — busy: latencies include client-side queueing' : ''}
  rest of the machine, steady:     ${run.machine.others.toFixed(0)} % (whole machine ${run.machine.total.toFixed(0)} % of ${cpus().length * 100} %)${run.machine.others > 30 ? ' — other processes were busy: latencies are noisier' : ''}
  traffic:                         ${run.sent.logs} log lines and ${run.sent.commands} messages in ${run.steadyS.toFixed(1)} s (${(run.sent.logs / run.steadyS).toFixed(0)} + ${(run.sent.commands / run.steadyS).toFixed(0)} per second)`;
  };

  const comparison = base
    ? `
${kit.label} / ${base.label}
  join p50 / p99:                  candidates ${ratio(kit.join.candidate.p50, base.join.candidate.p50)} / ${ratio(kit.join.candidate.p99, base.join.candidate.p99)}, supervisors ${ratio(kit.join.supervisor.p50, base.join.supervisor.p50)} / ${ratio(kit.join.supervisor.p99, base.join.supervisor.p99)}
  supervisor → candidate p50 / p99: ${ratio(kit.command.p50, base.command.p50)} / ${ratio(kit.command.p99, base.command.p99)}
  candidate → supervisor p50 / p99: ${ratio(kit.event.p50, base.event.p50)} / ${ratio(kit.event.p99, base.event.p99)}
  RSS per session:                 ${ratio(perSession(kit), perSession(base))}   (heap used per session ${ratio(heap(kit), heap(base))})
  server CPU, steady:              ${ratio(kit.cpu.steady, base.cpu.steady)}   (while joining ${ratio(kit.cpu.ramp, base.cpu.ramp)})
  ${base.label === 'socket.io' ? SOCKET_IO_NOTE : INSTANCES_NOTE}`
    : '';

  console.log(`
Proctorkit control-channel bench
  ${candidateCount} candidates + ${supervisorCount} supervisors (each watches ${perSupervisor} candidates), control channel only, 127.0.0.1
  join ramp ${rampS.toFixed(1)} s (supervisor j, then its candidates), then ${durationS} s steady: a log line per candidate every ${LOG_INTERVAL_MS / 1000} s,
  a message per supervisor every ${COMMAND_INTERVAL_MS[0] / 1000}–${COMMAND_INTERVAL_MS[1] / 1000} s to its candidates in turn; latencies timed in this process (performance.now)
  servers: child processes (Node ${process.version}, --expose-gc; RSS read after forced GCs, once V8's young generation shrank back), one system after the other;${instanceCount > 1 ? `
  ${instanceCount} instances: a supervisor's candidates on one, the supervisor on the next, so every command and event crosses the bus;
  RSS, heap and CPU are the sum over the instances, event-loop delay the worst of them;` : ''}
  load generator: this process (ws / socket.io-client); machine: ${cpus().length} cores shared by both
  RSS per session = (server RSS with everyone connected − idle RSS after warm-up) / ${candidateCount} candidates;
  the ${supervisorCount} supervisors' connections are in that difference (not counted as sessions)
${runs.map((run, index) => section(run, index === 0)).join('\n')}
${comparison}${profileDir ? `\n\nCPU profile of the server kit's process: ${profileDir} (open in Chrome DevTools › Performance)` : ''}
`);
}

// --- Helpers -------------------------------------------------------------------------------------

type Tokens = Map<string, string>;

/** Every token the run needs, signed up front by a kit with the servers' secret (never attached). */
async function issueTokens(secret: string): Promise<Tokens> {
  const kit = createProctorKit({ secret, logger: 'silent', store: memoryStore() });
  const tokens: Tokens = new Map();
  for (const who of candidates) {
    tokens.set(`candidate:${EXAM_ID}:${who.id}`, await kit.issueToken({ role: 'candidate', examId: EXAM_ID, candidateId: who.id, name: who.name }));
  }
  for (const who of warmUpCandidates) {
    tokens.set(`candidate:${WARM_UP_EXAM}:${who.id}`, await kit.issueToken({ role: 'candidate', examId: WARM_UP_EXAM, candidateId: who.id, name: who.name }));
  }
  for (const { who, watches } of supervisors) {
    tokens.set(
      `supervisor:${EXAM_ID}:${who.id}`,
      await kit.issueToken({ role: 'supervisor', examId: EXAM_ID, supervisorId: who.id, name: who.name, candidates: watches }),
    );
  }
  tokens.set(
    `supervisor:${WARM_UP_EXAM}:${warmUpSupervisor.id}`,
    await kit.issueToken({
      role: 'supervisor',
      examId: WARM_UP_EXAM,
      supervisorId: warmUpSupervisor.id,
      name: warmUpSupervisor.name,
      candidates: warmUpCandidates.map((c) => c.id),
    }),
  );
  await kit.close();
  return tokens;
}

interface ServerHandle {
  pids: number[];
  ports: number[];
  stats(options: { gc: boolean; resetLag?: boolean }): Promise<ServerStats>;
  stop(): Promise<void>;
}

/**
 * Bundles bench/control/server.ts with the kit's current sources into one plain JS file, so the
 * servers run without tsx: its loader thread would add its own, drifting memory to the RSS readings.
 * Packages from the registry stay external and load from node_modules, except `ws`, bundled from
 * the server kit's own dependency (the repo root hoists an older major).
 */
async function buildServer(): Promise<string> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const outfile = join(root, 'node_modules/.cache/proctorkit-bench-control/server.mjs');
  await build({
    entryPoints: [join(root, 'bench/control/server.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['proctorkit-source'],
    external: ['express', 'jose', 'valibot', 'socket.io', 'ioredis', 'pg', 'bufferutil', 'utf-8-validate'],
    // ws is CommonJS: give the bundle a `require` for its Node built-ins.
    banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * A system's server processes, seen as one: the first started alone (it creates the shared schema),
 * the others together; their stats summed (memory, CPU) or the worst of them (event-loop delay).
 */
async function startServers(system: System, secret: string, env: Record<string, string>): Promise<ServerHandle> {
  const environment = { ...env, ...(system.store ? { BENCH_STORE: system.store } : {}) };
  const first = await startServer(system.kind, secret, environment);
  const rest = await Promise.all(Array.from({ length: system.instances - 1 }, () => startServer(system.kind, secret, environment)));
  const all = [first, ...rest];
  return {
    pids: all.flatMap((server) => server.pids),
    ports: all.flatMap((server) => server.ports),
    async stats(options) {
      const each = await Promise.all(all.map((server) => server.stats(options)));
      if (each.length === 1) return each[0]!;
      const sum = <K extends string>(pick: (stats: ServerStats) => Record<K, number>) => {
        const total = {} as Record<K, number>;
        for (const stats of each) for (const [key, value] of Object.entries(pick(stats)) as [K, number][]) total[key] = (total[key] ?? 0) + value;
        return total;
      };
      return {
        memory: sum((stats) => stats.memory as unknown as Record<string, number>) as unknown as NodeJS.MemoryUsage,
        cpu: sum((stats) => stats.cpu as unknown as Record<string, number>) as unknown as NodeJS.CpuUsage,
        lag: {
          p50: Math.max(...each.map((stats) => stats.lag.p50)),
          p99: Math.max(...each.map((stats) => stats.lag.p99)),
          max: Math.max(...each.map((stats) => stats.lag.max)),
        },
        gcAvailable: each.every((stats) => stats.gcAvailable),
        ...(options.gc ? { settled: each.every((stats) => stats.settled) } : {}),
      };
    },
    async stop() {
      await Promise.all(all.map((server) => server.stop()));
    },
  };
}

/** A PostgreSQL schema and a Redis prefix of this run's own, for the instances to share; removed after. */
async function sharedState(): Promise<{ env: Record<string, string>; remove(): Promise<void> }> {
  const name = `proctorkit_bench_control_${process.pid}`;
  // Dropping what an interrupted run may have left also says whether PostgreSQL answers.
  await dropSchema(name).catch((error: Error) => {
    throw new Error(`PostgreSQL at ${TEST_DATABASE_URL} does not answer (${error.message}); set PROCTOR_TEST_DATABASE_URL`);
  });
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  await redis.connect().catch((error: Error) => {
    throw new Error(`Redis at ${REDIS_URL} does not answer (${error.message}); set PROCTOR_TEST_REDIS_URL`);
  });
  return {
    env: { BENCH_DATABASE_URL: TEST_DATABASE_URL, BENCH_DATABASE_SCHEMA: name, BENCH_REDIS_URL: REDIS_URL, BENCH_REDIS_PREFIX: name },
    async remove() {
      await dropSchema(name);
      for (let cursor = '0'; ; ) {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${name}:*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
        if (cursor === '0') break;
      }
      redis.disconnect();
    },
  };
}

async function startServer(kind: ServerKind, secret: string, env: Record<string, string>): Promise<ServerHandle> {
  const script = (serverBundle ??= await buildServer());
  const execArgv = ['--expose-gc'];
  if (profileDir && kind === 'proctorkit') {
    mkdirSync(profileDir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  }
  const child = fork(script, [kind], { execArgv, env: { ...process.env, ...env, BENCH_SECRET: secret }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => (children.delete(child), resolve())));
  const waiting = new Map<number, (stats: ServerStats) => void>();
  let nextId = 0;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${kind} server did not start within 30 s`)), 30_000);
    child.once('exit', (code) => reject(new Error(`the ${kind} server exited (${code}) before it was ready`)));
    child.on('message', (reply: ServerReply) => {
      if (reply.type === 'ready') {
        clearTimeout(timer);
        resolve(reply.port);
      } else if (reply.type === 'stats') {
        waiting.get(reply.id)?.(reply.stats);
        waiting.delete(reply.id);
      }
    });
  });
  child.on('error', (error) => console.error(`bench:control: ${kind} server: ${error.message}`));
  const request = (message: ServerRequest) => {
    if (!child.connected) throw new Error(`the ${kind} server exited (${child.exitCode ?? child.signalCode}) during the run`);
    child.send(message);
  };
  return {
    pids: [child.pid!],
    ports: [port],
    stats: ({ gc, resetLag = false }) =>
      new Promise<ServerStats>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => reject(new Error(`the ${kind} server did not report its stats`)), 30_000);
        waiting.set(id, (stats) => (clearTimeout(timer), resolve(stats)));
        try {
          request({ type: 'stats', id, gc, resetLag });
        } catch (error) {
          clearTimeout(timer);
          reject(error);
        }
      }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || !child.connected) return;
      request({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function closeAll(clients: { close(): void; closed: Promise<void> }[]): Promise<void> {
  for (const client of clients) client?.close();
  await Promise.race([Promise.all(clients.map((client) => client?.closed)), sleep(10_000)]);
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() >= end) return false;
    await sleep(50);
  }
  return true;
}


/** Each side holds one socket per simulated user: check the open-files limit covers it. */
function checkFileLimit(needed: number): void {
  let limit = Infinity;
  try {
    const text = execSync('ulimit -n', { shell: '/bin/sh', encoding: 'utf8' }).trim();
    if (text !== 'unlimited') limit = Number(text);
  } catch {
    return;
  }
  if (limit < needed) fail(`the open-files limit (ulimit -n) is ${limit}; this run needs about ${needed}. Raise it, e.g. \`ulimit -n ${Math.max(8192, needed)}\`.`);
}
