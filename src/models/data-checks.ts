/**
 * The validation pass that `fit`, `evaluate`, `predict` and the batch
 * methods make before their first step, so that a refused call has changed
 * nothing: tensors that are live and numeric, as many targets as samples,
 * at least one sample, targets that fit the model's outputs and losses.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { formatShape, formatValue } from '../utils/format.js';
import { isPlainObject } from '../utils/objects.js';
import type { Compiled } from './compile.js';
import { noLossError, outputList } from './step.js';

/** Tensors made by the checks (float32 copies of int32 or bool inputs), freed by the caller. */
export class OwnedTensors {
  readonly #tensors: tf.Tensor[] = [];

  add<T extends tf.Tensor>(t: T): T {
    this.#tensors.push(t);
    return t;
  }

  dispose(): void {
    tf.dispose(this.#tensors.splice(0));
  }
}

/**
 * A tensor argument checked: a tensor, not disposed, of rank >= 1, numeric.
 * int32 and bool are cast to float32 (Keras casts inputs to the layers'
 * compute dtype); the copy is owned by `owned`.
 */
export function checkedTensor(value: unknown, argument: string, owned: OwnedTensors): tf.Tensor {
  if (!(value instanceof tf.Tensor) || value.rank < 1) {
    throw invalidArgument(argument, 'a tensor of rank >= 1', value);
  }
  if (value.isDisposed) {
    throw new ValueError(
      `Invalid value for argument ${argument}: expected a tensor that has not been disposed. Received: ${argument}=${formatValue(value)}, disposed`,
      { argument, expected: 'a tensor that has not been disposed', received: `${formatValue(value)}, disposed` },
    );
  }
  if (value.dtype === 'float32') return value;
  if (value.dtype === 'int32' || value.dtype === 'bool') return owned.add(tf.cast(value, 'float32'));
  throw invalidArgument(argument, 'a numeric tensor (float32, int32 or bool)', value);
}

/** Inputs and one target tensor per model output, checked, with their sample count. */
export interface Dataset {
  x: tf.Tensor;
  ys: tf.Tensor[];
  /** How messages name each target: `"y"`, or `"y[1]"` / `"y.out"` for several outputs. */
  yNames: string[];
  n: number;
}

/** Targets: a tensor for a single-output model; an array in output order or a record by output name for several. */
export type Targets = tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;

export interface DataNames {
  x: string;
  y: string;
}

/** The targets as a list in output order, with their names for messages. */
function targetList(y: unknown, argument: string, outputNames: readonly string[]): [unknown, string][] {
  const count = outputNames.length;
  const names = `[${outputNames.map((n) => JSON.stringify(n)).join(', ')}]`;
  if (Array.isArray(y)) {
    if (y.length !== count) {
      throw new ValueError(
        `Expected ${count} target tensors in ${argument}, one per model output ${names}. Received: an array of ${y.length}`,
        { argument, expected: `${count} tensors`, received: `an array of ${y.length}` },
      );
    }
    return y.map((t, i) => [t, count === 1 ? argument : `${argument}[${i}]`]);
  }
  if (isPlainObject(y)) {
    const keys = Object.keys(y);
    if (keys.length !== count || !outputNames.every((name) => Object.hasOwn(y, name))) {
      throw new ValueError(
        `Expected the keys ${names} in ${argument}, one target per model output. Received: keys ${formatValue(keys)}`,
        { argument, expected: `keys ${names}`, received: formatValue(keys) },
      );
    }
    return outputNames.map((name) => [y[name], `${argument}.${name}`]);
  }
  if (count !== 1) {
    throw new ValueError(
      `The model has ${count} outputs ${names}: give ${argument} as an array or a record of ${count} target tensors. Received: ${argument}=${formatValue(y)}`,
      { argument, expected: `${count} target tensors`, received: formatValue(y) },
    );
  }
  return [[y, argument]];
}

/**
 * Checks `x` and the targets `y` (tensors; int32 and bool cast to float32;
 * one per output of `outputNames`) and that they hold the same number of
 * samples, at least one.
 */
export function checkedDataset(
  x: unknown,
  y: unknown,
  names: DataNames,
  method: string,
  owned: OwnedTensors,
  outputNames: readonly string[],
): Dataset {
  const xs = checkedTensor(x, names.x, owned);
  const targets = targetList(y, names.y, outputNames).map(
    ([t, name]) => [checkedTensor(t, name, owned), name] as const,
  );
  for (const [ys, name] of targets) {
    if (xs.shape[0] !== ys.shape[0]) {
      throw new ValueError(
        `${names.x} and ${name} must have the same number of samples. Received: ${names.x}.shape=${formatShape(xs.shape)} and ${name}.shape=${formatShape(ys.shape)}`,
        { argument: name, expected: `${xs.shape[0]} samples`, received: formatShape(ys.shape) },
      );
    }
  }
  const n = xs.shape[0] as number;
  if (n === 0) throw noSamples(names.x, xs, method);
  return { x: xs, ys: targets.map(([t]) => t), yNames: targets.map(([, name]) => name), n };
}

export function noSamples(argument: string, x: tf.Tensor, method: string): ValueError {
  return new ValueError(
    `No samples in ${argument}: ${argument}.shape=${formatShape(x.shape)}. ${method}() needs at least one sample.`,
    { argument, expected: 'at least one sample', received: formatShape(x.shape) },
  );
}

/**
 * Runs the model on the first `rows` samples of `data` in inference mode
 * (which builds it if needed), then checks each output's targets against
 * its prediction's shape and its loss (class labels in range, read once
 * for the whole dataset), and that there is a loss to minimise. Records
 * nothing: the call's losses are cleared.
 */
export function checkTargetsAgainstModel(model: Layer, compiled: Compiled, data: Dataset, rows: number): void {
  const { shapes, penalties } = tf.tidy(() => {
    const sample = tf.slice(data.x, 0, Math.min(rows, data.n));
    try {
      const outputs = outputList(model, model.apply(sample, { training: false }), compiled);
      return { shapes: outputs.map((t) => [...t.shape]), penalties: model.losses.length };
    } finally {
      model.clearLosses();
    }
  });
  compiled.outputs.forEach((output, i) => {
    if (output.loss == null) return;
    const predShape = [data.n, ...(shapes[i] as number[]).slice(1)];
    const [y, name] = [data.ys[i] as tf.Tensor, data.yNames[i] as string];
    output.loss.checkTargets(y, predShape, name);
    output.loss.checkTargetValues(y, predShape, name);
  });
  if (compiled.outputs.every((output) => output.loss == null) && penalties === 0) throw noLossError();
}
