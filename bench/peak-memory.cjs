// Diagnostic preload (issue 32, worker memory): what a process holds at its RSS peak. Every 500 ms it samples its
// RSS; at each new peak it writes PEAK_MEMORY_DIR/peak-memory-<pid>.json (default: the system's temporary folder)
// with the V8 heap of each thread (the main thread and every worker thread the process made: the Temporal
// workflow thread, the Parquet thread) and the resident memory of /proc/self/smaps grouped by what is mapped (the
// node binary and native add-ons by file name, the C library's main heap, anonymous mappings by size: V8 pages and
// buffers of 128 kB or more mapped on their own are under 1 MB, thread stacks and arenas above). For the worker of a
// bench: `BENCH_WORKER_EXEC_ARGV="--require ./bench/peak-memory.cjs" npm run bench:variants -- ...`. Heap snapshots
// of the threads: soak/thread-snapshots.cjs. A measurement aid, never for production.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setInterval } = require('node:timers');
const threads = require('node:worker_threads');
const v8 = require('node:v8');
const { live } = require('./live-threads.cjs');

if (threads.isMainThread) {
  const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
  const heap = (s) => ({
    allocatedMb: mb(s.total_physical_size),
    usedMb: mb(s.used_heap_size),
    externalMb: mb(s.external_memory),
  });
  const smaps = () => {
    const kb = {};
    let group = '';
    for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
      const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
      if (m) {
        const size = parseInt(m[2], 16) - parseInt(m[1], 16);
        const name = m[3];
        if (name.startsWith('/')) group = path.basename(name);
        else if (name) group = name;
        else group = size < 2 ** 20 ? 'anonymous < 1 MB' : size < 2 ** 26 ? 'anonymous 1-64 MB' : 'anonymous >= 64 MB';
      } else if (line.startsWith('Rss:')) {
        kb[group] = (kb[group] ?? 0) + Number(line.split(/\s+/)[1]);
      }
    }
    return Object.fromEntries(
      Object.entries(kb)
        .filter(([, v]) => v >= 1024)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, Math.round(v / 102.4) / 10]),
    );
  };

  const out = path.join(process.env.PEAK_MEMORY_DIR || os.tmpdir(), `peak-memory-${process.pid}.json`);
  let peak = 0;
  const sample = async () => {
    const rss = process.memoryUsage.rss();
    if (rss <= peak) return;
    peak = rss;
    const workerThreads = {};
    for (const [w, name] of live) workerThreads[`${name} (thread ${w.threadId})`] = heap(await w.getHeapStatistics());
    const record = {
      at: new Date().toISOString(),
      rssMb: mb(rss),
      heaps: { main: heap(v8.getHeapStatistics()), ...workerThreads },
      residentMbByMapping: smaps(),
    };
    fs.writeFileSync(out, JSON.stringify(record, null, 2) + '\n');
  };
  setInterval(() => {
    sample().catch((err) => process.stderr.write(`peak-memory: ${String(err)}\n`));
  }, 500).unref();
}
