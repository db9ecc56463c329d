/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML; kubernetes-models validates their shape */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { buildProgram } from '../../../src/cli/main';
import { CONFIG_KEYS, loadConfig } from '../../../src/config/config';
import { applyPatch, docs, K8S, type Doc } from '../../support/k8s-manifests';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const base = docs(path.join(K8S, 'base'));
const examples = docs(path.join(K8S, 'examples'));
const byKind = (kind: string) => base.filter((d) => d.kind === kind);

/** The kubernetes-models class of an object (ESM packages, hence the dynamic import). */
async function modelOf(doc: Doc): Promise<new (data: unknown) => { validate(): void }> {
  const [group, version] = doc.apiVersion.includes('/') ? doc.apiVersion.split('/') : ['', doc.apiVersion];
  const module: Record<string, unknown> =
    group === 'keda.sh'
      ? await import('@kubernetes-models/keda/keda.sh/v1alpha1')
      : group === 'monitoring.coreos.com'
        ? version === 'v1alpha1'
          ? await import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1')
          : await import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1')
        : await import(`kubernetes-models/${group ? `${group}/` : ''}${version}`);
  const model = module[doc.kind];
  assert.ok(model, `no schema for ${doc.apiVersion} ${doc.kind}`);
  return model as new (data: unknown) => { validate(): void };
}

