// A fake Amazon Chime control plane to run the demo on without AWS:
// `npm run fake:chime -- [--port 4566] [--tps 10] [--idle-minutes 5]`, then start the demo site
// with the PROCTOR_CHIME_ENDPOINT it prints. Runs until Ctrl-C / SIGTERM.
import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeChime } from '../packages/server-kit/test-fixtures/fake-chime/fake-chime.js';
import { cli } from './cli.js';

const USAGE = `Usage: npm run fake:chime -- [options]

A local fake of the Amazon Chime SDK meetings control plane (packages/server-kit/test-fixtures/
fake-chime): it creates meetings and attendees, answers 429 ThrottlingException beyond --tps
requests per second, and ends meetings idle for --idle-minutes. No media flows. Prints the
environment to start the demo site on it, then runs until Ctrl-C or SIGTERM.

Options:
  --port N           port on 127.0.0.1 (default 4566; 0 for any free port)
  --tps T            requests per second it accepts (default 10)
  --idle-minutes M   a meeting with no activity this long ends (default 5)
  -h, --help         show this help
`;

const { values, fail, positive } = cli('fake:chime', USAGE, {
  port: { type: 'string', default: '4566' },
  tps: { type: 'string', default: '10' },
  'idle-minutes': { type: 'string', default: '5' },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`--port must be a whole number from 0 to 65535, not "${values.port}".`);
const tps = positive('--tps', values.tps, false);
const idleMinutes = positive('--idle-minutes', values['idle-minutes'], false);

const fake = await FakeChime.start({ tps, idleMs: idleMinutes * 60_000 });
// The fixture listens on a free port of its own; this forwards the chosen port to it unchanged.
const front = createServer((request, response) => {
  const upstream = httpRequest(new URL(request.url ?? '/', fake.endpoint), { method: request.method, headers: request.headers }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
  });
  upstream.on('error', (error) => response.writeHead(502, { 'content-type': 'text/plain' }).end(error.message));
  request.pipe(upstream);
});
front.listen(port, '127.0.0.1');
try {
  await Promise.race([once(front, 'listening'), once(front, 'error').then(([error]) => Promise.reject(error as Error))]);
} catch (error) {
  await fake.close();
  const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  fail(inUse ? `port ${port} is in use; pass another with --port.` : (error as Error).message);
}
const endpoint = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;

console.log(`Fake Amazon Chime control plane on ${endpoint}: ${tps} requests/s, meetings end after ${idleMinutes} min idle.`);
console.log('Start the demo site on it (in another terminal):');
console.log(`  PROCTOR_PROVIDER=chime PROCTOR_CHIME_ENDPOINT=${endpoint} PROCTOR_CHIME_TPS=${tps} npm start`);
console.log('Ctrl-C to stop.');

/** What the fake did so far, in one line. */
const summary = () => {
  const created = fake.succeeded('CreateMeetingWithAttendees').length;
  return `${fake.calls.length} requests (${created} meetings created, ${fake.count(undefined, 429)} throttled); ${fake.liveMeetings().length} meetings live`;
};
let reported = '';
const progress = setInterval(() => {
  const line = summary();
  if (line === reported || fake.calls.length === 0) return;
  reported = line;
  console.log(line);
}, 5_000);

// npm may forward a signal a second time; it is ignored while stopping.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(progress);
    console.log(`\n${signal}: stopping. ${summary()}.`);
    front.closeAllConnections();
    front.close();
    await fake.close();
    process.exit(0);
  });
}
