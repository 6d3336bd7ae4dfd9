/**
 * The first layer's units drawn as 28x28 images (each unit's 784 input
 * weights), in a diverging colour map: blue negative, white zero, red
 * positive. All units of one run share one scale, ±max|w| over the units
 * shown, so nothing is clipped and units compare within the run.
 */
import { encodePng, pngDataUrl } from './png.js';

/** Colour stops from -1 to 1 (ColorBrewer's RdBu, reversed so that positive is red). */
export const DIVERGING: [number, [number, number, number]][] = [
  [-1, [5, 48, 97]],
  [-0.5, [67, 147, 195]],
  [0, [247, 247, 247]],
  [0.5, [214, 96, 77]],
  [1, [103, 0, 31]],
];

/** The colour of `t` in [-1, 1]. */
export function diverging(t: number): [number, number, number] {
  const clamped = Math.max(-1, Math.min(1, t));
  for (let i = 1; i < DIVERGING.length; i++) {
    const [t1, c1] = DIVERGING[i] as [number, [number, number, number]];
    if (clamped <= t1) {
      const [t0, c0] = DIVERGING[i - 1] as [number, [number, number, number]];
      const f = (clamped - t0) / (t1 - t0);
      return [0, 1, 2].map((k) => Math.round((c0[k] as number) + f * ((c1[k] as number) - (c0[k] as number)))) as [
        number,
        number,
        number,
      ];
    }
  }
  return DIVERGING[DIVERGING.length - 1]?.[1] ?? [0, 0, 0];
}

export interface WeightGrid {
  /** A PNG data URL: the units in a grid, one pixel per weight, 1-pixel grey gaps. */
  url: string;
  width: number;
  height: number;
  /** The scale: ±scale maps to the ends of the colour map. */
  scale: number;
  units: number;
}

/**
 * The first `units` columns of a [side*side, n] kernel, `columns` images to a
 * row of the grid.
 */
export function weightGrid(
  kernel: { values: Float32Array; inputs: number; units: number },
  units = 32,
  columns = 8,
  side = 28,
): WeightGrid {
  if (kernel.inputs !== side * side)
    throw new Error(`weightGrid: expected ${side * side} inputs, got ${kernel.inputs}.`);
  const shown = Math.min(units, kernel.units);
  let scale = 0;
  for (let p = 0; p < kernel.inputs; p++) {
    for (let u = 0; u < shown; u++) scale = Math.max(scale, Math.abs(kernel.values[p * kernel.units + u] as number));
  }
  const rows = Math.ceil(shown / columns);
  const [width, height] = [columns * (side + 1) + 1, rows * (side + 1) + 1];
  const rgb = new Uint8Array(width * height * 3).fill(190);
  for (let u = 0; u < shown; u++) {
    const [left, top] = [1 + (u % columns) * (side + 1), 1 + Math.floor(u / columns) * (side + 1)];
    for (let p = 0; p < kernel.inputs; p++) {
      const colour = diverging((kernel.values[p * kernel.units + u] as number) / (scale || 1));
      rgb.set(colour, ((top + Math.floor(p / side)) * width + left + (p % side)) * 3);
    }
  }
  return { url: pngDataUrl(encodePng(width, height, rgb)), width, height, scale, units: shown };
}

/** A vertical colour bar for one grid, labelled with its scale. */
export function colorBar(scale: number, id: string, height = 120): string {
  // +scale at the top: offsets must rise along the gradient, so the stops go from t = 1 down.
  const stops = [...DIVERGING]
    .reverse()
    .map(([t, [r, g, b]]) => `<stop offset="${(1 - t) / 2}" stop-color="rgb(${r},${g},${b})"/>`)
    .join('');
  const label = (v: number) => (v === 0 ? '0' : `${v > 0 ? '+' : '−'}${Math.abs(v).toPrecision(2)}`);
  return `<svg width="62" height="${height + 12}" role="img" aria-label="colour scale ±${scale.toPrecision(2)}" font-size="11" font-family="system-ui,sans-serif">
<defs><linearGradient id="${id}" x1="0" y1="0" x2="0" y2="1">${stops}</linearGradient></defs>
<rect x="1" y="6" width="14" height="${height}" fill="url(#${id})" stroke="#888"/>
<text x="20" y="14">${label(scale)}</text><text x="20" y="${6 + height / 2 + 4}">0</text><text x="20" y="${6 + height}">${label(-scale)}</text>
</svg>`;
}
