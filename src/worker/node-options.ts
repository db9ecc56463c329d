/**
 * V8 flags the worker process runs with. A 1 MB young generation makes V8 collect the short-lived buffers of a
 * streaming download early: a 1 GiB transfer then peaks at about 210 MB RSS instead of 260 MB (measured by
 * test/integration/worker-memory.test.ts). Set by `kafka-pipeline start`, the Dockerfile and the manifests.
 */
export const WORKER_NODE_OPTIONS = '--max-semi-space-size=1';
