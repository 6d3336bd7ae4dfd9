/**
 * A compiled model's optimizer state in Keras 3's weights files: the
 * `optimizer/vars/<i>` datasets of `model.weights.h5` (inside a `.keras`
 * file) and of `.weights.h5` files, entry i being `optimizer.variables[i]`
 * (`iteration`, `learning_rate`, then the slots), as saving_lib.py's
 * `_save_state` writes the optimizer's `save_own_variables`.
 *
 * Loading follows Keras's `load_own_variables`: the optimizer is built on
 * the model's trainable weights first (Keras's `compile_from_config`), and
 * a saved group with another count of variables is warned about in Keras's
 * words and skipped, leaving the optimizer fresh. What Keras would fail on
 * half way (a variable of another shape) is checked before anything is
 * assigned and skipped the same way; a group that is not Keras's layout
 * (a missing index, a dataset of text) is a clear error.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import type { Model } from '../models/model.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { formatShape } from '../utils/format.js';
import { type DatasetInfo, type H5FileReader, sentenceStart } from './h5-reader.js';

/** One saved variable: Keras's name, its shape and values (`iteration` as int64, as Keras declares it). */
export interface SavedVariable {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array | BigInt64Array;
}

/** What a file holds of an optimizer: its Keras name (the `vars` group's `name` attribute) and its variables. */
export interface SavedOptimizerState {
  readonly name: string;
  readonly variables: readonly SavedVariable[];
}

/** How warnings reach the user: `console.warn`, as Keras's `warnings.warn`. */
export type Warn = (message: string) => void;

/** Values read from a file and checked against an optimizer, ready to load. */
export interface ReadOptimizerState {
  readonly optimizer: Optimizer;
  readonly values: readonly { readonly data: Float32Array | Float64Array; readonly shape: readonly number[] }[];
}

/** The group Keras keeps the optimizer's variables in. */
export const OPTIMIZER_VARS = 'optimizer/vars';

/** Keras's warning when the saved optimizer has another number of variables (its text, trailing space included). */
export function countMismatchWarning(optimizer: Optimizer, held: number, saved: number): string {
  return `Skipping variable loading for optimizer '${optimizer.name}', because it has ${held} variables whereas the saved optimizer has ${saved} variables. `;
}

/** Keras's legacy loader's warning, with what did not fit. */
export function shapeMismatchWarning(name: string, expected: readonly number[], received: readonly number[]): string {
  return `Error in loading the saved optimizer state. As a result, your model is starting with a freshly initialized optimizer. (Optimizer variable ${name} has shape ${formatShape(expected)} not compatible with provided weight shape ${formatShape(received)}.)`;
}

/** The optimizer of a compiled model (Keras's `model.optimizer`), or null. */
export function compiledOptimizer(model: unknown): Optimizer | null {
  const optimizer = (model as { optimizer?: unknown } | null)?.optimizer;
  return optimizer != null && typeof optimizer === 'object' ? (optimizer as Optimizer) : null;
}

/**
 * The state a file of `model` holds, as Keras saves it: the compiled
 * optimizer's `variables`, whether it has stepped or not (a compiled model
 * that never trained has `iteration` and `learning_rate`); null for a model
 * that is not compiled.
 */
export function optimizerStateToSave(model: unknown): SavedOptimizerState | null {
  const optimizer = compiledOptimizer(model);
  if (optimizer == null) return null;
  const names = optimizer.variableNames;
  if (!optimizer.built) {
    // Only the leading scalars, from their mirrors: reading `variables` would make tensors for them.
    const head: SavedVariable[] = [
      { name: 'iteration', shape: [], data: BigInt64Array.from([BigInt(optimizer.iterations)]) },
    ];
    if (names[1] === 'learning_rate') {
      head.push({ name: 'learning_rate', shape: [], data: Float32Array.from([optimizer.learningRate]) });
    }
    return { name: optimizer.name, variables: head };
  }
  const variables = optimizer.variables.map((variable, i) => {
    const values = variable.dataSync();
    // Keras's `iteration` is int64 (int32 only on JAX without x64); the others are float32.
    const data =
      variable.dtype === 'int32'
        ? BigInt64Array.from(values as Int32Array, (v) => BigInt(v))
        : Float32Array.from(values as Float32Array);
    return { name: names[i] ?? `variable_${i}`, shape: [...variable.shape], data };
  });
  return { name: optimizer.name, variables };
}

/** Builds the optimizer on the model's trainable weights, named by their paths, as Keras's `compile_from_config` does. */
export function buildOnModel(optimizer: Optimizer, model: Model): void {
  const records = model.trainableWeightRecords();
  optimizer.build(
    records.map((r) => r.variable),
    records.map((r) => r.path),
  );
}

