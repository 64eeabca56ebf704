/** How a view shows a supervisor's command: busy while it runs, then a notice or the error. */
export interface CommandStatus {
  busy: boolean;
  error?: string | undefined;
  notice?: string | undefined;
}

/**
 * Runs a command for a view: `busy` while it runs, then the notice `done` words, or the error's
 * message. `show` puts each status on the view. Resolves whether the command succeeded.
 */
export async function runCommand<T>(show: (status: CommandStatus) => void, command: () => Promise<T>, done: (result: T) => string): Promise<boolean> {
  show({ busy: true, error: undefined, notice: undefined });
  try {
    show({ busy: false, notice: done(await command()) });
    return true;
  } catch (error) {
    show({ busy: false, error: error instanceof Error ? error.message : String(error) });
    return false;
  }
}
