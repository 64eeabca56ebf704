// Chime join-storm benchmark: `npm run bench:chime [-- --sessions 2000 --tps 10]`.
//
// Runs, in this process, a fake of Amazon Chime's control plane (packages/server-kit/test-fixtures/
// fake-chime) that accepts --tps requests per second and answers 429 ThrottlingException beyond,
// and the server kit (Express + kit) with chimeProvider at the same rate. Supervisors (one per 20
// candidates, named in their tokens, like the seed platform's rooms) connect first and subscribe
// to their candidates as they appear. Then --sessions candidates join over the control channel
// (ws, no media) at 2,000 per 60 s, and each waits for its meeting (`session.media`). Counts every
// error a user would see, checks that all meetings were created within 1.05 × sessions / tps
// seconds (what the rate allows), and prints the distribution of the wait in the request queue.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { WebSocket as WsSocket } from 'ws';
import { PROTOCOL_VERSION, ServerMessageSchema, parse, type ServerMessage } from '@proctorkit/core/protocol';
import { chimeProvider, createProctorKit, memoryStore } from '@proctorkit/server-kit';
import { serveKit } from '../packages/server-kit/src/test-helpers.js';
import { FakeChime } from '../packages/server-kit/test-fixtures/fake-chime/fake-chime.js';
import { cli, stopOnSignalOrTimeout } from '../scripts/cli.js';
import { Failures, ms, sleep, summarize } from './control/stats.js';

// The bench's own `ws` is the one the server kit depends on (the repo root hoists an older major).
const WebSocket = createRequire(new URL('../packages/server-kit/package.json', import.meta.url))('ws') as typeof WsSocket;

// The SDK warns once that its 2027 releases need Node 22 (docs/guide/chime.md); not this bench's news.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const SURGE = { sessions: 2000, seconds: 60 };
const ROOM_SIZE = 20;
const GOAL_FACTOR = 1.05;
const EXAM_ID = 'bench-chime';

const USAGE = `Usage: npm run bench:chime -- [options]

A join storm against a fake Amazon Chime control plane: candidates join over the control channel
(no media) at ${SURGE.sessions} per ${SURGE.seconds} s and each waits for its meeting. Passes with 0 errors
shown to users and every meeting created within ${GOAL_FACTOR} × sessions / tps seconds.

Options:
  --sessions N   candidates joining (default ${SURGE.sessions}; e.g. 100 for a ~12 s run)
  --tps T        requests per second the fake accepts and the provider sends (default 10)
  --provider-tps P
                 the provider's rate instead, e.g. above --tps to see Chime throttle
  --latency MS   the fake's answer time (default 50)
  -h, --help     show this help`;

const { values, fail, positive } = cli('bench:chime', USAGE, {
  sessions: { type: 'string', default: String(SURGE.sessions) },
  tps: { type: 'string', default: '10' },
  'provider-tps': { type: 'string', default: '' },
  latency: { type: 'string', default: '50' },
});
const sessionCount = positive('--sessions', values.sessions, true);
const tps = positive('--tps', values.tps, false);
const providerTps = values['provider-tps'] === '' ? tps : positive('--provider-tps', values['provider-tps'], false);
const latencyMs = Number(values.latency);
if (!(latencyMs >= 0)) fail(`--latency must be a number ≥ 0, not "${values.latency}".`);
const windowMs = (sessionCount / SURGE.sessions) * SURGE.seconds * 1000;
const allowedMs = (sessionCount / tps) * 1000;
const goalMs = GOAL_FACTOR * allowedMs;
const supervisorCount = Math.ceil(sessionCount / ROOM_SIZE);
const hardLimitMs = windowMs + 2 * allowedMs + 60_000;

const started = performance.now();
const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;
const log = (message: string) => console.log(`[${seconds(performance.now() - started).padStart(7)}] ${message}`);
const candidateId = (index: number) => `cand-${String(index + 1).padStart(5, '0')}`;

stopOnSignalOrTimeout('bench:chime', hardLimitMs, (code) => process.exit(code));

// --- Set-up ------------------------------------------------------------------------------------

const fake = await FakeChime.start({ tps, latencyMs });
const provider = chimeProvider({
  region: 'us-east-1',
  endpoint: fake.endpoint,
  credentials: { accessKeyId: 'AKIDBENCHCHIME', secretAccessKey: 'not-a-secret' },
  maxRequestsPerSecond: providerTps,
});
const kit = createProctorKit({ secret: randomBytes(32).toString('hex'), provider, logger: 'warn', store: memoryStore() });
const { server, origin } = await serveKit(kit);
const wsUrl = `${origin.replace('http', 'ws')}/proctor/ws`;

const failures = new Failures();
let closing = false;

