import { randomUUID } from 'node:crypto';
import type { KitBus } from '../bus/kit-bus.js';
import type { Logger } from '../logger.js';
import { Directory, entryName, type DirectoryEntry } from './directory.js';

/** How often an instance says it is alive, and after how long without a word it is taken for lost. */
export interface ClusterTimings {
  /** Default: 2000 ms. */
  beatMs: number;
  /** Default: 3 beats. */
  lostAfterMs: number;
}

/** What the cluster tells its hub. */
export interface ClusterListener {
  /** Another instance's entry appeared (`entry`), changed, or went (`entry` undefined; `lost` when its instance was lost). */
  entryChanged(instance: string, entry: DirectoryEntry | undefined, previous: DirectoryEntry | undefined, lost: boolean): void;
  /** The bus is back after a cut: what was sent meanwhile is lost. */
  reconnected(): void;
}

type Wire =
  | { k: 'state'; from: string; entries: DirectoryEntry[]; reply: boolean }
  | { k: 'put'; from: string; entry: DirectoryEntry }
  | { k: 'drop'; from: string; sessionId: string; name: string }
  | { k: 'beat'; from: string }
  | { k: 'bye'; from: string }
  | { k: 'hub'; from: string; kind: string; body: unknown };

const BROADCAST = 'cluster';
const direct = (instance: string) => `instance.${instance}`;

/**
 * This kit instance among the others on the bus: it announces its own pages and subscriptions,
 * mirrors everyone else's into one {@link Directory}, and carries the hub's messages. An instance
 * that starts, or comes back after a cut, announces all it holds and asks the others for theirs;
 * one that stops beating is taken for lost, but only while this one still hears its own beats
 * (a cut of its own is no reason to forget the others).
 */
export class Cluster {
  readonly id = randomUUID();
  readonly directory = new Directory();
  private readonly heardAt = new Map<string, number>();
  private heardSelfAt = 0;
  private beat: NodeJS.Timeout | undefined;
  private stopReconnect: () => void = () => {};
  private listener!: ClusterListener;
  private readonly handlers = new Map<string, (body: never, from: string) => void>();

  constructor(
    private readonly bus: KitBus,
    private readonly logger: Logger,
    private readonly timings: ClusterTimings = { beatMs: 2000, lostAfterMs: 6000 },
  ) {}

  /** Joins the bus; the hub hears of the others from then on. */
  async start(listener: ClusterListener): Promise<void> {
    this.listener = listener;
    const receive = (text: string) => {
      try {
        this.received(JSON.parse(text) as Wire);
      } catch (error) {
        this.logger.error('a message from another kit instance failed', error);
      }
    };
    await this.bus.subscribe(BROADCAST, receive);
    await this.bus.subscribe(direct(this.id), receive);
    this.stopReconnect = this.bus.onReconnect(() => {
      this.announceState(true);
      this.listener.reconnected();
    });
    this.announceState(true);
    this.beat = setInterval(() => this.tick(), this.timings.beatMs);
    this.beat.unref();
  }

  /** Handles the messages of `kind` other instances send ({@link broadcast}, {@link send}). */
  handle<T>(kind: string, handler: (body: T, from: string) => void): void {
    this.handlers.set(kind, handler as (body: never, from: string) => void);
  }

  /** The instances heard from lately, this one included: the same list on every instance, once all have heard each other. */
  get instances(): string[] {
    return [this.id, ...this.heardAt.keys()].sort();
  }

  /** Sets one of this instance's entries and tells the others. */
  put(entry: DirectoryEntry): void {
    this.directory.put(this.id, entry);
    this.publish(BROADCAST, { k: 'put', from: this.id, entry });
  }

  /** Removes one of this instance's entries and tells the others. */
  drop(entry: Pick<DirectoryEntry, 'kind' | 'sessionId' | 'connectionId'>): void {
    const name = entryName(entry);
    if (!this.directory.drop(this.id, entry.sessionId, name)) return;
    this.publish(BROADCAST, { k: 'drop', from: this.id, sessionId: entry.sessionId, name });
  }

