// The whole machine's CPU, for the benches that report what else kept it busy.
import { cpus } from 'node:os';

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
