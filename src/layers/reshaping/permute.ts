/** Permute: reorders the axes of each sample. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkInputRank, singleShape } from './input-shape.js';

/** The options of `Permute`, Keras's `Permute(dims)`. */
export interface PermuteOptions extends LayerOptions {
  /** A permutation of `1..n` (1-based: the batch axis 0 stays first); inputs must have rank n + 1. */
  dims: number[];
}

/**
 * Permutes the axes after the batch axis: output axis `i` is input axis `dims[i - 1]`.
 *
 * @example new layers.Permute({ dims: [2, 1] }).apply(x) // [b, 10, 64] gives [b, 64, 10]
 */
export class Permute extends Layer {
  static override readonly className: string = 'Permute';
  readonly dims: readonly number[];

  constructor(options: PermuteOptions) {
    super(layerOptionsOf('Permute', options, ['dims']));
    this.dims = checkDims(options.dims);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape);
    checkInputRank(shape, this.dims.length + 1, this.name);
    return [shape[0] ?? null, ...this.dims.map((d) => shape[d] ?? null)];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    checkInputRank([...x.shape], this.dims.length + 1, this.name);
    return tf.transpose(x, [0, ...this.dims]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}

/** Keras's check: sorted, the dims are exactly `1..n`. */
function checkDims(value: unknown): number[] {
  const sorted = Array.isArray(value) ? [...value].sort((a, b) => a - b) : null;
  if (sorted == null || !sorted.every((d, i) => d === i + 1)) {
    throw new ValueError(
      `Invalid permutation argument \`dims\` for Permute Layer. The set of indices in \`dims\` must be consecutive and start from 1. Received: dims=${formatValue(value)}`,
      { argument: 'dims', expected: 'a permutation of 1..n', received: formatValue(value) },
    );
  }
  return [...(value as number[])];
}
