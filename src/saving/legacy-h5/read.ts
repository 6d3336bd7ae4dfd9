/**
 * Loading a legacy whole-model `.h5` file (Keras's `model.save('m.h5')`,
 * Keras 2 and 3): the model from the root's `model_config` attribute, its
 * compile settings from `training_config`, and its weights from
 * `model_weights`, as Keras 3's legacy loader (legacy_h5_format.py,
 * `load_model_from_hdf5`) reads them: the model's layers that have weights,
 * in order, matched by position with the layers of `layer_names` whose
 * group lists `weight_names`; each layer's weights (trainable first, then
 * the others) in the order of its `weight_names`, each a dataset at that
 * path below the layer's group. Everything goes through the bounded reader
 * of h5-reader.ts, and all weights are checked before any is assigned.
 * A compiled model's optimizer gets the state of `optimizer_weights`
 * (optimizer-weights.ts).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import type { Layer } from '../../layers/layer.js';
import { Functional } from '../../models/functional/functional.js';
import type { Model } from '../../models/model.js';
import { Sequential } from '../../models/sequential.js';
import { modelFromJSON } from '../../models/serialization.js';
import { formatShape } from '../../utils/format.js';
import { buildWithinBudget } from '../build-within-budget.js';
import { type DatasetInfo, type H5FileReader, withH5File } from '../h5-reader.js';
import { isKerasIntegerWeight } from '../integer-weights.js';
import { CONFIG_LIMIT, MAX_LAYERS, type SurveyBounds, surveyBounds, surveyConfig } from '../load-limits.js';
import type { ReadLoadOptions } from '../load-options.js';
import { applyOptimizerState } from '../optimizer-state.js';
import { assignWeights } from '../weights-h5.js';
import { compileConfigFromLegacy, modelJsonFromLegacy, outputCount } from './config.js';
import { readOptimizerWeights } from './optimizer-weights.js';

/** HDF5's signature, at the start of a file written without a user block (h5py, h5wasm). */
export const HDF5_SIGNATURE = Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
/** How errors name the file. */
export const LABEL = 'the .h5 file';
const SENTENCE = 'The .h5 file';
/** Weight names of one layer, and layer names, at most: a list longer than the model could use is refused. */
const MAX_NAMES = 1 << 16;
/** Bytes of one names attribute (Keras keeps each under 64 KiB, in chunks `name0`, `name1`, ...). */
const NAMES_BYTES = 1 << 20;
/** Chunks of one names attribute Keras may have written. */
const MAX_CHUNKS = 1024;
/** Weight elements a loaded model may create beyond twice those its file holds (as keras-archive.ts). */
const STORED_SLACK = 2 ** 20;

