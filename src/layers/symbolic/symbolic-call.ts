/**
 * A layer applied to symbolic tensors: build it for their shapes, compute
 * the output shapes, and record the call. No kernel runs unless the layer
 * cannot say its output shape, and then only on a zero batch of one.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import type { Layer } from '../layer.js';
import type { CallOptions, Shape } from '../layer-types.js';
import { KerasTensor, Node } from './keras-tensor.js';

function isShapeList(shape: Shape | Shape[]): shape is Shape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

/** The output shapes of `layer` for `inputShape`, from `computeOutputShape` or, failing that, a run on zeros. */
export function outputShapesOf(layer: Layer, inputShape: Shape | Shape[], options: CallOptions = {}): Shape[] {
  const known = layer.computeOutputShape(inputShape, options);
  if (known != null) return isShapeList(known) ? known : [known];
  const inputShapes = isShapeList(inputShape) ? inputShape : [inputShape];
  const batchKnown = inputShapes.every((shape) => shape[0] != null);
  const shapes = tf.tidy(() => {
    const zeros = inputShapes.map((shape) => tf.zeros(shape.map((d) => d ?? 1)));
    const outputs = layer.call(isShapeList(inputShape) ? zeros : (zeros[0] as tf.Tensor));
    return (Array.isArray(outputs) ? outputs : [outputs]).map((output) => [...output.shape]);
  });
  layer.clearLosses();
  // A batch of one stood in for an unknown batch axis.
  return shapes.map((shape) => (batchKnown || shape.length === 0 ? shape : [null, ...shape.slice(1)]));
}

/** Keras's `layer(symbolic_inputs)`: the symbolic outputs, with the call recorded on the layer. */
export function applySymbolically(
  layer: Layer,
  inputs: KerasTensor | KerasTensor[],
  options: CallOptions = {},
): KerasTensor | KerasTensor[] {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const inputShape = Array.isArray(inputs) ? inputs.map((x) => x.shape) : inputs.shape;
  // The call's options are recorded with it; tensors among them must be symbolic too, and are read by the call.
  const callOptions: Record<string, unknown> = {};
  const optionTensors: KerasTensor[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || key === 'training') continue;
    if (value instanceof tf.Tensor) {
      throw new ValueError(
        `Layer "${layer.name}" was called on symbolic tensors with a real tensor as ${key}: in a Functional graph, pass a symbolic tensor (an Input) instead.`,
        { argument: key, expected: 'a symbolic tensor', received: 'a tf.Tensor' },
      );
    }
    if (value instanceof KerasTensor) optionTensors.push(value);
    callOptions[key] = value;
  }
  layer.ensureBuilt(inputShape);
  const shapes = outputShapesOf(layer, inputShape, callOptions);
  const node = new Node(layer, [...list, ...optionTensors], Array.isArray(inputs), [], callOptions);
  for (const [index, shape] of shapes.entries()) node.outputs.push(new KerasTensor(shape, 'float32', node, index));
  layer.inboundNodes.push(node);
  return shapes.length === 1 ? (node.outputs[0] as KerasTensor) : node.outputs;
}
