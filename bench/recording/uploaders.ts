// Simulated recording uploaders of `npm run bench:recording`: each is one candidate's page with one
// webcam run, calling the kit's recording routes over real HTTP (keep-alive, as a browser does) —
// chunks PUT through the kit, or presigned upload URLs asked for — either as fast as the kit
// answers (closed loop) or at a set rate across all of them (paced).
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Failures, sleep } from '../control/stats.js';

/** One simulated page: its session, its token, its run and the next chunk number. */
export interface Uploader {
  sessionId: string;
  token: string;
  runId: string;
  nextSeq: number;
}

/** What one phase of load did. */
export interface LoadResult {
  /** Requests the kit answered as asked. */
  succeeded: number;
  /** Latency of each of them, ms. */
  latencies: number[];
  failures: Failures;
  /** From the first request to the last answer. */
  elapsedS: number;
  /** Paced only: requests not sent because too many were waiting for an answer already. */
  skipped: number;
}

const MIME_TYPE = 'video/webm;codecs=vp8';
const START_CONCURRENCY = 50;
const PACED_TICK_MS = 5;
const PACED_MAX_IN_FLIGHT = 2_000;
const DRAIN_TIMEOUT_MS = 30_000;

const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

/** One request; resolves with the status and the body's text. */
function call(url: string, method: string, token: string, headers: Record<string, string>, body?: Uint8Array): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, agent, headers: { authorization: `Bearer ${token}`, ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (part: string) => (text += part));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode(JSON.stringify(body)) });
const runUrl = (origin: string, uploader: Uploader) => `${origin}/proctor/sessions/${uploader.sessionId}/recordings/webcam/runs/${uploader.runId}`;

/** Starts each uploader's run (50 at a time); throws if the kit refuses one. */
export async function startRuns(origin: string, uploaders: Uploader[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < uploaders.length) {
      const uploader = uploaders[next++]!;
      const { headers, body } = json({ runId: uploader.runId, mimeType: MIME_TYPE, startedAt: Date.now() });
      const { status, text } = await call(`${origin}/proctor/sessions/${uploader.sessionId}/recordings/webcam/runs`, 'POST', uploader.token, headers, body);
      if (status !== 201) throw new Error(`starting a run of ${uploader.sessionId} answered ${status}: ${text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: START_CONCURRENCY }, worker));
}

/** New uploaders, one per session token, each with a run of its own not yet started. */
export function uploadersFor(sessions: { sessionId: string; token: string }[]): Uploader[] {
  return sessions.map(({ sessionId, token }) => ({ sessionId, token, runId: randomUUID(), nextSeq: 0 }));
}

/** An operation against the kit for one uploader: true when answered as expected, else a failure's kind and detail. */
export type Operation = (uploader: Uploader) => Promise<true | { kind: string; detail: string }>;

/** PUTs the uploader's next chunk through the kit (201 expected). */
export function putChunk(origin: string, chunk: (seq: number) => Uint8Array): Operation {
  return async (uploader) => {
    const seq = uploader.nextSeq++;
    const { status, text } = await call(`${runUrl(origin, uploader)}/chunks/${seq}`, 'PUT', uploader.token, { 'content-type': 'video/webm' }, chunk(seq));
    return status === 201 ? true : { kind: `PUT chunk: HTTP ${status}`, detail: text.slice(0, 160) };
  };
}

/** Asks for a presigned URL for the uploader's next chunk (200 with an upload URL expected). */
export function requestUploadUrl(origin: string, bytes: number, md5: string): Operation {
  return async (uploader) => {
    const seq = uploader.nextSeq++;
    const { headers, body } = json({ bytes, md5 });
    const { status, text } = await call(`${runUrl(origin, uploader)}/chunks/${seq}/upload`, 'POST', uploader.token, headers, body);
    if (status !== 200) return { kind: `POST upload URL: HTTP ${status}`, detail: text.slice(0, 160) };
    const answer = JSON.parse(text) as { stored: boolean; upload?: { url?: string } };
    return answer.upload?.url ? true : { kind: 'POST upload URL: no URL in the answer', detail: text.slice(0, 160) };
  };
}

/** Every uploader repeats `operation` as soon as the last one is answered, for `seconds`. */
export async function closedLoop(uploaders: Uploader[], seconds: number, operation: Operation): Promise<LoadResult> {
  const result = emptyResult();
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    uploaders.map(async (uploader) => {
      while (performance.now() < until) await timed(result, () => operation(uploader));
    }),
  );
  result.elapsedS = (performance.now() - started) / 1000;
  return result;
}

/** `perSecond` operations a second for `seconds`, spread evenly and taking the uploaders in turn, whatever the answers' pace. */
export async function paced(uploaders: Uploader[], perSecond: number, seconds: number, operation: Operation): Promise<LoadResult> {
  const result = emptyResult();
  const total = Math.round(perSecond * seconds);
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  for (let sent = 0; sent < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * perSecond) + 1);
    for (; sent < due; sent++) {
      if (inFlight.size >= PACED_MAX_IN_FLIGHT) {
        result.skipped++;
        continue;
      }
      const one = timed(result, () => operation(uploaders[sent % uploaders.length]!)).finally(() => inFlight.delete(one));
      inFlight.add(one);
    }
    await sleep(PACED_TICK_MS);
  }
  await Promise.race([Promise.all(inFlight), sleep(DRAIN_TIMEOUT_MS)]);
  if (inFlight.size > 0) result.failures.add('no answer', `${inFlight.size} requests unanswered ${DRAIN_TIMEOUT_MS / 1000} s after the last was sent`);
  result.elapsedS = (performance.now() - started) / 1000;
  return result;
}

function emptyResult(): LoadResult {
  return { succeeded: 0, latencies: [], failures: new Failures(), elapsedS: 0, skipped: 0 };
}

async function timed(result: LoadResult, operation: () => ReturnType<Operation>): Promise<void> {
  const before = performance.now();
  try {
    const outcome = await operation();
    if (outcome === true) {
      result.succeeded++;
      result.latencies.push(performance.now() - before);
    } else {
      result.failures.add(outcome.kind, outcome.detail);
    }
  } catch (error) {
    result.failures.add('network', (error as Error).message);
  }
}
