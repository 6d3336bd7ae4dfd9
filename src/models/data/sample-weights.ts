/**
 * `sampleWeight` and `classWeight` as Keras's data adapters read them:
 * one weight array per output (a single one is replicated over several
 * outputs when it has one weight per sample), as many rows as samples,
 * and class weights turned into sample weights from the labels
 * (`class_weight_to_sample_weights`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { isPlainObject } from '../../utils/objects.js';
import { checkedTensor, type OwnedTensors, type TensorData, targetList, tensorFromData } from '../data-checks.js';

/** Sample weights as `fit`, `evaluate` and the batch methods take them: a tensor, or one per output (array or record by name). */
export type SampleWeights = TensorData | (TensorData | null)[] | Record<string, TensorData | null>;

/** Keras's `class_weight`: a weight per class index; a class not listed weighs 1. */
export type ClassWeights = Record<number, number>;

/** Sample weights checked, one entry per output (null: that output is unweighted), with their names for messages. */
export interface CheckedWeights {
  weights: (tf.Tensor | null)[];
  names: string[];
}

/** Whether a weight array holds one scalar per sample (shape `[n]` or `[n, 1]`), which several outputs may share. */
function isSamplewise(t: tf.Tensor): boolean {
  return t.rank === 1 || (t.rank === 2 && t.shape[1] === 1);
}

/**
 * `sampleWeight` laid out per output, each a live numeric tensor (cast to
 * float32) of `n` rows; null or undefined gives no weights.
 */
export function checkedSampleWeights(
  value: unknown,
  argument: string,
  outputNames: readonly string[],
  n: number,
  owned: OwnedTensors,
  method: string,
): CheckedWeights | null {
  if (value == null) return null;
  // Numbers (a typed array, nested arrays) are one weight array, not one per output.
  value = tensorFromData(value, argument, owned);
  let entries: [unknown, string][];
  if (value instanceof tf.Tensor && outputNames.length > 1) {
    if (!isSamplewise(value)) {
      throw new ValueError(
        `For a model with several outputs, a single ${argument} must have one weight per sample (shape [n] or [n, 1]); to weigh the outputs otherwise, give one array per output. Received: ${argument}.shape=${formatShape(value.shape)}`,
        { argument, expected: 'shape [n] or [n, 1], or one per output', received: formatShape(value.shape) },
      );
    }
    entries = outputNames.map(() => [value, argument]);
  } else if (Array.isArray(value) || isPlainObject(value)) {
    // Entries may be null (an output without weights): a record may leave outputs out.
    const filled = isPlainObject(value)
      ? Object.fromEntries(outputNames.map((name) => [name, Object.hasOwn(value, name) ? value[name] : null]))
      : value;
    if (isPlainObject(value)) {
      for (const key of Object.keys(value)) {
        if (!outputNames.includes(key)) {
          throw new ValueError(
            `Unknown output name ${JSON.stringify(key)} in ${argument}: the model's outputs are ${formatValue(outputNames)}.`,
            { argument, expected: `keys among ${formatValue(outputNames)}`, received: key },
          );
        }
      }
    }
    entries = targetList(filled, argument, outputNames, method);
  } else {
    entries = [[value, argument]];
  }
  const weights = entries.map(([t, name]) => {
    if (t == null) return null;
    const tensor = checkedTensor(t, name, owned, method);
    if (tensor.shape[0] !== n) {
      throw new ValueError(
        `${name} must have one row per sample: ${n}. Received: ${name}.shape=${formatShape(tensor.shape)}`,
        { argument: name, expected: `${n} rows`, received: formatShape(tensor.shape) },
      );
    }
    return tensor;
  });
  return { weights, names: entries.map(([, name]) => name) };
}

/** `classWeight` checked: a record of class index to a finite number. */
export function checkedClassWeight(value: unknown): Map<number, number> | null {
  if (value == null) return null;
  if (!isPlainObject(value)) throw invalidArgument('classWeight', 'a record of class index to weight', value);
  const classes = new Map<number, number>();
  for (const [key, weight] of Object.entries(value)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0) {
      throw invalidArgument('classWeight', 'class indices (non-negative integers) as keys', key);
    }
    if (typeof weight !== 'number' || !Number.isFinite(weight)) {
      throw invalidArgument(`classWeight[${key}]`, 'a finite number', weight);
    }
    classes.set(index, weight);
  }
  return classes;
}

/** Keras's refusals around `classWeight`: one output only, and not with `sampleWeight`. */
export function checkClassWeightUse(classWeight: unknown, sampleWeight: unknown, outputs: number): void {
  if (classWeight == null) return;
  if (sampleWeight != null) {
    throw new ValueError('You cannot use `classWeight` and `sampleWeight` at the same time.', {
      argument: 'classWeight',
      expected: 'classWeight or sampleWeight, not both',
    });
  }
  if (outputs !== 1) {
    throw new ValueError(
      `\`classWeight\` is only supported for models with a single output; this one has ${outputs}. Give sampleWeight per output instead.`,
      { argument: 'classWeight', expected: 'a model with one output', received: `${outputs} outputs` },
    );
  }
}

/**
 * Keras's `class_weight_to_sample_weights`: each sample weighs its class's
 * weight (1 for a class not listed), the class read from `y` as Keras does:
 * the arg max of one-hot labels (last axis > 1), else the label rounded.
 */
export function classWeightsToSampleWeights(y: tf.Tensor, classWeight: ReadonlyMap<number, number>): tf.Tensor1D {
  const n = y.shape[0] as number;
  const labels = tf.tidy(() => {
    let classes = y;
    if (y.rank > 1) classes = y.shape[y.rank - 1] !== 1 ? tf.argMax(y, -1) : tf.squeeze(y, [-1]);
    return tf.reshape(classes, [n, -1]);
  });
  try {
    const values = labels.dataSync();
    const width = labels.shape[1] as number;
    const weights = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      // Keras's np.round(...).astype("int32") then int(): only the first label of a row when rows hold several.
      weights[i] = classWeight.get(Math.round(values[i * width] as number)) ?? 1;
    }
    return tf.tensor1d(weights);
  } finally {
    labels.dispose();
  }
}
