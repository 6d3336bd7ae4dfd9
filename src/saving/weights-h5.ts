/**
 * `model.weights.h5` in Keras 3's layout, written with h5wasm and read with
 * the checked reader of h5-reader.ts (untrusted files get a private runtime):
 * `layers/<name>/vars/<i>` for each layer of a Sequential, where `<name>` is
 * the layer class in snake_case, numbered among its kind (`dense`,
 * `dense_1`), and `vars/<i>` its i-th weight. Optimizer state is not saved.
 */
import { ValueError } from '../errors.js';
import { InputLayer } from '../layers/core/input-layer.js';
import type { Layer } from '../layers/layer.js';
import { classNameToSnake } from '../serialization/case.js';
import { classNameOfInstance } from '../utils/class-name.js';
import { formatShape } from '../utils/format.js';
import type { H5FileReader } from './h5-reader.js';

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
function h5wasm() {
  module ??= import('h5wasm').then(async ({ default: h5 }) => {
    const runtime = (await h5.ready) as unknown as { FS: H5FileSystem; activate_throwing_error_handler(): void };
    // HDF5 errors become exceptions instead of diagnostics printed to stderr.
    runtime.activate_throwing_error_handler();
    return { h5, fs: runtime.FS };
  });
  return module;
}

/** Keras's storage names for a Sequential's layers (the InputLayer has none). */
export function storageNames(layers: readonly Layer[]): [Layer, string][] {
  const counts = new Map<string, number>();
  return layers
    .filter((layer) => !(layer instanceof InputLayer))
    .map((layer) => {
      const base = classNameToSnake(classNameOfInstance(layer));
      const count = counts.get(base) ?? 0;
      counts.set(base, count + 1);
      return [layer, count === 0 ? base : `${base}_${count}`];
    });
}

/** The weights of `layers` as the bytes of a `model.weights.h5`; the runtime's file is removed on every path. */
export async function writeWeightsH5(modelName: string, layers: readonly Layer[]): Promise<Uint8Array> {
  const { h5, fs } = await h5wasm();
  const path = `/keras-regularizers-${++fileCounter}.h5`;
  let file: InstanceType<H5['File']> | null = null;
  try {
    file = new h5.File(path, 'w');
    const group = file.create_group('layers') as H5Group;
    for (const [layer, name] of storageNames(layers)) {
      const vars = (group.create_group(name) as H5Group).create_group('vars') as H5Group;
      vars.create_attribute('name', layer.name);
      layer.weights.forEach((variable, index) => {
        vars.create_dataset({
          name: String(index),
          data: variable.dataSync() as Float32Array,
          shape: [...variable.shape],
          dtype: '<f4',
        });
      });
    }
    (file.create_group('vars') as H5Group).create_attribute('name', modelName);
    const written = file;
    file = null;
    written.close();
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
 * The elements the file's weights hold, from the headers of the datasets at
 * `layers/<name>/vars/<i>` (anything else there is not counted). A model
 * loaded from the file needs no more: its weight budget follows from this.
 */
export function storedElements(file: H5FileReader): number {
  let total = 0;
  let datasets = 0;
  for (const layer of file.groupNames('layers') ?? []) {
    for (const index of file.groupNames(`layers/${layer}/vars`) ?? []) {
      if (++datasets > MAX_STORED_WEIGHTS) {
        throw new ValueError(`model.weights.h5 has over ${MAX_STORED_WEIGHTS} weights.`, {
          argument: 'model.weights.h5',
          expected: `at most ${MAX_STORED_WEIGHTS} weights`,
          received: `over ${MAX_STORED_WEIGHTS}`,
        });
      }
      total += file.elementsOf(`layers/${layer}/vars/${index}`);
    }
  }
  return total;
}

/**
 * Reads each layer's weights from `file` and checks them all before
 * assigning any: each dataset's shape is compared with the layer's (whose
 * size the weight budget already allowed) before a byte of it is read.
 */
export function readLayerWeights(file: H5FileReader, layers: readonly Layer[]): Float32Array[][] {
  return storageNames(layers).map(([layer, name]) =>
    layer.weights.map((variable, index) => {
      const key = `layers/${name}/vars/${index}`;
      const dataset = file.dataset(key);
      if (dataset == null) {
        throw new ValueError(`model.weights.h5 has no weight ${key} for layer "${layer.name}".`, {
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
      return file.readFloat32(dataset);
    }),
  );
}
