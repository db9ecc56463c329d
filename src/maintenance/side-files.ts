import { mapBounded } from '../shared/bounded';
import type { SideFilesReport } from '../shared/maintenance-types';
import { listTreeOf, type ObjectStore, type StoredObject } from '../adapters/storage/object-store';

/**
 * Retention of the lakehouse's side files: the bridge's claim checks (large events) and quarantined payloads (large
 * invalid messages), and the DLQ archive's run inputs. Each is what a replay reads, so the rule is: a file goes only
 * once it is older than the retention AND no run may still read it.
 * - claim check / quarantined payload: kept while any run whose input names it is running, or failed and neither
 *   replayed into a newer run nor resolved (a DLQ entry, in Temporal or only in the archive); age is its last write
 *   (the bridge writes it before the start, and again on a redelivery).
 * - archive input: kept while its entry is open; after a replay or resolve, for the retention after that.
 */

/** The folders of side files per kind, as the bridge names them (src/bridge/claim-check.ts claimCheckPath). */
export const SIDE_FILE_FOLDERS = {
  claim_check: 'Files/claim-checks',
  quarantine: 'Files/quarantine',
} as const;

/** What the sweep needs to know about runs (Temporal and the DLQ archive: side-file-runs.ts). */
export interface SideFileRuns {
  /** Inputs of every run that may still read a side file: running, or a DLQ entry (failed, not replayed/resolved). */
  replayableInputs(): Promise<readonly unknown[]>;
  /** The DLQ archive's input files by path: null while the entry is open, else when it was replayed or resolved. */
  archiveInputs(): Promise<ReadonlyMap<string, number | null>>;
}

export interface SweepOptions {
  readonly store: ObjectStore;
  readonly runs: SideFileRuns;
  readonly archiveInputsPrefix: string;
  readonly retentionMs: number;
  readonly now?: number;
  readonly onDeleted?: (kind: string, n: number) => void;
}

const DELETE_CONCURRENCY = 8;

/** One sweep; returns what was deleted per kind, and how many old files were kept for a possible replay. */
export async function sweepSideFiles(opts: SweepOptions): Promise<SideFilesReport> {
  const cutoff = (opts.now ?? Date.now()) - opts.retentionMs;
  const old = (files: readonly StoredObject[]) => files.filter((f) => f.modifiedMs <= cutoff).map((f) => f.path);
  // Listed before the runs are read: a run that starts later wrote its file later (younger than the cutoff).
  const candidates = new Map<string, string[]>();
  for (const [kind, folder] of Object.entries(SIDE_FILE_FOLDERS))
    candidates.set(kind, old(await listTreeOf(opts.store, folder)));
  const archived = old(await listTreeOf(opts.store, opts.archiveInputsPrefix));

  const keep = referencedPaths(await opts.runs.replayableInputs(), Object.values(SIDE_FILE_FOLDERS));
  const closed = await opts.runs.archiveInputs();
  const deleted: Record<string, number> = {};
  let keptReplayable = 0;
  const sweep = async (kind: string, paths: readonly string[], deletable: (p: string) => boolean) => {
    const doomed = paths.filter(deletable);
    keptReplayable += paths.length - doomed.length;
    await mapBounded(doomed, DELETE_CONCURRENCY, (p) => opts.store.delete(p));
    deleted[kind] = doomed.length;
    opts.onDeleted?.(kind, doomed.length);
  };
  for (const [kind, paths] of candidates) await sweep(kind, paths, (p) => !keep.has(p));
  // An archive input without a row (its row not written yet) or of an open entry stays.
  await sweep('archive_input', archived, (p) => {
    const closedAt = closed.get(p);
    return typeof closedAt === 'number' && closedAt <= cutoff;
  });
  return { deleted, keptReplayable };
}

/** Every string inside `inputs` (at any depth) that names a file in one of `folders`. */
export function referencedPaths(inputs: readonly unknown[], folders: readonly string[]): Set<string> {
  const found = new Set<string>();
  const stack: unknown[] = [];
  for (const input of inputs) stack.push(input);
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (folders.some((f) => v.startsWith(`${f}/`))) found.add(v);
    } else if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) stack.push(x);
  }
  return found;
}
