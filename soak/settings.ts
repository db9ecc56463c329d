/** The soak's settings for both processes: table maintenance every minute (a month's cadence compressed). */
export const SOAK_ENV: Record<string, string> = { MAINTENANCE_INTERVAL_S: '60' };
