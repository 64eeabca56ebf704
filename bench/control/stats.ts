// Small helpers shared by the control-channel bench: percentiles, counters, formatting.

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of `sorted` (ascending); NaN when empty. */
function rank(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(values: number[]): Summary {
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  return { n: list.length, p50: rank(list, 50), p99: rank(list, 99), max: list.length ? list[list.length - 1]! : NaN };
}

/** Failures by kind, with a few examples of each. */
export class Failures {
  private readonly byKind = new Map<string, { count: number; examples: string[] }>();

  add(kind: string, detail: string): void {
    let entry = this.byKind.get(kind);
    if (!entry) this.byKind.set(kind, (entry = { count: 0, examples: [] }));
    entry.count++;
    if (entry.examples.length < 3) entry.examples.push(detail);
  }

  get total(): number {
    let total = 0;
    for (const { count } of this.byKind.values()) total += count;
    return total;
  }

  lines(): string[] {
    return [...this.byKind].map(([kind, { count, examples }]) => `${count} × ${kind} (e.g. ${examples.join('; ')})`);
  }
}

export const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms` : 'n/a');
export const kb = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KB` : 'n/a');
export const mb = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : 'n/a');
export const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
export const sleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));
