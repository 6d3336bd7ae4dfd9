/**
 * A layer call's arguments in Keras JSON (a node's `args` and `kwargs`).
 * Most layers take one tensor or one list of tensors (`args: [x]`); a layer
 * whose Keras call takes several tensors by name declares them in a static
 * `kerasCallArguments` (MultiHeadAttention: `query, value, key`): its list
 * input is then Keras's positional arguments, and the call's options are
 * Keras's keyword arguments (`attention_mask`, `use_causal_mask`), symbolic
 * tensors among them.
 */
import type { Layer } from '../../layers/layer.js';
import type { CallOptions } from '../../layers/layer-types.js';
import { kerasCallArgumentNames } from '../../layers/serialization.js';
import { KerasTensor, type Node } from '../../layers/symbolic/keras-tensor.js';
import { Operation } from '../../ops/symbolic/index.js';
import { camelToSnake, snakeToCamel } from '../../serialization/case.js';
import { isPlainObject, ownValue } from '../../utils/objects.js';

/** A node's `{ args, kwargs }` as Keras writes them, each symbolic tensor written by `tensorJson`. */
export function nodeCallJson(
  node: Node,
  tensorJson: (t: KerasTensor) => unknown,
): { args: unknown[]; kwargs: Record<string, unknown> } {
  if (node.layer instanceof Operation) return node.layer.callJson(node, tensorJson);
  const tensors = node.argumentTensors.map(tensorJson);
  const call = kerasCallArgumentNames(node.layer);
  const kwargs: Record<string, unknown> = {};
  let args = call == null && node.inputsAsList ? [tensors] : tensors;
  if (call?.rest) {
    // An RNN's initial states: Keras's `initial_state=[...]` keyword.
    const single = call.names.length - 1;
    args = tensors.slice(0, single);
    if (tensors.length > single) kwargs[call.names[single] as string] = tensors.slice(single);
  }
  for (const [key, value] of Object.entries(node.callOptions)) {
    kwargs[camelToSnake(key)] = value instanceof KerasTensor ? tensorJson(value) : value;
  }
  return { args, kwargs };
}

/**
 * A Keras node of a layer with named call arguments: the JSON of the
 * tensors it reads (positional ones, the named ones given as keywords in
 * their place, then those among the options) and how to make the call
 * from those tensors once they exist. Null for other layers.
 */
export function namedCallArguments(
  layer: Layer,
  node: unknown,
): { tensors: unknown[]; replay: <T>(tensors: T[]) => { inputs: T[]; options: CallOptions } } | null {
  const call = kerasCallArgumentNames(layer);
  if (call == null || !isPlainObject(node)) return null;
  const names = call.names;
  const restName = call.rest ? names[names.length - 1] : null;
  const args = ownValue(node, 'args');
  const kwargs = ownValue(node, 'kwargs') ?? {};
  if (!Array.isArray(args) || !isPlainObject(kwargs)) return null;
  const positional = [...args];
  const plain: Record<string, unknown> = {};
  const tensorOptions: string[] = [];
  const optionTensors: unknown[] = [];
  const restTensors: unknown[] = [];
  for (const [key, value] of Object.entries(kwargs)) {
    if (key === restName) {
      if (value != null) restTensors.push(...(Array.isArray(value) ? value : [value]));
      continue;
    }
    const index = names.indexOf(key);
    if (index >= 0 && value != null) positional[index] = value;
    else if (index >= 0) continue;
    else if (isPlainObject(value) && ownValue(value, 'class_name') === '__keras_tensor__') {
      tensorOptions.push(snakeToCamel(key));
      optionTensors.push(value);
    } else plain[snakeToCamel(key)] = value;
  }
  positional.push(...restTensors);
  const count = positional.length;
  return {
    tensors: [...positional, ...optionTensors],
    replay: <T>(tensors: T[]) => {
      const options: Record<string, unknown> = { ...plain };
      tensorOptions.forEach((key, i) => {
        options[key] = tensors[count + i];
      });
      return { inputs: tensors.slice(0, count), options: options as CallOptions };
    },
  };
}
