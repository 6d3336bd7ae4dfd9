/** HashedCrossing: crosses categorical features into hash bins, as Keras's preprocessing layer. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { readOptions } from '../../utils/options.js';
import { Layer } from '../layer.js';
import { LAYER_OPTION_NAMES, type LayerInputs, type LayerOptions, type Shape } from '../layer-types.js';
import { oneOf, refuseSparse } from './arguments.js';
import { crossBin } from './cross-hash.js';
import { encodeCategorical } from './encode-categorical.js';

/** The options of `HashedCrossing`, Keras's `HashedCrossing(num_bins, output_mode="int", sparse=False)` camelCased. */
export interface HashedCrossingOptions extends Omit<LayerOptions, 'dtype'> {
  /** The number of hash bins. */
  numBins: number;
  /** `"int"` (default: the bin) or `"one_hot"`. */
  outputMode?: 'int' | 'one_hot';
  /** Only false: tfjs has no sparse tensors. */
  sparse?: boolean;
  /** Keras's output dtype: `"int64"`/`"int32"` for int output (computed as int32 here), a float type for one_hot. */
  dtype?: unknown;
}

const INT64_POLICY = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'int64' }, registered_name: null };

function dtypeName(dtype: unknown): string | null {
  if (dtype == null) return null;
  if (typeof dtype === 'string') return dtype;
  const name = (dtype as { config?: { name?: unknown } }).config?.name;
  return typeof name === 'string' ? name : formatValue(dtype);
}

/**
 * Crosses two or more categorical features into `numBins` bins (Keras's
 * `HashedCrossing`): each sample's feature values, strings or integers,
 * hashed together as TensorFlow's `tf.sparse.cross_hashed` hashes them
 * (FarmHash fingerprints of strings, integers as their value, folded with
 * `FingerprintCat64` from TensorFlow's default key), so the bins equal
 * Keras's. Inputs of shape `[]`, `[batch]` or `[batch, 1]`, all alike;
 * output the bins (int32; Keras: int64) in the same shape, or one-hot rows.
 *
 * @example new layers.HashedCrossing({ numBins: 5 }).apply([tf.tensor1d(['A', 'B'], 'string'), tf.tensor1d([101, 101], 'int32')]) // [1, 4]
 */
export class HashedCrossing extends Layer {
  static override readonly className: string = 'HashedCrossing';
  readonly numBins: number;
  readonly outputMode: 'int' | 'one_hot';
  readonly sparse: false;

  constructor(options: HashedCrossingOptions) {
    const read = readOptions<HashedCrossingOptions>('HashedCrossing', options, [
      ...LAYER_OPTION_NAMES,
      'numBins',
      'outputMode',
      'sparse',
    ]);
    const outputMode = oneOf('HashedCrossing', 'outputMode', read.outputMode ?? 'int', ['int', 'one_hot'] as const);
    const dtype = dtypeName(read.dtype) ?? (outputMode === 'int' ? 'int64' : 'float32');
    if (outputMode === 'int' && dtype !== 'int32' && dtype !== 'int64') {
      throw new ValueError(
        `HashedCrossing's int output is integer bins: \`dtype\` should be "int32" or "int64". Received: dtype=${dtype}`,
        { argument: 'dtype', expected: '"int32" or "int64"', received: dtype },
      );
    }
    const layerOptions = Object.fromEntries(
      LAYER_OPTION_NAMES.filter((k) => k in read && k !== 'dtype').map((k) => [
        k,
        (read as Record<string, unknown>)[k],
      ]),
    );
    // Keras's dtype is the output's; the bins are computed as int32, one-hot rows as float32.
    super({ ...layerOptions, ...(outputMode === 'int' ? {} : { dtype }) } as LayerOptions);
    const numBins = read.numBins;
    if (typeof numBins !== 'number' || !Number.isInteger(numBins) || numBins < 1) {
      throw new ValueError(
        `HashedCrossing needs a positive integer \`num_bins\`. Received: num_bins=${formatValue(numBins)}`,
        { argument: 'numBins', expected: 'a positive integer', received: formatValue(numBins) },
      );
    }
    this.numBins = numBins;
    this.outputMode = outputMode;
    this.sparse = refuseSparse('HashedCrossing', read.sparse);
  }

