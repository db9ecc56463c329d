import type { SourceBatch, SourceMessage } from '../../src/adapters/kafka/message-source';

/** A fetched batch without Kafka: records what the bridge resolves, commits and pauses. */
export class FakeBatch implements SourceBatch {
  readonly topic: string;
  readonly messages: SourceMessage[];
  resolved: string[] = [];
  /** The last resolved offset at each commit. */
  committed: (string | undefined)[] = [];
  pauses = 0;
  heartbeats = 0;
  active = true;

  constructor(
    readonly partition: number,
    count: number,
    first = 100,
    opts: { topic?: string; value?: (i: number) => Buffer; key?: (i: number) => Buffer | null } = {},
  ) {
    this.topic = opts.topic ?? 't';
    this.messages = Array.from({ length: count }, (_, i) => ({
      key: opts.key?.(i) ?? null,
      value: opts.value?.(i) ?? Buffer.from(`m${i}`),
      offset: String(first + i),
      timestamp: '0',
    }));
  }

  resolveOffset(offset: string): void {
    this.resolved.push(offset);
  }
  async commitIfDue(): Promise<void> {
    this.committed.push(this.resolved.at(-1));
  }
  async heartbeat(): Promise<void> {
    this.heartbeats++;
  }
  pause(): void {
    this.pauses++;
  }
  isActive(): boolean {
    return this.active;
  }
}

/** A start that the test accepts or rejects when it chooses. */
export function deferred() {
  let accept!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    accept = res;
    reject = rej;
  });
  return { promise, accept, reject };
}
