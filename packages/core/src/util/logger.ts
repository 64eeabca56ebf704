/** How much Proctorkit logs to the console in the browser. Default `'warn'`. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

const RANK: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };
let threshold: LogLevel = 'warn';

/** Sets how much every Proctorkit logger in this page prints. */
export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

/** A logger that prefixes its lines with `[proctorkit:<scope>]`. */
export function createLogger(scope: string) {
  const at = (level: Exclude<LogLevel, 'silent'>) => (message: string, ...detail: unknown[]) => {
    if (RANK[level] <= RANK[threshold]) console[level](`[proctorkit:${scope}] ${message}`, ...detail);
  };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

export type Logger = ReturnType<typeof createLogger>;
