// Bench-only preload (issue 32 item 4): `NODE_OPTIONS="--require ./bench/no-vm-timeout.cjs"` drops the `timeout` the
// Temporal SDK passes to every call into the workflow sandbox (its isolateExecutionTimeout, 5 s; not a public worker
// option, and 0 or undefined are rejected). With a timeout Node runs each call under a watchdog thread it creates and
// joins (~50 µs of CPU a call); without one, workflow code that never returns (an infinite loop) blocks its workflow
// thread for good instead of failing the task after 5 s. Loaded in every thread (worker threads run preloads too).
// A measurement aid, never for production.
'use strict';
const vm = require('node:vm');

const strip = (options) => {
  if (options === null || typeof options !== 'object' || options.timeout === undefined) return options;
  const { timeout: _timeout, ...rest } = options;
  return rest;
};
const runInContext = vm.Script.prototype.runInContext;
vm.Script.prototype.runInContext = function (context, options) {
  return runInContext.call(this, context, strip(options));
};
const plain = vm.runInContext;
vm.runInContext = (code, context, options) => plain(code, context, strip(options));
