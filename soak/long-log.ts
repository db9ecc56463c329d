/**
 * `npm run soak:long-log [-- --commits 300000 --appends 200]`: issue 31 soak (a), a long Delta log. Builds a table
 * whose log holds 300,000 commits and the writer's checkpoints (written straight to a folder: the fixture of
 * packages/delta-lake/test/support/long-log.ts), and a fresh table (same rows, one checkpoint interval), then
 * measures on both, through the app's local store: a worker's table open, append latency (p95 of single-row
 * appends), `latestCommit` (what `kafka-pipeline status` shows) and `verifyTable` (`kafka-pipeline delta verify`).
 * Fails (exit 1) when anything throws, when a load lists the log, or when the long table takes more than 2 × the
 * fresh one. Figures: docs/reliability.md, "Over time".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  cleanupLog,
  DEFAULT_CHECKPOINT_INTERVAL as EVERY,
  DeltaTable,
  latestCommit,
  stopParquetThread,
  verifyTable,
} from '@kafka-pipeline/delta-lake';
import { buildLongLog } from '../packages/delta-lake/test/support/long-log';
import { CountingStore } from '../packages/delta-lake/test/support/counting-store';
import { XACT_EVENTS } from '../src/domains/xact/tables';
import { LocalObjectStore } from '../src/adapters/storage/local-store';
import { eventRow, range } from '../test/support/xact-rows';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const COMMITS = arg('--commits', 300_000);
const APPENDS = arg('--appends', 200);
const REPEAT = arg('--repeat', 9);
const MAX_RATIO = 2;
const TABLE = 'Tables/xact_events';
const SETUP_ROWS = range(0, 300).map((i) => eventRow(i));

const quantile = (xs: number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function per10(fn: () => Promise<unknown>): Promise<number> {
  const total = await timed(async () => {
    for (let i = 0; i < 10; i++) await fn();
  });
  return total / 10;
}

interface Side {
  readonly name: 'fresh' | 'long';
  readonly store: CountingStore;
  readonly samples: Record<string, number[]>;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-long-log-'));
  try {
    const built = performance.now();
    const long = await buildLongLog(path.join(root, 'long'), TABLE, XACT_EVENTS, SETUP_ROWS, COMMITS);
    // Fresh: the same rows, up to the writer's first checkpoint: only the length of the log differs.
    const fresh = await buildLongLog(path.join(root, 'fresh'), TABLE, XACT_EVENTS, SETUP_ROWS, EVERY);
    console.log(
      `fixture: ${long.version} commits, checkpoint ${long.checkpoint}, ${long.liveFiles} live files (${((performance.now() - built) / 1000).toFixed(0)} s)`,
    );
    const sides: Side[] = (['fresh', 'long'] as const).map((name) => ({
      name,
      store: new CountingStore(new LocalObjectStore(path.join(root, name))),
      samples: { open: [], latestCommit: [], verify: [], append: [] },
    }));

    // Alternate the two tables round by round, so that load on the machine hits both alike; round 0 warms up
    // (module loading, the Parquet thread) and is not counted.
    for (let round = 0; round <= REPEAT; round++) {
      if (round === 1) for (const side of sides) for (const k of Object.keys(side.samples)) side.samples[k]!.length = 0;
      for (const side of sides) {
        const s = side.samples;
        // A few milliseconds each on a local disk: each sample is the mean of 10 calls, so that timer and
        // scheduling noise of a busy machine do not make the ratio.
        s.open!.push(await per10(() => DeltaTable.open(side.store, TABLE, XACT_EVENTS)));
        s.latestCommit!.push(await per10(() => latestCommit(side.store, TABLE)));
        s.verify!.push(
          await per10(async () => {
            const report = await verifyTable(side.store, TABLE, 'event_id');
            if (report.problems.length > 0) throw new Error(`${side.name}: verify: ${report.problems.join('; ')}`);
          }),
        );
      }
    }
    const tables = await Promise.all(sides.map((side) => DeltaTable.open(side.store, TABLE, XACT_EVENTS)));
    for (let i = 0; i < APPENDS; i++) {
      for (const [k, side] of sides.entries()) {
        side.samples.append!.push(await timed(() => tables[k]!.append([eventRow(1_000_000 + i, 'soak')])));
      }
    }
    for (const [k, side] of sides.entries()) {
      const expected = (side.name === 'long' ? long.version : fresh.version) + APPENDS;
      if (tables[k]!.version !== expected)
        throw new Error(`${side.name}: version ${tables[k]!.version}, expected ${expected}`);
    }

    const figures = [
      ['worker table open (median)', 'open', 0.5],
      ['append, one row (p95)', 'append', 0.95],
      ['latestCommit / status (median)', 'latestCommit', 0.5],
      ['delta verify (median)', 'verify', 0.5],
    ] as const;
    const failures: string[] = [];
    console.log(
      `\n| ${COMMITS.toLocaleString('en')} commits vs fresh | fresh ms | long ms | ratio |\n|---|---|---|---|`,
    );
    for (const [label, key, q] of figures) {
      const [f, l] = sides.map((side) => quantile(side.samples[key]!, q));
      const ratio = l! / f!;
      console.log(`| ${label} | ${f!.toFixed(2)} | ${l!.toFixed(2)} | ${ratio.toFixed(2)} |`);
      if (!(ratio <= MAX_RATIO)) failures.push(`${label}: ${ratio.toFixed(2)} × fresh (limit ${MAX_RATIO})`);
    }
    for (const side of sides) {
      if (side.store.calls.list > 0) failures.push(`${side.name}: ${side.store.calls.list} listings of the log`);
    }
    console.log(`\nlistings of the log: ${sides.map((side) => `${side.name} ${side.store.calls.list}`).join(', ')}`);

    // What every load cost before issue 31: a listing of the whole log, then Math.max over its versions.
    const listStore = new LocalObjectStore(path.join(root, 'long'));
    let names: string[] = [];
    const listMs = await timed(async () => (names = await listStore.list(`${TABLE}/_delta_log`)));
    let spread = 'returns';
    try {
      Math.max(...names.map((n) => Number(n.slice(0, 20)))); // the old code; throws past ~125,000
    } catch (err) {
      spread = `throws ${(err as Error).name}`;
    }
    console.log(
      `\nfor comparison: one listing of the long log (${names.length.toLocaleString('en')} names) takes ${listMs.toFixed(0)} ms on this disk; Math.max(...versions) ${spread}`,
    );
    // Log cleanup as maintenance runs it, with a retention that expires the older half of the long log: the log
    // must then start at the newest checkpoint at or before the middle commit and hold exactly what follows it.
    const mid = Math.floor(long.version / 2);
    const midTime = (
      JSON.parse(
        fs
          .readFileSync(path.join(root, 'long', TABLE, '_delta_log', `${String(mid).padStart(20, '0')}.json`), 'utf8')
          .split('\n')
          .find((l) => l.includes('"commitInfo"')) ?? '{}',
      ) as { commitInfo?: { timestamp?: number } }
    ).commitInfo?.timestamp;
    if (typeof midTime !== 'number') throw new Error(`commit ${mid} has no commitInfo timestamp`);
    const cleaned = await cleanupLog(listStore, TABLE, Date.now() - midTime);
    const expectedFrom = Math.floor(mid / EVERY) * EVERY;
    const newest = tables[1]!.version;
    const checkpointsKept = Math.floor(newest / EVERY) - expectedFrom / EVERY + 1;
    const expectedFiles = newest - expectedFrom + 1 + checkpointsKept;
    console.log(
      `
log cleanup (retention = age of commit ${mid}): log starts at ${cleaned.keptFrom}, ${cleaned.deleted.toLocaleString('en')} files deleted, ${cleaned.remaining.toLocaleString('en')} left (expected ${expectedFrom} and ${expectedFiles.toLocaleString('en')})`,
    );
    if (cleaned.keptFrom !== expectedFrom || cleaned.remaining !== expectedFiles)
      failures.push(`log cleanup kept from ${cleaned.keptFrom} with ${cleaned.remaining} files`);
    const after = sides[1]!.store;
    const reopened = await DeltaTable.open(after, TABLE, XACT_EVENTS);
    const afterCommit = await latestCommit(after, TABLE);
    const afterVerify = await verifyTable(after, TABLE, 'event_id');
    if (reopened.version !== newest || afterCommit?.version !== newest || afterVerify.problems.length > 0)
      failures.push(
        `after cleanup: open at ${reopened.version}, latestCommit ${afterCommit?.version}, verify ${afterVerify.problems.join('; ')}`,
      );
    if (failures.length > 0) {
      console.error(`\nFAILED:\n- ${failures.join('\n- ')}`);
      process.exitCode = 1;
    } else console.log('\nok: nothing threw, no listing, every figure within 2 × fresh');
  } finally {
    await stopParquetThread();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
