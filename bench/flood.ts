// `npm run bench:flood`: one candidate floods a kit (in a process of its own) with log.append
// messages of 50 events each for a bounded time, reconnecting whenever it is closed, while one
// supervisor watches. Prints what the kit accepted, what reached the supervisor, how the flooder
// was stopped, and the kit's RSS before and after (each after a GC).
// `--seconds N` (default 5); PROCTOR_BENCH_KIT_MAIN=<main.ts> runs another checkout's kit.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { WebSocket as WsSocket } from 'ws';
import { SECRET, signRaw } from '../packages/server-kit/src/test-helpers.js';

// The server kit's ws (8.x); the root's node_modules holds an older one for other tools.
const WebSocket = createRequire(new URL('../packages/server-kit/package.json', import.meta.url))('ws') as typeof WsSocket;

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' } } });
const seconds = Number(values.seconds);
if (!(seconds > 0 && seconds <= 60)) throw new Error('--seconds must be from 1 to 60');

const main = process.env.PROCTOR_BENCH_KIT_MAIN ?? fileURLToPath(new URL('../packages/server-kit/test-fixtures/kit-process/main.ts', import.meta.url));
const kit = fork(main, {
  execArgv: ['--import', 'tsx', '--conditions=proctorkit-source', '--expose-gc'],
  env: { ...process.env, PROCTOR_KIT_SECRET: SECRET, PROCTOR_KIT_OPTIONS: '{}' },
  stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
});
const { origin } = (await once(kit, 'message'))[0] as { origin: string };
const wsUrl = `${origin.replace('http', 'ws')}/proctor/ws`;
let rssId = 0;
interface Memory {
  rss: number;
  heapUsed: number;
}
async function memory(): Promise<Memory> {
  const id = ++rssId;
  kit.send({ type: 'rss', id });
  for (;;) {
    const [message] = (await once(kit, 'message')) as [{ type: string; id: number } & Memory];
    if (message.type === 'rss' && message.id === id) return message;
  }
}

// Plain JWTs, which the kits of earlier checkouts accept too.
const candidateToken = await signRaw({ role: 'candidate', examId: 'exam-1', candidateId: 'flooder', name: 'Flooder' });
const supervisorToken = await signRaw({ role: 'supervisor', examId: 'exam-1', supervisorId: 'sup-1', name: 'Supervisor', candidates: '*' });

let supervisorEvents = 0;
const supervisor = new WebSocket(wsUrl);
supervisor.on('open', () => supervisor.send(JSON.stringify({ v: 1, type: 'session.hello', token: supervisorToken })));
supervisor.on('message', (data) => {
  if ((JSON.parse(data.toString()) as { type: string }).type === 'session.event') supervisorEvents += 1;
});
await once(supervisor, 'message');

const before = await memory();
let sent = 0;
let acked = 0;
let connections = 0;
const closes = new Map<number, number>();
const until = Date.now() + seconds * 1000;
let counter = 0;
const event = () => ({ kind: 'log', id: `flood-${++counter}`, name: 'flood.line', data: { note: 'x'.repeat(32) }, at: Date.now() });

function flood(): Promise<void> {
  return new Promise((resolve) => {
    connections += 1;
    const socket = new WebSocket(wsUrl);
    let timer: NodeJS.Timeout | undefined;
    socket.on('open', () => socket.send(JSON.stringify({ v: 1, type: 'session.hello', token: candidateToken })));
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; ids?: string[] };
      if (message.type === 'log.ack') acked += message.ids!.length;
      if (message.type !== 'session.welcome') return;
      const burst = () => {
        if (Date.now() >= until) return socket.close();
        // Keep the socket's buffer small, as a flooder that wants every message in would.
        if (socket.bufferedAmount < 1_000_000) {
          for (let i = 0; i < 20; i++) {
            socket.send(JSON.stringify({ v: 1, type: 'log.append', events: Array.from({ length: 50 }, event) }));
            sent += 50;
          }
        }
        timer = setTimeout(burst, 1);
      };
      burst();
    });
    socket.on('error', () => {});
    socket.on('close', (code) => {
      clearTimeout(timer);
      closes.set(code, (closes.get(code) ?? 0) + 1);
      resolve();
    });
  });
}

while (Date.now() < until) await flood();
await new Promise((resolve) => setTimeout(resolve, 1000));
const after = await memory();
supervisor.close();
kit.kill('SIGTERM');

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
console.log(`flood of one candidate for ${seconds} s (50 events per message, reconnecting when closed)`);
console.log(`  events sent          ${sent.toLocaleString('en')}`);
console.log(`  events accepted      ${acked.toLocaleString('en')}`);
console.log(`  events at supervisor ${supervisorEvents.toLocaleString('en')}`);
console.log(`  connections opened   ${connections}; closed by code: ${[...closes].map(([code, n]) => `${code}×${n}`).join(', ')}`);
console.log(`  kit RSS              ${mb(before.rss)} before → ${mb(after.rss)} after (+${mb(after.rss - before.rss)})`);
console.log(`  kit heap used        ${mb(before.heapUsed)} before → ${mb(after.heapUsed)} after (+${mb(after.heapUsed - before.heapUsed)})`);
