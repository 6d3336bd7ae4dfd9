/**
 * Where Keras 3 keeps each weight of a model in `model.weights.h5` (inside a
 * `.keras` file) and in `.weights.h5` files: saving_lib.py's `_save_state`,
 * walked the same way, so that files go both ways.
 *
 * The model's own weights are at `vars/<i>`. A Sequential or Functional
 * model then stores its `layers` (a Sequential's without its InputLayer, a
 * Functional's with them), each under its class in snake_case numbered
 * among its kind in that list (`layers/dense`, `layers/dense_1`,
 * `layers/input_layer_1`), not under its own name, which Keras regenerates
 * per session. Below each layer the same again: its own weights in
 * `vars/<i>`, a nested model's layers in `layers/...`
 * (`layers/functional/layers/dense/vars/0`), and layers held in a layer's
 * fields under the field's name (`layers/lstm/cell/vars/0`). A layer met a
 * second time is stored only where it was met first, though it still takes
 * its number in each list.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { InputLayer } from '../layers/core/input-layer.js';
import { Layer } from '../layers/layer.js';
import { Functional } from '../models/functional/functional.js';
import { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { camelToSnake, classNameToSnake } from '../serialization/case.js';
import { classNameOfInstance } from '../utils/class-name.js';

/** One layer's place in the file. */
export interface StoredLayer {
  readonly layer: Layer;
  /** The group of its own weights: `vars` for the model itself, `layers/dense/vars` below it. */
  readonly vars: string;
  /** Its own weights (not those of layers inside it), in Keras's order: `vars/0`, `vars/1`, ... */
  readonly variables: readonly tf.Variable[];
}

/** A list of layers in the file (`layers`, `layers/functional/layers`) and the names its entries get. */
export interface StoredList {
  readonly owner: Layer;
  readonly path: string;
  readonly names: ReadonlySet<string>;
}

export interface WeightLayout {
  /** Every layer, the model first, each once, in the order Keras visits them. */
  readonly layers: readonly StoredLayer[];
  readonly lists: readonly StoredList[];
}

const join = (path: string, name: string) => (path === '' ? name : `${path}/${name}`);

/**
 * A layer's own weights in Keras's order: `_trainable_variables +
 * _non_trainable_variables`, each list in creation order, split by how each
 * weight was created (freezing the layer later moves nothing).
 */
function ownVariables(layer: Layer): tf.Variable[] {
  const own = layer.weightRecords().filter((record) => record.layer === layer);
  return [...own.filter((r) => r.trainable), ...own.filter((r) => !r.trainable)].map((r) => r.variable);
}

/** Keras's `_name_key`: attributes in code-point order, those starting with `_` last. */
function attributeOrder(a: string, b: string): number {
  const key = (name: string) => (name.startsWith('_') ? `~${name}` : name);
  const [ka, kb] = [key(a), key(b)];
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The layers held in a layer's own fields, by Keras attribute name (the field's name in snake_case). */
function fieldsHoldingLayers(layer: Layer): [string, Layer | Layer[]][] {
  const found: [string, Layer | Layer[]][] = [];
  for (const [field, value] of Object.entries(layer)) {
    if (value instanceof Layer) found.push([camelToSnake(field), value]);
    else if (Array.isArray(value) && value.some((item) => item instanceof Layer)) {
      found.push([camelToSnake(field), value.filter((item): item is Layer => item instanceof Layer)]);
    }
  }
  return found;
}

/**
 * What Keras's `_walk_saveable` yields for a layer, in its order: a
 * Sequential's or Functional's `layers` (nothing else of theirs holds
 * weights); for other layers the attributes that hold layers, sorted, and,
 * for a subclassed model, Keras's `layers` (the layers in its fields, in
 * the order they were set) among them.
 */
function children(layer: Layer): [string, Layer | Layer[]][] {
  // A layer that names its Keras attributes itself (MultiHeadAttention's `query_dense`, `_softmax`).
  const named = (layer as { kerasChildren?: () => [string, Layer][] }).kerasChildren;
  if (typeof named === 'function') return named.call(layer).sort(([a], [b]) => attributeOrder(a, b));
  if (layer instanceof Sequential) return [['layers', layer.layers.filter((l) => !(l instanceof InputLayer))]];
  if (layer instanceof Functional) return [['layers', [...layer.layers]]];
  const fields = fieldsHoldingLayers(layer);
  if (layer instanceof Model && !fields.some(([name]) => name === 'layers')) {
    const direct = fields.flatMap(([, value]) => (Array.isArray(value) ? value : [value]));
    if (direct.length > 0) fields.push(['layers', [...new Set(direct)]]);
  }
  return fields.sort(([a], [b]) => attributeOrder(a, b));
}

/** Where each weight of `model` is stored, as Keras stores it. */
export function weightLayout(model: Layer): WeightLayout {
  const layers: StoredLayer[] = [];
  const lists: StoredList[] = [];
  const visited = new Set<Layer>();
  const visit = (layer: Layer, path: string): void => {
    if (visited.has(layer)) return;
    visited.add(layer);
    layers.push({ layer, vars: join(path, 'vars'), variables: ownVariables(layer) });
    for (const [attribute, value] of children(layer)) {
      const at = join(path, attribute);
      if (!Array.isArray(value)) {
        visit(value, at);
        continue;
      }
      // Keras's _get_unique_name: numbered per list, a layer already stored still taking its number.
      const used = new Map<string, number>();
      const names = new Set<string>();
      for (const item of value) {
        // Keras names it after the Python class, where that differs from the class_name (GroupQueryAttention).
        const python = (item.constructor as { pythonClassName?: unknown }).pythonClassName;
        const base = classNameToSnake(typeof python === 'string' ? python : classNameOfInstance(item));
        const count = used.get(base);
        used.set(base, count == null ? 0 : count + 1);
        const name = count == null ? base : `${base}_${count + 1}`;
        names.add(name);
        visit(item, join(at, name));
      }
      lists.push({ owner: layer, path: at, names });
    }
  };
  visit(model, '');
  return { layers, lists };
}
