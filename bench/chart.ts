import type { TimelinePoint } from './pipeline';

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly TimelinePoint[];
}

/** Events/s over time from cumulative counts: the rate over each `windowS`-second window, at its end. */
export function rates(points: readonly TimelinePoint[], windowS = 5): { t: number; rate: number }[] {
  const out: { t: number; rate: number }[] = [];
  let from = points[0];
  for (const p of points) {
    if (p.t - from!.t >= windowS) {
      out.push({ t: p.t, rate: (p.done - from!.done) / (p.t - from!.t) });
      from = p;
    }
  }
  return out;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A plain SVG line chart of events/s over seconds since the first start, one line per series. */
export function timelineSvg(title: string, series: readonly Series[]): string {
  const W = 760;
  const H = 320;
  const left = 56;
  const right = 16;
  const top = 36;
  const bottom = 44;
  const lines = series.map((s) => ({ ...s, rates: rates(s.points) }));
  const maxT = Math.max(10, ...lines.flatMap((s) => s.rates.map((r) => r.t)));
  const maxR = Math.max(10, ...lines.flatMap((s) => s.rates.map((r) => r.rate))) * 1.1;
  const x = (t: number) => left + (t / maxT) * (W - left - right);
  const y = (r: number) => H - bottom - (r / maxR) * (H - top - bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${left}" y="20" font-size="14">${esc(title)}</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const r = (maxR * i) / 5;
    out.push(`<line x1="${left}" x2="${W - right}" y1="${y(r)}" y2="${y(r)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${left - 6}" y="${y(r) + 4}" text-anchor="end">${r.toFixed(0)}</text>`);
    const t = (maxT * i) / 5;
    out.push(`<text x="${x(t)}" y="${H - bottom + 16}" text-anchor="middle">${t.toFixed(0)}</text>`);
  }
  out.push(
    `<text x="${(left + W - right) / 2}" y="${H - 8}" text-anchor="middle">seconds since the first start</text>`,
  );
  out.push(
    `<text x="14" y="${(top + H - bottom) / 2}" transform="rotate(-90 14 ${(top + H - bottom) / 2})" text-anchor="middle">events/s (5 s windows)</text>`,
  );
  lines.forEach((s, i) => {
    const path = s.rates.map((r, j) => `${j === 0 ? 'M' : 'L'}${x(r.t).toFixed(1)},${y(r.rate).toFixed(1)}`).join(' ');
    if (path) out.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    out.push(`<rect x="${W - right - 220}" y="${top + i * 18}" width="12" height="3" fill="${s.color}"/>`);
    out.push(`<text x="${W - right - 202}" y="${top + i * 18 + 5}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
