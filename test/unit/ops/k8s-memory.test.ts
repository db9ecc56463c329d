/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { docs, K8S } from '../../support/k8s-manifests';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface BenchRun {
  summary: Record<string, unknown>;
  figures: { name: string; value: number }[];
}

/** MiB of a Kubernetes memory quantity (the manifests use Mi and Gi). */
function mib(quantity: string): number {
  const m = /^(\d+)(Mi|Gi)$/.exec(quantity);
  assert.ok(m, `memory quantity ${quantity}: expected Mi or Gi`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
}

/**
 * Issue 32: the pods' memory follows what the latest full bench measured (bench/results/latest.json, peaks in MiB):
 * the request holds the burst's peak, the limit leaves a quarter above the largest peak and is not a guess far above.
 */
describe('Kubernetes memory requests and limits follow the measured peaks', () => {
  const latest = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results', 'latest.json'), 'utf8')) as BenchRun;
  const figure = (start: string): number => {
    const f = latest.figures.find((x) => x.name.startsWith(start));
    assert.ok(f && f.value > 0, `latest.json has the figure "${start}…"`);
    return f.value;
  };
  const resources = (name: string): { request: number; limit: number } => {
    const deployment = docs(path.join(K8S, 'base')).find((d) => d.kind === 'Deployment' && d.metadata.name === name);
    assert.ok(deployment, `deployment ${name}`);
    const r = (deployment as any).spec.template.spec.containers[0].resources;
    return { request: mib(r.requests.memory), limit: mib(r.limits.memory) };
  };
  const follows = (name: string, burstPeak: number, largestPeak: number) => {
    const { request, limit } = resources(name);
    assert.ok(
      request >= burstPeak,
      `${name}: request ${request} Mi below the burst's peak ${burstPeak.toFixed(0)} MiB`,
    );
    assert.ok(
      limit >= 1.25 * largestPeak,
      `${name}: limit ${limit} Mi under 1.25 × the peak ${largestPeak.toFixed(0)}`,
    );
    assert.ok(limit <= 2.5 * largestPeak, `${name}: limit ${limit} Mi over 2.5 × the peak ${largestPeak.toFixed(0)}`);
  };

  it('the worker: the burst, the 20,000-event backlog and a streamed 1 GB attachment', () => {
    const burst = latest.summary.workerPeakRssBurstMb as number;
    const backlog = latest.summary.workerPeakRssDrainMb as number;
    assert.ok(burst > 0 && backlog > 0, 'latest.json has the worker peaks');
    follows('kafka-pipeline-worker', burst, Math.max(burst, backlog, figure('worker peak RSS streaming')));
  });

  it('each bridge: the 100,000-message backlog started without back-pressure', () => {
    const backlog = figure('bridge peak RSS through a');
    const start = latest.figures.find((x) => x.name.startsWith('bridge peak RSS through a')) as any;
    const atStart = start.baseline?.value as number;
    for (const name of ['kafka-pipeline-bridge', 'kafka-pipeline-bridge-claimx']) follows(name, atStart, backlog);
  });
});