  /** A message for every other instance's hub. */
  broadcast(kind: string, body: unknown): void {
    this.publish(BROADCAST, { k: 'hub', from: this.id, kind, body });
  }

  /** A message for one instance's hub. */
  send(instance: string, kind: string, body: unknown): void {
    this.publish(direct(instance), { k: 'hub', from: this.id, kind, body });
  }

  /** Leaves the bus: the others forget this instance's entries at once. */
  async close(): Promise<void> {
    clearInterval(this.beat);
    this.stopReconnect();
    await this.bus.publish(BROADCAST, JSON.stringify({ k: 'bye', from: this.id })).catch(() => {});
  }

  private publish(topic: string, wire: Wire): void {
    this.bus.publish(topic, JSON.stringify(wire)).catch((error: Error) => {
      // The bus is away: the others hear this instance's whole state again once it is back.
      this.logger.warn(`kit bus: a message to other instances was lost (${error.message})`);
    });
  }

  private announceState(reply: boolean, to?: string): void {
    const wire: Wire = { k: 'state', from: this.id, entries: this.directory.entriesOf(this.id), reply };
    this.publish(to ? direct(to) : BROADCAST, wire);
  }

  private tick(): void {
    this.publish(BROADCAST, { k: 'beat', from: this.id });
    const now = Date.now();
    if (now - this.heardSelfAt > this.timings.beatMs * 2) return;
    for (const [instance, at] of this.heardAt) {
      if (now - at > this.timings.lostAfterMs) {
        this.logger.warn(`kit instance ${instance} is silent for ${now - at} ms: taken for lost`);
        this.forget(instance, true);
      }
    }
  }

  private received(wire: Wire): void {
    if (wire.from === this.id) {
      if (wire.k === 'beat' || wire.k === 'state') this.heardSelfAt = Date.now();
      return;
    }
    // Its pages left as it closed them: nothing is lost with it.
    if (wire.k === 'bye') return this.forget(wire.from, false);
    this.heardAt.set(wire.from, Date.now());
    switch (wire.k) {
      case 'beat':
        if (!this.known.has(wire.from)) {
          // A beat from an instance never heard in full (its state was lost in a cut): ask for it.
          this.known.add(wire.from);
          this.announceState(true, wire.from);
        }
        return;
      case 'state':
        this.known.add(wire.from);
        this.replaceState(wire.from, wire.entries);
        if (wire.reply) this.announceState(false, wire.from);
        return;
      case 'put': {
        const previous = this.directory.put(wire.from, wire.entry);
        this.listener.entryChanged(wire.from, wire.entry, previous, false);
        return;
      }
      case 'drop': {
        const previous = this.directory.drop(wire.from, wire.sessionId, wire.name);
        if (previous) this.listener.entryChanged(wire.from, undefined, previous, false);
        return;
      }
      case 'hub':
        this.handlers.get(wire.kind)?.(wire.body as never, wire.from);
        return;
    }
  }

  /** Instances whose whole state this one has heard. */
  private readonly known = new Set<string>();

  private replaceState(instance: string, entries: DirectoryEntry[]): void {
    const before = new Map(this.directory.entriesOf(instance).map((entry) => [`${entry.sessionId}\u0000${entryName(entry)}`, entry]));
    for (const entry of entries) {
      const key = `${entry.sessionId}\u0000${entryName(entry)}`;
      const previous = before.get(key);
      before.delete(key);
      this.directory.put(instance, entry);
      if (JSON.stringify(previous) !== JSON.stringify(entry)) this.listener.entryChanged(instance, entry, previous, false);
    }
    for (const gone of before.values()) {
      this.directory.drop(instance, gone.sessionId, entryName(gone));
      this.listener.entryChanged(instance, undefined, gone, false);
    }
  }

  private forget(instance: string, lost: boolean): void {
    this.heardAt.delete(instance);
    this.known.delete(instance);
    for (const entry of this.directory.forget(instance)) this.listener.entryChanged(instance, undefined, entry, lost);
  }
}
