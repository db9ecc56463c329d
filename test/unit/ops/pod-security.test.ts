import assert from 'node:assert/strict';
import { podTemplates, readManifests, type PodTemplate } from '../../support/k8s-manifests';
import { restrictedViolations, type PodSpec } from '../../support/pod-security';

const manifests = readManifests();
const templates = manifests.flatMap(podTemplates);

/** A change to a copy of a compliant pod, and the words its violation names. */
const BREAKS: [string, (p: PodSpec & Record<string, unknown>) => void, RegExp][] = [
  ['host network', (p) => (p.hostNetwork = true), /hostNetwork/],
  ['host PID', (p) => (p.hostPID = true), /hostPID/],
  ['privileged', (p) => (p.containers[0]!.securityContext!.privileged = true), /privileged/],
  ['host port', (p) => (p.containers[0]!.ports = [{ hostPort: 8000 }]), /hostPort/],
  ['hostPath volume', (p) => (p.volumes = [{ name: 'h', hostPath: { path: '/var' } }]), /volume h: hostPath/],
  ['nfs volume', (p) => (p.volumes = [{ name: 'n', nfs: { server: 's', path: '/' } }]), /volume n: nfs/],
  ['escalation allowed', (p) => delete p.containers[0]!.securityContext!.allowPrivilegeEscalation, /Escalation/],
  ['root allowed', (p) => (p.securityContext!.runAsNonRoot = false), /runAsNonRoot/],
  ['runAsNonRoot unset', (p) => delete p.securityContext!.runAsNonRoot, /runAsNonRoot/],
  ['uid 0', (p) => (p.containers[0]!.securityContext!.runAsUser = 0), /runAsUser 0/],
  ['seccomp unset', (p) => delete p.securityContext!.seccompProfile, /seccompProfile/],
  ['seccomp Unconfined', (p) => (p.containers[0]!.securityContext!.seccompProfile = { type: 'Unconfined' }), /seccomp/],
  ['ALL not dropped', (p) => (p.containers[0]!.securityContext!.capabilities = { drop: ['NET_RAW'] }), /drop ALL/],
  ['capability added', (p) => (p.containers[0]!.securityContext!.capabilities!.add = ['SYS_ADMIN']), /SYS_ADMIN/],
  ['unsafe sysctl', (p) => (p.securityContext!.sysctls = [{ name: 'kernel.msgmax' }]), /sysctl/],
  ['procMount', (p) => (p.containers[0]!.securityContext!.procMount = 'Unmasked'), /procMount/],
  ['SELinux user', (p) => (p.securityContext!.seLinuxOptions = { user: 'root' }), /seLinux/],
  ['AppArmor off', (p) => (p.securityContext!.appArmorProfile = { type: 'Unconfined' }), /appArmor/],
  ['bare init container', (p) => (p.initContainers = [{ name: 'init' }]), /container init: allowPrivilegeEscalation/],
  ['bare ephemeral container', (p) => (p.ephemeralContainers = [{ name: 'dbg' }]), /container dbg: capabilities/],
];

describe('Pod Security "restricted" (deploy/k8s)', () => {
  it('finds the pod template of every workload: bridges and worker, overlays included', () => {
    const deployments = manifests.filter((d) => d.kind === 'Deployment').map((d) => `Deployment/${d.metadata.name}`);
    assert.ok(
      deployments.some((d) => d.includes('production:')),
      'an overlay patches a Deployment',
    );
    assert.ok(deployments.length >= 4);
    for (const d of deployments)
      assert.ok(
        templates.some((t) => t.where === d),
        d,
      );
  });

  it('every pod template meets the restricted level', () => {
    for (const t of templates) assert.deepEqual(restrictedViolations(t.spec, t.metadata.annotations), [], t.where);
  });

  it('the check rejects each thing the restricted level forbids', () => {
    const worker = templates.find((t) => t.where === 'Deployment/kafka-pipeline-worker') as PodTemplate;
    assert.deepEqual(restrictedViolations(worker.spec), [], 'the starting point is compliant');
    for (const [what, change, named] of BREAKS) {
      const pod = structuredClone(worker.spec) as PodSpec & Record<string, unknown>;
      change(pod);
      const found = restrictedViolations(pod);
      assert.ok(
        found.some((v) => named.test(v)),
        `${what}: ${JSON.stringify(found)}`,
      );
    }
    const bare = { containers: [{ name: 'c' }] };
    assert.deepEqual(
      restrictedViolations(bare).map((v) => v.split(':')[1]!.trim().split(' ')[0]!),
      ['allowPrivilegeEscalation', 'runAsNonRoot', 'seccompProfile.type', 'capabilities'],
      'a pod that sets nothing fails every required setting',
    );
    assert.ok(
      restrictedViolations(worker.spec, { 'container.apparmor.security.beta.kubernetes.io/worker': 'unconfined' })
        .length === 1,
    );
  });

  it('the namespace reports any pod below restricted and refuses any below baseline', () => {
    const ns = manifests.find((d) => d.kind === 'Namespace');
    assert.ok(ns);
    const label = (mode: string) => ns.metadata.labels?.[`pod-security.kubernetes.io/${mode}`];
    assert.ok(['baseline', 'restricted'].includes(label('enforce') ?? ''), `enforce: ${label('enforce')}`);
    for (const mode of ['audit', 'warn']) assert.equal(label(mode), 'restricted', mode);
  });
});
