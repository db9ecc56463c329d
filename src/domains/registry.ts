import { temporalAcceptsId, WORKFLOW_TYPES } from '../shared/ids';
import { CLAIMX } from './claimx';
import type { Domain, DomainConfig, DomainTable } from './domain';
import { XACT } from './xact';

/**
 * The only place that knows the list of domains. Shared code loops over `domains()` or asks for one by name,
 * workflow type or workflow id; it never compares domain names itself (test/unit/architecture/domain-junctions.test.ts).
 * A new domain: its folder under src/domains, exporting a `Domain`, and one line here.
 */
const REGISTERED: Domain[] = [XACT, CLAIMX];

/** Every domain, in the order operators read them (xact first). */
export const domains = (): readonly Domain[] => REGISTERED;

export const domainNames = (): string[] => REGISTERED.map((d) => d.name);

/**
 * Adds a domain at run time (a test's toy domain; production domains are the list above). Returns its removal.
 */
export function registerDomain(domain: Domain): () => void {
  if (REGISTERED.some((d) => d.name === domain.name)) throw new Error(`domain ${domain.name} is registered already`);
  REGISTERED.push(domain);
  return () => {
    const at = REGISTERED.indexOf(domain);
    if (at >= 0) REGISTERED.splice(at, 1);
  };
}

/** The domain of that name; throws naming the known ones otherwise. */
export function domainNamed(name: string): Domain {
  const found = REGISTERED.find((d) => d.name === name);
  if (!found) throw new Error(`unknown domain ${JSON.stringify(name)} (${domainNames().join(', ')})`);
  return found;
}

/** Every domain but the one named (e.g. the bridges `status` shows after the configured one). */
export const domainsBut = (name: string): readonly Domain[] => REGISTERED.filter((d) => d.name !== name);

/** The domain whose events' runs have this workflow type (none: not an event run, e.g. an invalid message). */
export const domainOfWorkflowType = (workflowType: string): Domain | undefined =>
  REGISTERED.find((d) => d.workflowType === workflowType);

/** The domain a workflow id belongs to: every id of a domain's runs starts with its name and a dash. */
export const domainOfWorkflowId = (workflowId: string): Domain | undefined =>
  REGISTERED.find((d) => workflowId.startsWith(`${d.name}-`));

/** The trace (or event) id in an event's workflow id; null for an invalid message's id or a foreign one. */
export const traceIdOf = (workflowId: string): string | null =>
  domainOfWorkflowId(workflowId)?.ids.traceIdOf(workflowId) ?? null;

/** The workflow ids an operator may mean by `idOrTrace` (a trace or event id, or a workflow id), most likely first. */
export function workflowIdCandidates(idOrTrace: string): string[] {
  const asWorkflowId = domainOfWorkflowId(idOrTrace) ? [idOrTrace] : [];
  return [...REGISTERED.map((d) => d.ids.workflowIdOf(idOrTrace)), ...asWorkflowId].filter(temporalAcceptsId);
}

/** Every domain's Delta tables, each with its domain. */
export function domainTables(config: DomainConfig): (DomainTable & { readonly domain: string })[] {
  return REGISTERED.flatMap((d) => d.tables(config).map((t) => ({ ...t, domain: d.name })));
}

/** The workflow types whose failed runs are DLQ entries: every domain's ingest workflow and the invalid message's. */
export const dlqWorkflowTypes = (): string[] => [
  ...REGISTERED.map((d) => d.workflowType),
  WORKFLOW_TYPES.quarantineInvalidMessage,
];
