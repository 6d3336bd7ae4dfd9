/**
 * Keras 3's weights files (`model.weights.h5` inside a `.keras` file, and
 * `.weights.h5` files), written with h5wasm and read with the checked reader
 * of h5-reader.ts (untrusted files get a private runtime). Where each weight
 * goes is weights-layout.ts: `layers/dense/vars/0`,
 * `layers/functional/layers/dense/vars/0`. A compiled model's optimizer
 * state goes to `optimizer/vars/<i>` (optimizer-state.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { formatShape } from '../utils/format.js';
import { type DatasetInfo, type H5FileReader, sentenceStart } from './h5-reader.js';
import { isKerasIntegerWeight } from './integer-weights.js';
import type { SurveyBounds } from './load-limits.js';
import { OPTIMIZER_VARS, type SavedOptimizerState } from './optimizer-state.js';
import { type StoredLayer, type WeightLayout, weightLayout } from './weights-layout.js';

type H5 = typeof import('h5wasm').default;
type H5Group = InstanceType<H5['Group']>;

interface H5FileSystem {
  writeFile(path: string, data: Uint8Array): void;
  readFile(path: string): Uint8Array;
  unlink(path: string): void;
}

let module: Promise<{ h5: H5; fs: H5FileSystem }> | null = null;
let fileCounter = 0;

/** h5wasm, loaded on first use: its WebAssembly is only needed for saving and loading. */
export function h5wasm() {
  module ??= import('h5wasm').then(async ({ default: h5 }) => {
    const runtime = (await h5.ready) as unknown as { FS: H5FileSystem; activate_throwing_error_handler(): void };
    // HDF5 errors become exceptions instead of diagnostics printed to stderr.
    runtime.activate_throwing_error_handler();
    return { h5, fs: runtime.FS };
  });
  return module;
}

/**
 * The weights of `model` as the bytes of a Keras weights file; the runtime's
 * file is removed on every path. Every layer gets its `vars` group, with
 * the layer's name as its `name` attribute, weights or not, as Keras writes;
 * `optimizer` (a compiled model's state) its `optimizer/vars` group.
 */
