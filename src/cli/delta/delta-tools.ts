import { compactTable, type CompactOptions, type TableDef, DeltaTable, verifyTable } from '@kafka-pipeline/delta-lake';
import { maintainedTables } from '../../maintenance/tables';
import { createObjectStore } from '../../wiring/object-store';
import type { Config } from '../../config/config';
import { cliConfig } from '../common/cli-config';

/** The tables `delta verify|compact` know, by the name operators use: every domain's and the DLQ's. */
function tableNamed(config: Config, name: string, command: string): { path: string; def: TableDef } | undefined {
  const tables = maintainedTables(config);
  const target = tables.get(name);
  if (!target)
    console.error(`delta ${command}: unknown table ${JSON.stringify(name)} (${[...tables.keys()].join(', ')})`);
  return target;
}

/** Runs `delta verify`; returns the exit code (0 clean, 1 problems found, 2 unknown table). */
export async function runVerify(table: string, json: boolean): Promise<number> {
  const config = cliConfig();
  const target = tableNamed(config, table, 'verify');
  if (!target) return 2;
  const report = await verifyTable(createObjectStore(config), target.path, target.def.keyColumn);
  if (json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`${report.table}: version ${report.version}, ${report.files} files, ${report.rows} rows`);
    for (const p of report.problems) console.log(`problem: ${p}`);
    if (report.problems.length === 0) console.log('ok: log contiguous, files present, keys unique');
  }
  return report.problems.length === 0 ? 0 : 1;
}

/** Runs `delta compact`; returns the exit code (0 done, 1 a partition was skipped, 2 unknown table). */
export async function runCompact(table: string, opts: CompactOptions & { json: boolean }): Promise<number> {
  const config = cliConfig();
  const target = tableNamed(config, table, 'compact');
  if (!target) return 2;
  const store = createObjectStore(config);
  const delta = await DeltaTable.open(store, target.path, target.def);
  const report = await compactTable(store, delta, opts);
  if (opts.json) console.log(JSON.stringify(report, null, 2));
  else {
    const verb = report.dryRun ? 'would rewrite' : 'rewrote';
    for (const p of report.partitions) {
      const where = Object.entries(p.partition)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const outcome = p.skipped ? `skipped: ${p.skipped}` : p.version === null ? '' : `version ${p.version}`;
      console.log(`${where}: ${verb} ${p.filesBefore} files (${p.rows} rows) into ${p.filesAfter} ${outcome}`.trim());
    }
    const files = report.partitions.reduce((n, p) => n + p.filesBefore, 0);
    console.log(
      `${report.table}: ${report.partitions.length} partitions, ${files} small files; version ${report.versionBefore} -> ${report.versionAfter}`,
    );
  }
  return report.partitions.some((p) => p.skipped) ? 1 : 0;
}
