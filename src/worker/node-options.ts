import v8 from 'node:v8';

/**
 * V8 flags every pipeline process runs with (the image's NODE_OPTIONS; `kafka-pipeline start`, the soak, bench and test
 * launchers set the same). A small young generation makes V8 collect the short-lived buffers of a streaming download
 * early: a 1 GiB transfer peaked at about 210 MB RSS with 1 MB semi-spaces against 260 MB with V8's 16 MB
 * (test/integration/worker-memory.test.ts). 4 MB instead of 1: in three same-run comparisons of bursts
 * (`npm run bench:variants`, docs/performance.md "Issue 32 item 4") the worker used 10-15 % less CPU per event
 * (fewer young-generation collections) for 15-20 MB more peak RSS. The bridge: in two 2-hour soaks side by side at 4
 * events/s (docs/reliability.md, run 10) the bridge without it held ~245 MB (Node 24's young generation grew to ~130
 * MB under load and stayed) and with it ~140 MB, for the same CPU time.
 */
export const PROCESS_NODE_OPTIONS = '--max-semi-space-size=4';

/**
 * glibc malloc settings for every pipeline process (read by the C library at process start, so set by whatever starts
 * it: the Dockerfile, `kafka-pipeline start`, the soak, bench and test launchers). By default glibc gives each thread
 * that mallocs concurrently an arena of its own, up to 8 per core, and returns little of their free memory: in a
 * 10-minute soak at 8 events/s the worker's ~20 threads (Temporal core, workflow and Parquet threads, V8 and libuv
 * helpers) held 112 MB of arenas for 27 MB in use, and RSS grew by 459 MB/h; with 2 arenas the native part stopped
 * growing and RSS grew by 218 MB/h, the rest being the Parquet thread's WebAssembly memory and the heap
 * (docs/reliability.md, "Over time"). The CPU cost was not measurable at the soak's rate.
 */
export const PROCESS_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  // Fixed thresholds instead of glibc's sliding ones: by default, once a large buffer (a Parquet file, a history)
  // has been freed, the mmap threshold rises up to 32 MB, later large buffers are carved out of the arenas, and
  // the free pages between long-lived small chunks stay resident. With allocations over 128 kB mapped on their own
  // and the arenas' free top returned past 128 kB, the worker's native memory grew about half as fast, as much as
  // with jemalloc (36-minute soaks side by side, docs/reliability.md "Over time"). A `malloc_trim(0)` through gdb
  // had shown the cause: it returned 119 MB of a 382 MB worker, which then went on working.
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
};

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
