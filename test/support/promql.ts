import { parser } from '@prometheus-io/lezer-promql';
import { METRICS, SDK_METRICS } from '../../src/observability/metric-catalogue';

/** Labels every scraped series carries besides its own: Prometheus target labels and our registry default. */
export const TARGET_LABELS = ['instance', 'job', 'service', 'namespace', 'pod'];

export interface Selector {
  readonly metric: string;
  readonly labels: string[];
}

/** Parses a PromQL expression: its vector selectors (metric + matched labels), grouping labels and syntax errors. */
export function analyse(expr: string): { selectors: Selector[]; grouping: string[]; errors: string[] } {
  const tree = parser.parse(expr);
  const selectors: Selector[] = [];
  const grouping: string[] = [];
  const errors: string[] = [];
  const text = (from: number, to: number) => expr.slice(from, to);
  tree.iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(`syntax error at ${node.from}: ${JSON.stringify(expr.slice(node.from, node.from + 20))}`);
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        const labels: string[] = [];
        const matchers = node.node.getChild('LabelMatchers');
        let m = matchers?.firstChild;
        while (m) {
          const name = m.getChild('LabelName');
          if (name) labels.push(text(name.from, name.to));
          m = m.nextSibling;
        }
        selectors.push({ metric: id ? text(id.from, id.to) : '', labels });
      }
      if (node.name === 'GroupingLabels') {
        let l = node.node.firstChild;
        while (l) {
          if (l.name === 'LabelName') grouping.push(text(l.from, l.to));
          l = l.nextSibling;
        }
      }
    },
  });
  return { selectors, grouping, errors };
}

/** Labels a queried series name can have, or undefined when no process exports it. */
export function labelsOf(series: string): string[] | undefined {
  const catalogue = METRICS as Record<string, { type: string; labels: readonly string[] }>;
  const sdk = SDK_METRICS as Record<string, readonly string[]>;
  for (const [suffix, extra] of [
    ['', []],
    ['_bucket', ['le']],
    ['_sum', []],
    ['_count', []],
  ] as const) {
    if (suffix && !series.endsWith(suffix)) continue;
    const base = suffix ? series.slice(0, -suffix.length) : series;
    const def = catalogue[base];
    if (def && (suffix === '' ? def.type !== 'histogram' : def.type === 'histogram'))
      return [...def.labels, ...extra, ...TARGET_LABELS];
    if (sdk[base]) return [...sdk[base], ...extra, 'service_name', ...TARGET_LABELS];
  }
  if (series === 'up') return TARGET_LABELS;
  return undefined;
}

/** Problems of one expression: syntax errors, unknown metrics, labels the metrics do not have. */
export function expressionProblems(expr: string): string[] {
  const { selectors, grouping, errors } = analyse(expr);
  const problems = [...errors];
  const known = new Set<string>();
  for (const s of selectors) {
    const labels = labelsOf(s.metric);
    if (!labels) {
      problems.push(`metric ${s.metric} is not exported by any process`);
      continue;
    }
    labels.forEach((l) => known.add(l));
    for (const l of s.labels) if (!labels.includes(l)) problems.push(`${s.metric} has no label ${l}`);
  }
  for (const l of grouping) if (!known.has(l)) problems.push(`grouping label ${l} is on none of the queried metrics`);
  return problems;
}