  /** Integer and string features are hashed as they are. */
  protected override keepsInputDtypes(): boolean {
    return true;
  }

  #checkShapes(shapes: readonly (readonly (number | null)[])[]): void {
    const first = shapes[0] as readonly (number | null)[];
    if (first.length > 2 || (first.length === 2 && first[1] !== 1)) {
      throw new ValueError(
        `All \`HashedCrossing\` inputs should have shape \`()\`, \`(batch_size)\` or \`(batch_size, 1)\`. Received: inputs.shape=[${first.join(', ')}]`,
        { argument: 'inputs', expected: 'shape [], [batch] or [batch, 1]', received: `shape [${first.join(', ')}]` },
      );
    }
    const other = shapes.find((s) => s.length !== first.length || s.some((d, i) => d !== first[i]));
    if (other != null) {
      throw new ValueError(
        `All \`HashedCrossing\` inputs should have equal shape. Received: shapes [${first.join(', ')}] and [${other.join(', ')}]`,
        { argument: 'inputs', expected: `every shape [${first.join(', ')}]`, received: `shape [${other.join(', ')}]` },
      );
    }
  }

  #checkList(inputs: unknown): asserts inputs is readonly unknown[] {
    if (!Array.isArray(inputs)) {
      throw new ValueError('`HashedCrossing` should be called on a list or tuple of inputs. Received: one tensor', {
        argument: 'inputs',
        expected: 'a list of at least two tensors',
        received: 'one tensor',
      });
    }
    if (inputs.length < 2) {
      throw new ValueError(
        `\`HashedCrossing\` should be called on at least two inputs. Received: ${inputs.length} input`,
        { argument: 'inputs', expected: 'a list of at least two tensors', received: `${inputs.length} tensor` },
      );
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    // One shape (its first entry a number or null) is one tensor: not a list.
    this.#checkList(inputShape.length > 0 && Array.isArray(inputShape[0]) ? inputShape : null);
    const shapes = inputShape as Shape[];
    this.#checkShapes(shapes);
    const first = shapes[0] as Shape;
    if (this.outputMode === 'int') return [...first];
    return first.length === 0 ? [this.numBins] : [first[0] ?? null, this.numBins];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    this.#checkList(inputs);
    const features = inputs as tf.Tensor[];
    this.#checkShapes(features.map((x) => x.shape));
    const bad = features.find((x) => x.dtype !== 'int32' && x.dtype !== 'string');
    if (bad != null) {
      throw new ValueError(
        `All \`HashedCrossing\` inputs should have an integer or string dtype. Received: a ${bad.dtype} tensor`,
        { argument: 'inputs', expected: 'int32 or string tensors', received: `a ${bad.dtype} tensor` },
      );
    }
    const columns = features.map((x) => x.dataSync() as unknown as ArrayLike<number | string | Uint8Array>);
    const size = (features[0] as tf.Tensor).size;
    const bins = Int32Array.from({ length: size }, (_, i) =>
      crossBin(
        columns.map((c) => c[i] as number | string | Uint8Array),
        this.numBins,
      ),
    );
    const shape = (features[0] as tf.Tensor).shape;
    return tf.tidy(() => {
      const indices = tf.tensor(bins, shape, 'int32');
      if (this.outputMode === 'int') return indices;
      const rows = encodeCategorical(indices.reshape([-1, 1]), 'one_hot', this.numBins);
      return shape.length === 0 ? rows.reshape([this.numBins]) : rows;
    });
  }

  override getConfig(): Record<string, unknown> {
    const { name, dtype } = super.getConfig();
    // Keras's get_config has exactly these keys (no `trainable`).
    return {
      numBins: this.numBins,
      outputMode: this.outputMode,
      sparse: this.sparse,
      name,
      dtype: this.outputMode === 'int' ? INT64_POLICY : dtype,
    };
  }
}
