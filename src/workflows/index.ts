// Every workflow the worker registers. This file is the entry point of the workflow bundle.
export { healthCheck } from './health-check';
