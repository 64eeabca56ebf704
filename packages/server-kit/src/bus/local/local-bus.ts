import { RateLimit } from '../../limits/rate-limit.js';
import type { BusListener, KitBus } from '../kit-bus.js';

/**
 * The topics and buckets that {@link localBus} instances of one process share. Give several kits
 * one network to run them as instances of one deployment in a single process (tests); a kit
 * without a bus has a network of its own.
 */
export class LocalBusNetwork {
  readonly listeners = new Map<string, Set<BusListener>>();
  readonly buckets = new Map<string, RateLimit>();
}

/** Options of {@link localBus}. */
export interface LocalBusOptions {
  /** Whom this bus reaches: instances on the same network. Default: a network of its own. */
  network?: LocalBusNetwork;
}

/**
 * A bus inside one process: the default, for a kit that runs as one process. It is never cut off,
 * so it never reconnects. Messages are delivered asynchronously, as over a real bus.
 */
export function localBus({ network = new LocalBusNetwork() }: LocalBusOptions = {}): KitBus {
  const mine = new Map<string, BusListener>();
  let closed = false;
  return {
    async publish(topic, message) {
      if (closed) throw new Error('The bus is closed.');
      const listeners = [...(network.listeners.get(topic) ?? [])];
      // A microtask each, in publish order: a listener never runs inside the publisher's call.
      for (const listener of listeners) queueMicrotask(() => listener(message));
    },
    async subscribe(topic, listener) {
      if (closed) throw new Error('The bus is closed.');
      const previous = mine.get(topic);
      if (previous) network.listeners.get(topic)?.delete(previous);
      let set = network.listeners.get(topic);
      if (!set) network.listeners.set(topic, (set = new Set()));
      set.add(listener);
      mine.set(topic, listener);
    },
    onReconnect() {
      return () => {};
    },
    async take(key, cost, capacity, perSecond) {
      const id = `${capacity}/${perSecond}`;
      let bucket = network.buckets.get(id);
      if (!bucket) network.buckets.set(id, (bucket = new RateLimit(capacity, perSecond)));
      return cost === 0 ? bucket.retryAfterMs(key) : bucket.take(key, cost);
    },
    async close() {
      closed = true;
      for (const [topic, listener] of mine) network.listeners.get(topic)?.delete(listener);
      mine.clear();
    },
  };
}
