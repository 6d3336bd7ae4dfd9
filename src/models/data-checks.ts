/**
 * The validation pass that `fit`, `evaluate`, `predict` and the batch
 * methods make before their first step, so that a refused call has changed
 * nothing: tensors that are live and numeric, as many targets as samples,
 * at least one sample, targets that fit the model's outputs and losses.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { KerasTensor } from '../layers/symbolic/keras-tensor.js';
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
 * The error for a symbolic tensor where data belongs: a KerasTensor holds a
 * shape, no values, so the only thing to do with one is build a model.
 */
export function symbolicData(argument: string, value: KerasTensor, method: string): ValueError {
  return new ValueError(
    `${method}() takes real tensors; ${argument} is a symbolic tensor (KerasTensor) from layer "${value.sourceLayer.name}". Build a model with new models.Model({ inputs, outputs }) and call ${method} on data.`,
    { argument, expected: 'a tensor of data', received: value.toString() },
  );
}

/**
 * A tensor argument checked: a tensor, not disposed, of rank >= 1, numeric.
 * bool is cast to float32, and int32 too unless `keepInt32` (model inputs:
 * integer ids reach an Embedding as integers, and a float layer casts them
 * itself, as Keras's float layers promote them); the copy is owned by `owned`.
 */
export function checkedTensor(
  value: unknown,
  argument: string,
  owned: OwnedTensors,
  method: string,
  keepInt32 = false,
): tf.Tensor {
  if (value instanceof KerasTensor) throw symbolicData(argument, value, method);
  value = tensorFromData(value, argument, owned);
  if (!(value instanceof tf.Tensor) || value.rank < 1) {
    throw invalidArgument(argument, 'a tensor of rank >= 1', value);
  }
  if (value.isDisposed) {
    throw new ValueError(
      `Invalid value for argument ${argument}: expected a tensor that has not been disposed. Received: ${argument}=${formatValue(value)}, disposed`,
      { argument, expected: 'a tensor that has not been disposed', received: `${formatValue(value)}, disposed` },
    );
  }
  if (value.dtype === 'float32' || (value.dtype === 'int32' && keepInt32)) return value;
  if (value.dtype === 'int32' || value.dtype === 'bool') return owned.add(tf.cast(value, 'float32'));
  throw invalidArgument(argument, 'a numeric tensor (float32, int32 or bool)', value);
}

/**
 * Data where a tensor goes: a tensor, a typed array (one value per sample),
 * or nested arrays of numbers (`[[1, 2], [3, 4]]`: one row per sample),
 * made into a float32 tensor (int32 for an Int32Array) for the call.
 */
export type TensorData = tf.Tensor | tf.TypedArray | number[] | number[][] | number[][][] | number[][][][];

/** Inputs: a tensor (or its data); an array in the model's input order; or a record by input name (a model with named inputs). */
export type ModelInputs = TensorData | TensorData[] | Record<string, TensorData>;

/** Targets: a tensor (or its data) for a single-output model; an array in output order or a record by output name for several. */
export type Targets = TensorData | TensorData[] | Record<string, TensorData>;

/** Whether `value` is numbers as nested arrays (not a list of tensors): its first leaf is a number. */
function isNumberArray(value: unknown): value is number[] {
  let first: unknown = value;
  while (Array.isArray(first)) {
    if (first.length === 0) return false;
    first = first[0];
  }
  return Array.isArray(value) && typeof first === 'number';
}

/** Whether `value` is tensor data that is not a tensor: a typed array or nested number arrays. */
export function isRawData(value: unknown): boolean {
  return (ArrayBuffer.isView(value) && !(value instanceof DataView)) || isNumberArray(value);
}

/** Typed arrays and nested number arrays made into tensors (owned by `owned`); anything else as given. */
export function tensorFromData(value: unknown, argument: string, owned: OwnedTensors): unknown {
  if (!isRawData(value)) return value;
  if (Array.isArray(value)) checkRectangular(value, argument);
  const dtype = value instanceof Int32Array ? 'int32' : 'float32';
  return owned.add(tf.tensor(value as number[], undefined, dtype));
}

