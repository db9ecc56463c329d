import v8 from 'node:v8';

/**
 * V8 flags the worker process runs with. A 1 MB young generation makes V8 collect the short-lived buffers of a
 * streaming download early: a 1 GiB transfer then peaks at about 210 MB RSS instead of 260 MB (measured by
 * test/integration/worker-memory.test.ts). Set by `kafka-pipeline start`, the Dockerfile and the manifests.
 */
export const WORKER_NODE_OPTIONS = '--max-semi-space-size=1';

/**
 * V8 flags the worker sets on itself at start, before the workflow and Parquet threads exist (they are not allowed
 * in NODE_OPTIONS). The heap grows by 20 % when a major GC leaves it full, instead of V8's default factor (up to
 * 4x on a machine with memory to spare): during a 500-event burst the compiled worker peaked at 330-480 MB RSS
 * without it, mostly garbage waiting for a major GC, and at ~250 MB with it (docs/performance.md, session 8).
 * `--optimize-for-size` saved as much memory but cost more CPU; a hard `--max-old-space-size` did as well but
 * would crash a worker whose live data (e.g. a large table's key index) outgrew it.
 */
export const WORKER_RUNTIME_V8_FLAGS = ['--heap-growing-percent=20'];

export function applyWorkerV8Flags(): void {
  for (const flag of WORKER_RUNTIME_V8_FLAGS) v8.setFlagsFromString(flag);
}
