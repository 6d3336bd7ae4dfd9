/** Hashing: values to hash buckets with TensorFlow's FarmHash fingerprint, as Keras's preprocessing layer. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { readOptions } from '../../utils/options.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { LAYER_OPTION_NAMES, type LayerInputs, type LayerOptions, type Shape } from '../layer-types.js';
import { type CategoricalOutputMode, refuseSparse } from './arguments.js';
import { encodeCategorical } from './encode-categorical.js';
import { fingerprint64, sipHash24 } from './farmhash.js';

/** The options of `Hashing`, Keras's `Hashing(num_bins, mask_value, salt, output_mode, sparse)` camelCased. */
export interface HashingOptions extends Omit<LayerOptions, 'dtype'> {
  /** The number of buckets (the mask's bucket included when `maskValue` is set). */
  numBins: number;
  /** A value that goes to bucket 0 (the others to 1..numBins-1). */
  maskValue?: number | string | null;
  /** A key for the keyed (SipHash) hash: one integer or two. */
  salt?: number | [number, number] | null;
  /** `"int"` (default), `"one_hot"`, `"multi_hot"` or `"count"`. */
  outputMode?: CategoricalOutputMode;
  /** Only false: tfjs has no sparse tensors. */
  sparse?: boolean;
  /** Keras's output dtype: `"int64"`/`"int32"` for int output (computed as int32 here), else float32. */
  dtype?: unknown;
}

const encoder = new TextEncoder();

/** A value of a tensor as TensorFlow's `as_string` writes it: integers in decimal; floats cast to int64 first. */
function tokenBytes(value: number | Uint8Array): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const whole = Math.trunc(value);
  // String() writes integers below 1e21 in decimal, as TF's as_string does (-0 as "0"); BigInt beyond.
  return encoder.encode(Math.abs(whole) < 1e21 ? String(whole) : BigInt(whole).toString());
}

function dtypeName(dtype: unknown): string | null {
  if (dtype == null) return null;
  if (typeof dtype === 'string') return dtype;
  const config = (dtype as { config?: { name?: unknown } }).config;
  return typeof config?.name === 'string' ? config.name : formatValue(dtype);
}

/**
 * Hashes each input value to one of `numBins` buckets (Keras's `Hashing`):
 * TensorFlow's `to_hash_bucket_fast`, FarmHash's `Fingerprint64` of the
 * value's decimal string (floats truncated to integers first, strings as
 * their UTF-8 bytes) modulo the bins, so buckets equal Keras's; with a
 * `salt`, `to_hash_bucket_strong` (SipHash-2-4 keyed by the two salt
 * words). With `maskValue`, that value goes to bucket 0 and the others to
 * `1 + hash % (numBins - 1)`. Buckets are int32 (Keras: int64), or encoded
 * as one-hot, multi-hot or count rows.
 *
 * @example new layers.Hashing({ numBins: 3 }).apply(tf.tensor2d([[1], [2], [3]], undefined, 'int32'))
 */
export class Hashing extends Layer {
  static override readonly className: string = 'Hashing';
  readonly numBins: number;
  readonly maskValue: number | string | null;
  /** The two key words, or null for the unkeyed hash. */
  readonly salt: [number, number] | null;
  readonly outputMode: CategoricalOutputMode;
  readonly sparse: false;

