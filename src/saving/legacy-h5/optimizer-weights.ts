/**
 * A compiled model's optimizer state in a legacy whole-model `.h5` file, as
 * Keras's legacy_h5_format.py keeps it: the root's `optimizer_weights`
 * group, whose `weight_names` attribute lists, in `optimizer.variables`
 * order, the paths of the datasets below it (`adam/iteration`,
 * `adam/dense_kernel_momentum`); Keras reads them back by that list.
 *
 * Loading builds the optimizer on the model's trainable weights and loads
 * the state (Keras's `build` then `set_weights`). Where the state does not
 * fit, Keras's legacy loader assigns what it can (a prefix of another
 * count, the variables before one of another shape) and warns on a shape;
 * here nothing is assigned and both are warned about (differs from Keras:
 * a half-loaded state is worse than a fresh one).
 */
import { ValueError } from '../../errors.js';
import type { Model } from '../../models/model.js';
import type { H5FileReader } from '../h5-reader.js';
import {
  buildOnModel,
  compiledOptimizer,
  countMismatchWarning,
  type ReadOptimizerState,
  readChecked,
  type SavedOptimizerState,
  type Warn,
} from '../optimizer-state.js';

type H5 = typeof import('h5wasm').default;
type H5Group = InstanceType<H5['Group']>;

/** The group Keras writes. */
export const OPTIMIZER_WEIGHTS = 'optimizer_weights';
/** Levels of one listed name at most (Keras 3 writes 2, Keras 2 a few more): deeper is refused, not walked. */
const MAX_NAME_DEPTH = 16;

/**
 * The datasets' names: Keras's `variable.path` (`adam/dense_kernel_momentum`),
 * made unique (Keras names both of Adafactor's factored slots of a weight
 * after the weight, which its own writer then fails on).
 */
function uniqueNames(state: SavedOptimizerState): string[] {
  const used = new Set<string>();
  return state.variables.map((variable, i) => {
    let name = `${state.name}/${variable.name}`.replace(/\/+/g, '/').replace(/^\/|\/$/g, '');
    if (used.has(name) || name === '') name = `${state.name}/variable_${i}`;
    used.add(name);
    return name;
  });
}

/** Writes `optimizer_weights` into the root of a legacy file (Keras's `save_optimizer_weights_to_hdf5_group`). */
export function writeOptimizerWeights(root: H5Group, state: SavedOptimizerState): void {
  if (state.variables.length === 0) return;
  const group = root.create_group(OPTIMIZER_WEIGHTS) as H5Group;
  const names = uniqueNames(state);
  group.create_attribute('weight_names', names);
  const made = new Map<string, H5Group>();
  names.forEach((name, i) => {
    const { shape, data } = state.variables[i] as SavedOptimizerState['variables'][number];
    let parent = group;
    const parts = name.split('/');
    let at = '';
    for (const part of parts.slice(0, -1)) {
      at = at === '' ? part : `${at}/${part}`;
      let next = made.get(at);
      if (next == null) {
        next = parent.create_group(part) as H5Group;
        made.set(at, next);
      }
      parent = next;
    }
    const dtype = data instanceof BigInt64Array ? '<q' : '<f4';
    parent.create_dataset({ name: parts[parts.length - 1] as string, data, shape: [...shape], dtype });
  });
}

/**
 * Reads the `optimizer_weights` of a legacy file for the compiled `model`,
 * nothing assigned yet: null when the model is not compiled, the file has
 * no optimizer state (as Keras, silently), or the state does not fit
 * (warned). `names` reads a names attribute as the legacy reader does
 * (Keras's chunked `weight_names0`, `weight_names1`, ...).
 */
export function readOptimizerWeights(
  file: H5FileReader,
  model: Model,
  names: (group: string, attribute: string) => string[],
  warn: Warn = (message) => console.warn(message),
): ReadOptimizerState | null {
  const optimizer = compiledOptimizer(model);
  if (optimizer == null || file.members(OPTIMIZER_WEIGHTS) == null) return null;
  buildOnModel(optimizer, model);
  const listed = names(OPTIMIZER_WEIGHTS, 'weight_names');
  const count = optimizer.variables.length;
  if (listed.length !== count) {
    warn(countMismatchWarning(optimizer, count, listed.length));
    return null;
  }
  const keys = listed.map((name) => {
    const parts = name.split('/');
    if (name === '' || parts.includes('') || parts.length > MAX_NAME_DEPTH) {
      const shown = name.length > 80 ? `${name.slice(0, 80)}...` : name;
      throw new ValueError(
        `The .h5 file lists optimizer weight ${JSON.stringify(shown)} in ${OPTIMIZER_WEIGHTS}@weight_names, which is not a path Keras writes.`,
        {
          argument: `${OPTIMIZER_WEIGHTS}@weight_names`,
          expected: `names of 1 to ${MAX_NAME_DEPTH} non-empty levels`,
          received: JSON.stringify(shown),
        },
      );
    }
    return `${OPTIMIZER_WEIGHTS}/${name}`;
  });
  return readChecked(file, optimizer, keys, warn);
}
