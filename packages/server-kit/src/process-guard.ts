import type { Logger } from './logger.js';

/** At most this many lines a minute, so a fault on every message cannot flood the log. */
const LINES_PER_MINUTE = 20;

const loggers: Logger[] = [];
let window = { startedAt: 0, lines: 0, dropped: 0 };

function report(what: string, error: unknown): void {
  const now = Date.now();
  if (now - window.startedAt >= 60_000) {
    if (window.dropped > 0) loggers[0]?.error(`process guard: ${window.dropped} more uncaught errors in the last minute were not logged`);
    window = { startedAt: now, lines: 0, dropped: 0 };
  }
  if (++window.lines > LINES_PER_MINUTE) {
    window.dropped += 1;
    return;
  }
  loggers[0]?.error(`process guard: ${what} (the process keeps running)`, error);
}

const onUncaught = (error: Error) => report('uncaught exception', error);
const onUnhandled = (reason: unknown) => report('unhandled promise rejection', reason);

/**
 * Keeps the process serving every other exam when an error escapes every handler (a fault of a
 * provider's timer, a store's callback): it is logged, at most {@link LINES_PER_MINUTE} times a
 * minute, and the process goes on. Listeners are shared by every kit of the process and removed
 * with the last one. Returns the function that releases this kit's guard.
 */
export function guardProcess(logger: Logger): () => void {
  loggers.push(logger);
  if (loggers.length === 1) {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUnhandled);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    loggers.splice(loggers.indexOf(logger), 1);
    if (loggers.length > 0) return;
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUnhandled);
  };
}
