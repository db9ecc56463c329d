/** One sample of a Prometheus text exposition: metric name (with _count/_sum/_bucket suffix), labels, value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the text format prom-client serves (comments skipped). */
export function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL))
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** Reads a process's /metrics; null when it does not answer within the timeout. */
export async function scrape(url: string, timeoutMs = 2_000): Promise<Sample[] | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? parseMetrics(await res.text()) : null;
  } catch {
    return null;
  }
}

/** Sum of a metric's samples whose labels include `labels` (0 when absent). */
export function total(samples: readonly Sample[] | null, name: string, labels: Record<string, string> = {}): number {
  return (samples ?? [])
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);
}

/** The share of a metric's total in the samples that include `labels`; undefined while the metric counts nothing. */
export function share(
  samples: readonly Sample[] | null,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  const all = total(samples, name);
  return all > 0 ? total(samples, name, labels) / all : undefined;
}
