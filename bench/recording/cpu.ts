// CPU readings of `npm run bench:recording`, as % of one core over a window.
import { cpus } from 'node:os';
export { browserCpu, browserPercent, machineCpu, type BrowserCpu } from '../cpu.js';


/** The whole machine's use between two readings, % of one core (so up to 100 × cores). */
export function machinePercent(before: { busy: number; total: number }, after: { busy: number; total: number }): number {
  return ((after.busy - before.busy) / (after.total - before.total)) * 100 * cpus().length;
}

/** This process's CPU between `since` (a `process.cpuUsage()`) and now, % of one core over `seconds`. */
export function ownPercent(since: NodeJS.CpuUsage, seconds: number): number {
  const used = process.cpuUsage(since);
  return ((used.user + used.system) / 1e6 / seconds) * 100;
}
