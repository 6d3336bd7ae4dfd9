/**
 * One view of a Sequential or Functional model for pruning: its tensors (by
 * number, with shapes) and the layer calls between them, in an order where
 * every call comes after those it reads. Sequential stacks become a chain.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../../errors.js';
import { InputLayer } from '../../layers/core/input-layer.js';
import type { Layer } from '../../layers/layer.js';
import type { Shape } from '../../layers/layer-types.js';
import type { KerasTensor } from '../../layers/symbolic/keras-tensor.js';
import { Functional } from '../functional/functional.js';
import type { Model } from '../model.js';
import { Sequential } from '../sequential.js';

/** A layer call: tensor numbers in and out. */
export interface Step {
  readonly layer: Layer;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** Whether the call took a list (merge layers). */
  readonly inputsAsList: boolean;
  /** The call's options other than tensors (`training`-free), replayed as they were. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** The model as tensors and calls. */
export interface GraphView {
  readonly kind: 'sequential' | 'functional';
  readonly model: Model;
  /** Each tensor's shape, batch axis null. */
  readonly shapes: Shape[];
  /** The InputLayer of each model input, and its tensor. */
  readonly inputs: readonly { layer: InputLayer; tensor: number }[];
  readonly outputs: readonly number[];
  readonly steps: readonly Step[];
  /** How many calls each layer has in the graph (a shared layer has several). */
  readonly callCount: ReadonlyMap<Layer, number>;
}

function outputShape(layer: Layer, input: Shape): Shape {
  const known = layer.computeOutputShape(input);
  if (known != null && !Array.isArray(known[0])) return known as Shape;
  let shape: Shape = [];
  tf.tidy(() => {
    const output = layer.apply(tf.zeros(input.map((d) => d ?? 1))) as tf.Tensor;
    shape = [null, ...output.shape.slice(1)];
  });
  return shape;
}

/** The graph of `model`, or an error naming `model` when it is neither Sequential nor Functional. */
export function graphView(model: Model): GraphView {
  const callCount = new Map<Layer, number>();
  const count = (layer: Layer) => callCount.set(layer, (callCount.get(layer) ?? 0) + 1);
  if (model instanceof Sequential) {
    const [first, ...rest] = model.stackedLayers;
    if (!(first instanceof InputLayer)) {
      throw invalidArgument('model', 'a built model (a Sequential that starts with an Input)', model);
    }
    const shapes: Shape[] = [[...first.batchShape]];
    const steps: Step[] = [];
    for (const layer of rest) {
      const input = shapes.length - 1;
      shapes.push(outputShape(layer, shapes[input] as Shape));
      steps.push({ layer, inputs: [input], outputs: [input + 1], inputsAsList: false, options: {} });
      count(layer);
    }
    return {
      kind: 'sequential',
      model,
      shapes,
      inputs: [{ layer: first, tensor: 0 }],
      outputs: [shapes.length - 1],
      steps,
      callCount,
    };
  }
  if (!(model instanceof Functional)) throw invalidArgument('model', 'a Sequential or Functional model', model);
  const ids = new Map<KerasTensor, number>();
  const shapes: Shape[] = [];
  const id = (t: KerasTensor): number => {
    let n = ids.get(t);
    if (n == null) {
      n = shapes.length;
      ids.set(t, n);
      shapes.push([...t.shape]);
    }
    return n;
  };
  const inputs = model.inputs.map((t) => ({ layer: t.sourceLayer as InputLayer, tensor: id(t) }));
  const steps: Step[] = model.nodes.map((node) => {
    count(node.layer);
    const options: Record<string, unknown> = {};
    const tensors = node.argumentTensors.map(id);
    for (const [key, value] of Object.entries(node.callOptions)) options[key] = value;
    return {
      layer: node.layer,
      inputs: tensors,
      outputs: node.outputs.map(id),
      inputsAsList: node.inputsAsList,
      options,
    };
  });
  return { kind: 'functional', model, shapes, inputs, outputs: model.outputs.map(id), steps, callCount };
}
