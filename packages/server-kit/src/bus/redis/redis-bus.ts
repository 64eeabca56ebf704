import { Redis, type RedisOptions } from 'ioredis';
import { consoleLogger, type Logger } from '../../logger.js';
import type { BusListener, KitBus } from '../kit-bus.js';

/** Options of {@link redisBus}. */
export interface RedisBusOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  url: string;
  /** Put before every channel and key, so several deployments can share one Redis. Default: `'proctorkit'`. */
  prefix?: string;
  /** How long a command (publish, take) may wait for a Redis that is away before it fails. Default: 2000 ms. */
  commandTimeoutMs?: number;
  /** Where connection trouble is reported. Default: the console at `'warn'`. */
  logger?: Logger;
  /** More ioredis options (TLS, sentinels…), applied to both connections. */
  redis?: RedisOptions;
}

// A token bucket kept by Redis itself, on Redis's clock, so every instance spends from the same one.
const TAKE = `
local cost = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local perMs = tonumber(ARGV[3]) / 1000
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(stored[1]) or capacity
local at = tonumber(stored[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * perMs)
if cost > capacity then return math.ceil(capacity / perMs) end
local need = math.max(cost, 1)
if tokens < need then return math.ceil((need - tokens) / perMs) end
if cost == 0 then return 0 end
tokens = tokens - cost
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / perMs) + 1000)
return 0
`;

type WithTake = Redis & { proctorkitTake(key: string, cost: number, capacity: number, perSecond: number): Promise<number> };

/**
 * A bus over Redis pub/sub (`ioredis`), for several kit instances serving one exam: one
 * connection publishes and spends from shared buckets, one listens. After Redis restarts or the
 * network comes back, the bus subscribes again and tells the kit ({@link KitBus.onReconnect}).
 */
export function redisBus(options: RedisBusOptions): KitBus {
  const prefix = options.prefix ?? 'proctorkit';
  const logger = options.logger ?? consoleLogger('warn');
  const common: RedisOptions = { lazyConnect: false, ...options.redis };
  const publisher = new Redis(options.url, { ...common, commandTimeout: options.commandTimeoutMs ?? 2000 }) as WithTake;
  // The listener resubscribes itself on every (re)connection, so it knows when it is listening again.
  const listener = new Redis(options.url, { ...common, autoResubscribe: false, maxRetriesPerRequest: null });
  publisher.defineCommand('proctorkitTake', { numberOfKeys: 1, lua: TAKE });

  const listeners = new Map<string, BusListener>();
  const reconnectListeners = new Set<() => void>();
  const channel = (topic: string) => `${prefix}:bus:${topic}`;
  let everReady = false;
  let closed = false;
  let lastTrouble = 0;
  const trouble = (what: string) => (error: Error) => {
    // ioredis retries by itself; one line every 10 s is enough to say Redis is away.
    if (closed || Date.now() - lastTrouble < 10_000) return;
    lastTrouble = Date.now();
    logger.warn(`redis bus: ${what} connection: ${error.message}`);
  };
  publisher.on('error', trouble('publishing'));
  listener.on('error', trouble('listening'));
  listener.on('message', (name: string, message: string) => {
    if (!name.startsWith(`${prefix}:bus:`)) return;
    listeners.get(name.slice(prefix.length + 5))?.(message);
  });
  listener.on('ready', () => {
    const again = everReady;
    everReady = true;
    if (!again) return;
    const topics = [...listeners.keys()].map(channel);
    const resubscribed = topics.length > 0 ? listener.subscribe(...topics) : Promise.resolve(0);
    resubscribed.then(
      () => {
        logger.info('redis bus: connected again');
        for (const reconnected of reconnectListeners) reconnected();
      },
      (error: Error) => trouble('listening')(error),
    );
  });

  return {
    async publish(topic, message) {
      await publisher.publish(channel(topic), message);
    },
    async subscribe(topic, onMessage) {
      listeners.set(topic, onMessage);
      await listener.subscribe(channel(topic));
    },
    onReconnect(reconnected) {
      reconnectListeners.add(reconnected);
      return () => reconnectListeners.delete(reconnected);
    },
    async take(key, cost, capacity, perSecond) {
      return Number(await publisher.proctorkitTake(`${prefix}:budget:${key}`, cost, capacity, perSecond));
    },
    async close() {
      closed = true;
      listeners.clear();
      reconnectListeners.clear();
      // Nothing waits on the bus once its kit closes: drop the connections rather than wait for an absent Redis.
      publisher.disconnect();
      listener.disconnect();
    },
  };
}
