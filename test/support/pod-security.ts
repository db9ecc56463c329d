/**
 * The Kubernetes Pod Security Standards, "restricted" level (which includes "baseline"), as the Pod Security
 * admission controller applies them to a pod spec: https://kubernetes.io/docs/concepts/security/pod-security-standards/
 * Linux pods only (no spec.os.name: windows exemptions). Returns one line per violation; none means admitted.
 */
type SecurityContext = {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  procMount?: string;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type?: string };
  appArmorProfile?: { type?: string };
  seLinuxOptions?: { type?: string; user?: string; role?: string };
  windowsOptions?: { hostProcess?: boolean };
  sysctls?: { name: string }[];
};
type Container = { name: string; securityContext?: SecurityContext; ports?: { hostPort?: number }[] };
export type PodSpec = {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: SecurityContext;
  containers: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  volumes?: ({ name: string } & Record<string, unknown>)[];
};

/** Restricted: the only volume sources allowed (no hostPath, no in-tree network or cloud disks). */
export const RESTRICTED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
/** Baseline: the namespaced sysctls a pod may set. */
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
const SECCOMP_TYPES = ['RuntimeDefault', 'Localhost'];
const APPARMOR_TYPES = ['RuntimeDefault', 'Localhost'];

export function restrictedViolations(spec: PodSpec, annotations: Record<string, string> = {}): string[] {
  const out: string[] = [];
  const pod = spec.securityContext ?? {};
  const containers = [...spec.containers, ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
  const each = (check: (sc: SecurityContext) => string | undefined) => {
    for (const c of containers) {
      const problem = check(c.securityContext ?? {});
      if (problem) out.push(`container ${c.name}: ${problem}`);
    }
  };

  // Baseline.
  for (const host of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (spec[host]) out.push(`${host}: true`);
  for (const sc of [pod, ...containers.map((c) => c.securityContext ?? {})])
    if (sc.windowsOptions?.hostProcess) out.push('windowsOptions.hostProcess: true');
  each((sc) => (sc.privileged ? 'privileged: true' : undefined));
  for (const c of containers)
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`container ${c.name}: hostPort ${p.hostPort}`);
  for (const [k, v] of Object.entries(annotations))
    if (
      k.startsWith('container.apparmor.security.beta.kubernetes.io/') &&
      v !== 'runtime/default' &&
      !v.startsWith('localhost/')
    )
      out.push(`annotation ${k}: ${v}`);
  for (const [who, sc] of [
    ['pod', pod] as const,
    ...containers.map((c) => [`container ${c.name}`, c.securityContext ?? {}] as const),
  ]) {
    const apparmor = sc.appArmorProfile?.type;
    if (apparmor !== undefined && !APPARMOR_TYPES.includes(apparmor)) out.push(`${who}: appArmorProfile ${apparmor}`);
    const se = sc.seLinuxOptions;
    if (se && (!SELINUX_TYPES.includes(se.type ?? '') || se.user || se.role)) out.push(`${who}: seLinuxOptions`);
  }
  each((sc) => (sc.procMount !== undefined && sc.procMount !== 'Default' ? `procMount ${sc.procMount}` : undefined));
  for (const s of pod.sysctls ?? []) if (!SAFE_SYSCTLS.includes(s.name)) out.push(`sysctl ${s.name}`);

  // Restricted.
  for (const v of spec.volumes ?? []) {
    const types = Object.keys(v).filter((k) => k !== 'name');
    const bad = types.filter((t) => !RESTRICTED_VOLUME_TYPES.includes(t));
    if (bad.length > 0) out.push(`volume ${v.name}: ${bad.join(', ')}`);
  }
  each((sc) => (sc.allowPrivilegeEscalation !== false ? 'allowPrivilegeEscalation must be false' : undefined));
  if (pod.runAsNonRoot === false) out.push('pod: runAsNonRoot false');
  each((sc) =>
    sc.runAsNonRoot === false || (sc.runAsNonRoot === undefined && pod.runAsNonRoot !== true)
      ? 'runAsNonRoot must be true (here or on the pod)'
      : undefined,
  );
  if (pod.runAsUser === 0) out.push('pod: runAsUser 0');
  each((sc) => (sc.runAsUser === 0 ? 'runAsUser 0' : undefined));
  const podSeccomp = pod.seccompProfile?.type;
  if (podSeccomp !== undefined && !SECCOMP_TYPES.includes(podSeccomp)) out.push(`pod: seccompProfile ${podSeccomp}`);
  each((sc) => {
    const type = sc.seccompProfile?.type ?? podSeccomp;
    return type === undefined || !SECCOMP_TYPES.includes(type)
      ? `seccompProfile.type must be RuntimeDefault or Localhost (here or on the pod), not ${type}`
      : undefined;
  });
  each((sc) => (sc.capabilities?.drop?.includes('ALL') ? undefined : 'capabilities must drop ALL'));
  each((sc) => {
    const added = (sc.capabilities?.add ?? []).filter((c) => c !== 'NET_BIND_SERVICE');
    return added.length > 0 ? `capabilities.add ${added.join(', ')}` : undefined;
  });
  return out;
}
