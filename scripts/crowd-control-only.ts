// Fake candidates on the control channel only, no browser and no media: `npm run demo:crowd --
// --no-media`. Each gets its token from the demo site's candidate page as the page does, opens the
// kit's WebSocket, says hello, and once its media is ready (at once on `local`; on `chime` when
// `session.media` brings its meeting) reports webcam and screen live and starts the exam. Used by
// scripts/crowd.ts and test/e2e/chime-demo.test.ts.
import { createRequire } from 'node:module';
import type { WebSocket as WsSocket } from 'ws';
import { PROTOCOL_VERSION, ServerMessageSchema, parse, type ProviderInfo, type ServerMessage } from '@proctorkit/core/protocol';
import { Failures, ms, summarize } from '../bench/control/stats.js';
import { candidateName } from './crowd-lib.js';

// The server kit's `ws` (the repo root hoists an older major), as bench/chime.ts does.
const WebSocket = createRequire(new URL('../packages/server-kit/package.json', import.meta.url))('ws') as typeof WsSocket;

/** Where one control-only candidate is. */
export type ControlCandidatePhase = 'token' | 'connecting' | 'waiting' | 'ready' | 'failed';

/** One control-only candidate: what it was told and when (`performance.now()`). */
export interface ControlCandidate {
  name: string;
  phase: ControlCandidatePhase;
  sessionId?: string;
  /** Welcomed, and its connection open. */
  connected: boolean;
  /** The provider info of its welcome. */
  welcomed?: ProviderInfo;
  /** Its last `session.media`. */
  media?: ProviderInfo;
  /** The `ahead` of each `session.preparing` it got. */
  places: number[];
  /** Whether it reported its feeds live and sent `session.start`. */
  started: boolean;
  /** What went wrong for it, as a user would have seen it. */
  errors: string[];
  joinedAt?: number;
  welcomeAt?: number;
  readyAt?: number;
}

/** How many candidates are where; `errors` counts candidates with at least one error. */
export interface ControlCrowdCounts {
  total: number;
  connected: number;
  preparing: number;
  mediaReady: number;
  errors: number;
}

export interface ControlCrowdOptions {
  /** The demo site, e.g. `http://127.0.0.1:3000`. */
  url: string;
  count: number;
  /** Added to the index for default names, so two crowds on one site do not collide. */
  offset?: number;
  /** Each candidate's name. Default: {@link candidateName}(offset + index). */
  name?: (index: number) => string;
  /** Candidate pages fetched at once for their tokens. Default 16. */
  fetchConcurrency?: number;
}

/** A running control-only crowd. */
export interface ControlCrowd {
  readonly candidates: readonly ControlCandidate[];
  /** Every error, by kind, with a few examples. */
  readonly failures: Failures;
  counts(): ControlCrowdCounts;
  /** Resolves when every candidate is ready (media ready, exam started) or has failed. */
  settled(): Promise<void>;
  /** Closes every connection; closes from then on are no errors. */
  close(): Promise<void>;
}

/**
 * Starts `count` control-only candidates on the demo site at `url`. Every error a user would see
 * counts: an `error` message, a message outside the protocol, join info that is not the
 * candidate's, a connection that closes or fails, a candidate page that gives no token.
 */
