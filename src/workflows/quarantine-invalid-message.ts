import { ApplicationFailure, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { ERROR_TYPES } from '../shared/errors';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { XACT_DOMAIN } from '../shared/ids';
import type { InvalidMessageInput } from '../shared/pipeline-types';
import { reportingOutcome } from './sinks';

/**
 * A Kafka message that is not a valid event of its domain becomes this failed run: a visible DLQ entry holding the
 * raw payload, its topic/partition/offset and the reason, so the partition keeps flowing and nothing is dropped. Its
 * domain is the Domain search attribute the bridge set (xact for runs started before there were two).
 */
export async function quarantineInvalidMessage(input: InvalidMessageInput): Promise<never> {
  const domain = workflowInfo().typedSearchAttributes.get(SEARCH_ATTRIBUTES.domain) ?? XACT_DOMAIN;
  return reportingOutcome(domain, null, () => quarantine(input));
}

async function quarantine(input: InvalidMessageInput): Promise<never> {
  const { category, stage } = ERROR_TYPES.InvalidEvent;
  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.errorCategory, value: category },
    { key: SEARCH_ATTRIBUTES.failedStage, value: stage },
  ]);
  const where = `${input.source.topic}/${input.source.partition}@${input.source.offset}`;
  const stored = input.storedAt ? ` (whole payload stored at ${input.storedAt})` : '';
  setCurrentDetails(`invalid message at ${where} (${input.payloadBytes} bytes): ${input.reason}${stored}`);
  throw ApplicationFailure.create({
    type: 'InvalidEvent',
    nonRetryable: true,
    message: `invalid message at ${where}: ${input.reason}${stored}`,
    details: [input],
  });
}
