/**
 * The check that `fit` and `evaluate` data hold only finite numbers. One NaN
 * in the inputs or targets turns the loss, then every weight, into NaN
 * without a word (Keras and tfjs-layers do that); refusing the data names
 * where the bad value is instead. `allowNonFinite: true` skips the check.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatShape } from '../../utils/format.js';
import { unravelIndex } from '../../utils/indices.js';

/** A tensor and the name messages give it (`x`, `y[1]`, `validationData[0]`, `batch 3's x`). */
export type NamedTensor = readonly [tf.Tensor | null | undefined, string];

/**
 * Throws a `ValueError` naming the first array with a NaN or infinite value,
 * its index and the value; integer and boolean tensors cannot hold one.
 */
export function checkFiniteValues(tensors: readonly NamedTensor[], method: string): void {
  for (const [tensor, name] of tensors) {
    if (tensor == null || tensor.dtype !== 'float32') continue;
    const values = tensor.dataSync() as Float32Array;
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as number;
      if (Number.isFinite(value)) continue;
      const at = `[${unravelIndex(i, tensor.shape).join(', ')}]`;
      throw new ValueError(
        `${method}(): ${name} holds a non-finite value (${value}) at index ${at} of shape ${formatShape(tensor.shape)}; one such value makes the loss NaN (and, in fit, every weight). Clean the data, or pass allowNonFinite: true to ${method}() to use it as it is.`,
        { argument: name, expected: 'finite numbers', received: `${value} at ${name}${at}` },
      );
    }
  }
}

/** The arrays of checked data (inputs, targets, sample weights) with the names messages give them. */
export interface NamedData {
  xs: readonly tf.Tensor[];
  xNames: readonly string[];
  ys: readonly tf.Tensor[];
  yNames: readonly string[];
  sampleWeights: readonly (tf.Tensor | null)[];
  weightNames: readonly string[];
}

/**
 * `checkFiniteValues` over every array of checked data: the one check that
 * in-memory data (fit.ts) and each dataset batch (feeds.ts) both run.
 */
export function checkFiniteData(data: NamedData, method: string): void {
  const pairs = (tensors: readonly (tf.Tensor | null)[], names: readonly string[]): NamedTensor[] =>
    tensors.map((t, i) => [t, names[i] ?? names[0] ?? '?'] as const);
  checkFiniteValues(
    [...pairs(data.xs, data.xNames), ...pairs(data.ys, data.yNames), ...pairs(data.sampleWeights, data.weightNames)],
    method,
  );
}