/** Throws unless nested arrays of numbers have one shape (every row as long as the first, numbers at the leaves). */
function checkRectangular(value: unknown[], argument: string): void {
  const shape: number[] = [];
  for (let level: unknown = value; Array.isArray(level); level = level[0]) shape.push(level.length);
  const walk = (item: unknown, depth: number, path: string): void => {
    const expected = shape[depth];
    const fits = expected == null ? typeof item === 'number' : Array.isArray(item) && item.length === expected;
    if (!fits) {
      const what = expected == null ? 'a number' : `an array of ${expected}`;
      throw new ValueError(
        `Invalid value for argument ${argument}: expected nested arrays of numbers of one shape ${formatShape(shape)}. Received: ${path}=${formatValue(item)}, not ${what}`,
        {
          argument,
          expected: `nested arrays of shape ${formatShape(shape)}`,
          received: `${path}=${formatValue(item)}`,
        },
      );
    }
    if (!Array.isArray(item)) return;
    for (let i = 0; i < item.length; i++) walk(item[i], depth + 1, `${path}[${i}]`);
  };
  walk(value, 0, argument);
}

/**
 * How a model takes its inputs. A Functional model knows how many and their
 * names (the keys of a record); a Sequential takes one tensor; a subclassed
 * model takes whatever its `call` reads, so a tensor or an array goes
 * through as given.
 */
export interface InputLayout {
  /** How many inputs, or null when the model does not say (a subclassed model). */
  count: number | null;
  /** The keys of an input record, in input order, or null when the model has no named inputs. */
  keys: readonly string[] | null;
}

/** Checked inputs, in the model's input order, and how to hand them to the model. */
export interface CheckedInputs {
  xs: tf.Tensor[];
  /** How messages name each input: `"x"`, or `"x[1]"` / `"x.b"` for several. */
  xNames: string[];
  /** Whether the model takes them as an array (several inputs, or an array given to a subclassed model). */
  asList: boolean;
}

/** Inputs and one target tensor per model output, checked, with their sample count. */
export interface Dataset extends CheckedInputs {
  ys: tf.Tensor[];
  /** How messages name each target: `"y"`, or `"y[1]"` / `"y.out"` for several outputs. */
  yNames: string[];
  n: number;
}

/** What `model.apply` takes for these inputs: the tensor, or the array. */
export function modelInput(inputs: { xs: readonly tf.Tensor[]; asList: boolean }): tf.Tensor | tf.Tensor[] {
  return inputs.asList ? [...inputs.xs] : (inputs.xs[0] as tf.Tensor);
}

export interface DataNames {
  x: string;
  y: string;
}

const quoted = (names: readonly string[]) => `[${names.map((n) => JSON.stringify(n)).join(', ')}]`;

/** An array or record of values, for messages: its size, not its (tensor) contents. */
function describeGiven(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (isPlainObject(value)) return `a record with keys ${formatValue(Object.keys(value))}`;
  return formatValue(value);
}

/** Throws the symbolic-tensor error for the first KerasTensor in `value` (itself, or an entry of an array or record). */
function refuseSymbolic(value: unknown, argument: string, method: string): void {
  if (value instanceof KerasTensor) throw symbolicData(argument, value, method);
  const entries = Array.isArray(value)
    ? value.map((v, i) => [v, `${argument}[${i}]`] as const)
    : isPlainObject(value)
      ? Object.entries(value).map(([k, v]) => [v, `${argument}.${k}`] as const)
      : [];
  for (const [entry, name] of entries) if (entry instanceof KerasTensor) throw symbolicData(name, entry, method);
}

/**
 * The inputs as a list in the model's input order, with their names for
 * messages, checked against the layout: as many as the model has, a record
 * only for named inputs, with exactly those keys.
 */
function inputList(
  x: unknown,
  argument: string,
  layout: InputLayout,
  method: string,
): { entries: [unknown, string][]; asList: boolean } {
  refuseSymbolic(x, argument, method);
  const { count, keys } = layout;
  const expectedNames = keys == null ? '' : ` ${quoted(keys)}`;
  if (Array.isArray(x) && !isNumberArray(x)) {
    if ((count != null && x.length !== count) || x.length === 0) {
      const expected = `${count ?? 'at least 1'} input tensor${count === 1 ? '' : 's'}`;
      throw new ValueError(
        `Expected ${expected} in ${argument}, one per model input${expectedNames}. Received: ${argument}=${describeGiven(x)}`,
        { argument, expected, received: describeGiven(x) },
      );
    }
    // A model of one input takes the tensor itself; a subclassed model gets the array it was given.
    const asList = count == null || count > 1;
    return { entries: x.map((t, i) => [t, asList ? `${argument}[${i}]` : argument]), asList };
  }
  if (isPlainObject(x)) {
    if (keys == null) {
      throw new ValueError(
        `${argument} is a record, but this model has no named inputs: give a tensor${count === 1 ? '' : ' or an array of tensors'}. Received: ${argument}=${describeGiven(x)}`,
        {
          argument,
          expected: count === 1 ? 'a tensor' : 'a tensor or an array of tensors',
          received: describeGiven(x),
        },
      );
    }
    const given = Object.keys(x);
    if (given.length !== keys.length || !keys.every((key) => Object.hasOwn(x, key))) {
      throw new ValueError(
        `Expected the keys ${quoted(keys)} in ${argument}, one tensor per model input. Received: keys ${formatValue(given)}`,
        { argument, expected: `keys ${quoted(keys)}`, received: formatValue(given) },
      );
    }
    return { entries: keys.map((key) => [x[key], `${argument}.${key}`]), asList: keys.length > 1 };
  }
  if (count != null && count > 1) {
    throw new ValueError(
      `The model has ${count} inputs${expectedNames}: give ${argument} as an array${keys == null ? '' : ' or a record'} of ${count} tensors. Received: ${argument}=${formatValue(x)}`,
      { argument, expected: `${count} input tensors`, received: formatValue(x) },
    );
  }
  return { entries: [[x, argument]], asList: false };
}

