import { ProctorError } from '../errors.js';
import type { NetworkMeasurement } from './verdicts.js';

/** Bytes moved each way by default: 1 MB, long enough to measure, short on a slow line (16 s at 0.5 Mbit/s). */
export const NETWORK_TEST_BYTES = 1_000_000;
/** The most the server kit moves in one test (its `/network` routes refuse more). */
export const NETWORK_TEST_MAX_BYTES = 5_000_000;

/** Which part of {@link measureNetwork} runs. */
export type NetworkStep = 'ping' | 'download' | 'upload';

/** Options of {@link measureNetwork}. */
export interface NetworkTestOptions {
  /** Where the server kit's router is mounted, e.g. `/proctor`. */
  server: string;
  /** A candidate or supervisor token: the kit moves bytes only for those. */
  token: string;
  /** Bytes to download. Default {@link NETWORK_TEST_BYTES}; at most {@link NETWORK_TEST_MAX_BYTES}. */
  downloadBytes?: number;
  /** Bytes to upload. Default {@link NETWORK_TEST_BYTES}; at most {@link NETWORK_TEST_MAX_BYTES}. */
  uploadBytes?: number;
  /** Small requests whose median is the round trip. Default 5. */
  pings?: number;
  /** The longest one transfer may take before the test gives up, ms. Default 20000. */
  timeoutMs?: number;
  /** Called as each step starts. */
  onStep?: (step: NetworkStep) => void;
  /** Aborts the test (it then rejects with an `AbortError`). */
  signal?: AbortSignal;
}

/**
 * Measures the connection to the server kit with real transfers: the round trip as the median of
 * small requests, then a download and an upload of real, incompressible bytes. Throughput is the
 * bytes over the request's whole time less one round trip, so a distant server does not pass for a
 * slow line. Rejects with a {@link ProctorError} whose message says what to do.
 */
export async function measureNetwork(options: NetworkTestOptions): Promise<NetworkMeasurement> {
  const base = options.server.replace(/\/+$/, '');
  const downloadBytes = bytesOption(options.downloadBytes, 'downloadBytes');
  const uploadBytes = bytesOption(options.uploadBytes, 'uploadBytes');
  const timeoutMs = options.timeoutMs ?? 20_000;
  const request = async (path: string, init: RequestInit = {}) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      const response = await fetch(`${base}/network/${path}`, {
        ...init,
        cache: 'no-store',
        signal,
        headers: { authorization: `Bearer ${options.token}`, ...init.headers },
      });
      if (response.status === 401) {
        throw new ProctorError('unauthorized', 'The exam server refused this check’s access. Reload the page, then run the check again.');
      }
      if (!response.ok) throw new ProctorError('connection-refused', `The exam server could not run the connection test (HTTP ${response.status}). Try again later.`);
      return { response, body: new Uint8Array(await response.arrayBuffer()) };
    } catch (error) {
      if (error instanceof ProctorError || options.signal?.aborted) throw error;
      throw timeout.aborted
        ? new ProctorError('connection-refused', `The connection test took longer than ${Math.round(timeoutMs / 1000)} s: your connection is too slow or unstable. Move closer to the Wi-Fi router or use a cable.`, { cause: error })
        : new ProctorError('connection-refused', 'Could not reach the exam server. Check that you are online, then run the check again.', { cause: error });
    }
  };

  options.onStep?.('ping');
  const rtts: number[] = [];
  for (let i = 0; i < (options.pings ?? 5); i++) {
    const started = performance.now();
    await request('ping');
    rtts.push(performance.now() - started);
  }
  const rttMs = median(rtts);

  options.onStep?.('download');
  let started = performance.now();
  const download = await request(`download?bytes=${downloadBytes}`);
  const downloadMs = transferMs(performance.now() - started, rttMs);
  if (download.body.byteLength !== downloadBytes) {
    throw new ProctorError('connection-refused', `The download test was cut short (${download.body.byteLength} of ${downloadBytes} bytes). Check your connection, then run the check again.`);
  }

  options.onStep?.('upload');
  const payload = randomBytes(uploadBytes);
  started = performance.now();
  const upload = await request('upload', { method: 'POST', body: payload, headers: { 'content-type': 'application/octet-stream' } });
  const uploadMs = transferMs(performance.now() - started, rttMs);
  const received = (JSON.parse(new TextDecoder().decode(upload.body)) as { bytes?: unknown }).bytes;
  if (received !== uploadBytes) {
    throw new ProctorError('connection-refused', `The upload test was cut short (${String(received)} of ${uploadBytes} bytes). Check your connection, then run the check again.`);
  }

  return { rttMs, downloadMbps: mbps(downloadBytes, downloadMs), uploadMbps: mbps(uploadBytes, uploadMs), downloadBytes, uploadBytes };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A transfer's own time: the request's time less one round trip, but never less than half of it. */
function transferMs(totalMs: number, rttMs: number): number {
  return Math.max(totalMs - rttMs, totalMs / 2, 0.01);
}

function mbps(bytes: number, ms: number): number {
  return (bytes * 8) / ms / 1000;
}

function bytesOption(value: number | undefined, name: string): number {
  const bytes = value ?? NETWORK_TEST_BYTES;
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > NETWORK_TEST_MAX_BYTES) {
    throw new ProctorError('bad-input', `measureNetwork: ${name} must be a whole number from 1 to ${NETWORK_TEST_MAX_BYTES}.`);
  }
  return bytes;
}

/** Random bytes: nothing on the way can compress them into a flattering figure. */
function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 64 KiB per call.
  for (let offset = 0; offset < length; offset += 65_536) crypto.getRandomValues(bytes.subarray(offset, offset + 65_536));
  return bytes;
}