  constructor(options: HashingOptions) {
    const read = readOptions<HashingOptions>('Hashing', options, [
      ...LAYER_OPTION_NAMES,
      'numBins',
      'maskValue',
      'salt',
      'outputMode',
      'sparse',
    ]);
    const outputMode = read.outputMode ?? 'int';
    const dtype = dtypeName(read.dtype) ?? (outputMode === 'int' ? 'int64' : 'float32');
    const layerOptions = Object.fromEntries(
      LAYER_OPTION_NAMES.filter((k) => k in read && k !== 'dtype').map((k) => [
        k,
        (read as Record<string, unknown>)[k],
      ]),
    );
    // Keras's dtype is the output's: an integer one for buckets; computed here as int32 or float32.
    super({ ...layerOptions, ...(outputMode === 'int' ? {} : { dtype }) } as LayerOptions);
    const numBins = read.numBins;
    if (typeof numBins !== 'number' || !Number.isInteger(numBins) || numBins <= 0) {
      throw new ValueError(
        `The \`num_bins\` for \`Hashing\` cannot be \`None\` or non-positive values. Received: num_bins=${formatValue(numBins)}.`,
        { argument: 'numBins', expected: 'a positive integer', received: formatValue(numBins) },
      );
    }
    if (outputMode === 'int' && dtype !== 'int32' && dtype !== 'int64') {
      throw new ValueError(
        `When \`output_mode="int"\`, \`dtype\` should be an integer type, 'int32' or 'in64'. Received: dtype=${dtype}`,
        {
          argument: 'dtype',
          expected: '"int32" or "int64"',
          received: dtype,
        },
      );
    }
    const modes = ['int', 'one_hot', 'multi_hot', 'count'];
    if (!modes.includes(outputMode)) {
      throw new ValueError(
        `Invalid value for argument \`output_mode\`. Expected one of ('int', 'one_hot', 'multi_hot', 'count'). Received: output_mode=${formatValue(outputMode)}`,
        { argument: 'outputMode', expected: modes.map((m) => `"${m}"`).join(', '), received: formatValue(outputMode) },
      );
    }
    this.outputMode = outputMode;
    this.sparse = refuseSparse('Hashing', read.sparse);
    const salt = read.salt ?? null;
    const word = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 53;
    if (salt != null && !(word(salt) || (Array.isArray(salt) && salt.length === 2 && salt.every(word)))) {
      throw new ValueError(
        `The \`salt\` argument for \`Hashing\` can only be a tuple of size 2 integers, or a single integer. Received: salt=${formatValue(salt)}.`,
        { argument: 'salt', expected: 'a non-negative integer or two', received: formatValue(salt) },
      );
    }
    this.salt = salt == null ? null : typeof salt === 'number' ? [salt, salt] : [salt[0], salt[1]];
    const mask = read.maskValue ?? null;
    if (mask != null && typeof mask !== 'number' && typeof mask !== 'string') {
      throw new ValueError(
        `Invalid value for argument maskValue: expected a number, a string or null. Received: maskValue=${formatValue(mask)}`,
        {
          argument: 'maskValue',
          expected: 'a number, a string or null',
          received: formatValue(mask),
        },
      );
    }
    this.maskValue = mask;
    this.numBins = numBins;
  }

  /** Integer and string values are hashed as they are, never through float32. */
  protected override keepsInputDtypes(): boolean {
    return true;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    if (this.outputMode === 'int') return [...inputShape];
    return inputShape.length === 0 ? [this.numBins] : [...inputShape.slice(0, -1), this.numBins];
  }

  /** The bucket of one value. */
  bucketOf(value: number | string | Uint8Array): number {
    const masked = this.maskValue != null && this.numBins > 1;
    const bins = BigInt(masked ? this.numBins - 1 : this.numBins);
    if (
      masked &&
      (value === this.maskValue || (value instanceof Uint8Array && new TextDecoder().decode(value) === this.maskValue))
    ) {
      return 0;
    }
    const bytes = typeof value === 'string' ? encoder.encode(value) : tokenBytes(value);
    const hash =
      this.salt == null ? fingerprint64(bytes) : sipHash24(BigInt(this.salt[0]), BigInt(this.salt[1]), bytes);
    return Number(hash % bins) + (masked ? 1 : 0);
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    const values = x.dataSync() as ArrayLike<number | string | Uint8Array>;
    // Categorical data repeats its values: each distinct one is hashed once per call (BigInt hashing is slow).
    const seen = new Map<number | string, number>();
    const buckets = Int32Array.from({ length: values.length }, (_, i) => {
      const value = values[i] as number | string | Uint8Array;
      if (value instanceof Uint8Array) return this.bucketOf(value);
      let bucket = seen.get(value);
      if (bucket === undefined) {
        bucket = this.bucketOf(value);
        seen.set(value, bucket);
      }
      return bucket;
    });
    return tf.tidy(() => {
      const indices = tf.tensor(buckets, x.shape, 'int32');
      return this.outputMode === 'int' ? indices : encodeCategorical(indices, this.outputMode, this.numBins);
    });
  }

  override getConfig(): Record<string, unknown> {
    const base = super.getConfig();
    if (this.outputMode === 'int') {
      base.dtype = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'int64' }, registered_name: null };
    }
    return {
      ...base,
      numBins: this.numBins,
      salt: this.salt == null ? null : [...this.salt],
      maskValue: this.maskValue,
      outputMode: this.outputMode,
      sparse: this.sparse,
    };
  }
}
