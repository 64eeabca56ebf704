import { parseArgs } from 'node:util';

type Options = Record<string, { type: 'string'; default: string } | { type: 'boolean'; default: boolean }>;
type Values<O extends Options> = { [K in keyof O]: O[K]['default'] };

/** Command-line handling shared by the scripts and benches: options, `--help`, and errors that exit 1. */
export function cli<const O extends Options>(name: string, usage: string, options: O) {
  const fail = (message: string): never => {
    console.error(`${name}: ${message}`);
    process.exit(1);
  };
  let values: Record<string, unknown> = {};
  try {
    ({ values } = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h', default: false } } }));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${usage.trimEnd()}`);
  }
  if (values.help) {
    console.log(usage.trimEnd());
    process.exit(0);
  }
  /** A number > 0 (whole when `whole`), or exit with an error naming the flag. */
  const positive = (flag: string, text: string, whole: boolean): number => {
    const value = Number(text);
    if (!(value > 0) || (whole && !Number.isInteger(value))) fail(`${flag} must be a ${whole ? 'whole ' : ''}number > 0, not "${text}".`);
    return value;
  };
  return { values: values as Values<O>, fail, positive };
}

/**
 * Bounds a bench: on Ctrl-C / SIGTERM it calls `cleanUp(130)`, and when `limitMs` passes it says so
 * and calls `cleanUp(1)`. `cleanUp` ends the process.
 */
export function stopOnSignalOrTimeout(name: string, limitMs: number, cleanUp: (code: number) => unknown): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping the bench…`);
      void cleanUp(130);
    });
  }
  setTimeout(() => {
    console.error(`${name}: did not finish within ${Math.round(limitMs / 1000)} s; stopping.`);
    void cleanUp(1);
  }, limitMs).unref();
}