export function startControlCrowd(options: ControlCrowdOptions): ControlCrowd {
  const { url, count, offset = 0, fetchConcurrency = 16 } = options;
  const nameOf = options.name ?? ((index: number) => candidateName(offset + index));
  const failures = new Failures();
  const sockets = new Set<WsSocket>();
  const candidates: ControlCandidate[] = Array.from({ length: count }, (_, index) => ({
    name: nameOf(index),
    phase: 'token',
    connected: false,
    places: [],
    started: false,
    errors: [],
  }));
  let closing = false;
  let wake = () => {};
  const allSettled = new Promise<void>((resolve) => {
    wake = () => {
      if (candidates.every((c) => c.phase === 'ready' || c.phase === 'failed')) resolve();
    };
  });
  wake();

  const fail = (candidate: ControlCandidate, kind: string, detail: string) => {
    candidate.errors.push(`${kind}: ${detail}`);
    failures.add(kind, `${candidate.name}: ${detail}`);
    if (candidate.phase !== 'ready') candidate.phase = 'failed';
    wake();
  };

  const connect = (candidate: ControlCandidate, wsUrl: string, token: string) => {
    candidate.phase = 'connecting';
    candidate.joinedAt = performance.now();
    const socket = new WebSocket(wsUrl);
    sockets.add(socket);
    const send = (message: Record<string, unknown>) => socket.send(JSON.stringify({ v: PROTOCOL_VERSION, ...message }));
    // As the element does once it publishes: both feeds live, then the exam starts.
    const goLive = () => {
      if (candidate.started) return;
      candidate.started = true;
      candidate.readyAt = performance.now();
      send({ type: 'feed.state', feed: 'webcam', state: 'live' });
      send({ type: 'feed.state', feed: 'screen', state: 'live' });
      send({ type: 'session.start' });
      if (candidate.phase !== 'failed') candidate.phase = 'ready';
      wake();
    };
    const onMessage = (message: ServerMessage) => {
      switch (message.type) {
        case 'session.welcome':
          candidate.welcomeAt = performance.now();
          candidate.connected = true;
          candidate.welcomed = message.provider;
          candidate.sessionId = message.session?.sessionId;
          candidate.phase = 'waiting';
          if (ready(message.provider)) goLive();
          return;
        case 'session.preparing':
          candidate.places.push(message.ahead);
          return;
        case 'session.media':
          candidate.media = message.provider;
          if (ready(message.provider)) goLive();
          else fail(candidate, 'wrong join info', JSON.stringify(message.provider).slice(0, 120));
          return;
        case 'error':
          fail(candidate, 'error shown', `${message.code}: ${message.message}`);
          return;
        default:
          // Session events, clock answers, supervisors' subscriptions (no media to send them).
          return;
      }
    };
    socket.on('open', () => send({ type: 'session.hello', token }));
    socket.on('message', (data) => {
      let json: unknown;
      try {
        json = JSON.parse(data.toString());
      } catch {
        return fail(candidate, 'message outside the protocol', 'not JSON');
      }
      const message = parse(ServerMessageSchema, json);
      if (!message.ok) return fail(candidate, 'message outside the protocol', message.message);
      onMessage(message.value);
    });
    // The kit pings every socket; `ws` answers pings by itself, so no keepalive of ours is needed.
    // A failed connection also closes: one error for both.
    let broken = false;
    socket.on('error', (error) => {
      broken = true;
      if (!closing) fail(candidate, 'connection failed', error.message);
    });
    socket.on('close', (code, reason) => {
      sockets.delete(socket);
      candidate.connected = false;
      if (!closing && !broken) fail(candidate, 'connection closed', `${code} ${reason.toString()}`.trim());
    });
  };

  // Fetching the candidate pages (tokens) a few at a time; each connects as soon as it has its token.
  let next = 0;
  const worker = async () => {
    while (next < count && !closing) {
      const candidate = candidates[next++]!;
      try {
        const { wsUrl, token } = await candidateToken(url, candidate.name);
        if (!closing) connect(candidate, wsUrl, token);
      } catch (error) {
        fail(candidate, 'no token', (error as Error).message);
      }
    }
  };
  void Promise.all(Array.from({ length: Math.min(fetchConcurrency, count) }, worker));

  return {
    candidates,
    failures,
    counts() {
      return {
        total: count,
        connected: candidates.filter((c) => c.connected).length,
        preparing: candidates.filter((c) => c.phase === 'waiting').length,
        mediaReady: candidates.filter((c) => c.readyAt !== undefined).length,
        errors: candidates.filter((c) => c.errors.length > 0).length,
      };
    },
    settled: () => allSettled,
    async close() {
      closing = true;
      const closed = [...sockets].map(
        (socket) =>
          new Promise<void>((resolve) => {
            socket.once('close', () => resolve());
            socket.close(1000, 'The crowd is stopping.');
            setTimeout(() => {
              socket.terminate();
              resolve();
            }, 2000).unref();
          }),
      );
      await Promise.all(closed);
    },
  };
}

/** Media a candidate can publish to: the local provider, or its own Chime meeting. */
function ready(provider: ProviderInfo): boolean {
  return provider.name === 'local' || (provider.name === 'chime' && provider.state === 'ready' && provider.role === 'candidate');
}

/**
 * What the candidate page gives its element: the token and the kit's path (the `token` and
 * `server` attributes of `<proctor-candidate>`), and the control WebSocket's URL they make.
 */
