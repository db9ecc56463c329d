/** The soak's settings for both processes: table maintenance on a short schedule (a month's cadence compressed). */
export const SOAK_ENV: Record<string, string> = {};
