import type { ControlChannel } from '../channel/control-channel.js';

/** Options of {@link ServerClock}. */
export interface ServerClockOptions {
  /** Pings per sync; the median offset wins. Default 5. */
  samples?: number;
  /** How often to sync again, ms. Default 60 000. */
  resyncMs?: number;
}

/**
 * The page's estimate of the server's time. Samples round trips over the control channel and keeps
 * the median offset against the monotonic `performance.now()`, so moving the computer's clock
 * changes nothing.
 */
export class ServerClock {
  private offset?: number;
  private readonly resyncTimer: ReturnType<typeof setInterval>;
  private readonly stopWelcome: () => void;
  private readonly samples: number;

  constructor(
    private readonly channel: ControlChannel,
    options: ServerClockOptions = {},
  ) {
    this.samples = options.samples ?? 5;
    this.stopWelcome = channel.onEvent('welcome', ({ serverTime }) => {
      // A rough first estimate, refined by the samples.
      this.offset ??= serverTime - performance.now();
      void this.sync();
    });
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

  /** Samples the offset again; keeps the old estimate if no pong came back. */
  async sync(): Promise<void> {
    const offsets: number[] = [];
    for (let i = 0; i < this.samples; i += 1) {
      const sample = await this.channel.ping();
      // The server read its clock about halfway through the round trip.
      if (sample) offsets.push(sample.serverTime - (sample.sentAt + sample.receivedAt) / 2);
    }
    if (offsets.length > 0) this.offset = median(offsets);
  }

  close(): void {
    clearInterval(this.resyncTimer);
    this.stopWelcome();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
