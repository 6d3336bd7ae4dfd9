/**
 * The group-norm view: the L2 norm of each unit's incoming weights (a
 * column of the kernel, the group that group lasso shrinks and
 * `models.prune` removes when it is 0), one bar per unit, the zero groups
 * marked. And the prune button's work: `models.prune` on a run's network.
 */
import { models } from 'keras-regularizers';
import { context2d, formatTick } from './canvas.js';

/** The L2 norm of each column of a row-major `[inputs, units]` kernel. */
export function unitNorms(values: Float32Array, inputs: number, units: number): Float64Array {
  const norms = new Float64Array(units);
  for (let i = 0; i < inputs; i++) {
    for (let u = 0; u < units; u++) norms[u] = (norms[u] as number) + (values[i * units + u] as number) ** 2;
  }
  return norms.map(Math.sqrt);
}

/** One bar per unit, in unit order; a group that is exactly 0 gets a red tick under the axis. */
export function drawGroupNorms(canvas: HTMLCanvasElement, norms: Float64Array, color: string): void {
  const [width, height] = [300, 110];
  const plot = { x: 40, y: 6, w: width - 50, h: height - 34 };
  const g = context2d(canvas, width, height);
  const top = Math.max(...norms, 1e-12);
  const bar = plot.w / Math.max(1, norms.length);
  norms.forEach((norm, u) => {
    const h = (norm / top) * plot.h;
    g.fillStyle = color;
    g.fillRect(plot.x + u * bar, plot.y + plot.h - h, Math.max(1, bar - 1), h);
    if (norm === 0) {
      g.fillStyle = '#d62728';
      g.fillRect(plot.x + u * bar, plot.y + plot.h + 2, Math.max(1, bar - 1), 4);
    }
  });
  g.strokeStyle = '#888';
  g.strokeRect(plot.x, plot.y, plot.w, plot.h);
  g.fillStyle = '#333';
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  g.fillText(formatTick(Number(top.toPrecision(2))), plot.x - 4, plot.y + 4);
  g.fillText('0', plot.x - 4, plot.y + plot.h);
  g.textAlign = 'center';
  g.textBaseline = 'top';
  g.fillText('unit (red: group exactly 0)', plot.x + plot.w / 2, height - 16);
}

/** Prunes a run's network: the smaller model and one line saying what went. */
export function pruneNetwork(model: models.Model): { model: models.Model; summary: string } {
  const { model: pruned, report } = models.prune(model);
  const units = report.layers.map((l) => `${l.name} ${l.unitsBefore}→${l.unitsAfter}`).join(', ');
  const share = ((100 * report.paramsAfter) / report.paramsBefore).toFixed(1);
  return {
    model: pruned,
    summary: `pruned: ${report.paramsBefore} → ${report.paramsAfter} parameters (${share}%), ${units}; same predictions`,
  };
}
