// The worker threads this process has made and not yet lost, for the diagnostic preloads (soak/thread-snapshots.cjs,
// bench/peak-memory.cjs): loading it wraps `worker_threads.Worker`, so every thread made after is listed, with the
// last two parts of the file it runs, until it exits. Node loads a module once per thread, so preloads that both
// require it share one wrapper and one list. A measurement aid, never for production.
'use strict';
const path = require('node:path');
const threads = require('node:worker_threads');

/** @type {Map<import('node:worker_threads').Worker, string>} */
const live = new Map();
const Original = threads.Worker;
threads.Worker = class extends Original {
  constructor(file, ...rest) {
    super(file, ...rest);
    live.set(this, String(file).split(path.sep).slice(-2).join('/'));
    this.once('exit', () => live.delete(this));
  }
};

module.exports = { live };
