import assert from 'node:assert/strict';
import { steadyLoad } from '../../soak/steady';
import { ensureStack } from '../support/stack';

// The short version of `npm run soak` (issue 31): the compiled bridge and worker under a steady load for a minute
// with table maintenance every few seconds. Nothing here is timed: it checks the outcome — every event once,
// every attachment once, a DLQ entry still replays, files bounded — and prints the figures.
describe('soak (short): the compiled pipeline under a steady load', function () {
  this.timeout(1_200_000);
  before(() => ensureStack());

  it('writes every event once, replays a DLQ entry, and keeps the tables bounded', async () => {
    const report = await steadyLoad({
      seconds: 60,
      eventsPerS: 4,
      failEvery: 40,
      env: { MAINTENANCE_INTERVAL_S: '10' },
    });
    console.log(`      soak figures: ${JSON.stringify(report)}`);
    assert.equal(report.eventRows.missing, 0, 'an event has no xact_events row');
    assert.equal(report.eventRows.duplicated, 0, 'an event has more than one xact_events row');
    assert.equal(report.eventRows.once, report.produced);
    assert.equal(report.attachmentRows.rows, report.attachmentRows.distinctMediaIds, 'an attachment row twice');
    assert.ok(report.expectedFailed > 0 && report.replayed, 'a DLQ entry did not replay to completion');
    // Without maintenance every commit leaves one data file in the day's partition; compaction every 10 s packs them.
    for (const [name, t] of Object.entries(report.tables)) {
      assert.ok(
        t.maxDataFilesPerPartition * 2 < t.version,
        `${name}: ${t.maxDataFilesPerPartition} data files in a partition after ${t.version} commits (not compacted)`,
      );
    }
  });
});