/** One control connection that checks every message against the protocol and counts what users would see. */
function connect(token: string, who: string, onMessage: (message: ServerMessage) => void): WsSocket {
  const socket = new WebSocket(wsUrl);
  socket.on('open', () => socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'session.hello', token })));
  socket.on('message', (data) => {
    const message = parse(ServerMessageSchema, JSON.parse(data.toString()));
    if (!message.ok) return failures.add('message outside the protocol', `${who}: ${message.message}`);
    if (message.value.type === 'error') return failures.add('error shown', `${who}: ${message.value.message}`);
    onMessage(message.value);
  });
  socket.on('close', (code, reason) => {
    if (!closing) failures.add('connection closed', `${who}: ${code} ${reason.toString()}`);
  });
  socket.on('error', (error) => failures.add('socket error', `${who}: ${error.message}`));
  return socket;
}

// --- Supervisors: connected first, each subscribing to its room's sessions as they appear -------

let views = 0;
const sockets: WsSocket[] = [];
log(`fake Chime at ${tps} requests/s (${latencyMs} ms answers), provider at ${providerTps}; ${supervisorCount} supervisors connecting…`);
const supervisorsReady = await Promise.all(
  Array.from({ length: supervisorCount }, async (_, j) => {
    const candidates = Array.from({ length: ROOM_SIZE }, (_, k) => j * ROOM_SIZE + k)
      .filter((i) => i < sessionCount)
      .map(candidateId);
    const supervisorId = `sup-${String(j + 1).padStart(4, '0')}`;
    const token = await kit.issueToken({ role: 'supervisor', examId: EXAM_ID, supervisorId, name: `Supervisor ${j + 1}`, candidates });
    const subscribed = new Set<string>();
    return new Promise<void>((resolve) => {
      const socket = connect(token, supervisorId, (message) => {
        const sessions = message.type === 'session.list' ? message.sessions : message.type === 'session.updated' ? [message.session] : [];
        for (const { sessionId } of sessions) {
          if (subscribed.has(sessionId)) continue;
          subscribed.add(sessionId);
          const feeds = ['webcam', 'screen', 'phone'];
          socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'feed.subscribe', sessionId, feeds, quality: 'thumbnail' }));
        }
        if (message.type === 'session.list') resolve();
        if (message.type === 'session.media') {
          if (message.provider.name === 'chime' && message.provider.state === 'ready' && message.provider.role === 'supervisor') views++;
          else failures.add('wrong join info', `${supervisorId}: ${JSON.stringify(message.provider).slice(0, 120)}`);
        }
      });
      sockets.push(socket);
    });
  }),
);
log(`${supervisorsReady.length} supervisors connected; issuing ${sessionCount} candidate tokens…`);

// --- Candidates: the surge ------------------------------------------------------------------------

interface Candidate {
  joinedAt: number;
  welcomeAt?: number;
  mediaAt?: number;
  places: number[];
}

const tokens = await Promise.all(
  Array.from({ length: sessionCount }, (_, i) =>
    kit.issueToken({ role: 'candidate', examId: EXAM_ID, candidateId: candidateId(i), name: `Candidate ${i + 1}` }),
  ),
);
const candidates: Candidate[] = [];
log(`${sessionCount} candidates joining over ${seconds(windowMs)}; the rate allows every meeting in ${seconds(allowedMs)}…`);
const surgeStart = performance.now();
const progress = setInterval(() => {
  const withMedia = candidates.filter((c) => c.mediaAt !== undefined).length;
  log(`${candidates.length} joined, ${withMedia} with a meeting, ${provider.waiting} requests waiting, ${fake.count(undefined, 429)} throttled`);
}, 20_000);
for (let i = 0; i < sessionCount; i++) {
  const due = surgeStart + (i * windowMs) / sessionCount;
  if (due > performance.now()) await sleep(due - performance.now());
  const candidate: Candidate = { joinedAt: performance.now(), places: [] };
  candidates.push(candidate);
  const who = candidateId(i);
  sockets.push(
    connect(tokens[i]!, who, (message) => {
      const now = performance.now();
      if (message.type === 'session.welcome') candidate.welcomeAt = now;
      if (message.type === 'session.preparing') candidate.places.push(message.ahead);
      if (message.type === 'session.media') {
        if (message.provider.name === 'chime' && message.provider.state === 'ready' && message.provider.role === 'candidate') {
          candidate.mediaAt ??= now;
        } else failures.add('wrong join info', `${who}: ${JSON.stringify(message.provider).slice(0, 120)}`);
      }
    }),
  );
}
while (candidates.some((c) => c.mediaAt === undefined) && performance.now() - surgeStart < windowMs + 2 * allowedMs + 30_000) {
  await sleep(100);
}
const lastMediaAt = Math.max(...candidates.map((c) => c.mediaAt ?? Number.NaN));
for (let i = 0; i < 50 && views < sessionCount; i++) await sleep(100);
clearInterval(progress);

