// Memory of a soak's processes over time: RSS (and its anonymous part) from /proc, and each area of the process's
// `pipeline_memory_bytes` gauge from its /metrics, sampled together; the slope of each tells which area grows.
import fs from 'node:fs';
import { rssSlope, type RssSample } from './rss';

export interface RssSummary {
  readonly startMb: number;
  readonly endMb: number;
  readonly peakMb: number;
  /** Least-squares slope over the run after its first fifth (warm-up), MB per hour. */
  readonly slopeMbPerHour: number;
  /**
   * The same over the second half only: where a long run settles. The worker warms up for most of an hour (the
   * day's compacted file grows to its target, the Parquet thread's WebAssembly memory to its bound), longer than the
   * first fifth of a two-hour run (docs/reliability.md, run 10).
   */
  readonly slopeSecondHalfMbPerHour: number;
  readonly samples: number;
}

/** One process's RSS and its areas (`rss_anon`, `native`: RSS not in any area the process reports, and the gauge's). */
export interface MemorySummary extends RssSummary {
  readonly areas: Record<string, RssSummary>;
}

const MB = 2 ** 20;
/**
 * The areas that add up to what the process's isolates hold (array_buffers is part of external, and so is the
 * WebAssembly memory of the thread that owns it).
 */
const COUNTED = ['heap_total', 'external', 'parquet_thread_heap_used', 'parquet_thread_external'];

export function summarise(samples: readonly RssSample[]): RssSummary {
  const mb = (b: number) => Math.round((b / MB) * 10) / 10;
  let peak = 0;
  for (const s of samples) peak = Math.max(peak, s.bytes);
  return {
    startMb: mb(samples[0]?.bytes ?? 0),
    endMb: mb(samples[samples.length - 1]?.bytes ?? 0),
    peakMb: mb(peak),
    slopeMbPerHour: Math.round(rssSlope(samples.slice(Math.floor(samples.length / 5))) * 10) / 10,
    slopeSecondHalfMbPerHour: Math.round(rssSlope(samples.slice(Math.floor(samples.length / 2))) * 10) / 10,
    samples: samples.length,
  };
}

function procStatus(pid: number): { rss: number; anon: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), anon: kb('RssAnon') };
  } catch {
    return { rss: 0, anon: 0 }; // process gone
  }
}

/** `pipeline_memory_bytes` by area, as a process serves it on /metrics (empty when it does not answer). */
export async function memoryAreas(port: number): Promise<Record<string, number>> {
  const areas: Record<string, number> = {};
  try {
    const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    for (const m of text.matchAll(/^pipeline_memory_bytes\{[^}]*area="([a-z_]+)"[^}]*\} (\S+)$/gm))
      areas[m[1]!] = Number(m[2]);
  } catch {
    // not answering right now: this sample has RSS only
  }
  return areas;
}

/** Samples one process: RSS now (synchronously), its areas as soon as its /metrics answers. */
export class MemoryTrack {
  private readonly rss: RssSample[] = [];
  private readonly areas = new Map<string, RssSample[]>();

  constructor(
    private readonly pid: number,
    private readonly metricsPort: number,
  ) {}

  async sample(t: number): Promise<void> {
    const { rss, anon } = procStatus(this.pid);
    this.rss.push({ t, bytes: rss });
    const areas = await memoryAreas(this.metricsPort);
    if (Object.keys(areas).length === 0) return;
    let counted = 0;
    for (const a of COUNTED) counted += areas[a] ?? 0;
    for (const [area, bytes] of Object.entries({ ...areas, rss_anon: anon, native: rss - counted })) {
      const list = this.areas.get(area) ?? [];
      list.push({ t, bytes });
      this.areas.set(area, list);
    }
  }

  summary(): MemorySummary {
    const areas: Record<string, RssSummary> = {};
    for (const [area, samples] of [...this.areas].sort(([a], [b]) => a.localeCompare(b)))
      areas[area] = summarise(samples);
    return { ...summarise(this.rss), areas };
  }
}
