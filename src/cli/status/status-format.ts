import { age } from '../common/age';
import { maintenanceLines, maintenanceProblems } from '../maintenance/maintenance-format';
import type { PipelineStatus } from './status-tools';

/**
 * What is unhealthy, one line each (empty = healthy): a server that cannot be reached, a process that is not
 * ready or does not answer, an open circuit breaker, a consumer group without members, a DLQ failure older than
 * half the retention.
 */
export function statusProblems(s: PipelineStatus): string[] {
  const out: string[] = [];
  for (const server of ['temporal', 'kafka'] as const) {
    if (s.localStack && !s.localStack[server]) out.push(`${server}: the local stack's server is not running`);
  }
  if (!s.temporal.reachable) out.push(`temporal: unreachable at ${s.temporal.address}: ${s.temporal.error ?? ''}`);
  if (!s.kafka.reachable) out.push(`kafka: unreachable at ${s.kafka.address}: ${s.kafka.error ?? ''}`);
  else if (s.kafka.error) out.push(`kafka: ${s.kafka.error}`);
  for (const c of [s.consumer, ...(s.otherDomains ?? [])]) {
    if (c && c.members === 0) out.push(`kafka: consumer group ${c.group} has no member (is its bridge running?)`);
  }
  for (const p of s.processes) {
    if (p.ready === null) out.push(`${p.name}: not answering at ${p.url}`);
    else if (!p.ready) out.push(`${p.name}: not ready: ${p.problems.join('; ') || 'no reason given'}`);
    for (const [component, state] of Object.entries(p.breakers)) {
      if (state === 'open') out.push(`${p.name}: circuit breaker ${component} is open`);
    }
  }
  const d = s.dlq;
  if (d?.oldestAgeSeconds != null && d.retentionSeconds != null && d.oldestAgeSeconds > d.retentionSeconds / 2) {
    out.push(
      `dlq: oldest failure ${age(d.oldestAgeSeconds)} old, past half the retention (${age(d.retentionSeconds)})`,
    );
  }
  return out.concat(maintenanceProblems(s.maintenance ?? []));
}

const PROCESS_TITLES = { bridge: 'Bridge', worker: 'Worker', 'dlq-monitor': 'DLQ monitor' } as const;

const pad = (s: string, n: number): string => (s.length >= n ? `${s} ` : s.padEnd(n));

export function statusText(s: PipelineStatus, problems: readonly string[]): string {
  const lines = [`kafka-pipeline status at ${s.checkedAt}`];
  const local = (server: 'temporal' | 'kafka') =>
    s.localStack ? ` (local stack: ${s.localStack[server] ? 'running' : 'not running'})` : '';
  const reach = (r: PipelineStatus['temporal']) => (r.reachable ? 'reachable' : `UNREACHABLE: ${r.error ?? ''}`);
  lines.push(`${pad('Temporal', 11)}${s.temporal.address}  ${reach(s.temporal)}${local('temporal')}`);
  lines.push(`${pad('Kafka', 11)}${s.kafka.address}  ${reach(s.kafka)}${local('kafka')}`);
  for (const c of [s.consumer, ...(s.otherDomains ?? [])]) {
    if (!c) continue;
    lines.push(`${pad('Consumer', 11)}${c.topic} / ${c.group}: ${c.state}, ${c.members} member(s), lag ${c.totalLag}`);
    const parts = c.partitions.map((p) => `p${p.partition} ${p.committed ?? '-'}/${p.end} lag ${p.lag}`);
    for (let i = 0; i < parts.length; i += 4) lines.push(`${pad('', 11)}${parts.slice(i, i + 4).join('   ')}`);
  }
  const w = s.workflows;
  if (w) {
    const rate = (w.startedLastMinute / 60).toFixed(1);
    lines.push(`${pad('Workflows', 11)}open ${w.open}, started in the last minute ${w.startedLastMinute} (${rate}/s)`);
  }
  const d = s.dlq;
  if (d) {
    const oldest = d.oldestAgeSeconds === null ? '' : `, oldest ${age(d.oldestAgeSeconds)} ago`;
    const retention = d.retentionSeconds === null ? '' : ` (retention ${age(d.retentionSeconds)})`;
    lines.push(`${pad('DLQ', 11)}depth ${d.depth}${oldest}${retention}`);
  }
  for (const p of s.processes) {
    const state = p.ready === null ? 'not answering' : p.ready ? 'ready' : 'NOT READY';
    const breakers = Object.entries(p.breakers)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const name = PROCESS_TITLES[p.name];
    lines.push(`${pad(name, 11)}${p.url}  ${state}${breakers ? `; breakers: ${breakers}` : ''}`);
  }
  s.tables.forEach((t, i) => {
    const what =
      t.version === null
        ? 'no table yet'
        : `version ${t.version}, last commit ${t.ageSeconds === null ? 'time unknown' : `${age(t.ageSeconds)} ago`}`;
    lines.push(`${pad(i === 0 ? 'Tables' : '', 11)}${pad(t.name, 19)}${what}`);
  });
  maintenanceLines(s.maintenance ?? []).forEach((line, i) =>
    lines.push(`${pad(i === 0 ? 'Maintenance' : '', 12)}${line}`),
  );
  lines.push(problems.length === 0 ? 'Healthy.' : `Problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return lines.join('\n');
}