// --- Report ---------------------------------------------------------------------------------------

const withMedia = candidates.filter((c) => c.mediaAt !== undefined);
for (const [i, c] of candidates.entries()) {
  if (c.welcomeAt === undefined) failures.add('no welcome', candidateId(i));
  else if (c.mediaAt === undefined) failures.add('no meeting', candidateId(i));
}
const allCreatedMs = withMedia.length === sessionCount ? lastMediaAt - surgeStart : Number.NaN;
const waits = provider.stats.waitsMs;
const waitSummary = summarize(waits);
const meetingSummary = summarize(withMedia.map((c) => c.mediaAt! - c.joinedAt));
const welcomeSummary = summarize(candidates.filter((c) => c.welcomeAt !== undefined).map((c) => c.welcomeAt! - c.joinedAt));
const told = candidates.filter((c) => c.places.length > 0);
const withinGoal = allCreatedMs <= goalMs;
const operations = ['CreateMeetingWithAttendees', 'BatchCreateAttendee', 'CreateAttendee', 'GetMeeting', 'DeleteMeeting'] as const;

const s = (milliseconds: number) => (Number.isFinite(milliseconds) ? seconds(milliseconds) : 'n/a');
console.log('');
console.log(
  `bench:chime — ${sessionCount} sessions joining over ${seconds(windowMs)}; ` +
    `Chime (fake) at ${tps} requests/s, the provider at ${providerTps}`,
);
console.log(`  sessions with a meeting        ${withMedia.length} / ${sessionCount}; meetings live on the fake: ${fake.liveMeetings().length}`);
console.log(`  errors shown to users          ${failures.total}`);
for (const line of failures.lines()) console.log(`    ${line}`);
console.log(
  `  all meetings created in        ${s(allCreatedMs)} from the first join ` +
    `(goal ≤ ${seconds(goalMs)} = ${GOAL_FACTOR} × ${seconds(allowedMs)} the rate allows) ${withinGoal ? 'ok' : 'MISSED'}`,
);
const requests = operations.map((op) => `${fake.succeeded(op).length} ${op}`).filter((text) => !text.startsWith('0 '));
console.log(
  `  Chime requests                 ${requests.join(', ')}; ${fake.count(undefined, 429)} throttled (429); ` +
    `queue retried ${provider.stats.throttled + provider.stats.transient}`,
);
console.log(`  join → welcome                 p50 ${ms(welcomeSummary.p50)}, p99 ${ms(welcomeSummary.p99)}, max ${ms(welcomeSummary.max)}`);
console.log(
  `  queue wait (request queued → sent), ${waitSummary.n} requests: ` +
    `p50 ${s(waitSummary.p50)}, p99 ${s(waitSummary.p99)}, max ${s(waitSummary.max)}`,
);
for (const line of histogram(waits)) console.log(`    ${line}`);
console.log(`  join → meeting (candidate)     p50 ${s(meetingSummary.p50)}, p99 ${s(meetingSummary.p99)}, max ${s(meetingSummary.max)}`);
console.log(
  `  told their place in the queue  ${told.length} candidates, ${told.reduce((n, c) => n + c.places.length, 0)} session.preparing; ` +
    `longest queue seen ${Math.max(0, ...told.map((c) => c.places[0]!))} ahead; moved back: ${told.filter(movedBack).length}`,
);
console.log(`  supervisor views               ${views} / ${sessionCount} (${supervisorCount} supervisors, rooms of ${ROOM_SIZE})`);

closing = true;
for (const socket of sockets) socket.terminate();
await kit.close();
server.closeAllConnections();
server.close();
await fake.close();
process.exit(failures.total === 0 && withinGoal && views === sessionCount ? 0 : 1);

/** Whether a candidate was ever told a longer queue than before. */
function movedBack(candidate: Candidate): boolean {
  return candidate.places.some((place, i) => i > 0 && place > candidate.places[i - 1]!);
}

/** Ten equal bins from 0 to the longest wait, as bars. */
function histogram(values: number[]): string[] {
  if (values.length === 0) return [];
  const max = Math.max(...values);
  const width = Math.max(max / 10, 1);
  const bins = Array.from({ length: 10 }, () => 0);
  for (const value of values) bins[Math.min(9, Math.floor(value / width))]!++;
  const most = Math.max(...bins);
  return bins.map((count, i) => {
    const range = `${seconds(i * width).padStart(7)} – ${seconds((i + 1) * width).padStart(7)}`;
    return `${range}  ${String(count).padStart(5)}  ${'#'.repeat(Math.round((count / most) * 40))}`;
  });
}