export async function candidateToken(url: string, name: string): Promise<{ wsUrl: string; token: string }> {
  const pageUrl = new URL(`/candidate?name=${encodeURIComponent(name)}`, url);
  const response = await fetch(pageUrl, { signal: AbortSignal.timeout(10_000) });
  const html = await response.text();
  if (!response.ok) throw new Error(`the candidate page answered HTTP ${response.status}`);
  const tag = /<proctor-candidate\b[^>]*>/.exec(html)?.[0];
  const token = tag && attribute(tag, 'token');
  const server = tag && attribute(tag, 'server');
  if (!token || !server) throw new Error('the candidate page has no <proctor-candidate> with a server and a token');
  // As core's controlUrl: the kit's path plus /ws, resolved against the page.
  const wsUrl = new URL(`${server.replace(/\/+$/, '')}/ws`, pageUrl);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  return { wsUrl: wsUrl.toString(), token };
}

function attribute(tag: string, name: string): string | undefined {
  const value = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  return value
    ?.replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** One line of counts, e.g. for a progress report. */
export function countsLine({ total, connected, preparing, mediaReady, errors }: ControlCrowdCounts): string {
  return `${connected}/${total} connected, ${preparing} preparing, ${mediaReady} media ready and started, ${errors} with errors`;
}

/** The crowd's final report: counts, errors by kind, and how long candidates waited. */
export function reportLines(crowd: ControlCrowd): string[] {
  const { candidates, failures } = crowd;
  const welcome = summarize(candidates.filter((c) => c.welcomeAt !== undefined).map((c) => c.welcomeAt! - c.joinedAt!));
  const media = summarize(candidates.filter((c) => c.readyAt !== undefined).map((c) => c.readyAt! - c.joinedAt!));
  const told = candidates.filter((c) => c.places.length > 0);
  const seconds = (value: number) => (Number.isFinite(value) ? `${(value / 1000).toFixed(1)} s` : 'n/a');
  return [
    countsLine(crowd.counts()),
    `errors: ${failures.total}`,
    ...failures.lines().map((line) => `  ${line}`),
    `join → welcome: p50 ${ms(welcome.p50)}, p99 ${ms(welcome.p99)}, max ${ms(welcome.max)}`,
    `join → media ready: p50 ${seconds(media.p50)}, p99 ${seconds(media.p99)}, max ${seconds(media.max)}`,
    `told their place in the queue: ${told.length} candidates; longest queue ${Math.max(0, ...told.map((c) => c.places[0]!))} ahead`,
  ];
}

export interface RunControlCrowdOptions extends ControlCrowdOptions {
  /** Stops the crowd (Ctrl-C). */
  signal: AbortSignal;
  /** How often a line of counts is printed while they change. Default 2000 ms. */
  progressMs?: number;
}

/**
 * The `--no-media` crowd of `npm run demo:crowd`: starts the candidates, prints a line of counts
 * every few seconds while they change, stays connected until `signal` aborts, then prints the
 * report. Resolves with the exit code: 1 when any candidate saw an error.
 */
export async function runControlCrowd(options: RunControlCrowdOptions): Promise<number> {
  const { signal, progressMs = 2000 } = options;
  const started = performance.now();
  const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
  console.log(`Starting ${options.count} control-only candidate${options.count === 1 ? '' : 's'} (no media) on ${options.url}…`);
  const crowd = startControlCrowd(options);
  let last = '';
  const progress = setInterval(() => {
    const line = countsLine(crowd.counts());
    if (line !== last) log((last = line));
  }, progressMs);
  const stopped = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await Promise.race([crowd.settled(), stopped]);
  if (!signal.aborted) {
    log((last = countsLine(crowd.counts())));
    const { errors, total } = crowd.counts();
    console.log(
      errors === 0
        ? `All ${total} candidates have their media and started. Watch them at ${options.url}/supervisor — Ctrl-C to stop.`
        : `${errors} of ${total} candidates saw errors; the others stay connected. Ctrl-C to stop.`,
    );
    await stopped;
  }
  clearInterval(progress);
  const report = reportLines(crowd);
  await crowd.close();
  console.log('');
  for (const line of report) console.log(line);
  return crowd.failures.total === 0 ? 0 : 1;
}
