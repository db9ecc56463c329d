import { DlqUsageError } from '../../dlq/query';

/** Command-line durations (`--since 2h`, `--older-than 7d`). */

/** `2h`, `30m`, `7d`, `45s` → milliseconds; anything else is a usage error. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new DlqUsageError(`cannot read duration ${JSON.stringify(text)}: use e.g. 45s, 30m, 2h, 7d`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * unit);
}

export function sinceDate(text: string | undefined, now = new Date()): Date | undefined {
  return text === undefined ? undefined : new Date(now.getTime() - parseDuration(text));
}
