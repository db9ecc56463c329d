/** One resident-set-size reading: seconds since the start and bytes. */
export interface RssSample {
  readonly t: number;
  readonly bytes: number;
}

/**
 * Least-squares slope of RSS over time, in MB per hour (0 for fewer than two samples or no time spread). A leak
 * shows as a positive slope that stays when the run is longer; GC sawtooth averages out.
 */
export function rssSlope(samples: readonly RssSample[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  let st = 0;
  let sb = 0;
  for (const s of samples) {
    st += s.t;
    sb += s.bytes;
  }
  const mt = st / n;
  const mb = sb / n;
  let cov = 0;
  let vart = 0;
  for (const s of samples) {
    cov += (s.t - mt) * (s.bytes - mb);
    vart += (s.t - mt) ** 2;
  }
  if (vart === 0) return 0;
  return ((cov / vart) * 3600) / 2 ** 20;
}
