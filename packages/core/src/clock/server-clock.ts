import type { ControlChannel } from '../channel/control-channel.js';

/** Options of {@link ServerClock}. */
export interface ServerClockOptions {
  /** Pings per sync; the median offset wins. Default 5. */
  samples?: number;
  /** How often to sync again, ms. Default 60 000. */
  resyncMs?: number;
  /** How long to wait for one pong, ms. Default 2000. */
  timeoutMs?: number;
}

/**
 * The page's estimate of the server's time. Samples round trips over the control channel and keeps
 * the median offset against the monotonic `performance.now()`, so moving the computer's clock
 * changes nothing.
 */
export class ServerClock {
  private offset?: number;
  private nextPingId = 0;
  private readonly pending = new Map<number, (serverTime: number) => void>();
  private resyncTimer?: ReturnType<typeof setInterval>;
  private readonly stop: (() => void)[];
  private readonly samples: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly channel: ControlChannel,
    options: ServerClockOptions = {},
  ) {
    this.samples = options.samples ?? 5;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.stop = [
      channel.on('clock.pong', ({ id, serverTime }) => this.pending.get(id)?.(serverTime)),
      channel.onEvent('welcome', ({ serverTime }) => {
        // A rough first estimate, refined by the samples.
        this.offset ??= serverTime - performance.now();
        void this.sync();
      }),
    ];
    this.resyncTimer = setInterval(() => void this.sync(), options.resyncMs ?? 60_000);
  }

  /** Whether at least one estimate exists. */
  get ready(): boolean {
    return this.offset !== undefined;
  }

  /** The server's time now (ms since epoch), as best known; the page's own clock until the first estimate. */
  now(): number {
    return this.offset === undefined ? Date.now() : performance.now() + this.offset;
  }

  /** Samples the offset again; resolves when done (keeps the old estimate if no pong came back). */
  async sync(): Promise<void> {
    const offsets: number[] = [];
    for (let i = 0; i < this.samples; i += 1) {
      const offset = await this.sample();
      if (offset !== undefined) offsets.push(offset);
    }
    if (offsets.length > 0) this.offset = median(offsets);
  }

  close(): void {
    clearInterval(this.resyncTimer);
    for (const stop of this.stop) stop();
    this.pending.clear();
  }

  private sample(): Promise<number | undefined> {
    const id = this.nextPingId++;
    const sentAt = performance.now();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(undefined);
      }, this.timeoutMs);
      this.pending.set(id, (serverTime) => {
        clearTimeout(timer);
        this.pending.delete(id);
        const receivedAt = performance.now();
        // The server read its clock about halfway through the round trip.
        resolve(serverTime - (sentAt + receivedAt) / 2);
      });
      if (!this.channel.send({ type: 'clock.ping', id })) {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(undefined);
      }
    });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
