import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The demo exam site running as its own process, as `npm start` runs it. */
export interface ExamSiteProcess {
  url: string;
  /** What it printed on start, e.g. the media provider. */
  output: string;
  stop(): Promise<void>;
  /** Kills it as a crash would (`SIGKILL`): no shutdown of any kind. */
  kill(): Promise<void>;
}

export interface ExamSiteProcessOptions {
  /**
   * Added to this process's environment, e.g. `{ PROCTOR_PROVIDER: 'chime' }`. Without a
   * `PROCTOR_DATA_DIR`, the site gets a fresh one of its own, removed when it stops.
   */
  env?: Record<string, string>;
}

function spawnExamSite(options: ExamSiteProcessOptions, stderr: 'inherit' | 'pipe'): { child: ChildProcess; removeData: () => void } {
  const own = options.env?.PROCTOR_DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), 'proctorkit-exam-site-'));
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=proctorkit-source', 'examples/exam-site/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...(own ? { PROCTOR_DATA_DIR: own } : {}), ...options.env },
    stdio: ['ignore', 'pipe', stderr],
  });
  return { child, removeData: () => own && rmSync(own, { recursive: true, force: true }) };
}

/** Starts `examples/exam-site/server.ts` on a free port of 127.0.0.1 and waits until it listens. */
export async function startExamSiteProcess(options: ExamSiteProcessOptions = {}): Promise<ExamSiteProcess> {
  const { child, removeData } = spawnExamSite(options, 'inherit');
  child.once('exit', removeData);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`exam site did not start: ${output}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /exam site on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`exam site exited with ${code}: ${output}`)));
  });
  return {
    url,
    get output() {
      return output;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

/**
 * Runs the exam site with `options.env` expecting it to refuse to start: resolves with its exit
 * code and output. Rejects if it starts listening instead (and stops it), or runs past `timeoutMs`.
 */
export async function examSiteRefusal(
  options: ExamSiteProcessOptions = {},
  timeoutMs = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { child, removeData } = spawnExamSite(options, 'pipe');
  child.once('exit', removeData);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close' rather than 'exit': all its output has been read by then.
  const closed = once(child, 'close') as Promise<[number | null]>;
  let timer: NodeJS.Timeout | undefined;
  const problem = await new Promise<string | undefined>((resolve) => {
    timer = setTimeout(() => resolve(`did not exit within ${timeoutMs} ms`), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/exam site on http/.test(stdout)) resolve('started instead of refusing');
    });
    void closed.then(() => resolve(undefined));
  });
  clearTimeout(timer);
  if (problem) {
    child.kill('SIGTERM');
    await closed;
    throw new Error(`exam site ${problem}: ${stdout}${stderr}`);
  }
  const [code] = await closed;
  return { code, stdout, stderr };
}

/**
 * The environment of a demo on Amazon Chime against a local fake of its control plane at
 * `endpoint`: no AWS account, profile or region of this machine leaks in, and the SDK's Node
 * version notice stays quiet.
 */
export function chimeDemoEnv(endpoint: string): Record<string, string> {
  return {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    PROCTOR_PROVIDER: 'chime',
    PROCTOR_CHIME_ENDPOINT: endpoint,
    AWS_REGION: '',
    AWS_ACCESS_KEY_ID: '',
    AWS_PROFILE: '',
  };
}
