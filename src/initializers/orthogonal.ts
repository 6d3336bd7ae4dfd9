/** Keras's `Orthogonal` initializer: the Q of a QR factorization of a normal matrix. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';
import { readOptions } from '../utils/options.js';
import { nextSeed } from '../utils/random.js';
import { Initializer } from './initializer.js';
import type { Seed } from './random.js';
import { finiteNumber, seedOrNull } from './validation.js';

/**
 * `gain * Q`, Q having orthonormal columns (or rows, for a wide shape), from
 * the QR factorization of a standard normal matrix with R's diagonal made
 * positive. Leading axes fold into rows: a Conv kernel is `(kh*kw*in, filters)`.
 * The default for recurrent kernels.
 *
 * @example new layers.LSTM({ units: 8, recurrentInitializer: new initializers.Orthogonal({ gain: 1 }) })
 */
export class Orthogonal extends Initializer {
  static override readonly className: string = 'Orthogonal';
  readonly gain: number;
  readonly seed: Seed;

  constructor(options: { gain?: number; seed?: Seed } = {}) {
    super();
    const { gain = 1, seed = null } = readOptions<{ gain: number; seed: Seed }>('Orthogonal', options, [
      'gain',
      'seed',
    ]);
    this.gain = finiteNumber(gain, 'gain');
    this.seed = seedOrNull(seed);
  }

  override apply(shape: readonly number[]): tf.Tensor {
    if (shape.length < 2) {
      throw new ValueError(
        `The tensor to initialize must be at least two-dimensional. Received: shape=${formatValue(shape)} of rank ${shape.length}.`,
        { argument: 'shape', expected: 'rank >= 2', received: formatValue(shape) },
      );
    }
    const cols = shape[shape.length - 1] as number;
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const [m, n] = [Math.max(rows, cols), Math.min(rows, cols)];
    // Read outside tf.tidy, which would walk the array it returned.
    const draw = tf.randomNormal([m, n], 0, 1, 'float32', this.seed ?? nextSeed());
    const normal = draw.dataSync();
    draw.dispose();
    const q = orthonormalColumns(Float64Array.from(normal), m, n);
    // Q is (m, n); a wide shape takes its transpose.
    const values = new Float32Array(rows * cols);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const v = this.gain * (q[i * n + j] as number);
        if (rows >= cols) values[i * cols + j] = v;
        else values[j * cols + i] = v;
      }
    }
    return tf.tensor(values, [...shape], 'float32');
  }

  override getConfig(): { seed: Seed; gain: number } {
    return { seed: this.seed, gain: this.gain };
  }
}

/**
 * The Q of `a = QR` (`a` is m x n, m >= n, row-major) with R's diagonal
 * positive: Gram-Schmidt, each column orthogonalized twice for accuracy.
 */
function orthonormalColumns(a: Float64Array, m: number, n: number): Float64Array {
  const q = new Float64Array(m * n);
  const column = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) column[i] = a[i * n + j] as number;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += (q[i * n + k] as number) * (column[i] as number);
        for (let i = 0; i < m; i++) column[i] = (column[i] as number) - dot * (q[i * n + k] as number);
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += (column[i] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < m; i++) q[i * n + j] = (column[i] as number) / norm;
  }
  return q;
}
