/**
 * The soak's settings for both processes: a month's cadence compressed. Maintenance every minute, and retentions
 * short enough that log cleanup and vacuum act within the run (the defaults, 2 hours of log and a day of removed
 * files, would only show the bound after hours).
 */
export const SOAK_ENV: Record<string, string> = {
  MAINTENANCE_INTERVAL_S: '60',
  DELTA_LOG_RETENTION: 'interval 5 minutes',
  DELTA_DELETED_FILE_RETENTION: 'interval 5 minutes',
};