export async function writeWeightsH5(model: Layer, optimizer: SavedOptimizerState | null = null): Promise<Uint8Array> {
  const { layers } = weightLayout(model);
  const { h5, fs } = await h5wasm();
  const path = `/keras-regularizers-${++fileCounter}.h5`;
  let file: InstanceType<H5['File']> | null = null;
  try {
    const opened = new h5.File(path, 'w');
    file = opened;
    // The groups made so far, by path: asking HDF5 would list a group of thousands of layers for each one.
    const made = new Map<string, H5Group>([['', opened as unknown as H5Group]]);
    const groupAt = (key: string): H5Group => {
      let path = '';
      let group = made.get('') as H5Group;
      for (const part of key.split('/')) {
        path = path === '' ? part : `${path}/${part}`;
        let next = made.get(path);
        if (next == null) {
          next = group.create_group(part) as H5Group;
          made.set(path, next);
        }
        group = next;
      }
      return group;
    };
    for (const { layer, vars, variables } of layers) {
      const group = groupAt(vars);
      group.create_attribute('name', layer.name);
      variables.forEach((variable, index) => {
        group.create_dataset({
          name: String(index),
          data: variable.dataSync() as Float32Array,
          shape: [...variable.shape],
          dtype: '<f4',
        });
      });
    }
    if (optimizer != null) {
      const group = groupAt(OPTIMIZER_VARS);
      group.create_attribute('name', optimizer.name);
      optimizer.variables.forEach(({ shape, data }, index) => {
        const dtype = data instanceof BigInt64Array ? '<q' : '<f4';
        group.create_dataset({ name: String(index), data, shape: [...shape], dtype });
      });
    }
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

/** Datasets a survey of the file visits at most: Keras models have a few per layer. */
const MAX_STORED_WEIGHTS = 1 << 16;

/**
 * The elements the layers' weights in `file` hold, from the headers of the
 * datasets in every `vars` group at or below `layers` (the root's own `vars`
 * included; the optimizer's state is not counted). A model loaded from the
 * file needs no more: its weight budget follows from this. The walk goes
 * breadth first with a queue (no recursion to overflow) and no further than
 * `bounds`, which the config sets: a file whose groups nest deeper or
 * number more than its config could need is refused, not walked.
 */
export function storedElements(file: H5FileReader, bounds: SurveyBounds): number {
  let total = 0;
  let datasets = 0;
  const countVars = (vars: string) => {
    for (const index of file.groupNames(vars) ?? []) {
      if (++datasets > MAX_STORED_WEIGHTS) {
        throw new ValueError(`${sentenceStart(file.label)} has over ${MAX_STORED_WEIGHTS} weights (at ${vars}).`, {
          argument: file.label,
          expected: `at most ${MAX_STORED_WEIGHTS} weights`,
          received: `over ${MAX_STORED_WEIGHTS}`,
        });
      }
      total += file.elementsOf(`${vars}/${index}`);
    }
  };
  countVars('vars');
  const shown = (group: string) => {
    const parts = group.split('/');
    return parts.length > 6 ? `${parts.slice(0, 6).join('/')}/... (${parts.length} levels)` : group;
  };
  const queue: string[] = [];
  // Checked as each group is queued, so that a group of a million links is refused at its first few thousand.
  const enqueue = (group: string) => {
    if (queue.length >= bounds.maxGroups) {
      throw new ValueError(
        `${sentenceStart(file.label)} has more groups where layers are stored than its config could need: over ${bounds.maxGroups} (${bounds.source}); refused at ${shown(group)}.`,
        { argument: file.label, expected: `at most ${bounds.maxGroups} groups`, received: `more, at ${shown(group)}` },
      );
    }
    const depth = group.split('/').length;
    if (depth > bounds.maxDepth) {
      throw new ValueError(
        `${sentenceStart(file.label)} nests groups deeper than its config could need: over ${bounds.maxDepth} levels (${bounds.source}), at ${shown(group)}.`,
        { argument: file.label, expected: `groups at most ${bounds.maxDepth} levels deep`, received: shown(group) },
      );
    }
    queue.push(group);
  };
  if ((file.groupNames('/') ?? []).includes('layers')) enqueue('layers');
  for (let next = 0; next < queue.length; next++) {
    const group = queue[next] as string;
    for (const name of file.groupNames(group) ?? []) {
      if (name === 'vars') countVars(`${group}/vars`);
      else enqueue(`${group}/${name}`);
    }
  }
  return total;
}

/** Keras's refusal of a layer whose `vars` group holds another number of weights than the layer has. */
function countMismatch(file: H5FileReader, stored: StoredLayer, received: number): ValueError {
  const names = stored.layer
    .weightRecords()
    .filter((r) => stored.variables.includes(r.variable))
    .map((r) => r.name);
  const expected = stored.variables.length;
  return new ValueError(
    `Layer "${stored.layer.name}" expected ${expected} variables, but received ${received} variables during loading (${file.label}, ${stored.vars}). Expected: [${names.join(', ')}]`,
    {
      argument: stored.vars,
      expected: `${expected} variables${names.length > 0 ? ` (${names.join(', ')})` : ''}`,
      received: `${received} variables`,
    },
  );
}

/** Entries of a layer list that the model has no layer for and that are looked into, at most. */
const MAX_STRAY_ENTRIES = 1024;

/**
 * A layer list of the file (`layers`) holding weights for an entry the
 * model has not got: the file was written for another model. Keras would
 * skip such weights silently; loading them nowhere is refused instead.
 */
function checkNoStrayLayers(file: H5FileReader, model: Layer, layout: WeightLayout): void {
  for (const list of layout.lists) {
    const names = file.groupNames(list.path) ?? [];
    // Each entry costs a look into the file: a list of a million links is refused, not looked through.
    if (names.length > list.names.size + MAX_STRAY_ENTRIES) {
      const expected = `at most ${list.names.size + MAX_STRAY_ENTRIES} entries (the ${list.names.size} layers of "${list.owner.name}")`;
      throw new ValueError(
        `${sentenceStart(file.label)} lists ${names.length} entries at ${list.path}, where "${list.owner.name}" has ${list.names.size} layers: it was saved from another model.`,
        { argument: list.path, expected, received: `${names.length} entries` },
      );
    }
    for (const name of names) {
      if (list.names.has(name)) continue;
      const held = (file.groupNames(`${list.path}/${name}/vars`) ?? []).length;
      if (held === 0) continue;
      const known = [...list.names].join(', ') || 'none';
      const at = `${list.path}/${name}`;
      throw new ValueError(
        `${sentenceStart(file.label)} holds ${held} weights at ${at}, a layer that ${list.owner === model ? 'model' : 'layer'} "${list.owner.name}" has not got (its layers are stored as ${known}): it was saved from another model.`,
        {
          argument: at,
          expected: `weights only for the layers of "${list.owner.name}" (${known})`,
          received: `${held} weights for ${name}`,
        },
      );
    }
  }
}

/**
 * Reads the weights of every layer of `model` from `file`, checking all of
 * it before a byte of data is read: each layer's `vars` group must hold as
 * many weights as the layer has (as Keras checks), each dataset's shape
 * must be the weight's, and no layer list may hold weights the model has no
 * layer for. Returns each weight with its values, none assigned yet.
 */
export function readModelWeights(file: H5FileReader, model: Layer): [tf.Variable, Float32Array][] {
  const layout = weightLayout(model);
  const found: [tf.Variable, DatasetInfo][] = [];
  for (const stored of layout.layers) {
    const { layer, vars, variables } = stored;
    const held = file.members(vars) ?? [];
    // Fewer is Keras's error (a layer missing from the file); more is checked after the datasets, whose errors say more.
    if (held.length < variables.length) throw countMismatch(file, stored, held.length);
    variables.forEach((variable, index) => {
      const key = `${vars}/${index}`;
      // Keras's int variables (Normalization's count) are stored as integers: read as numbers there only.
      const dataset = file.dataset(key, isKerasIntegerWeight(layer, variable) ? 'number' : 'float');
      if (dataset == null) {
        throw new ValueError(`${sentenceStart(file.label)} has no weight ${key} for layer "${layer.name}".`, {
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
    if (held.length > variables.length) throw countMismatch(file, stored, held.length);
  }
  checkNoStrayLayers(file, model, layout);
  return found.map(([variable, dataset]) => [variable, file.readFloat32(dataset)]);
}

/** Assigns what `readModelWeights` read: all checked, so none fails half way. */
export function assignWeights(values: readonly [tf.Variable, Float32Array][]): void {
  tf.tidy(() => {
    for (const [variable, data] of values) variable.assign(tf.tensor(data, variable.shape, 'float32'));
  });
}
