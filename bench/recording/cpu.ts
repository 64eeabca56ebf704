// CPU readings of `npm run bench:recording`, as % of one core over a window.
import { cpus } from 'node:os';
import type { CDPSession } from 'puppeteer-core';
export { machineCpu } from '../machine-cpu.js';


/** The whole machine's use between two readings, % of one core (so up to 100 × cores). */
export function machinePercent(before: { busy: number; total: number }, after: { busy: number; total: number }): number {
  return ((after.busy - before.busy) / (after.total - before.total)) * 100 * cpus().length;
}

/** This process's CPU between `since` (a `process.cpuUsage()`) and now, % of one core over `seconds`. */
export function ownPercent(since: NodeJS.CpuUsage, seconds: number): number {
  const used = process.cpuUsage(since);
  return ((used.user + used.system) / 1e6 / seconds) * 100;
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
