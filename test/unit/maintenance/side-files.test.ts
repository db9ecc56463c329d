import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalObjectStore } from '../../../src/adapters/storage/local-store';
import { claimCheckPath } from '../../../src/bridge/claim-check';
import {
  referencedPaths,
  SIDE_FILE_FOLDERS,
  type SideFileRuns,
  sweepSideFiles,
} from '../../../src/maintenance/side-files';

const DAY = 86_400_000;
const ARCHIVE = 'Files/pipeline/dlq-archive';

describe('side-file retention (claim checks, quarantined payloads, DLQ archive inputs)', () => {
  let root: string;
  let store: LocalObjectStore;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'side-files-'));
    store = new LocalObjectStore(root);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** Writes a file last modified `ageMs` ago. */
  const file = async (p: string, ageMs: number) => {
    await store.put(p, Buffer.from('x'));
    const t = new Date(Date.now() - ageMs);
    fs.utimesSync(path.join(root, p), t, t);
    return p;
  };
  const exists = (p: string) => fs.existsSync(path.join(root, p));
  const runs = (inputs: unknown[], archive: [string, number | null][] = []): SideFileRuns => ({
    replayableInputs: () => Promise.resolve(inputs),
    archiveInputs: () => Promise.resolve(new Map(archive)),
  });

  it('names the folders the bridge writes to', () => {
    const source = { topic: 'xact.events.raw', partition: 3, offset: '42', timestamp: '0' };
    assert.ok(claimCheckPath(source, 'event').startsWith(`${SIDE_FILE_FOLDERS.claim_check}/`));
    assert.ok(claimCheckPath(source, 'invalid').startsWith(`${SIDE_FILE_FOLDERS.quarantine}/`));
  });

  it("never deletes a DLQ entry's payload while it can be replayed, even long past the retention", async () => {
    const source = { topic: 'xact.events.raw', partition: 0, offset: '7', timestamp: '0' };
    const claimed = await file(claimCheckPath(source, 'event'), 30 * DAY);
    const quarantined = await file(claimCheckPath({ ...source, offset: '8' }, 'invalid'), 30 * DAY);
    const failedEvent = { event: { traceId: 't1' }, claimCheck: { path: claimed, bytes: 1, sha256: 'x' } };
    const failedInvalid = { reason: 'not JSON', source, storedAt: quarantined, payload: '' };

    const report = await sweepSideFiles({
      store,
      runs: runs([failedEvent, failedInvalid]),
      archiveInputsPrefix: ARCHIVE,
      retentionMs: DAY,
    });
    assert.ok(exists(claimed) && exists(quarantined), 'both kept: their runs can be replayed');
    assert.equal(report.keptReplayable, 2);
    assert.deepEqual(report.deleted, { claim_check: 0, quarantine: 0, archive_input: 0 });

    // Resolved (or completed): no run names them any more; past the retention they go.
    const after = await sweepSideFiles({ store, runs: runs([]), archiveInputsPrefix: ARCHIVE, retentionMs: DAY });
    assert.ok(!exists(claimed) && !exists(quarantined));
    assert.deepEqual(after.deleted, { claim_check: 1, quarantine: 1, archive_input: 0 });
  });

  it('keeps files younger than the retention, whoever reads them', async () => {
    const young = await file('Files/claim-checks/t/0/1.json', DAY / 2);
    await sweepSideFiles({ store, runs: runs([]), archiveInputsPrefix: ARCHIVE, retentionMs: DAY });
    assert.ok(exists(young));
  });

  it('deletes an archive input only once its entry was replayed or resolved longer ago than the retention', async () => {
    const open = await file(`${ARCHIVE}/xact-a/r1.json`, 30 * DAY);
    const recent = await file(`${ARCHIVE}/xact-b/r2.json`, 30 * DAY);
    const closed = await file(`${ARCHIVE}/xact-c/r3.json`, 30 * DAY);
    const unknown = await file(`${ARCHIVE}/xact-d/r4.json`, 30 * DAY);
    const archive: [string, number | null][] = [
      [open, null],
      [recent, Date.now() - DAY / 2],
      [closed, Date.now() - 2 * DAY],
    ];
    const report = await sweepSideFiles({
      store,
      runs: runs([], archive),
      archiveInputsPrefix: ARCHIVE,
      retentionMs: DAY,
    });
    assert.deepEqual([exists(open), exists(recent), exists(closed), exists(unknown)], [true, true, false, true]);
    assert.equal(report.deleted.archive_input, 1);
  });

  it('finds side-file paths at any depth of a run input', () => {
    const inputs = [{ a: [{ b: 'Files/quarantine/t/0/1.bin' }], c: 'Files/claim-checks/t/0/2.json' }, 'x', null];
    assert.deepEqual([...referencedPaths(inputs, Object.values(SIDE_FILE_FOLDERS))].sort(), [
      'Files/claim-checks/t/0/2.json',
      'Files/quarantine/t/0/1.bin',
    ]);
  });
});