export function isHdf5(bytes: Uint8Array): boolean {
  return bytes.length >= HDF5_SIGNATURE.length && HDF5_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** A JSON attribute of the root, parsed; undefined when absent (a JSON `null` is null). */
function jsonAttribute(file: H5FileReader, name: string): unknown {
  const strings = file.stringsAttribute('/', name, CONFIG_LIMIT);
  if (strings == null) return undefined;
  if (strings.length !== 1) {
    throw new ValueError(`${name} in ${LABEL} holds ${strings.length} strings; Keras writes one JSON text.`, {
      argument: name,
      expected: 'one JSON string',
      received: `${strings.length} strings`,
    });
  }
  try {
    return JSON.parse(strings[0] as string);
  } catch (error) {
    throw new ValueError(`${name} in ${LABEL} is not valid JSON: ${(error as Error).message}`, {
      argument: name,
      expected: 'JSON text',
      received: (error as Error).message,
    });
  }
}

/** Keras's `load_attributes_from_hdf5_group`: the attribute `name`, or its chunks `name0`, `name1`, ... */
function names(file: H5FileReader, group: string, name: string): string[] {
  const whole = file.stringsAttribute(group, name, NAMES_BYTES);
  const found: string[] = whole ?? [];
  for (let chunk = 0; whole == null && chunk < MAX_CHUNKS; chunk++) {
    const part = file.stringsAttribute(group, `${name}${chunk}`, NAMES_BYTES);
    if (part == null) break;
    found.push(...part);
    if (found.length > MAX_NAMES) break;
  }
  if (found.length > MAX_NAMES) {
    throw new ValueError(`${SENTENCE} lists over ${MAX_NAMES} ${name} at ${group}.`, {
      argument: `${group}@${name}`,
      expected: `at most ${MAX_NAMES} names`,
      received: `${found.length} names`,
    });
  }
  return found;
}

/** One stored layer: its group below `model_weights` and the paths of its weights, in order. */
interface StoredLegacyLayer {
  readonly name: string;
  readonly weights: readonly string[];
}

/**
 * The paths the names of `model_weights` lead the reader along. Each name
 * is a path walked from the root, one HDF5 look-up per level not seen
 * before, each costing about a tenth of a millisecond: a few hundred bytes
 * of hard links can make a group its own child, so that names going round
 * it reach a million places, or one place by a path thousands of levels
 * deep (minutes of work). So no name may nest deeper, and the names may not
 * reach more places in all, than the config could need: load-limits.ts's
 * survey bounds, as for a `.keras` file's weights, with a group and a
 * dataset per place that config allows.
 */
class PathBudget {
  readonly #seen = new Set<string>();
  readonly #bounds: SurveyBounds;
  readonly #maxPaths: number;

  constructor(bounds: SurveyBounds) {
    this.#bounds = bounds;
    this.#maxPaths = 2 * bounds.maxGroups;
  }

  /** Counts the places on the way to `path` (`model_weights/dense/dense/kernel`), listed at `attribute`. */
  walk(path: string, attribute: string): void {
    const parts = path.split('/');
    // model_weights/<layer> is two levels Keras always adds.
    if (parts.length > this.#bounds.maxDepth + 2) {
      const shown = path.length > 80 ? `${path.slice(0, 80)}...` : path;
      throw new ValueError(
        `${SENTENCE} lists a name ${parts.length - 1} levels deep at ${attribute}, deeper than its config could need: over ${this.#bounds.maxDepth + 1} levels (${this.#bounds.source}): ${JSON.stringify(shown)}.`,
        {
          argument: attribute,
          expected: `names at most ${this.#bounds.maxDepth + 1} levels deep`,
          received: `${parts.length - 1} levels`,
        },
      );
    }
    for (let end = parts.length; end > 1; end--) {
      const prefix = parts.slice(0, end).join('/');
      if (this.#seen.has(prefix)) break;
      this.#seen.add(prefix);
    }
    if (this.#seen.size > this.#maxPaths) {
      throw new ValueError(
        `${SENTENCE} lists weights at more places than its config could need: over ${this.#maxPaths} groups and datasets (${this.#bounds.source}); refused at ${attribute}.`,
        { argument: attribute, expected: `at most ${this.#maxPaths} places`, received: `over ${this.#maxPaths}` },
      );
    }
  }
}

/** The stored layers that hold weights, in `layer_names` order (Keras skips the others). */
function storedLayers(file: H5FileReader, layerCount: number, bounds: SurveyBounds): StoredLegacyLayer[] {
  if (file.members('model_weights') == null) {
    throw new ValueError(`${SENTENCE} has no model_weights group.`, {
      argument: 'model_weights',
      expected: 'a group of the layers\u2019 weights',
      received: 'nothing',
    });
  }
  const layerNames = names(file, 'model_weights', 'layer_names');
  // Each name costs a look into the file: no more than the config's layers (and its nested models') could need.
  if (layerNames.length > layerCount + 1) {
    throw new ValueError(`${SENTENCE} lists ${layerNames.length} layers in model_weights, more than its config has.`, {
      argument: 'model_weights@layer_names',
      expected: `at most ${layerCount + 1} names`,
      received: `${layerNames.length} names`,
    });
  }
  const budget = new PathBudget(bounds);
  const stored: StoredLegacyLayer[] = [];
  for (const name of layerNames) {
    const group = `model_weights/${name}`;
    budget.walk(group, 'model_weights@layer_names');
    if (name === '' || name.split('/').includes('') || file.members(group) == null) {
      throw new ValueError(`${SENTENCE} lists layer ${JSON.stringify(name)} in layer_names but has no group for it.`, {
        argument: group,
        expected: 'a group',
        received: 'nothing',
      });
    }
    const weights = names(file, group, 'weight_names').map((w) => `${group}/${w}`);
    for (const weight of weights) budget.walk(weight, `${group}@weight_names`);
    if (weights.length > 0) stored.push({ name, weights });
  }
  return stored;
}

/** The elements the listed weights hold, from their headers (0 for anything not a dataset). */
function storedElements(file: H5FileReader, layers: readonly StoredLegacyLayer[]): number {
  let total = 0;
  for (const layer of layers) for (const key of layer.weights) total += file.elementsOf(key);
  return total;
}

/** Keras's `_legacy_weights`: a layer's trainable weights, then the others, nested layers' included. */
export function legacyWeights(layer: Layer): tf.Variable[] {
  return [...layer.trainableWeights, ...layer.nonTrainableWeights];
}

/**
 * Reads every weight of `model` from `file` (checked: the count of layers
 * with weights, each layer's count of weights, each shape), none assigned.
 */
function readWeights(
  file: H5FileReader,
  model: Model,
  stored: readonly StoredLegacyLayer[],
): [tf.Variable, Float32Array][] {
  // modelFromJSON makes only these two; anything else has no layer list to match.
  const listed = model instanceof Sequential || model instanceof Functional ? model.layers : [];
  const layers = listed.filter((layer) => legacyWeights(layer).length > 0);
  if (layers.length !== stored.length) {
    throw new ValueError(
      `Layer count mismatch when loading weights from ${LABEL}: the model has ${layers.length} layers with weights, the file ${stored.length}.`,
      { argument: 'model_weights', expected: `${layers.length} layers with weights`, received: `${stored.length}` },
    );
  }
  const found: [tf.Variable, DatasetInfo][] = [];
  layers.forEach((layer, k) => {
    const { name, weights } = stored[k] as StoredLegacyLayer;
    const variables = legacyWeights(layer);
    if (weights.length !== variables.length) {
      throw new ValueError(
        `Weight count mismatch for layer #${k} (named ${layer.name} in the model, ${name} in ${LABEL}): the layer expects ${variables.length} weights, the file has ${weights.length}.`,
        { argument: `model_weights/${name}`, expected: `${variables.length} weights`, received: `${weights.length}` },
      );
    }
    variables.forEach((variable, i) => {
      const key = weights[i] as string;
      // Keras's int variables (Normalization's count) are stored as integers: read as numbers there only.
      const dataset = file.dataset(key, isKerasIntegerWeight(layer, variable) ? 'number' : 'float');
      if (dataset == null) {
        throw new ValueError(`${SENTENCE} lists weight ${key} for layer "${layer.name}" but has no dataset there.`, {
          argument: key,
          expected: 'a dataset',
          received: 'nothing',
        });
      }
      if (dataset.shape.join(',') !== variable.shape.join(',')) {
        throw new ValueError(
          `Weight ${key} of layer "${layer.name}" has shape ${formatShape(dataset.shape)}; the layer expects ${formatShape(variable.shape)}.`,
          { argument: key, expected: formatShape(variable.shape), received: formatShape(dataset.shape) },
        );
      }
      found.push([variable, dataset]);
    });
  });
  // Our models have no weights of their own: Keras's top-level group must list none.
  const top =
    file.members('model_weights/top_level_model_weights') == null
      ? []
      : names(file, 'model_weights/top_level_model_weights', 'weight_names');
  if (top.length > 0) {
    throw new ValueError(`${SENTENCE} holds ${top.length} top-level weights; the model has none of its own.`, {
      argument: 'model_weights/top_level_model_weights',
      expected: '0 weights',
      received: `${top.length} weights`,
    });
  }
  return found.map(([variable, dataset]) => [variable, file.readFloat32(dataset)]);
}

/**
 * A model from the bytes of a legacy `.h5` model file: built within the
 * weight budget, compiled from `training_config` unless `compile` is false,
 * its weights checked and assigned, then its optimizer's state; a model
 * that fails half way is freed.
 */
export function loadLegacyH5(bytes: Uint8Array, options: ReadLoadOptions): Promise<Model> {
  const { deserialize, maxWeights } = options;
  return withH5File(
    bytes,
    (file) => {
      const modelConfig = jsonAttribute(file, 'model_config');
      if (modelConfig === undefined) {
        throw new ValueError(
          `No model config found in ${LABEL}: it has no model_config attribute (a weights-only file?).`,
          {
            argument: 'model_config',
            expected: 'a model_config attribute',
            received: 'nothing',
          },
        );
      }
      const modelJson = modelJsonFromLegacy(modelConfig);
      const json: Record<string, unknown> = { ...modelJson };
      const trainingConfig = deserialize.compile === false ? null : jsonAttribute(file, 'training_config');
      if (trainingConfig != null) json.compile_config = compileConfigFromLegacy(trainingConfig, outputCount(modelJson));
      const survey = surveyConfig(json, 'model_config');
      const stored = storedLayers(file, Math.min(survey.layers, MAX_LAYERS), surveyBounds(survey, 'model_config'));
      const held = storedElements(file, stored);
      const fromFile = 2 * held + STORED_SLACK;
      const [limit, source] =
        fromFile >= maxWeights ? [maxWeights, 'maxWeights'] : [fromFile, `${SENTENCE} holds ${held} elements`];
      const model = buildWithinBudget(limit, () => modelFromJSON(json, deserialize), source);
      try {
        assignWeights(readWeights(file, model, stored));
        applyOptimizerState(readOptimizerWeights(file, model, (group, attribute) => names(file, group, attribute)));
        return model;
      } catch (error) {
        model.dispose();
        throw error;
      }
    },
    LABEL,
  );
}
