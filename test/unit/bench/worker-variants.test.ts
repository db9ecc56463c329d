import assert from 'node:assert/strict';
import {
  BASELINE,
  BEFORE,
  schedule,
  spread,
  summarise,
  variantOptions,
  VARIANTS,
  type VariantRun,
} from '../../../bench/worker-variants';

const run = (name: string, round: number, eventsPerS: number, workerCpuMs: number, rss = 200): VariantRun => ({
  name,
  round,
  eventsPerS,
  workerCpuMs,
  totalCpuMs: workerCpuMs + 20,
  workerPeakRssMb: rss,
  load: [1, 2],
});

/** bench/variants.ts (issue 32 item 4): worker settings compared with the baseline of the same run. */
describe('bench worker variants', () => {
  it('interleaves the variants, every other round backwards, the baseline in every round', () => {
    assert.deepEqual(
      schedule(['a', 'b', 'c'], 3).map((s) => `${s.round}${s.name}`),
      ['1a', '1b', '1c', '2c', '2b', '2a', '3a', '3b', '3c'],
    );
  });

  it('names each variant once and starts with the baseline', () => {
    assert.equal(VARIANTS[0]!.name, BASELINE);
    assert.equal(new Set(VARIANTS.map((v) => v.name)).size, VARIANTS.length);
  });

  it('runs every variant, or the baseline and those named, by default two rounds of 300', () => {
    const all = variantOptions([]);
    assert.deepEqual([all.events, all.rounds], [300, 2]);
    assert.deepEqual(
      all.variants.map((v) => v.name),
      VARIANTS.map((v) => v.name),
    );
    const some = variantOptions(['--only', 'semi-2', '--rounds', '5', '--events', '500']);
    assert.deepEqual(
      some.variants.map((v) => v.name),
      [BASELINE, 'semi-2'],
    );
    assert.deepEqual([some.events, some.rounds], [500, 5]);
    assert.throws(() => variantOptions(['--only', 'nope']), /unknown variant nope; known: baseline/);
    assert.throws(() => variantOptions(['--rounds', '0']), /--rounds: a positive whole number/);
    assert.throws(() => variantOptions(['--events']), /--events: a value/);
  });

  it('--before adds the older checkout as a variant of its own, with the settings given for it', () => {
    const o = variantOptions(['--before', '../base', '--before-env', 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS=80,A_B=']);
    // Only the baseline (this code as shipped) and the older code: the rest of the list only when named.
    assert.deepEqual(
      o.variants.map((v) => v.name),
      [BASELINE, BEFORE],
    );
    const before = o.variants[1]!;
    assert.equal(before.root, '../base');
    assert.deepEqual(before.env, { WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '80', A_B: '' });
    assert.match(before.note, /the code of \.\.\/base with WORKER_MAX_CONCURRENT_WORKFLOW_TASKS=80/);
    assert.deepEqual(
      variantOptions(['--before', '../base', '--only', 'semi-2']).variants.map((v) => v.name),
      [BASELINE, 'semi-2', BEFORE],
    );
    assert.equal(variantOptions(['--before', '../base']).variants[1]!.root, '../base');
    assert.throws(() => variantOptions(['--before-env', 'A=1']), /only with --before/);
    assert.throws(() => variantOptions(['--before', '../b', '--before-env', 'lower=1']), /KEY=VALUE pairs/);
  });

  it('takes the median and range over the rounds', () => {
    assert.deepEqual(spread([3, 1, 2]), { median: 2, min: 1, max: 3 });
    assert.deepEqual(spread([4, 1, 2, 3]), { median: 2.5, min: 1, max: 4 });
  });

  it('calls a difference only when it lies outside the baseline rounds’ own spread', () => {
    const rows = summarise([
      run(BASELINE, 1, 40, 30),
      run('faster', 1, 46, 24, 250),
      run('noise', 1, 41, 29),
      run(BASELINE, 2, 42, 28),
      run('faster', 2, 48, 26, 310),
      run('noise', 2, 39, 31),
      run('slower', 1, 30, 40),
    ]);
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    assert.equal(by.faster!.rate, 'better');
    assert.equal(by.faster!.workerCpu, 'better');
    assert.equal(by.faster!.rateRatio, 47 / 41);
    assert.equal(by.faster!.workerCpuRatio, 25 / 29);
    assert.equal(by.faster!.workerPeakRssMb, 310, 'the highest peak of its rounds');
    assert.equal(by.noise!.rate, 'within');
    assert.equal(by.noise!.workerCpu, 'within');
    assert.equal(by.slower!.rate, 'worse');
    assert.equal(by.slower!.workerCpu, 'worse');
    assert.equal(by[BASELINE]!.rateRatio, 1);
  });

  it('refuses to summarise without a baseline run', () => {
    assert.throws(() => summarise([run('faster', 1, 46, 24)]), /no baseline run/);
  });
});
