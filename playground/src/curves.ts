/**
 * The three live charts (data loss, penalty, accuracy), each with both
 * runs' training and validation curves. A training point is one batch, so
 * its curve is a moving average; validation points are whole
 * evaluations of the 1000 validation digits.
 */
import { drawLineChart, type Series } from './line-chart.js';
import type { Point, Run } from './run.js';

/** Training points are averaged over this many steps on either side: a centred mean, so the curve does not lag. */
const HALF_WINDOW = 5;

const CHARTS = [
  { key: 'dataLoss', title: 'Data loss (cross-entropy)', yLabel: 'loss' },
  { key: 'penalty', title: 'Penalty (regularization_loss)', yLabel: 'penalty' },
  { key: 'accuracy', title: 'Accuracy', yLabel: 'accuracy', yMin: 0, yMax: 1 },
] as const;

function smoothed(points: readonly Point[], key: keyof Omit<Point, 'step'>): [number, number][] {
  return points.map((point, i) => {
    const window = points.slice(Math.max(0, i - HALF_WINDOW), i + HALF_WINDOW + 1);
    return [point.step, window.reduce((sum, p) => sum + p[key], 0) / window.length];
  });
}

/** The charts share the width of their row: three across, or fewer where each would be narrower than 300 px. */
function chartWidth(canvas: HTMLCanvasElement): number {
  const row = canvas.parentElement?.clientWidth ?? 1200;
  const gap = 12;
  const border = 2;
  const columns = Math.max(1, Math.min(3, Math.floor((row + gap) / (300 + gap))));
  return Math.floor((row - (columns - 1) * gap) / columns) - border;
}

export function drawCurves(canvases: readonly HTMLCanvasElement[], runs: readonly { run: Run; color: string }[]): void {
  CHARTS.forEach((chart, i) => {
    const canvas = canvases[i];
    if (canvas == null) return;
    const series: Series[] = runs.flatMap(({ run, color }) => [
      { label: `${run.id} train`, color, dashed: false, points: smoothed(run.train, chart.key) },
      {
        label: `${run.id} validation`,
        color,
        dashed: true,
        points: run.validation.map((p) => [p.step, p[chart.key]] as const),
      },
    ]);
    drawLineChart(canvas, { ...chart, width: chartWidth(canvas), xLabel: 'training step' }, series);
  });
}
