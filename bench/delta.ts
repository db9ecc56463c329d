import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GroupCommitter, DeltaTable, type Row } from '@kafka-pipeline/delta-lake';
import { XACT_EVENTS } from '../src/domains/xact/tables';
import { LocalObjectStore } from '../src/adapters/storage/local-store';
import { runPython } from '../test/support/delta-rs';
import { eventRow } from '../test/support/xact-rows';
import { xactEventRow } from '../src/activities/rows';
import { sampleEvent } from '../src/domains/xact/sample';
import { decodeXactEvent } from '../src/shared/xact-event';
import { type Figure, percentile } from './figures';

/** Timed appends after the first (cold) one; the figure is their median, the same for both writers. */
const ROUNDS = 5;

const DELTA_RS_WRITE = `
import sys, time, json, os
import pyarrow as pa
from deltalake import DeltaTable, write_deltalake
data = DeltaTable(sys.argv[1]).to_pyarrow_table()
out, rounds, with_dicts = sys.argv[2], int(sys.argv[3]), sys.argv[4] == "dicts"
dicts = data.to_pylist() if with_dicts else []
seconds, from_rows = [], []
for r in range(rounds + 1):
    t0 = time.perf_counter()
    write_deltalake(f"{out}/run-{r}", data, partition_by=["event_date"])
    seconds.append(time.perf_counter() - t0)
for r in range(rounds + 1 if with_dicts else 0):
    t0 = time.perf_counter()
    write_deltalake(f"{out}/rows-{r}", pa.Table.from_pylist(dicts, schema=data.schema), partition_by=["event_date"])
    from_rows.append(time.perf_counter() - t0)
size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(f"{out}/run-1") for f in fs if f.endswith(".parquet"))
print(json.dumps({"seconds": seconds, "fromRows": from_rows, "rows": data.num_rows, "bytes": size}))
`;

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return percentile(sorted, 50);
}
const secs = (xs: readonly number[]) => xs.map((x) => x.toFixed(3)).join(', ');

interface Runs {
  /** Seconds of our appends (the first one cold), then delta-rs' writes of the same rows, measured the same way. */
  readonly ours: number[];
  readonly theirs: { seconds: number[]; fromRows: number[]; rows: number; bytes: number };
  readonly oursBytes: number;
}

/** A first (cold) append of `data` into a new table, ROUNDS more, then delta-rs writing the same rows. */
async function appendRuns(
  store: LocalObjectStore,
  root: string,
  name: string,
  data: Row[],
  dicts: boolean,
): Promise<Runs> {
  const ours: number[] = [];
  let oursBytes = 0;
  for (let r = 0; r <= ROUNDS; r++) {
    const table = await DeltaTable.open(store, `${name}-${r}`, XACT_EVENTS);
    const t0 = performance.now();
    await table.append(data);
    ours.push((performance.now() - t0) / 1000);
    if (r === 1) oursBytes = [...table.files.values()].reduce((n, f) => n + f.size, 0);
  }
  const args = [
    path.join(root, `${name}-0`),
    path.join(root, `delta-rs-${name}`),
    String(ROUNDS),
    dicts ? 'dicts' : '-',
  ];
  const theirs = JSON.parse(await runPython(DELTA_RS_WRITE, args)) as Runs['theirs'];
  if (theirs.rows !== data.length) throw new Error(`delta-rs read ${theirs.rows} rows, expected ${data.length}`);
  return { ours, theirs, oursBytes };
}

/**
 * Rows shaped like the pipeline's: sample events (src/sample) decoded and turned into xact_events rows as the
 * activity does — every column filled, raw_json ~800 characters, timestamps as ISO strings, one event date.
 */
function pipelineRows(n: number): Row[] {
  const now = new Date();
  return Array.from({ length: n }, (_, i) => {
    const text = JSON.stringify(
      sampleEvent(i, { sampleUrl: 'http://127.0.0.1:8000', attachments: 1 + (i % 3), random: () => 1 }),
    );
    const decoded = decodeXactEvent(text);
    if (!decoded.ok) throw new Error(`sample event ${i} does not decode: ${decoded.reason}`);
    return xactEventRow(decoded.event, text, now);
  });
}

