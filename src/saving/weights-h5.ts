/**
 * `model.weights.h5` in Keras 3's layout, read and written with h5wasm:
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

export async function writeWeightsH5(modelName: string, layers: readonly Layer[]): Promise<Uint8Array> {
  const { h5, fs } = await h5wasm();
  const path = `/keras-regularizers-${++fileCounter}.h5`;
  const file = new h5.File(path, 'w');
  try {
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
  } finally {
    file.close();
  }
  try {
    return fs.readFile(path);
  } finally {
    fs.unlink(path);
  }
}

/** Reads each layer's weights from `bytes` and checks them all before assigning any. */
export async function readWeightsH5(bytes: Uint8Array, layers: readonly Layer[]): Promise<Float32Array[][]> {
  const { h5, fs } = await h5wasm();
  const path = `/keras-regularizers-${++fileCounter}.h5`;
  fs.writeFile(path, bytes);
  let file: InstanceType<H5['File']> | null = null;
  try {
    try {
      file = new h5.File(path, 'r');
    } catch (error) {
      throw new ValueError(`model.weights.h5 is not a readable HDF5 file: ${hdf5Reason(error)}`, {
        argument: 'model.weights.h5',
        expected: 'an HDF5 file',
      });
    }
    const values: Float32Array[][] = [];
    for (const [layer, name] of storageNames(layers)) {
      const expected = layer.weights;
      const weights: Float32Array[] = [];
      for (let index = 0; index < expected.length; index++) {
        const key = `layers/${name}/vars/${index}`;
        const dataset = readDataset(file, key);
        const variable = expected[index];
        if (dataset == null || !Array.isArray(dataset.shape) || variable == null) {
          throw new ValueError(`model.weights.h5 has no weight ${key} for layer "${layer.name}".`, {
            argument: key,
            expected: 'a dataset',
          });
        }
        if (dataset.shape.join(',') !== variable.shape.join(',')) {
          throw new ValueError(
            `Weight ${key} of layer "${layer.name}" has shape ${formatShape(dataset.shape)}; the layer expects ${formatShape(variable.shape)}.`,
            { argument: key, expected: formatShape(variable.shape), received: formatShape(dataset.shape) },
          );
        }
        const value = dataset.value;
        if (!(value instanceof Float32Array || value instanceof Float64Array)) {
          throw new ValueError(`Weight ${key} of layer "${layer.name}" is not a float array.`, {
            argument: key,
            expected: 'float32 data',
          });
        }
        weights.push(Float32Array.from(value));
      }
      values.push(weights);
    }
    return values;
  } finally {
    file?.close();
    fs.unlink(path);
  }
}

/** The first HDF5 diagnostic, without the build paths: "H5Fopen(): unable to synchronously open file". */
function hdf5Reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const match = /in (\w+\(\)): ([^\n]*)/.exec(text);
  return match == null ? (text.split('\n')[0] ?? text) : `${match[1]}: ${match[2]}`;
}

function readDataset(file: InstanceType<H5['File']>, key: string): { shape?: number[]; value?: unknown } | null {
  try {
    const entry = file.get(key) as { shape?: number[]; value?: unknown } | null;
    return entry == null ? null : { shape: entry.shape, value: entry.value };
  } catch (error) {
    throw new ValueError(`model.weights.h5 cannot be read at ${key}: ${hdf5Reason(error)}`, { argument: key });
  }
}
