/**
 * Writing a legacy whole-model `.h5` file, as Keras's `model.save('m.h5')`
 * (legacy_h5_format.py, `save_model_to_hdf5`) lays it out, so that Keras 3's
 * `load_model` (and Keras 2's) reads it: the root's `model_config` and
 * `training_config` JSON attributes, and `model_weights` with `layer_names`,
 * one group per layer (sorted by name, as Keras does so that no group name
 * is a prefix of a later one) listing its `weight_names`, each a dataset at
 * that path below the group; a compiled model's optimizer state goes to
 * `optimizer_weights` (optimizer-weights.ts).
 */
import { InputLayer } from '../../layers/core/input-layer.js';
import type { Layer } from '../../layers/layer.js';
import type { Functional } from '../../models/functional/functional.js';
import { Sequential } from '../../models/sequential.js';
import { modelToJSON } from '../../models/serialization.js';
import { KERAS_FORMAT_VERSION } from '../keras-archive.js';
import { kerasJsonText } from '../keras-json-text.js';
import { optimizerStateToSave } from '../optimizer-state.js';
import { h5wasm } from '../weights-h5.js';
import { legacyModelConfig, legacyTrainingConfig } from './config.js';
import { writeOptimizerWeights } from './optimizer-weights.js';
import { legacyWeights } from './read.js';

type H5 = typeof import('h5wasm').default;
type H5Group = InstanceType<H5['Group']>;

let fileCounter = 0;

/** The layers Keras lists: a Sequential's without its InputLayer (Keras's `model.layers`). */
function listedLayers(model: Sequential | Functional): Layer[] {
  return model instanceof Sequential ? model.layers.filter((l) => !(l instanceof InputLayer)) : [...model.layers];
}

/**
 * A layer's weight names, Keras's `variable.path` (`dense/kernel`), made
 * unique within the layer: nested layers can repeat a path, and each name
 * is a dataset's place.
 */
function weightNames(layer: Layer): { name: string; data: Float32Array; shape: number[] }[] {
  const paths = new Map(layer.weightRecords().map((r) => [r.variable, r.path]));
  const used = new Set<string>();
  return legacyWeights(layer).map((variable, i) => {
    let name = (paths.get(variable) ?? `${layer.name}/weight_${i}`).replace(/\/+/g, '/').replace(/^\/|\/$/g, '');
    if (used.has(name) || name === '') name = `${layer.name}/weight_${i}`;
    used.add(name);
    return { name, data: variable.dataSync() as Float32Array, shape: [...variable.shape] };
  });
}

/** Creates the groups on the way to `path` below `root`, each once. */
function groupFor(root: H5Group, made: Map<string, H5Group>, path: string): H5Group {
  let at = '';
  let group = root;
  for (const part of path.split('/')) {
    at = at === '' ? part : `${at}/${part}`;
    let next = made.get(at);
    if (next == null) {
      next = group.create_group(part) as H5Group;
      made.set(at, next);
    }
    group = next;
  }
  return group;
}

/** The model (Sequential or Functional, built) as the bytes of a legacy `.h5` file. */
export async function writeLegacyH5(model: Sequential | Functional): Promise<Uint8Array> {
  const json = modelToJSON(model);
  const { h5, fs } = await h5wasm();
  const path = `/keras-regularizers-legacy-${++fileCounter}.h5`;
  let file: InstanceType<H5['File']> | null = null;
  try {
    const opened = new h5.File(path, 'w');
    file = opened;
    opened.create_attribute('keras_version', KERAS_FORMAT_VERSION);
    opened.create_attribute('backend', 'tensorflow');
    // Keras's text, not JSON.stringify's: SGD's momentum 0 must read back as a Python float.
    opened.create_attribute('model_config', kerasJsonText(legacyModelConfig(json)));
    if (json.compile_config != null && Object.keys(json.compile_config).length > 0) {
      opened.create_attribute('training_config', kerasJsonText(legacyTrainingConfig(json.compile_config)));
    }
    const weights = opened.create_group('model_weights') as H5Group;
    const layers = listedLayers(model);
    weights.create_attribute(
      'layer_names',
      layers.map((l) => l.name),
    );
    weights.create_attribute('backend', 'tensorflow');
    weights.create_attribute('keras_version', KERAS_FORMAT_VERSION);
    const sorted = [...layers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const layer of sorted) {
      const group = weights.create_group(layer.name) as H5Group;
      const stored = weightNames(layer);
      // No attribute for a layer without weights: Keras reads a missing weight_names as none.
      if (stored.length === 0) continue;
      group.create_attribute(
        'weight_names',
        stored.map((w) => w.name),
      );
      const made = new Map<string, H5Group>();
      for (const { name, data, shape } of stored) {
        const slash = name.lastIndexOf('/');
        const parent = slash < 0 ? group : groupFor(group, made, name.slice(0, slash));
        parent.create_dataset({ name: name.slice(slash + 1), data, shape, dtype: '<f4' });
      }
    }
    weights.create_group('top_level_model_weights');
    const optimizer = optimizerStateToSave(model);
    if (optimizer != null) writeOptimizerWeights(opened as unknown as H5Group, optimizer);
    file = null;
    opened.close();
    return fs.readFile(path);
  } finally {
    file?.close();
    try {
      fs.unlink(path);
    } catch {
      // Never created: the File constructor failed.
    }
  }
}