/** The leading scalars of `variables` (`iteration`, and `learning_rate` unless it is a schedule). */
export function headCount(optimizer: Optimizer): number {
  const names = optimizer.variableNames;
  return names[1] === 'learning_rate' ? 2 : 1;
}

/**
 * A saved group of just the leading scalars with `iteration` 0: what Keras
 * writes for a compiled model that never trained. Skipping it loses
 * nothing (the learning rate is the config's), so it is skipped without
 * Keras's warning, which every such file would otherwise raise.
 */
function neverStepped(
  optimizer: Optimizer,
  saved: number,
  iteration: () => DatasetInfo | null,
  file: H5FileReader,
): boolean {
  if (saved !== headCount(optimizer)) return false;
  const info = iteration();
  return info != null && info.elements === 1 && file.readFloat64(info)[0] === 0;
}

/**
 * The datasets `keys` lead to, checked against the optimizer's variables
 * (each a number dataset, each of the variable's shape), read; null when a
 * shape differs, after `warn`.
 */
export function readChecked(
  file: H5FileReader,
  optimizer: Optimizer,
  keys: readonly string[],
  warn: Warn,
): ReadOptimizerState | null {
  const targets = optimizer.variables;
  const names = optimizer.variableNames;
  const infos = keys.map((key) => {
    const info = file.dataset(key, 'number');
    if (info == null) {
      throw new ValueError(`${sentenceStart(file.label)} has no optimizer variable at ${key}.`, {
        argument: key,
        expected: 'a dataset of the optimizer variable',
        received: 'nothing',
      });
    }
    return info;
  });
  for (const [i, info] of infos.entries()) {
    const target = targets[i] as tf.Variable;
    if (!tf.util.arraysEqual([...info.shape], target.shape)) {
      warn(shapeMismatchWarning(names[i] ?? String(i), target.shape, info.shape));
      return null;
    }
  }
  // The iteration count exactly (float64); the rest as the float32 they are.
  const values = infos.map((info, i) => ({
    data: i === 0 ? file.readFloat64(info) : file.readFloat32(info),
    shape: info.shape,
  }));
  return { optimizer, values };
}

/**
 * Reads the optimizer state of `file` (`optimizer/vars`) for the compiled
 * `model`, nothing assigned yet: null when the model is not compiled, or
 * when the state does not fit (warned, as Keras warns). With `build`
 * (loading a whole model, as Keras's `compile_from_config`) the optimizer
 * is built on the model's trainable weights first; without (Keras's
 * `load_weights`), it is built only when the file holds slots to load.
 */
export function readOptimizerState(
  file: H5FileReader,
  model: Model,
  options: { build: boolean; warn?: Warn },
): ReadOptimizerState | null {
  const optimizer = compiledOptimizer(model);
  if (optimizer == null) return null;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const held = file.members(OPTIMIZER_VARS) ?? [];
  const iteration = () => (held.includes('0') ? file.dataset(`${OPTIMIZER_VARS}/0`, 'number') : null);
  if (options.build || held.length > headCount(optimizer)) buildOnModel(optimizer, model);
  // Read here, the optimizer's two scalar variables are made while loading, not by the first save.
  const count = optimizer.variables.length;
  if (neverStepped(optimizer, held.length, iteration, file)) return null;
  if (held.length !== count) {
    warn(countMismatchWarning(optimizer, count, held.length));
    return null;
  }
  // Keras reads entries "0".."n-1" of the group: any other name is not its layout.
  const keys = Array.from({ length: count }, (_, i) => String(i));
  const stray = held.filter((name) => !keys.includes(name));
  if (stray.length > 0) {
    throw new ValueError(
      `${sentenceStart(file.label)} holds optimizer variables named ${stray.slice(0, 5).join(', ')} at ${OPTIMIZER_VARS}; Keras numbers them 0 to ${count - 1}.`,
      { argument: OPTIMIZER_VARS, expected: `datasets 0 to ${count - 1}`, received: stray.slice(0, 5).join(', ') },
    );
  }
  return readChecked(
    file,
    optimizer,
    keys.map((k) => `${OPTIMIZER_VARS}/${k}`),
    warn,
  );
}

/** Loads what `readOptimizerState` read into its optimizer (Keras's `load_own_variables`). */
export function applyOptimizerState(state: ReadOptimizerState | null): void {
  if (state == null) return;
  const targets = state.optimizer.variables;
  const tensors = state.values.map(({ data, shape }, i) =>
    (targets[i] as tf.Variable).dtype === 'int32'
      ? tf.tensor(Array.from(data), [...shape], 'int32')
      : tf.tensor(data instanceof Float32Array ? data : Float32Array.from(data), [...shape], 'float32'),
  );
  try {
    state.optimizer.loadVariables(tensors);
  } finally {
    tf.dispose(tensors);
  }
}
