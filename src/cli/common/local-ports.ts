/**
 * Each process `npm start` runs serves /metrics and /health on a port of its own: the xact bridge on METRICS_PORT,
 * the others on the ports after it (METRICS_PORT 0: each any free port). `status` reads them there by default.
 */
export const PORT_AFTER_BRIDGE = { worker: 1, claimxBridge: 2, dlqMonitor: 3 } as const;
