import type { Client } from '@temporalio/client';
import { decodeHistory } from '../codec/history';
import type { DlqService } from '../dlq/dlq-service';
import { parseRunHistory } from '../dlq/history';
import { mapBounded } from '../shared/bounded';
import { dlqWorkflowTypes } from '../domains/registry';
import type { SideFileRuns } from './side-files';

const HISTORY_CONCURRENCY = 8;

/**
 * The runs that may still read a side file, from Temporal and the DLQ archive: every running run of the pipeline's
 * event workflows, every DLQ entry in Temporal, and every open entry of the archive (replayable from the archive
 * after Temporal deleted its run). An input that cannot be read (e.g. encrypted with a key no longer configured)
 * fails the sweep: deleting without knowing what a replay needs is not an option.
 */
export class TemporalSideFileRuns implements SideFileRuns {
  private archived?: Awaited<ReturnType<DlqService['archive']['entries']>>;

  constructor(
    private readonly client: Client,
    private readonly dlq: DlqService,
  ) {}

  async replayableInputs(): Promise<readonly unknown[]> {
    const archived = await this.archiveEntries();
    const open = archived.filter((e) => e.state === 'failed');
    const inArchive = new Set(open.filter((e) => e.failed.inputJson !== null).map((e) => e.failed.runId));
    const inputs: unknown[] = open.flatMap((e) =>
      e.failed.inputJson === null ? [] : [JSON.parse(e.failed.inputJson)],
    );
    const runs: { workflowId: string; runId: string }[] = [];
    const types = dlqWorkflowTypes()
      .map((t) => `'${t}'`)
      .join(', ');
    for await (const info of this.client.workflow.list({
      query: `ExecutionStatus = 'Running' AND WorkflowType IN (${types})`,
    })) {
      runs.push({ workflowId: info.workflowId, runId: info.runId });
    }
    for (const e of await this.dlq.entries()) if (!inArchive.has(e.runId)) runs.push(e);
    const read = await mapBounded(runs, HISTORY_CONCURRENCY, (r) => this.inputOf(r.workflowId, r.runId));
    for (const input of read) inputs.push(input);
    return inputs;
  }

  async archiveInputs(): Promise<ReadonlyMap<string, number | null>> {
    const out = new Map<string, number | null>();
    for (const e of await this.archiveEntries()) {
      if (e.failed.inputPath === null) continue;
      out.set(e.failed.inputPath, e.state === 'failed' ? null : Date.parse(e.latest.recordedAt));
    }
    return out;
  }

  private async archiveEntries() {
    this.archived ??= await this.dlq.archive.entries();
    return this.archived;
  }

  private async inputOf(workflowId: string, runId: string): Promise<unknown> {
    let input: unknown;
    try {
      const raw = await this.client.workflow.getHandle(workflowId, runId).fetchHistory();
      const history = await decodeHistory(raw, this.client.options.loadedDataConverter.payloadCodecs);
      input = parseRunHistory(history).input;
    } catch (err) {
      if ((err as Error).name === 'WorkflowNotFoundError') return null; // closed and deleted meanwhile
      input = err;
    }
    if (input === null || input instanceof Error)
      throw new Error(
        `side files not swept: the input of ${workflowId} run ${runId} cannot be read (${String(input)})`,
      );
    return input;
  }
}
