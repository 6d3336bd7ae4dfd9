/**
 * Drawings of one run's weights: the first layer's kernel as one 28x28
 * image per unit, a histogram of a layer's kernel, and its Gram matrix.
 */
import { context2d, diverging, formatTick } from './canvas.js';
import { type Histogram, NEAR_ZERO } from './weight-stats.js';

const TILE_SCALE = 2;
const TILE_GAP = 2;

/**
 * Each unit's 784 input weights as a 28x28 image (blue negative, red
 * positive, white zero), all on one colour scale, ±`limit`, so that
 * shrinking weights fade.
 */
export function drawTiles(
  canvas: HTMLCanvasElement,
  kernel: Float32Array,
  units: number,
  columns: number,
  limit: number,
): void {
  const side = 28;
  const tile = side * TILE_SCALE + TILE_GAP;
  const rows = Math.ceil(units / columns);
  const g = context2d(canvas, columns * tile, rows * tile);
  const image = new ImageData(side, side);
  const scratch = document.createElement('canvas');
  scratch.width = side;
  scratch.height = side;
  const scratchContext = scratch.getContext('2d');
  if (scratchContext == null) return;
  g.imageSmoothingEnabled = false;
  for (let unit = 0; unit < units; unit++) {
    for (let p = 0; p < side * side; p++) {
      const [r, gr, b] = diverging((kernel[p * units + unit] as number) / limit);
      image.data.set([r, gr, b, 255], p * 4);
    }
    scratchContext.putImageData(image, 0, 0);
    const x = (unit % columns) * tile;
    const y = Math.floor(unit / columns) * tile;
    g.drawImage(scratch, x, y, side * TILE_SCALE, side * TILE_SCALE);
  }
}

/**
 * Counts on a log scale (a spike of near-zero weights would flatten the
 * rest); the band of near-zero weights is shaded.
 */
export function drawHistogram(canvas: HTMLCanvasElement, { limit, counts }: Histogram, color: string): void {
  const [width, height] = [300, 150];
  const plot = { x: 54, y: 8, w: width - 74, h: height - 42 };
  const g = context2d(canvas, width, height);
  const top = Math.log10(1 + Math.max(...counts));
  const px = (v: number) => plot.x + ((v + limit) / (2 * limit)) * plot.w;
  g.fillStyle = '#f1e7c4';
  // At least 3 px wide: the band is often narrower than a bin.
  const band = Math.max(3, px(NEAR_ZERO) - px(-NEAR_ZERO));
  g.fillRect(px(0) - band / 2, plot.y, band, plot.h);
  g.fillStyle = color;
  const barWidth = plot.w / counts.length;
  counts.forEach((count, i) => {
    const h = (Math.log10(1 + count) / top) * plot.h;
    g.fillRect(plot.x + i * barWidth, plot.y + plot.h - h, Math.max(1, barWidth - 1), h);
  });
  g.strokeStyle = '#888';
  g.strokeRect(plot.x, plot.y, plot.w, plot.h);
  g.fillStyle = '#333';
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (const v of [-limit, 0, limit]) g.fillText(formatTick(Number(v.toPrecision(2))), px(v), plot.y + plot.h + 3);
  g.fillText('weight value', plot.x + plot.w / 2, height - 14);
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (const power of [0, 1, 2, 3, 4]) {
    const v = 10 ** power;
    if (Math.log10(1 + v) > top) break;
    g.fillText(formatTick(v), plot.x - 4, plot.y + plot.h - (Math.log10(1 + v) / top) * plot.h);
  }
  g.save();
  g.translate(8, plot.y + plot.h / 2);
  g.rotate(-Math.PI / 2);
  g.textAlign = 'center';
  g.fillText('count (log)', 0, 0);
  g.restore();
}

/** |cos| between the vectors: white 0, black 1 (the diagonal). */
export function drawGram(canvas: HTMLCanvasElement, { size, values }: { size: number; values: Float32Array }): void {
  const side = 150;
  const g = context2d(canvas, side, side);
  const scratch = document.createElement('canvas');
  scratch.width = size;
  scratch.height = size;
  const scratchContext = scratch.getContext('2d');
  if (scratchContext == null) return;
  const image = new ImageData(size, size);
  values.forEach((v, i) => {
    const shade = Math.round(255 * (1 - Math.min(1, v)));
    image.data.set([shade, shade, shade, 255], i * 4);
  });
  scratchContext.putImageData(image, 0, 0);
  g.imageSmoothingEnabled = size > side;
  g.drawImage(scratch, 0, 0, side, side);
  g.strokeStyle = '#888';
  g.strokeRect(0.5, 0.5, side - 1, side - 1);
}
