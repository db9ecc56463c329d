import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeltaTable } from '@kafka-pipeline/delta-lake';
import { XACT_EVENTS } from '../../src/domains/xact/tables';
import { LocalObjectStore } from '../../src/adapters/storage/local-store';
import { readWithDeltaRs } from '../support/delta-rs';
import { ROOT } from '../support/stack';

const WORKER = path.join(__dirname, '..', 'support', 'delta-append-worker.ts');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface Run {
  readonly batches: () => number;
  onProgress(fn: () => void): void;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  kill(): void;
}

function startWriter(root: string, prefix: string, from: number, to: number, batch: number): Run {
  const child = spawn(TSX, [WORKER, root, 'xact_events', prefix, String(from), String(to), String(batch)]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
    child.emit('progress');
  });
  child.stderr.on('data', (d) => (stderr += d));
  return {
    batches: () => stdout.split('\n').filter((l) => l.startsWith('batch ')).length,
    onProgress: (fn: () => void) => child.on('progress', fn),
    done: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }))),
    kill: () => child.kill('SIGKILL'),
  };
}

describe('Delta writer under concurrency and crashes', function () {
  this.timeout(900_000);
  let root: string;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'delta-conc-'));
    await DeltaTable.open(new LocalObjectStore(root), 'xact_events', XACT_EVENTS); // version 0 exists
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('two writer processes appending 10,000 rows each at once give 20,000 rows, no lost commit, no duplicate version', async () => {
    const [a, b] = [startWriter(root, 'a', 0, 10_000, 250), startWriter(root, 'b', 0, 10_000, 250)];
    const results = await Promise.all([a.done, b.done]);
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const commits = results.map((r) => Number(/done (\d+)/.exec(r.stdout)?.[1]));
    assert.deepEqual(commits, [40, 40]);
    const view = await readWithDeltaRs(path.join(root, 'xact_events'));
    assert.equal(view.version, 80, 'every commit got its own version');
    assert.equal(view.rows.length, 20_000);
    assert.equal(new Set(view.rows.map((r) => r.event_id)).size, 20_000);
  });

  it('kill -9 at random points in 100 runs of append-with-retry: afterwards each key is present exactly once', async () => {
    // Run r retries keys [5r, 5r+40) in batches of 5: it re-appends what earlier runs (maybe) committed and adds new
    // keys, and is killed after a random number of batches plus a few milliseconds, so kills land in every phase
    // (opening, reading the log, writing the data file, committing, checkpointing).
    const runs = Number(process.env.KP_DELTA_CRASH_RUNS ?? 100);
    let killedMidway = 0;
    for (let run = 0; run < runs; run++) {
      const writer = startWriter(root, 'k', 5 * run, 5 * run + 40, 5);
      const killAfter = Math.floor(Math.random() * 8);
      const jitterMs = Math.floor(Math.random() * 12);
      let timer: NodeJS.Timeout | undefined;
      const arm = (): void => {
        if (timer === undefined && writer.batches() >= killAfter) timer = setTimeout(() => writer.kill(), jitterMs);
      };
      arm();
      writer.onProgress(arm);
      const result = await writer.done;
      clearTimeout(timer);
      if (result.signal === 'SIGKILL') killedMidway++;
      else assert.equal(result.code, 0, result.stderr);
    }
    const total = 5 * (runs - 1) + 40;
    const final = await startWriter(root, 'k', 0, total, 40).done; // recovery: the retry that finally completes
    assert.equal(final.code, 0, final.stderr);
    const view = await readWithDeltaRs(path.join(root, 'xact_events'));
    const ids = view.rows.map((r) => String(r.event_id));
    assert.equal(new Set(ids).size, total, 'every key present');
    assert.equal(ids.length, total, 'no key twice');
    assert.ok(killedMidway >= runs * 0.9, `only ${killedMidway} of ${runs} runs were killed before finishing`);
  });
});
