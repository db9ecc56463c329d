import { verifyTable } from '../adapters/delta/verify';
import { XACT_ATTACHMENTS, XACT_EVENTS } from '../adapters/delta/xact-tables';
import { createObjectStore } from '../adapters/storage/create-store';
import { loadConfig } from '../config/config';

/** Runs `delta verify`; returns the exit code (0 clean, 1 problems found, 2 unknown table). */
export async function runVerify(table: string, json: boolean): Promise<number> {
  const config = loadConfig();
  const tables = {
    xact_events: { path: config.xactEventsTable, key: XACT_EVENTS.keyColumn },
    xact_attachments: { path: config.xactAttachmentsTable, key: XACT_ATTACHMENTS.keyColumn },
  } as const;
  const target = tables[table as keyof typeof tables];
  if (!target) {
    console.error(`delta verify: unknown table ${JSON.stringify(table)} (xact_events or xact_attachments)`);
    return 2;
  }
  const report = await verifyTable(createObjectStore(config), target.path, target.key);
  if (json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`${report.table}: version ${report.version}, ${report.files} files, ${report.rows} rows`);
    for (const p of report.problems) console.log(`problem: ${p}`);
    if (report.problems.length === 0) console.log('ok: log contiguous, files present, keys unique');
  }
  return report.problems.length === 0 ? 0 : 1;
}
