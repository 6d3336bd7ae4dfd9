/** Inline SVG charts for the report (line charts and histograms with labelled axes), so it needs no chart library. */
import { coordinate as c, escapeHtml } from './html.js';

export interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: [number, number][];
}

const MARGIN = { left: 62, right: 12, top: 26, bottom: 44 };

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  // Multiples of the step, rounded so that 3 × 0.2 is 0.6 and not 0.6000000000000001.
  for (let k = Math.ceil(lo / step - 1e-9); k <= Math.floor(hi / step + 1e-9); k++)
    ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/** Tick labels with as many decimals as the step between ticks needs. */
function tickLabels(ticks: number[]): string[] {
  const step = ticks.length > 1 ? Math.abs((ticks[1] as number) - (ticks[0] as number)) : Math.abs(ticks[0] ?? 1) || 1;
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return ticks.map((t) => t.toFixed(digits).replace('-', '−'));
}

const powerLabel = (p: number) => (p >= 0 && p <= 6 ? String(10 ** p) : `1e${p}`.replace('-', '−'));

/** Ticks on a log axis over [lo, hi]: 1, 2 and 5 times powers of ten, more mantissas where that gives fewer than 3. */
export function logTicks(lo: number, hi: number): number[] {
  const within = (mantissas: number[]) => {
    const ticks: number[] = [];
    for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
      for (const m of mantissas) {
        const v = Number((m * 10 ** p).toPrecision(6));
        if (v >= lo && v <= hi) ticks.push(v);
      }
    }
    return ticks;
  };
  const ticks = within([1, 2, 5]);
  return ticks.length >= 3 ? ticks : within([1, 1.5, 2, 3, 4, 5, 6, 8]);
}

const logLabel = (v: number) => String(Number(v.toPrecision(2))).replace('-', '−');

interface Frame {
  width: number;
  height: number;
  title: string;
  xLabel: string;
  yLabel: string;
  /** Tick positions in data units, with their labels. */
  xTicks: { at: number; label: string }[];
  yTicks: { at: number; label: string }[];
  x: (v: number) => number;
  y: (v: number) => number;
}

/** Axes, grid, tick labels, axis titles and chart title; the marks go inside. */
function frame(f: Frame, marks: string): string {
  const [left, right, top, bottom] = [MARGIN.left, f.width - MARGIN.right, MARGIN.top, f.height - MARGIN.bottom];
  const xTicks = f.xTicks.map(
    (t) =>
      `<line x1="${c(f.x(t.at))}" y1="${top}" x2="${c(f.x(t.at))}" y2="${bottom}" stroke="#eee"/>` +
      `<text x="${c(f.x(t.at))}" y="${bottom + 15}" text-anchor="middle">${t.label}</text>`,
  );
  const yTicks = f.yTicks.map(
    (t) =>
      `<line x1="${left}" y1="${c(f.y(t.at))}" x2="${right}" y2="${c(f.y(t.at))}" stroke="#eee"/>` +
      `<text x="${left - 5}" y="${c(f.y(t.at) + 4)}" text-anchor="end">${t.label}</text>`,
  );
  const middleY = (top + bottom) / 2;
  return `<svg class="chart" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="${escapeHtml(f.title)}" font-size="11" font-family="system-ui,sans-serif">
<text x="${(left + right) / 2}" y="15" text-anchor="middle" font-size="13" font-weight="600">${escapeHtml(f.title)}</text>
${xTicks.join('')}${yTicks.join('')}
<path d="M${left},${top}V${bottom}H${right}" fill="none" stroke="#888"/>
${marks}
<text x="${(left + right) / 2}" y="${f.height - 6}" text-anchor="middle">${escapeHtml(f.xLabel)}</text>
<text transform="translate(13,${middleY}) rotate(-90)" text-anchor="middle">${escapeHtml(f.yLabel)}</text>
</svg>`;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** A log10 y axis; points at or below 0 are left out. */
  logY?: boolean;
  width?: number;
  height?: number;
}

