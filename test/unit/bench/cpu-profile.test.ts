import assert from 'node:assert/strict';
import { area, type CpuProfile, difference, summarise } from '../../../bench/cpu-profile';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });

/**
 * (root) -> ours (dist/src/x.js) -> SDK (@temporalio/worker) -> JSON stringify; (root) -> (garbage collector);
 * (root) -> (idle). Samples every 1 ms (time deltas in µs), the first at 1,000 µs after the start.
 */
const profile: CpuProfile = {
  startTime: 0,
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
    { id: 2, callFrame: frame('handle', 'file:///app/dist/src/x.js'), children: [3] },
    { id: 3, callFrame: frame('activate', 'file:///app/node_modules/@temporalio/worker/lib/worker.js'), children: [4] },
    { id: 4, callFrame: frame('stringify') },
    { id: 5, callFrame: frame('(garbage collector)') },
    { id: 6, callFrame: frame('(idle)') },
  ],
  samples: [2, 3, 4, 4, 5, 6, 2],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe('bench: CPU profile summary', () => {
  it('names the area of a frame from its script', () => {
    assert.equal(area('(garbage collector)', ''), 'GC');
    assert.equal(area('parse', ''), 'JSON');
    assert.equal(area('x', 'file:///app/node_modules/@temporalio/core-bridge/index.js'), 'Temporal SDK');
    assert.equal(area('x', 'file:///app/packages/delta-lake/dist/src/table.js'), 'Delta/Parquet');
    assert.equal(area('x', 'file:///app/node_modules/parquet-wasm/node/parquet_wasm.js'), 'Delta/Parquet');
    assert.equal(area('info', 'file:///app/dist/src/observability/logger.js'), 'logging');
    assert.equal(area('x', 'node:internal/streams/readable'), 'Node core (streams, http, fs, timers)');
    assert.equal(area('x', 'file:///app/dist/src/worker/activities.js'), 'our code');
  });

  it('gives self time to the top frame and inclusive time to every frame on the stack once', () => {
    const s = summarise(profile);
    // The last sample has no following delta: it is not counted (its length is unknown).
    assert.equal(s.sampledMs, 6);
    const areas = Object.fromEntries(s.areas.map((r) => [r.name, [r.selfMs, r.totalMs]]));
    assert.deepEqual(areas, {
      'our code': [1, 4],
      'Temporal SDK': [1, 3],
      JSON: [2, 2],
      GC: [1, 1],
      idle: [1, 1],
    });
  });

  it('keeps only the samples inside the window and divides by the events', () => {
    // Samples at 1,000 ... 7,000 µs: the window 2,500-5,500 holds those at 3,000 (JSON), 4,000 (JSON), 5,000 (GC).
    const s = summarise(profile, 2, [2500, 5500]);
    assert.equal(s.sampledMs, 1.5);
    assert.deepEqual(Object.fromEntries(s.areas.map((r) => [r.name, r.selfMs])), {
      JSON: 1,
      GC: 0.5,
      'our code': 0,
      'Temporal SDK': 0,
    });
  });

  it('counts a native call without a script for its nearest caller that has one', () => {
    const native: CpuProfile = {
      startTime: 0,
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2] },
        { id: 2, callFrame: frame('put', 'file:///app/dist/src/adapters/storage/local-store.js'), children: [3] },
        { id: 3, callFrame: frame('open', 'node:internal/fs/promises'), children: [4] },
        { id: 4, callFrame: frame('openFileHandle') },
      ],
      samples: [4, 4],
      timeDeltas: [1000, 1000],
    };
    const s = summarise(native);
    assert.deepEqual(
      s.areas.map((r) => [r.name, r.selfMs, r.totalMs]),
      [
        ['Node core (streams, http, fs, timers)', 1, 1],
        ['V8/native (program)', 0, 1],
        ['our code', 0, 1],
      ],
    );
    assert.deepEqual(s.ourFiles, [{ name: 'dist/src/adapters/storage/local-store.js', selfMs: 0, totalMs: 1 }]);
  });

  it('gives what a profile spent beyond a baseline, by name, rows either lacks counting 0', () => {
    const rows = [
      { name: 'parse', selfMs: 0.03, totalMs: 0.03 },
      { name: 'grpc', selfMs: 0.05, totalMs: 0.2 },
    ];
    const base = [
      { name: 'grpc', selfMs: 0.04, totalMs: 0.1 },
      { name: 'idle only in the baseline', selfMs: 0.02, totalMs: 0.02 },
    ];
    const d = difference(rows, base).map((r) => [r.name, +r.selfMs.toFixed(3), r.baseSelfMs]);
    assert.deepEqual(d, [
      ['parse', 0.03, 0],
      ['grpc', 0.01, 0.04],
      ['idle only in the baseline', -0.02, 0.02],
    ]);
  });
});
