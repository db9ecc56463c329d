import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { PodSpec } from './pod-security';

export const K8S = path.resolve(__dirname, '..', '..', 'deploy', 'k8s');

export type Doc = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [k: string]: unknown;
};

/** The objects of every .yaml file in `dir` (kustomization files aside). */
export function docs(dir: string): Doc[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS() as Doc));
}

/** RFC 6902 "replace" on a copy (the only op the overlays use). */
export function applyPatch(doc: Doc, ops: { op: string; path: string; value: unknown }[]): Doc {
  const copy = structuredClone(doc) as Record<string, unknown>;
  for (const op of ops) {
    assert.equal(op.op, 'replace');
    const keys = op.path.split('/').slice(1);
    let cur: Record<string, unknown> = copy;
    for (const k of keys.slice(0, -1)) {
      cur = cur[k] as Record<string, unknown>;
      assert.ok(cur !== undefined, `${doc.metadata.name}: patch path ${op.path} does not exist`);
    }
    assert.ok(keys.at(-1)! in cur, `${doc.metadata.name}: patch path ${op.path} does not exist`);
    cur[keys.at(-1)!] = op.value;
  }
  return copy as Doc;
}

type Overlay = { patches?: { target: { kind: string; name: string }; patch: string }[] };

/**
 * Every object a deployment can apply: the base, the examples, and each overlay's patched copies of base objects
 * (named `<overlay>:<name>` so a failure says which).
 */
export function readManifests(): Doc[] {
  const base = docs(path.join(K8S, 'base'));
  const overlays = fs.readdirSync(path.join(K8S, 'overlays')).flatMap((name) => {
    const k = YAML.parse(fs.readFileSync(path.join(K8S, 'overlays', name, 'kustomization.yaml'), 'utf8')) as Overlay;
    return (k.patches ?? []).map((p) => {
      const target = base.find((d) => d.kind === p.target.kind && d.metadata.name === p.target.name);
      assert.ok(target, `${name}: patch target ${p.target.kind}/${p.target.name}`);
      const patched = applyPatch(target, YAML.parse(p.patch));
      return { ...patched, metadata: { ...patched.metadata, name: `${name}:${patched.metadata.name}` } };
    });
  });
  return [...base, ...docs(path.join(K8S, 'examples')), ...overlays];
}

export type PodTemplate = { where: string; metadata: { annotations?: Record<string, string> }; spec: PodSpec };

/** Where each workload kind keeps the pod it creates. */
const TEMPLATE_PATH: Record<string, string[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** The pod templates of one object; an object of another kind that still holds a pod spec is an error. */
export function podTemplates(doc: Doc): PodTemplate[] {
  const where = `${doc.kind}/${doc.metadata.name}`;
  const steps = TEMPLATE_PATH[doc.kind];
  if (steps === undefined) {
    assert.ok(!JSON.stringify(doc).includes('"containers":'), `${where} holds a pod spec of an unknown kind`);
    return [];
  }
  const pod = steps.reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, doc);
  return [{ where, metadata: (pod.metadata ?? {}) as PodTemplate['metadata'], spec: pod.spec as PodSpec }];
}
