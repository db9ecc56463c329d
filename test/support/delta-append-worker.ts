// A separate writer process for the concurrency and crash tests:
//   tsx delta-append-worker.ts <store root> <table> <key prefix> <from> <to> <batch size>
// Appends eventRow(from..to) in batches, retrying each batch from the start of its rows (as a retried
// activity would), prints "batch <start>" after each batch and "done <commits>" at the end.
import { DeltaTable } from '@kafka-pipeline/delta-lake';
import { XACT_EVENTS } from '../../src/domains/xact/tables';
import { LocalObjectStore } from '../../src/adapters/storage/local-store';
import { eventRow, range } from './xact-rows';

async function main(): Promise<void> {
  const [root, table, prefix, from, to, batch] = process.argv.slice(2);
  const delta = await DeltaTable.open(new LocalObjectStore(root!), table!, XACT_EVENTS);
  let commits = 0;
  for (let start = Number(from); start < Number(to); start += Number(batch)) {
    const end = Math.min(start + Number(batch), Number(to));
    const result = await delta.append(range(start, end).map((i) => eventRow(i, prefix)));
    if (result.version !== null) commits++;
    console.log(`batch ${start}`);
  }
  console.log(`done ${commits}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