export function lineChart(options: LineChartOptions): string {
  const { width = 360, height = 280, logY = false } = options;
  const series = options.series.map((s) => ({
    ...s,
    points: s.points.filter(([, y]) => Number.isFinite(y) && (!logY || y > 0)),
  }));
  const all = series.flatMap((s) => s.points);
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => (logY ? Math.log10(y) : y));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [low, high] = [Math.min(...ys), Math.max(...ys)];
  // A little room above and below, so no line runs along the frame.
  const [y0, y1] = [low - 0.04 * (high - low || 1), high + 0.04 * (high - low || 1)];
  const x = (v: number) => MARGIN.left + ((v - x0) / (x1 - x0 || 1)) * (width - MARGIN.left - MARGIN.right);
  const yOf = (v: number) =>
    height - MARGIN.bottom - ((v - y0) / (y1 - y0 || 1)) * (height - MARGIN.top - MARGIN.bottom);
  const y = (v: number) => yOf(logY ? Math.log10(v) : v);
  const xTickValues = niceTicks(x0, x1, 6);
  const yTickValues = logY ? logTicks(10 ** y0, 10 ** y1) : niceTicks(y0, y1, 5).filter((v) => v >= y0 && v <= y1);
  const lines = series.map(
    (s) =>
      `<polyline fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''} points="${s.points
        .map(([px, py]) => `${c(x(px))},${c(y(py))}`)
        .join(' ')}"><title>${escapeHtml(s.name)}</title></polyline>`,
  );
  return frame(
    {
      width,
      height,
      title: options.title,
      xLabel: options.xLabel,
      yLabel: options.yLabel,
      xTicks: xTickValues.map((at, i) => ({ at, label: tickLabels(xTickValues)[i] as string })),
      yTicks: logY
        ? yTickValues.map((at) => ({ at, label: logLabel(at) }))
        : yTickValues.map((at, i) => ({ at, label: tickLabels(yTickValues)[i] as string })),
      x,
      y,
    },
    lines.join(''),
  );
}

export interface HistogramOptions {
  title: string;
  values: ArrayLike<number>;
  /** The x range; give every run's extremes so that no tail is cut off. */
  range: [number, number];
  bins?: number;
  /** The top of the count axis; give the largest bin of every run so that the runs share one axis. */
  maxCount?: number;
  color: string;
  width?: number;
  height?: number;
}

/** How many of `values` fall in each of `bins` equal bins over `range` (the ends included). */
export function binCounts(values: ArrayLike<number>, range: [number, number], bins: number): number[] {
  const [lo, hi] = range;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor((((values[i] as number) - lo) / (hi - lo)) * bins)));
    counts[bin] = (counts[bin] as number) + 1;
  }
  return counts;
}

/**
 * Counts on a log axis whose floor is half a count, so a bin holding one
 * weight in a tail still shows; the title gives the values' extremes.
 */
export function histogramChart(options: HistogramOptions): string {
  const { width = 330, height = 200, bins = 80, range } = options;
  const [lo, hi] = range;
  const counts = binCounts(options.values, range, bins);
  let [min, max] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (let i = 0; i < options.values.length; i++) {
    [min, max] = [Math.min(min, options.values[i] as number), Math.max(max, options.values[i] as number)];
  }
  const [floor, top] = [Math.log10(0.5), Math.ceil(Math.log10(Math.max(options.maxCount ?? 0, ...counts, 1)))];
  const x = (v: number) => MARGIN.left + ((v - lo) / (hi - lo)) * (width - MARGIN.left - MARGIN.right);
  const y = (count: number) =>
    height - MARGIN.bottom - ((Math.log10(count) - floor) / (top - floor)) * (height - MARGIN.top - MARGIN.bottom);
  const bars = counts.map((count, i) => {
    if (count === 0) return '';
    const [left, right] = [x(lo + (i * (hi - lo)) / bins), x(lo + ((i + 1) * (hi - lo)) / bins)];
    const yTop = y(count);
    return `<rect x="${c(left)}" y="${c(yTop)}" width="${c(Math.max(right - left - 0.4, 0.6))}" height="${c(height - MARGIN.bottom - yTop)}" fill="${options.color}"/>`;
  });
  const xTickValues = niceTicks(lo, hi, 5);
  return frame(
    {
      width,
      height,
      title: `${options.title}: min ${min.toFixed(3).replace('-', '−')}, max ${max.toFixed(3).replace('-', '−')}`,
      xLabel: 'weight value',
      yLabel: 'count (log scale)',
      xTicks: xTickValues.map((at, i) => ({ at, label: tickLabels(xTickValues)[i] as string })),
      yTicks: Array.from({ length: top + 1 }, (_, p) => ({ at: 10 ** p, label: powerLabel(p) })),
      x,
      y,
    },
    bars.join(''),
  );
}
