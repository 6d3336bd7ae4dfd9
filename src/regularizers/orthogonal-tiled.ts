/**
 * The mean |cosine| over pairs of unit vectors, computed a block of rows at
 * a time, so an n x n Gram matrix is never held whole: memory O(n·d + t·n)
 * for blocks of t rows. Its gradient is closed-form: with P = N Nᵀ and S =
 * sign(P) off the diagonal, d/dN of sum|P_ij| over i≠j is 2 S N.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedGramAbsSumSign, gradientTapeRecording } from '../backend/fused-kernels.js';
import { scaleByUpstream } from './closed-form.js';

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

/**
 * The same sum and gradient with the fused kernel on `wasm`: one pass per
 * block takes |P| and sign(P) together. For the value alone, P being
 * symmetric, each block of rows meets only the vectors from its first row on
 * (half the entries: sum over i≠j = 2 sum over i<j). While a tape records,
 * each block takes its whole rows and makes its share of the gradient,
 * sign(P_block) N, at once, so P is never computed twice. (The half-matrix
 * gradient would need Uᵀ N, a product whose large operand wasm's matmul
 * repacks on every call: slower than the whole rows.)
 */
export function fusedOffDiagonalAbsSum(unit: tf.Tensor2D, scale: number, blockEntries = BLOCK_ENTRIES): tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [n, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const recording = gradientTapeRecording();
    const [count, dims] = n.shape;
    const rowsPerBlock = Math.max(1, Math.floor(blockEntries / count));
    const transposed = tf.transpose(n);
    let total = 0;
    const gradientRows: tf.Tensor[] = [];
    for (let start = 0; start < count; start += rowsPerBlock) {
      const size = Math.min(rowsPerBlock, count - start);
      // Whole rows for the gradient; for the value, the columns from the block's first row on.
      const colStart = recording ? 0 : start;
      tf.tidy(() => {
        const block = tf.slice(n, [start, 0], [size, dims]);
        const right = colStart === 0 ? transposed : tf.slice(transposed, [0, colStart], [dims, count - colStart]);
        const attrs = { rowStart: start, colStart, lowerToo: recording, withSigns: recording };
        const [sum, signs] = fusedGramAbsSumSign(tf.matMul(block, right), attrs);
        total += recording ? sum : 2 * sum;
        if (signs != null) gradientRows.push(tf.keep(tf.matMul(signs, n)));
      });
    }
    transposed.dispose();
    if (recording) {
      const gradient = tf.tidy(() => tf.mul(tf.concat(gradientRows, 0), 2 * scale));
      save([gradient]);
      tf.dispose([...gradientRows, gradient]);
    }
    return {
      value: tf.scalar(scale * total),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [scaleByUpstream(saved[0] as tf.Tensor, dy)],
    };
  }) as (n: tf.Tensor2D) => tf.Scalar;
  return op(unit);
}
