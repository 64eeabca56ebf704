// CPU readings the benches share: the whole machine's, and every process of a browser's.
import { cpus } from 'node:os';
import type { CDPSession } from 'puppeteer-core';

/** The machine's busy and total CPU time so far, summed over cores (ms). */
export function machineCpu(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** CPU seconds of every process of a browser by process id, from CDP `SystemInfo.getProcessInfo`. */
export type BrowserCpu = Map<number, { type: string; cpuTime: number }>;

export async function browserCpu(session: CDPSession): Promise<BrowserCpu> {
  const { processInfo } = await session.send('SystemInfo.getProcessInfo');
  return new Map(processInfo.map((info) => [info.id, { type: info.type, cpuTime: info.cpuTime }]));
}

/** % of one core each process type of the browser used between two readings; a process started in between counts from 0. */
export function browserPercent(before: BrowserCpu, after: BrowserCpu, seconds: number): { total: number; byType: Record<string, number> } {
  const byType: Record<string, number> = {};
  let total = 0;
  for (const [id, { type, cpuTime }] of after) {
    const percent = ((cpuTime - (before.get(id)?.cpuTime ?? 0)) / seconds) * 100;
    byType[type] = (byType[type] ?? 0) + percent;
    total += percent;
  }
  return { total, byType };
}
