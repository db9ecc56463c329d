/** What a worker reports about itself when the health-check workflow runs one of its activities. */
export interface WorkerHealth {
  readonly workerId: string;
  readonly pid: number;
  readonly taskQueue: string;
  readonly checkedAt: string;
}
