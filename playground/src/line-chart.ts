/** A line chart on a canvas: labelled axes, round ticks, a legend. */
import { context2d, formatTick, ticks } from './canvas.js';

export interface Series {
  label: string;
  color: string;
  dashed: boolean;
  points: readonly (readonly [number, number])[];
}

export interface ChartOptions {
  title: string;
  /** CSS pixels. */
  width: number;
  xLabel: string;
  yLabel: string;
  /** Fixed ends of the y axis; else taken from the data (from 0 when all values are >= 0). */
  yMin?: number;
  yMax?: number;
}

const HEIGHT = 230;
const MARGIN = { left: 52, right: 10, top: 40, bottom: 36 };

function yRange(options: ChartOptions, series: readonly Series[]): [number, number] {
  const values = series.flatMap((s) => s.points.map(([, y]) => y)).filter(Number.isFinite);
  const low = options.yMin ?? Math.min(0, ...values);
  const high = options.yMax ?? Math.max(...values, low + 1e-6);
  return [low, high === low ? low + 1 : high * 1.05 - low * 0.05];
}

export function drawLineChart(canvas: HTMLCanvasElement, options: ChartOptions, series: readonly Series[]): void {
  const width = options.width;
  const g = context2d(canvas, width, HEIGHT);
  const plot = {
    x: MARGIN.left,
    y: MARGIN.top,
    w: width - MARGIN.left - MARGIN.right,
    h: HEIGHT - MARGIN.top - MARGIN.bottom,
  };
  const xMax = Math.max(10, ...series.flatMap((s) => s.points.map(([x]) => x)));
  const [yLow, yHigh] = yRange(options, series);
  const px = (x: number) => plot.x + (x / xMax) * plot.w;
  const py = (y: number) => plot.y + plot.h - ((y - yLow) / (yHigh - yLow)) * plot.h;

  g.fillStyle = '#222';
  g.font = 'bold 12px system-ui, sans-serif';
  g.fillText(options.title, 4, 13);
  g.font = '11px system-ui, sans-serif';
  g.strokeStyle = '#e4e4e4';
  g.lineWidth = 1;
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (const y of ticks(yLow, yHigh)) {
    g.beginPath();
    g.moveTo(plot.x, py(y));
    g.lineTo(plot.x + plot.w, py(y));
    g.stroke();
    g.fillText(formatTick(y), plot.x - 4, py(y));
  }
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (const x of ticks(0, xMax)) g.fillText(formatTick(x), px(x), plot.y + plot.h + 4);
  g.strokeStyle = '#888';
  g.strokeRect(plot.x, plot.y, plot.w, plot.h);
  g.fillText(options.xLabel, plot.x + plot.w / 2, HEIGHT - 13);
  g.save();
  g.translate(11, plot.y + plot.h / 2);
  g.rotate(-Math.PI / 2);
  g.fillText(options.yLabel, 0, -6);
  g.restore();

  g.save();
  g.beginPath();
  g.rect(plot.x, plot.y, plot.w, plot.h);
  g.clip();
  for (const s of series) {
    g.strokeStyle = s.color;
    g.lineWidth = s.dashed ? 2 : 1.5;
    g.setLineDash(s.dashed ? [5, 3] : []);
    g.beginPath();
    s.points.forEach(([x, y], i) => {
      if (i === 0) g.moveTo(px(x), py(y));
      else g.lineTo(px(x), py(y));
    });
    g.stroke();
    // Dots where a line alone would not show a point: each evaluation, or a curve of one point.
    if (s.dashed || s.points.length === 1) {
      g.fillStyle = s.color;
      for (const [x, y] of s.points) {
        g.beginPath();
        g.arc(px(x), py(y), 2.5, 0, 2 * Math.PI);
        g.fill();
      }
    }
  }
  g.restore();
  drawLegend(g, series);
}

function drawLegend(g: CanvasRenderingContext2D, series: readonly Series[]): void {
  g.textAlign = 'left';
  g.textBaseline = 'middle';
  let x = 4;
  for (const s of series) {
    g.strokeStyle = s.color;
    g.lineWidth = s.dashed ? 2 : 1.5;
    g.setLineDash(s.dashed ? [5, 3] : []);
    g.beginPath();
    g.moveTo(x, 28);
    g.lineTo(x + 18, 28);
    g.stroke();
    g.setLineDash([]);
    g.fillStyle = '#333';
    g.fillText(s.label, x + 22, 28);
    x += 26 + g.measureText(s.label).width + 10;
  }
}
