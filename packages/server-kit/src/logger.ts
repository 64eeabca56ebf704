/** How much the kit logs. `warn` by default: nothing chatty. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

/** The logger the kit writes to; pass your own to route lines elsewhere. */
export interface Logger {
  error(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  debug(message: string, detail?: unknown): void;
}

const RANK: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

/** A console logger that drops lines below `level`. */
export function consoleLogger(level: LogLevel = 'warn'): Logger {
  const at = (lineLevel: Exclude<LogLevel, 'silent'>) => (message: string, detail?: unknown) => {
    if (RANK[lineLevel] > RANK[level]) return;
    const line = `[proctorkit] ${lineLevel}: ${message}`;
    if (detail === undefined) console[lineLevel](line);
    else console[lineLevel](line, detail);
  };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}