describe('Kubernetes manifests (deploy/k8s)', () => {
  it('every object validates against the Kubernetes (and Prometheus Operator / KEDA) schemas', async () => {
    assert.ok(base.length >= 10);
    for (const doc of [...base, ...examples]) {
      const Model = await modelOf(doc);
      assert.doesNotThrow(() => new Model(doc).validate(), `${doc.kind}/${doc.metadata.name}`);
    }
    const Model = await modelOf(byKind('Deployment')[0]!);
    const broken = structuredClone(byKind('Deployment')[0]) as unknown as { spec: { replicas: unknown } };
    broken.spec.replicas = 'two';
    assert.throws(() => new Model(broken).validate(), /replicas/, 'the validator rejects a wrong type');
  });

  it('the kustomization lists every base file, and everything lives in namespace kafka-pipeline', () => {
    const kustomization = YAML.parse(fs.readFileSync(path.join(K8S, 'base', 'kustomization.yaml'), 'utf8')) as {
      resources: string[];
    };
    const files = fs
      .readdirSync(path.join(K8S, 'base'))
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    assert.deepEqual([...kustomization.resources].sort(), files.sort());
    for (const d of base)
      if (d.kind !== 'Namespace') assert.equal(d.metadata.namespace, 'kafka-pipeline', d.metadata.name);
  });

  it('deployments run existing CLI commands, probe the health endpoints and drain within the grace period', () => {
    const commands = buildProgram().commands.map((c) => c.name());
    const config = byKind('ConfigMap')[0] as Doc & { data: Record<string, string> };
    for (const d of byKind('Deployment') as (Doc & { spec: any })[]) {
      const pod = d.spec.template.spec;
      const [c] = pod.containers;
      assert.ok(commands.includes(c.args[0]), `${d.metadata.name}: ${c.args[0]}`);
      assert.equal(c.livenessProbe.httpGet.path, '/health/live');
      assert.equal(c.readinessProbe.httpGet.path, '/health/ready');
      assert.equal(String(c.ports[0].containerPort), config.data.METRICS_PORT);
      assert.deepEqual(
        d.spec.selector.matchLabels,
        Object.fromEntries(
          Object.entries(d.spec.template.metadata.labels).filter(([k]) => k.startsWith('app.kubernetes.io/')),
        ),
      );
      assert.equal(d.spec.strategy.rollingUpdate.maxUnavailable, 0);
      assert.deepEqual(
        c.envFrom.map(
          (e: { configMapRef?: { name: string }; secretRef?: { name: string } }) =>
            e.configMapRef?.name ?? e.secretRef?.name,
        ),
        ['kafka-pipeline-config', 'kafka-pipeline-secrets'],
      );
    }
    const worker = byKind('Deployment').find((d) => d.metadata.name === 'kafka-pipeline-worker') as Doc & { spec: any };
    assert.ok(
      worker.spec.template.spec.terminationGracePeriodSeconds > Number(config.data.WORKER_SHUTDOWN_GRACE_S) + 10,
    );
  });

  it('Services, PodDisruptionBudgets and the ServiceMonitor select pods that exist', () => {
    const podLabels = byKind('Deployment').map(
      (d) => (d as any).spec.template.metadata.labels as Record<string, string>,
    );
    const selects = (sel: Record<string, string>) =>
      podLabels.some((l) => Object.entries(sel).every(([k, v]) => l[k] === v));
    for (const s of byKind('Service') as any[]) assert.ok(selects(s.spec.selector), s.metadata.name);
    for (const p of byKind('PodDisruptionBudget') as any[])
      assert.ok(selects(p.spec.selector.matchLabels), p.metadata.name);
    const services = byKind('Service') as any[];
    const monitor = byKind('ServiceMonitor')[0] as any;
    assert.ok(
      services.every((s) =>
        Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels[k] === v),
      ),
    );
    assert.ok(
      services.every((s) => s.spec.ports.some((p: { name: string }) => p.name === monitor.spec.endpoints[0].port)),
    );
  });

  it('the ConfigMap, overlays and secret list name only configuration keys, with valid values', async () => {
    const known = new Set(Object.values(CONFIG_KEYS).map((k) => k.env));
    const secretKeys = new Set(
      Object.values(CONFIG_KEYS)
        .filter((k) => 'secret' in k && k.secret)
        .map((k) => k.env),
    );
    const data = (byKind('ConfigMap')[0] as Doc & { data: Record<string, string> }).data;
    for (const k of Object.keys(data)) assert.ok(known.has(k), k);
    for (const k of Object.keys(data))
      assert.ok(!secretKeys.has(k), `${k} is a secret: it belongs in kafka-pipeline-secrets`);
    assert.doesNotThrow(() => loadConfig(data));
    const secretDoc = fs.readFileSync(path.join(K8S, 'base', 'secret-keys.md'), 'utf8');
    const named = [...secretDoc.matchAll(/^\| `([A-Z_]+)`/gm)].map((m) => m[1]);
    assert.deepEqual(named.sort(), [...secretKeys].sort(), 'secret-keys.md lists exactly the secret keys');

    for (const overlay of ['staging', 'production']) {
      const k = YAML.parse(fs.readFileSync(path.join(K8S, 'overlays', overlay, 'kustomization.yaml'), 'utf8')) as any;
      assert.deepEqual(k.resources, ['../../base']);
      const image = (byKind('Deployment')[0] as any).spec.template.spec.containers[0].image.split(':')[0];
      assert.equal(k.images[0].name, image);
      const literals = Object.fromEntries(
        (k.configMapGenerator?.[0]?.literals ?? []).map((l: string) => [
          l.slice(0, l.indexOf('=')),
          l.slice(l.indexOf('=') + 1),
        ]),
      );
      for (const key of Object.keys(literals)) assert.ok(known.has(key), `${overlay}: ${key}`);
      const merged = { ...data, ...literals } as Record<string, string>;
      if (merged.KAFKA_SASL_MECHANISM === 'PLAIN') merged.KAFKA_SASL_PASSWORD = 'from-the-secret';
      assert.doesNotThrow(() => loadConfig(merged), `${overlay} config`);
      for (const patch of k.patches ?? []) {
        const target = base.find((d) => d.kind === patch.target.kind && d.metadata.name === patch.target.name);
        assert.ok(target, `${overlay}: patch target ${patch.target.kind}/${patch.target.name}`);
        const patched = applyPatch(target, YAML.parse(patch.patch));
        const Model = await modelOf(patched);
        assert.doesNotThrow(() => new Model(patched).validate(), `${overlay}: patched ${patched.metadata.name}`);
      }
    }
  });

  it('kubectl commands in the README and docs name namespaces, deployments and labels that exist', () => {
    const files = [path.join(ROOT, 'README.md'), ...walk(path.join(ROOT, 'docs'))];
    const names = new Set(base.map((d) => `${d.kind.toLowerCase()}/${d.metadata.name}`));
    const labels = new Set(base.flatMap((d) => Object.entries(d.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`)));
    let checked = 0;
    for (const file of files) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        const m = /\bkubectl\s+(.*)$/.exec(line);
        if (!m) continue;
        checked++;
        const ns = /(?:-n|--namespace)[ =](\S+)/.exec(m[1]!);
        if (ns) assert.equal(ns[1], 'kafka-pipeline', `${path.basename(file)}: ${line.trim()}`);
        for (const ref of m[1]!.matchAll(/\b(deployment|service|configmap|poddisruptionbudget)\/([\w-]+)/g)) {
          assert.ok(names.has(`${ref[1]}/${ref[2]}`), `${path.basename(file)}: ${ref[0]} does not exist`);
        }
        for (const sel of m[1]!.matchAll(/-l\s+([\w./-]+=[\w.-]+)/g))
          assert.ok(labels.has(sel[1]!), `${path.basename(file)}: label ${sel[1]}`);
      }
    }
    assert.ok(checked > 0, 'the README shows at least one kubectl command');
  });
});

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : [],
    );
}
