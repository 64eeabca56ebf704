import { redisBus, type KitBus } from '@proctorkit/server-kit';
import { withoutPassword } from './without-password.js';

/** The bus the environment asks for (none: one instance), with a line saying which; or why it cannot be had. */
export type BusChoice = { ok: true; bus?: KitBus; summary: string } | { ok: false; message: string };

/**
 * Reads the demo site's bus from the environment: `PROCTOR_REDIS_URL` (`redis://…`) connects this
 * instance to the others serving the same exam through Redis. It needs `PROCTOR_DATABASE_URL`:
 * instances share their sessions through PostgreSQL, never through one SQLite file each.
 */
export function busFromEnv(env: NodeJS.ProcessEnv): BusChoice {
  const url = env.PROCTOR_REDIS_URL?.trim();
  if (!url) return { ok: true, summary: 'this process only' };
  if (!/^rediss?:\/\/[^\s/]+/.test(url)) {
    return { ok: false, message: 'PROCTOR_REDIS_URL must be a redis:// URL such as redis://127.0.0.1:6379.' };
  }
  if (!env.PROCTOR_DATABASE_URL?.trim()) {
    return { ok: false, message: 'PROCTOR_REDIS_URL needs PROCTOR_DATABASE_URL: instances share their sessions through PostgreSQL.' };
  }
  const prefix = env.PROCTOR_REDIS_PREFIX?.trim() || 'proctorkit';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(prefix)) return { ok: false, message: 'PROCTOR_REDIS_PREFIX must be letters, digits, dots, dashes or underscores.' };
  return { ok: true, bus: redisBus({ url, prefix }), summary: `Redis, prefix ${prefix} (${withoutPassword(url, 'redis://…')})` };
}
