import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ProctorKitOptions } from '../../src/index.js';
import { SECRET } from '../../src/test-helpers.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

export interface KitProcessOptions {
  /** Kit options that survive JSON (limits, timings, phonePageUrl…). */
  kit?: Partial<ProctorKitOptions>;
  /** `escape`: a provider that throws out of every handler when candidate `boom` joins. */
  fault?: 'escape';
}

/** A kit running in a child process on 127.0.0.1, stopped after the test. */
export class KitProcess {
  /** Everything the kit wrote to stderr (its warnings and errors). */
  stderr = '';
  private nextId = 0;

  private constructor(
    readonly child: ChildProcess,
    readonly origin: string,
  ) {
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  static async start(t: TestContext, options: KitProcessOptions = {}): Promise<KitProcess> {
    const child = fork(MAIN, {
      execArgv: ['--import', 'tsx', '--conditions=proctorkit-source', '--expose-gc'],
      env: {
        ...process.env,
        PROCTOR_KIT_SECRET: SECRET,
        PROCTOR_KIT_OPTIONS: JSON.stringify(options.kit ?? {}),
        ...(options.fault ? { PROCTOR_KIT_FAULT: options.fault } : {}),
      },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let early = '';
    child.stderr!.on('data', (chunk: Buffer) => (early += chunk.toString()));
    const ready = await new Promise<{ origin: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the kit process did not start: ${early}`)), 20_000);
      child.once('message', (message: { origin: string }) => {
        clearTimeout(timer);
        resolve(message);
      });
      child.once('exit', (code) => reject(new Error(`the kit process exited with ${code}: ${early}`)));
    });
    const kit = new KitProcess(child, ready.origin);
    kit.stderr = early;
    t.after(() => kit.stop());
    return kit;
  }

  get wsUrl(): string {
    return `${this.origin.replace('http', 'ws')}/proctor/ws`;
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The kit's resident set size in bytes, after a garbage collection. */
  async rss(): Promise<number> {
    const id = ++this.nextId;
    const reply = new Promise<number>((resolve) => {
      const onMessage = (message: { type: string; id: number; rss: number }) => {
        if (message.type !== 'rss' || message.id !== id) return;
        this.child.off('message', onMessage);
        resolve(message.rss);
      };
      this.child.on('message', onMessage);
    });
    this.child.send({ type: 'rss', id });
    return reply;
  }

  /** Asks the kit's health route: whether it answers at all. */
  async healthy(): Promise<boolean> {
    try {
      const response = await fetch(`${this.origin}/proctor/health`);
      return response.ok;
    } catch {
      return false;
    }
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    await once(this.child, 'exit');
  }
}
