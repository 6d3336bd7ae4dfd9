import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelsActive } from '../backend/fused-kernels.js';
import { ValueError } from '../errors.js';
import { absolute, normalize } from '../ops/index.js';
import { formatShape } from '../utils/format.js';
import { isPlainObject } from '../utils/objects.js';
import { readOptions } from '../utils/options.js';
import { BLOCK_ENTRIES, fusedOffDiagonalAbsSum, offDiagonalAbsSum } from './orthogonal-tiled.js';
import { Regularizer } from './regularizer.js';
import { type OrthogonalMode, validateFactor, validateMode } from './validation.js';

/** The options of `OrthogonalRegularizer`, Keras's `OrthogonalRegularizer(factor=0.01, mode="rows")`. */
export interface OrthogonalRegularizerOptions {
  /** Weight of the penalty; default 0.01. `null` is an error, as in Keras. */
  factor?: number;
  /** `"rows"` (default) or `"columns"`: which vectors should be orthogonal. */
  mode?: OrthogonalMode;
}

/**
 * Pushes the rows (or columns) of a weight matrix towards orthogonality
 * (Keras's `keras.regularizers.OrthogonalRegularizer`):
 * `factor * mean over pairs i<j of |cos(v_i, v_j)|`, computed as
 * `factor * 0.5 * sum(|P - diag(P)|) / (n (n - 1) / 2)` with `P = N Nᵀ` and
 * `N` the rows scaled to unit norm (`v / max(||v||, 1e-7)`).
 *
 * Leading axes of a rank > 2 input fold into rows, so a Conv kernel
 * `(kh, kw, in, filters)` is read as `(kh*kw*in, filters)`. With fewer than
 * two vectors there is no pair and the penalty is 0. Past 2048 vectors the
 * Gram matrix is computed a block of rows at a time (never held whole), with
 * a closed-form gradient.
 *
 * @example new OrthogonalRegularizer(0.01, 'columns')
 */
export class OrthogonalRegularizer extends Regularizer {
  static override readonly className: string = 'OrthogonalRegularizer';
  #factor: number;
  #mode: OrthogonalMode;

  constructor(factorOrOptions: number | OrthogonalRegularizerOptions = 0.01, mode: OrthogonalMode = 'rows') {
    super();
    const options = isPlainObject(factorOrOptions)
      ? readOptions('OrthogonalRegularizer', factorOrOptions, ['factor', 'mode'])
      : { factor: factorOrOptions, mode };
    // Keras checks the factor first, and `None` is not a default here.
    this.#factor = validateFactor(options.factor === undefined ? 0.01 : options.factor, 'factor');
    this.#mode = validateMode(options.mode === undefined ? 'rows' : options.mode);
  }

  get factor(): number {
    return this.#factor;
  }

  set factor(value: number) {
    this.#factor = validateFactor(value, 'factor');
  }

  get mode(): OrthogonalMode {
    return this.#mode;
  }

  set mode(value: OrthogonalMode) {
    this.#mode = validateMode(value);
  }

  override apply(x: tf.Tensor): tf.Scalar {
    if (x.rank < 2) {
      throw new ValueError(
        `Inputs to OrthogonalRegularizer must have rank >= 2. Received: inputs.shape=${formatShape(x.shape)}`,
        { argument: 'inputs', expected: 'rank >= 2', received: formatShape(x.shape) },
      );
    }
    return tf.tidy(() => {
      const columns = x.shape[x.rank - 1] as number;
      const matrix = x.rank === 2 ? x : tf.reshape(x, [-1, columns]);
      // Put the vectors to compare in rows, so the Gram matrix is N Nᵀ.
      const vectors = this.#mode === 'rows' ? matrix : tf.transpose(matrix);
      const count = vectors.shape[0] as number;
      if (count < 2) return tf.scalar(0);
      const unit = normalize(vectors, 1);
      const pairs = (count * (count - 1)) / 2;
      if (fusedKernelsActive(unit)) {
        // Blocks of rows, one fused |P|/sign(P) pass each (wasm).
        return fusedOffDiagonalAbsSum(unit as tf.Tensor2D, (this.#factor * 0.5) / pairs);
      }
      if (count * count > BLOCK_ENTRIES) {
        // Too many pairs to hold the Gram matrix: blocks of rows, closed-form gradient.
        return offDiagonalAbsSum(unit as tf.Tensor2D, (this.#factor * 0.5) / pairs);
      }
      // An explicit transpose: `wasm` matmul is far slower with transpose flags.
      const gram = tf.matMul(unit, tf.transpose(unit));
      const offDiagonal = tf.mul(gram, tf.sub(1, tf.eye(count)));
      return tf.div(tf.mul(tf.mul(this.#factor, 0.5), tf.sum(absolute(offDiagonal))), pairs);
    }) as tf.Scalar;
  }

  override getConfig(): { factor: number; mode: OrthogonalMode } {
    return { factor: this.#factor, mode: this.#mode };
  }
}
