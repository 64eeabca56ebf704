/** Receives one message of a topic: the text another instance (or this one) published. */
export type BusListener = (message: string) => void;

/**
 * What connects the kit instances serving one exam: topics every instance may publish to and
 * subscribe to, and token buckets they share. An adapter behind this interface ({@link localBus}
 * for one process, {@link redisBus} for several) is all the kit knows of it.
 *
 * Delivery is at most once and in order per publisher. A message published while an instance was
 * cut off from the bus is lost to it: {@link onReconnect} tells the instance when it is back, so it
 * can ask again for what it needs (the kit resends its directory and tells its pages to catch up
 * from the store).
 */
export interface KitBus {
  /** Sends `message` to every subscriber of `topic`, this instance's own included. */
  publish(topic: string, message: string): Promise<void>;
  /** Delivers each later message of `topic` to `listener`; resolves once it is active. One listener per topic. */
  subscribe(topic: string, listener: BusListener): Promise<void>;
  /** Calls `listener` each time the bus is back after a cut: messages in between were lost. Returns how to stop. */
  onReconnect(listener: () => void): () => void;
  /**
   * Spends `cost` from the bucket `key`, shared by every instance on the bus: `capacity` at once,
   * refilled at `perSecond`. Resolves with 0 when spent, or the milliseconds until it could be
   * (nothing spent). An idle bucket is full. A `cost` of 0 spends nothing and resolves with the
   * wait until one token is there.
   */
  take(key: string, cost: number, capacity: number, perSecond: number): Promise<number>;
  /** Stops every subscription; the kit that was given the bus closes it. */
  close(): Promise<void>;
}
