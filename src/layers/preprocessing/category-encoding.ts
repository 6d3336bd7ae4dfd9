/** CategoryEncoding: integer ids to one-hot, multi-hot or count rows, as Keras's preprocessing layer. */
import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { refuseSparse } from './arguments.js';
import { encodeCategorical, encodedShape } from './encode-categorical.js';

/** The options of `CategoryEncoding`, Keras's `CategoryEncoding(num_tokens, output_mode="multi_hot", sparse=False)`. */
export interface CategoryEncodingOptions extends LayerOptions {
  /** The number of ids: inputs are in `[0, numTokens)`. */
  numTokens: number;
  /** `"multi_hot"` (default; `"binary"` is its old name), `"one_hot"` or `"count"`. */
  outputMode?: 'one_hot' | 'multi_hot' | 'count' | 'binary';
  /** Only false: tfjs has no sparse tensors. */
  sparse?: boolean;
}

/**
 * Encodes integer ids as float32 rows of `numTokens` (Keras's
 * `CategoryEncoding`): one row per id (`one_hot`), or one row per sample
 * marking (`multi_hot`) or counting (`count`) the ids it holds. Ids outside
 * `[0, numTokens)` mark nothing.
 *
 * @example new layers.CategoryEncoding({ numTokens: 4, outputMode: 'count' }).apply(tf.tensor2d([[0, 1, 1]], undefined, 'int32')) // [[1, 2, 0, 0]]
 */
export class CategoryEncoding extends Layer {
  static override readonly className: string = 'CategoryEncoding';
  readonly numTokens: number;
  readonly outputMode: 'one_hot' | 'multi_hot' | 'count';
  readonly sparse: false;

  constructor(options: CategoryEncodingOptions) {
    super(layerOptionsOf('CategoryEncoding', options, ['numTokens', 'outputMode', 'sparse']));
    const mode = options.outputMode === 'binary' ? 'multi_hot' : (options.outputMode ?? 'multi_hot');
    if (mode !== 'count' && mode !== 'one_hot' && mode !== 'multi_hot') {
      throw new ValueError(
        `Unknown arg for output_mode: ${formatValue(mode)}. Expected one of "one_hot", "multi_hot", "count".`,
        {
          argument: 'outputMode',
          expected: '"one_hot", "multi_hot" or "count"',
          received: formatValue(mode),
        },
      );
    }
    const numTokens = options.numTokens;
    if (numTokens == null) {
      throw new ValueError(
        'num_tokens must be set to use this layer. If the number of tokens is not known beforehand, use the IntegerLookup layer instead.',
        { argument: 'numTokens', expected: 'an integer >= 1', received: formatValue(numTokens) },
      );
    }
    if (typeof numTokens !== 'number' || !Number.isInteger(numTokens) || numTokens < 1) {
      throw new ValueError(`\`num_tokens\` must be >= 1. Received: num_tokens=${formatValue(numTokens)}.`, {
        argument: 'numTokens',
        expected: 'an integer >= 1',
        received: formatValue(numTokens),
      });
    }
    this.numTokens = numTokens;
    this.outputMode = mode;
    this.sparse = refuseSparse('CategoryEncoding', options.sparse);
  }

  /** Ids stay integers (a float32 copy of a large id would round). */
  protected override keepsInputDtypes(): boolean {
    return true;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length === 0) return [this.numTokens];
    if (this.outputMode === 'one_hot') return encodedShape(inputShape, 'one_hot', this.numTokens);
    return [...inputShape.slice(0, -1), this.numTokens];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    return encodeCategorical(singleInput(inputs), this.outputMode, this.numTokens);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), numTokens: this.numTokens, outputMode: this.outputMode };
  }
}
