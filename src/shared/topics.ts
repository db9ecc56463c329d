/** Kafka topics the pipeline uses. They are created up front by `npm run stack:up`; auto-creation is off. */
export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
}

export const PIPELINE_TOPICS: readonly TopicSpec[] = [
  { name: 'xact.events.raw', partitions: 6 },
  { name: 'claimx.events.raw', partitions: 6 },
];
