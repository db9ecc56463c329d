import type { TableDef } from '@kafka-pipeline/delta-lake';
import type { Config } from '../config/config';
import type { ClaimCheck } from '../shared/pipeline-types';
import type { StartRequestOf } from './start-request';

/**
 * One business domain of the pipeline: what its Kafka messages are, which run each becomes, where its rows go and how
 * the DLQ treats its failed runs. Shared code (bridge, DLQ tools, status, maintenance, metrics) asks the registry for
 * these and never compares domain names itself; a new domain is one folder under src/domains and one registry line.
 */
export interface Domain {
  /** Its name: BRIDGE_DOMAIN, the `Domain` search attribute, metric labels and the first part of its workflow ids. */
  readonly name: string;
  /** The workflow type its events' runs have (the worker registers it; its failed runs are DLQ entries). */
  readonly workflowType: string;
  /** The topic its bridge consumes and the bridge's consumer group. */
  source(config: DomainConfig): { readonly topic: string; readonly group: string };
  /** How one message becomes a start: its run, or a DLQ entry (no I/O, never throws for the message's content). */
  readonly toStart: StartRequestOf;
  /** How an event too large for a workflow input travels. */
  readonly largeEvent: LargeEvent;
  readonly ids: DomainIds;
  /** Its Delta tables, where each lives (status, `delta verify|compact`, maintenance, metrics). */
  tables(config: DomainConfig): readonly DomainTable[];
  /** What the DLQ tools do with its failed runs' inputs. */
  readonly replay: ReplayAmendments;
  /** What `dlq view` shows as the event of one of its failed runs' inputs (URLs are redacted after). */
  viewEvent(input: unknown): unknown;
  /** Sample events of `kafka-pipeline produce --domain <name>`. */
  readonly sample: SampleEvents;
}

/** The configuration a domain reads its topic, group and table paths from. */
export type DomainConfig = Pick<
  Config,
  | 'eventsTopic'
  | 'consumerGroup'
  | 'claimxEventsTopic'
  | 'claimxConsumerGroup'
  | 'xactEventsTable'
  | 'xactAttachmentsTable'
  | 'claimxTablesPrefix'
>;

export interface DomainTable {
  readonly def: TableDef;
  readonly path: string;
}

export interface DomainIds {
  /** The workflow id of the event an operator names by its trace id (or event id, where that is what names it). */
  workflowIdOf(traceOrEventId: string): string;
  /** The trace (or event) id in one of its workflow ids (`<name>-…`); null when the id names none. */
  traceIdOf(workflowId: string): string | null;
}

/**
 * An event whose input passes BRIDGE_MAX_INPUT_BYTES: stored as a claim check its run loads (the input keeps what
 * `withClaimCheck` leaves), or sent leaner (`lean` leaves out `leftOut`; still too large: a DLQ entry saying so).
 */
export type LargeEvent =
  | {
      readonly kind: 'claim-check';
      withClaimCheck(input: unknown, claimCheck: ClaimCheck): unknown;
      /** The claim check an input carries (already stored: a refused start is not stored twice), if any. */
      claimCheckOf(input: unknown): ClaimCheck | undefined;
    }
  | { readonly kind: 'lean'; readonly leftOut: string; lean(input: unknown): unknown };

export interface ReplayAmendments {
  /** The input a new run of an archived failed run starts with (the input of today's shape). */
  fresh(input: unknown): unknown;
  /**
   * `dlq replay --set-url old=new`: the input with URLs replaced, or why not (`refused`: a sentence for the operator).
   * Absent: this domain's runs take no URL changes, `setUrlsRefused` says why.
   */
  setUrls?(input: unknown, changes: readonly UrlChange[], workflowId: string): { input: unknown } | { refused: string };
  readonly setUrlsRefused?: string;
}

export interface UrlChange {
  readonly from: string;
  readonly to: string;
}

/** What `kafka-pipeline produce` asks of the sample events of a domain. */
export interface SampleRequest {
  readonly attachments: () => number;
  readonly failRate: number;
  readonly bytes: number;
  readonly sampleUrl: string;
}

export interface SampleEvents {
  /** The i-th sample event. */
  event(i: number, request: SampleRequest): Record<string, unknown>;
  /** Its message key: the events of one key stay in order on one partition. */
  key(event: Record<string, unknown>): string;
}
