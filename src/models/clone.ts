/**
 * Keras's `clone_model`: a new model of the same architecture with new
 * weights (initialised afresh, as Keras does), each layer rebuilt from its
 * config, or by a `cloneFunction` that may change it on the way (add a
 * regularizer to every kernel of a model that is already built).
 */
import { invalidArgument, ValueError } from '../errors.js';
import { InputLayer } from '../layers/core/input-layer.js';
import { Layer } from '../layers/layer.js';
import { KerasTensor } from '../layers/symbolic/keras-tensor.js';
import { type CustomObjects, customObjectScope } from '../serialization/serialization.js';
import { formatValue } from '../utils/format.js';
import { readOptions } from '../utils/options.js';
import { Functional, restructure } from './functional/functional.js';
import type { Model } from './model.js';
import { Sequential } from './sequential.js';

/** The options of `cloneModel`, Keras's `clone_model(model, input_tensors=None, clone_function=None)` camelCased. */
export interface CloneOptions {
  /**
   * Makes each layer's clone (InputLayers excepted); default: the layer's
   * class rebuilt from its config, `Cls.fromConfig(layer.getConfig())`.
   */
  cloneFunction?: (layer: Layer) => Layer;
  /** Symbolic tensors for the clone of a Functional model to start from, instead of new Inputs. */
  inputTensors?: KerasTensor | KerasTensor[];
  /** Custom classes the layers' configs name, for the default clone function. */
  customObjects?: CustomObjects;
}

/** A layer rebuilt from its config: same class, options and regularizers, new weights. */
export function cloneLayer(layer: Layer): Layer {
  const cls = layer.constructor as typeof Layer;
  return cls.fromConfig(layer.getConfig());
}

function checkClone(clone: unknown, original: Layer): Layer {
  if (!(clone instanceof Layer)) {
    throw new ValueError(
      `cloneFunction must return a layer. For layer "${original.name}" it returned ${formatValue(clone)}.`,
      { argument: 'cloneFunction', expected: 'a function returning a Layer', received: formatValue(clone) },
    );
  }
  return clone;
}

/**
 * Keras's `keras.models.clone_model(model, input_tensors, clone_function)`
 * for Sequential and Functional models. A layer used twice in the graph is
 * cloned once, so the clone shares it the same way. Weights are new: copy
 * them with `clone.setWeights(model.getWeights())` when wanted.
 *
 * @example
 * // Regularize every kernel of a model that is already built.
 * const clone = models.cloneModel(model, {
 *   cloneFunction: (layer) => {
 *     const config = layer.getConfig();
 *     if ('kernelRegularizer' in config) config.kernelRegularizer = new L2(1e-4);
 *     return (layer.constructor as typeof layers.Layer).fromConfig(config);
 *   },
 * });
 * clone.setWeights(model.getWeights());
 */
export function cloneModel(model: Model, options: CloneOptions = {}): Model {
  const read = readOptions<CloneOptions>('cloneModel', options, ['cloneFunction', 'inputTensors', 'customObjects']);
  if (!(model instanceof Sequential || model instanceof Functional)) {
    throw invalidArgument('model', 'a Sequential or Functional model', model);
  }
  const cloneFunction = read.cloneFunction ?? cloneLayer;
  if (typeof cloneFunction !== 'function') throw invalidArgument('cloneFunction', 'a function', cloneFunction);
  return customObjectScope(read.customObjects ?? {}, () => {
    const clones = new Map<Layer, Layer>();
    const cloneOf = (layer: Layer): Layer => {
      let clone = clones.get(layer);
      if (clone == null) {
        // Input layers are remade from their config, as in Keras: the clone function sees only real layers.
        clone = layer instanceof InputLayer ? cloneLayer(layer) : checkClone(cloneFunction(layer), layer);
        clones.set(layer, clone);
      }
      return clone;
    };
    if (model instanceof Sequential) {
      if (read.inputTensors != null) {
        throw new ValueError(
          'cloneModel: inputTensors applies to Functional models; a Sequential clone starts from its own Input.',
          {
            argument: 'inputTensors',
            expected: 'undefined for a Sequential model',
            received: formatValue(read.inputTensors),
          },
        );
      }
      return new Sequential(model.stackedLayers.map(cloneOf), { name: model.name, trainable: model.trainable });
    }
    return cloneGraph(model, cloneOf, read.inputTensors);
  });
}

function cloneGraph(model: Functional, cloneOf: (layer: Layer) => Layer, given?: KerasTensor | KerasTensor[]): Model {
  const values = new Map<KerasTensor, KerasTensor>();
  const starts = given == null ? null : Array.isArray(given) ? given : [given];
  if (starts != null && (starts.length !== model.inputs.length || !starts.every((t) => t instanceof KerasTensor))) {
    throw new ValueError(
      `cloneModel: inputTensors must be ${model.inputs.length} symbolic tensor(s), one per input of the model. Received: ${formatValue(given)}`,
      { argument: 'inputTensors', expected: `${model.inputs.length} KerasTensors`, received: formatValue(given) },
    );
  }
  model.inputs.forEach((input, i) => {
    values.set(input, starts?.[i] ?? (cloneOf(input.sourceLayer) as InputLayer).output);
  });
  for (const node of model.nodes) {
    const call = node.replay((t) => values.get(t) as KerasTensor);
    const result = cloneOf(node.layer).apply(call.inputs, call.options);
    const outputs = Array.isArray(result) ? result : [result];
    node.outputs.forEach((t, i) => {
      values.set(t, outputs[i] as KerasTensor);
    });
  }
  return new Functional({
    inputs: restructure(
      model.inputs.map((t) => values.get(t) as KerasTensor),
      model.inputStructure,
    ),
    outputs: restructure(
      model.outputs.map((t) => values.get(t) as KerasTensor),
      model.outputStructure,
    ),
    name: model.name,
    trainable: model.trainable,
  });
}