/**
 * 5. Rows/s of 100k-row appends (one call, a new table each time) against delta-rs write_deltalake of the same
 * rows, both measured the same way in the same run: a first (cold) write, then the median of ROUNDS more. The
 * steady-state figure is what a long-running worker sees; the cold one is reported next to it, and so is delta-rs
 * starting from the same rows as Python dicts (what it costs when rows arrive one object each). The same for rows
 * shaped like the pipeline's. Then the files and commits that 10,000 concurrent single-row calls make under group
 * commit.
 */
export async function deltaBench(rows: number, singleCalls: number): Promise<Figure[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-delta-'));
  try {
    const store = new LocalObjectStore(root);
    const { ours, theirs, oursBytes } = await appendRuns(
      store,
      root,
      'ours',
      Array.from({ length: rows }, (_, i) => eventRow(i, 'bench')),
      true,
    );
    const steady = rows / median(ours.slice(1));
    const deltaRs = rows / median(theirs.seconds.slice(1));
    const cold = rows / ours[0]!;
    const deltaRsCold = rows / theirs.seconds[0]!;
    const deltaRsFromRows = rows / median(theirs.fromRows.slice(1));
    const real = await appendRuns(store, root, 'pipeline', pipelineRows(rows), false);
    const realSteady = rows / median(real.ours.slice(1));
    const realDeltaRs = rows / median(real.theirs.seconds.slice(1));
    const grouped = await DeltaTable.open(store, 'grouped', XACT_EVENTS);
    const committer = new GroupCommitter(grouped, { maxRows: 1000, minIntervalMs: 0 });
    const t1 = performance.now();
    await Promise.all(Array.from({ length: singleCalls }, (_, i) => committer.append([eventRow(i, 'single')])));
    const singleS = (performance.now() - t1) / 1000;
    return [
      {
        section: 'delta',
        name: `append ${rows} rows (one call; median of ${ROUNDS} after the first)`,
        value: steady,
        unit: 'rows/s',
        baseline: { name: 'delta-rs write_deltalake rows/s (same rows, measured the same way)', value: deltaRs },
        ratio: steady / deltaRs,
        target: 'ratio >= 0.5',
        note: `ours s: ${secs(ours.slice(1))}; delta-rs s: ${secs(theirs.seconds.slice(1))}; data files ${oursBytes} B vs delta-rs ${theirs.bytes} B`,
      },
      {
        section: 'delta',
        name: `append ${rows} rows, against delta-rs starting from row objects`,
        value: steady,
        unit: 'rows/s',
        baseline: { name: 'pyarrow Table.from_pylist + write_deltalake rows/s', value: deltaRsFromRows },
        ratio: steady / deltaRsFromRows,
        note: 'both writers start from one object per row (ours: JS objects; delta-rs: Python dicts); context only',
      },
      {
        section: 'delta',
        name: `append ${rows} rows, first call of the process (cold)`,
        value: cold,
        unit: 'rows/s',
        baseline: { name: 'delta-rs first write_deltalake rows/s', value: deltaRsCold },
        ratio: cold / deltaRsCold,
        note: 'includes JIT warm-up and the Parquet thread starting',
      },
      {
        section: 'delta',
        name: `append ${rows} rows shaped like the pipeline's (all columns, ~800-character raw_json)`,
        value: realSteady,
        unit: 'rows/s',
        baseline: { name: 'delta-rs write_deltalake rows/s (same rows, measured the same way)', value: realDeltaRs },
        ratio: realSteady / realDeltaRs,
        note: `ours s: ${secs(real.ours.slice(1))}; delta-rs s: ${secs(real.theirs.seconds.slice(1))}; data files ${real.oursBytes} B vs delta-rs ${real.theirs.bytes} B`,
      },
      {
        section: 'delta',
        name: `${singleCalls} concurrent single-row calls (group commit)`,
        value: grouped.files.size,
        unit: 'files',
        note: `${grouped.version} commits in ${singleS.toFixed(1)} s`,
        target: 'a handful, not one per call',
      },
    ];
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