/** Inputs checked (each a live numeric tensor; bool cast, int32 kept for the layers), in the model's order; sample counts unchecked. */
export function checkedInputs(
  x: unknown,
  argument: string,
  layout: InputLayout,
  method: string,
  owned: OwnedTensors,
): CheckedInputs {
  const { entries, asList } = inputList(x, argument, layout, method);
  const xs = entries.map(([t, name]) => checkedTensor(t, name, owned, method, true));
  return { xs, xNames: entries.map(([, name]) => name), asList };
}

/** The targets as a list in output order, with their names for messages. */
export function targetList(
  y: unknown,
  argument: string,
  outputNames: readonly string[],
  method: string,
): [unknown, string][] {
  refuseSymbolic(y, argument, method);
  const count = outputNames.length;
  const names = quoted(outputNames);
  if (Array.isArray(y) && !isNumberArray(y)) {
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

/** Checks that every tensor holds as many samples as the first input. */
function checkSampleCounts(tensors: readonly (readonly [tf.Tensor, string])[]): number {
  const [first, firstName] = tensors[0] as readonly [tf.Tensor, string];
  for (const [t, name] of tensors.slice(1)) {
    if (t.shape[0] !== first.shape[0]) {
      throw new ValueError(
        `${firstName} and ${name} must have the same number of samples. Received: ${firstName}.shape=${formatShape(first.shape)} and ${name}.shape=${formatShape(t.shape)}`,
        { argument: name, expected: `${first.shape[0]} samples`, received: formatShape(t.shape) },
      );
    }
  }
  return first.shape[0] as number;
}

/**
 * Checks the inputs `x` (laid out as `layout` says) and the targets `y`
 * (tensors; int32 and bool cast to float32; one per output of
 * `outputNames`) and that they all hold the same number of samples, at
 * least one.
 */
export function checkedDataset(
  x: unknown,
  y: unknown,
  names: DataNames,
  method: string,
  owned: OwnedTensors,
  layout: InputLayout,
  outputNames: readonly string[],
): Dataset {
  const inputs = checkedInputs(x, names.x, layout, method, owned);
  const targets = targetList(y, names.y, outputNames, method).map(
    ([t, name]) => [checkedTensor(t, name, owned, method), name] as const,
  );
  const n = checkSampleCounts([...inputs.xs.map((t, i) => [t, inputs.xNames[i] as string] as const), ...targets]);
  if (n === 0) throw noSamples(inputs.xNames[0] as string, inputs.xs[0] as tf.Tensor, method);
  return { ...inputs, ys: targets.map(([t]) => t), yNames: targets.map(([, name]) => name), n };
}

/** Checks inputs for `predict`: as `checkedDataset`, without targets; no samples is allowed. */
export function checkedPredictInputs(
  x: unknown,
  argument: string,
  layout: InputLayout,
  owned: OwnedTensors,
): CheckedInputs & { n: number } {
  const inputs = checkedInputs(x, argument, layout, 'predict', owned);
  const n = checkSampleCounts(inputs.xs.map((t, i) => [t, inputs.xNames[i] as string] as const));
  return { ...inputs, n };
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
    const sample = data.xs.map((x) => tf.slice(x, 0, Math.min(rows, data.n)));
    try {
      const outputs = outputList(
        model,
        model.apply(modelInput({ xs: sample, asList: data.asList }), { training: false }),
        compiled,
      );
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
