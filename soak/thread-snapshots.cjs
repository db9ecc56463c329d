// Diagnostic preload (issue 31): `NODE_OPTIONS="--require ./soak/thread-snapshots.cjs"` makes SIGUSR2 write a heap
// snapshot of each worker thread the process made (the Temporal workflow thread, the Parquet thread) into
// THREAD_SNAPSHOT_DIR (default: the working directory). The snapshot is taken by the main thread through
// `worker.getHeapSnapshot()`, so the workflow sandbox is not touched. Not for production: a snapshot pauses the
// thread and allocates its size again while it is written.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { live } = require('../bench/live-threads.cjs');

process.on('SIGUSR2', () => {
  const dir = process.env.THREAD_SNAPSHOT_DIR || process.cwd();
  const at = Date.now();
  for (const w of live.keys()) {
    const file = path.join(dir, `${process.pid}-${at}-thread${w.threadId}.heapsnapshot`);
    w.getHeapSnapshot().then(
      (stream) => stream.pipe(fs.createWriteStream(file)),
      (err) => process.stderr.write(`thread-snapshots: thread ${w.threadId}: ${String(err)}\n`),
    );
  }
});
