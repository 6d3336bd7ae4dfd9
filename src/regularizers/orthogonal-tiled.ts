/**
 * The mean |cosine| over pairs of unit vectors, computed a block of rows at
 * a time, so an n x n Gram matrix is never held whole: memory O(n·d + t·n)
 * for blocks of t rows. Its gradient is closed-form: with P = N Nᵀ and S =
 * sign(P) off the diagonal, d/dN of sum|P_ij| over i≠j is 2 S N.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Gram-matrix entries per block: 4M floats, 16 MB. */
export const BLOCK_ENTRIES = 1 << 22;

/**
 * `scale * sum over i≠j of |n_i · n_j|` for unit rows `unit` [n, d], with
 * the closed-form gradient. `blockEntries` bounds each block's n·t entries.
 */
export function offDiagonalAbsSum(unit: tf.Tensor2D, scale: number, blockEntries = BLOCK_ENTRIES): tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [n, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([n]);
    const count = n.shape[0];
    const rowsPerBlock = Math.max(1, Math.floor(blockEntries / count));
    const all = tf.transpose(n);
    let total = 0;
    for (let start = 0; start < count; start += rowsPerBlock) {
      const size = Math.min(rowsPerBlock, count - start);
      total += tf.tidy(() => {
        const block = tf.slice(n, [start, 0], [size, -1]);
        // The diagonal entries are |n_i|², summed apart and taken off.
        const withDiagonal = tf.sum(tf.abs(tf.matMul(block, all)));
        return (withDiagonal.dataSync()[0] as number) - (tf.sum(tf.square(block)).dataSync()[0] as number);
      });
    }
    all.dispose();
    return {
      value: tf.scalar(scale * total),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const unitRows = saved[0] as tf.Tensor2D;
        const transposed = tf.transpose(unitRows);
        const blocks: tf.Tensor[] = [];
        for (let start = 0; start < count; start += rowsPerBlock) {
          const size = Math.min(rowsPerBlock, count - start);
          blocks.push(
            tf.tidy(() => {
              const block = tf.slice(unitRows, [start, 0], [size, -1]);
              // sign(P_block) N, less the diagonal's sign(|n_i|²) n_i = n_i for non-zero rows.
              const signs = tf.sign(tf.matMul(block, transposed));
              return tf.sub(tf.matMul(signs, unitRows), block);
            }),
          );
        }
        const gradient = tf.mul(tf.concat(blocks, 0), tf.mul(dy, 2 * scale));
        tf.dispose([transposed, ...blocks]);
        return [gradient];
      },
    };
  }) as (n: tf.Tensor2D) => tf.Scalar;
  return op(unit);
}
