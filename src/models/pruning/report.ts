/**
 * The pruning report: per layer the units (last-axis features) before and
 * after, parameters and FLOPs per sample, and the model's totals.
 */
import type { Layer } from '../../layers/layer.js';
import type { Shape } from '../../layers/layer-types.js';
import type { Analysis } from './analyze.js';
import { kept } from './arrays.js';
import type { Step } from './graph-view.js';

/** One layer's row of the report. */
export interface PruneLayerReport {
  readonly name: string;
  readonly className: string;
  /** Output features (units, filters, channels) before and after. */
  readonly unitsBefore: number;
  readonly unitsAfter: number;
  readonly paramsBefore: number;
  readonly paramsAfter: number;
  /** Floating-point operations per sample (a multiply-add counts 2; unknown lengths count 1). */
  readonly flopsBefore: number;
  readonly flopsAfter: number;
}

/** What `prune` removed. */
export interface PruneReport {
  readonly layers: readonly PruneLayerReport[];
  /** Each model input's features before and after, and the indices kept (feature selection). */
  readonly inputs: readonly { name: string; before: number; after: number; kept: number[] }[];
  readonly paramsBefore: number;
  readonly paramsAfter: number;
  readonly flopsBefore: number;
  readonly flopsAfter: number;
  /** Groups at or under the threshold that were set to zero before removal. */
  readonly zeroedGroups: number;
  readonly threshold: number;
}

const prod = (dims: readonly (number | null)[]) => dims.reduce<number>((a, d) => a * (d ?? 1), 1);

/** FLOPs per sample of one call with these input and output shapes. */
export function flops(layer: Layer, input: Shape, output: Shape, inWidth: number, outWidth: number): number {
  const className = (layer.constructor as typeof Layer).className;
  const config = layer.getConfig();
  const outPositions = prod(output.slice(1, -1));
  if (className === 'Dense') return 2 * prod(input.slice(1, -1)) * inWidth * outWidth;
  if (/^Conv[123]D$/.test(className))
    return 2 * prod(config.kernelSize as number[]) * inWidth * outWidth * outPositions;
  if (/^SeparableConv[12]D$/.test(className)) {
    const m = config.depthMultiplier as number;
    return 2 * outPositions * (prod(config.kernelSize as number[]) * inWidth * m + inWidth * m * outWidth);
  }
  if (/^DepthwiseConv[12]D$/.test(className)) {
    return 2 * outPositions * prod(config.kernelSize as number[]) * inWidth * (config.depthMultiplier as number);
  }
  const gates = { SimpleRNN: 1, LSTM: 4, GRU: 3 }[className];
  if (gates != null) return 2 * prod(input.slice(1, 2)) * gates * outWidth * (inWidth + outWidth);
  if (className === 'BatchNormalization') return 2 * prod(input.slice(1, -1)) * inWidth;
  return 0;
}

/** The report of `analysis`, given the new layer of each call. */
export function pruneReport(analysis: Analysis, made: ReadonlyMap<Step, Layer>, threshold: number): PruneReport {
  const { view, keep } = analysis;
  const widthAfter = (t: number) => kept(keep[t] as boolean[]).length;
  const layers = view.steps.map((step): PruneLayerReport => {
    const input = view.shapes[step.inputs[0] as number] as Shape;
    const output = view.shapes[step.outputs[0] as number] as Shape;
    const after = made.get(step) as Layer;
    const last = (s: Shape) => s[s.length - 1] as number;
    return {
      name: step.layer.name,
      className: (step.layer.constructor as typeof Layer).className,
      unitsBefore: last(output),
      unitsAfter: widthAfter(step.outputs[0] as number),
      paramsBefore: step.layer.countParams(),
      paramsAfter: after.countParams(),
      flopsBefore: flops(step.layer, input, output, last(input), last(output)),
      flopsAfter: flops(
        after,
        input,
        output,
        widthAfter(step.inputs[0] as number),
        widthAfter(step.outputs[0] as number),
      ),
    };
  });
  const sum = (key: keyof PruneLayerReport) => layers.reduce((a, l) => a + (l[key] as number), 0);
  return {
    layers,
    inputs: view.inputs.map(({ layer, tensor }) => {
      const shape = view.shapes[tensor] as Shape;
      return {
        name: layer.name,
        before: shape[shape.length - 1] as number,
        after: widthAfter(tensor),
        kept: kept(keep[tensor] as boolean[]),
      };
    }),
    paramsBefore: sum('paramsBefore'),
    paramsAfter: sum('paramsAfter'),
    flopsBefore: sum('flopsBefore'),
    flopsAfter: sum('flopsAfter'),
    zeroedGroups: analysis.zeroedGroups,
    threshold,
  };
}

/** The report as a text table, one row per layer and the totals. */
export function formatPruneReport(report: PruneReport): string {
  const rows = [
    ['layer', 'class', 'units', 'params', 'FLOPs'],
    ...report.layers.map((l) => [
      l.name,
      l.className,
      `${l.unitsBefore} -> ${l.unitsAfter}`,
      `${l.paramsBefore} -> ${l.paramsAfter}`,
      `${l.flopsBefore} -> ${l.flopsAfter}`,
    ]),
    [
      'total',
      '',
      '',
      `${report.paramsBefore} -> ${report.paramsAfter}`,
      `${report.flopsBefore} -> ${report.flopsAfter}`,
    ],
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] as number))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
