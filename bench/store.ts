// `npm run bench:store`: durable appends per second and append latency of each store, with 2,000
// sessions writing: one event per commit, as a candidate's signal or a supervisor's command is
// written, 50 commits in flight at once. Each store runs for `--seconds` (default 5) on data of its
// own (a temporary directory; a schema of its own, dropped after, on PROCTOR_TEST_DATABASE_URL's
// PostgreSQL); the in-memory store (what a kit kept before stores were durable) is the baseline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { newClock, noFeeds } from '@proctorkit/core/protocol';
import { memoryStore, postgresStore, sqliteStore, type KitStore, type SessionRecord } from '@proctorkit/server-kit';
import { dropSchema, TEST_DATABASE_URL } from '../packages/server-kit/src/store/postgres/postgres-test-support.js';
import { ms, summarize } from './control/stats.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, sessions: { type: 'string', default: '2000' } } });
const seconds = Number(values.seconds);
const sessionCount = Number(values.sessions);
if (!(seconds > 0 && seconds <= 60) || !(sessionCount > 0 && sessionCount <= 20_000)) throw new Error('--seconds 1–60, --sessions 1–20000');

const IN_FLIGHT = 50;

interface Result {
  appendsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
}

async function measure(store: KitStore): Promise<Result> {
  const ids: string[] = [];
  for (let i = 0; i < sessionCount; i++) {
    const record: SessionRecord = {
      sessionId: `bench-session-${i}`,
      examId: 'bench-exam',
      candidateId: `cand-${i}`,
      name: `Candidate ${i}`,
      connected: true,
      feeds: noFeeds(),
      joinedAt: Date.now(),
      clock: newClock(3_600_000),
    };
    ids.push((await store.createSession(record)).sessionId);
  }
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  let next = 0;
  const started = performance.now();
  const writer = async () => {
    while (performance.now() < until) {
      const i = next++;
      const before = performance.now();
      await store.update(ids[i % ids.length]!, () => ({
        events: [{ draft: { type: 'signal.page-hidden', at: Date.now(), source: 'candidate', data: { hiddenMs: 1200 } }, clientEventId: `evt-${i}` }],
      }));
      latencies.push(performance.now() - before);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, writer));
  const appends = latencies.length;
  const elapsed = (performance.now() - started) / 1000;
  await store.close();
  return { appendsPerSecond: appends / elapsed, ...summarize(latencies) };
}

const directory = mkdtempSync(join(tmpdir(), 'proctorkit-bench-store-'));
try {
  const results: [string, Result][] = [];
  results.push(['memory (nothing survives a restart)', await measure(memoryStore())]);
  results.push(["SQLite, synchronous 'normal' (survives kill -9)", await measure(sqliteStore({ path: join(directory, 'normal.db'), synchronous: 'normal' }))]);
  results.push(["SQLite, synchronous 'full' (survives power loss)", await measure(sqliteStore({ path: join(directory, 'full.db'), synchronous: 'full' }))]);
  const schema = `proctorkit_bench_${process.pid}`;
  try {
    results.push(['PostgreSQL (shared by instances; its own fsync per commit)', await measure(postgresStore({ connectionString: TEST_DATABASE_URL, schema }))]);
  } finally {
    await dropSchema(schema);
  }
  console.log(`bench:store — ${sessionCount} sessions, one event per commit, ${IN_FLIGHT} commits in flight, ${seconds} s per store`);
  for (const [name, result] of results) {
    console.log(`  ${name}`);
    console.log(`    ${Math.round(result.appendsPerSecond).toLocaleString('en')} appends/s; latency p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, max ${ms(result.max)}`);
  }
  const normal = results[1]![1].appendsPerSecond;
  console.log(`  goal ≥ 5,000 durable appends/s on SQLite ('normal'): ${normal >= 5000 ? 'MET' : 'NOT MET'}`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
