/**
 * Keras's Functional model: a graph of layer calls from `Input()` tensors to
 * outputs, built with `new models.Model({ inputs, outputs })`. A layer called
 * twice shares its weights (its weight penalties count once) and records an
 * activity penalty per call; a model is a layer, so graphs nest.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { checkInputShape, type InputLayer } from '../../layers/core/input-layer.js';
import type { Layer } from '../../layers/layer.js';
import type { CallOptions, LayerInputs, LayerOptions, LayerOutputs, Shape } from '../../layers/layer-types.js';
import { deserialize as deserializeLayer, registerLayerClass } from '../../layers/serialization.js';
import { KerasTensor, type Node } from '../../layers/symbolic/keras-tensor.js';
import { Operation } from '../../ops/symbolic/index.js';
import { formatValue } from '../../utils/format.js';
import { isPlainObject } from '../../utils/objects.js';
import { Model, setFunctionalFactory } from '../model.js';
import { functionalConfig, graphFromConfig } from './functional-config.js';
import { buildGraph, checkSymbolic, type Graph } from './graph.js';

/** Symbolic inputs or outputs: one tensor, an array, or a record by name. */
export type GraphTensors = KerasTensor | KerasTensor[] | Record<string, KerasTensor>;

/** The options of a Functional model, Keras's `Model(inputs, outputs, name=None)`: the graph's ends. */
export interface FunctionalOptions {
  /** The `Input` tensors the graph starts from. */
  inputs: GraphTensors;
  /** The tensors it computes, from layers applied to `inputs`. */
  outputs: GraphTensors;
  name?: string;
  trainable?: boolean;
}

/** How inputs or outputs were given: one tensor, an array, or a record whose keys are kept in order. */
export type Structure = { kind: 'single' } | { kind: 'list' } | { kind: 'record'; keys: string[] };

function flatten(value: unknown, argument: string): { tensors: KerasTensor[]; structure: Structure } {
  if (value instanceof KerasTensor) return { tensors: [value], structure: { kind: 'single' } };
  if (Array.isArray(value) && value.length > 0) {
    return { tensors: value.map((t, i) => checkSymbolic(t, `${argument}[${i}]`)), structure: { kind: 'list' } };
  }
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    // Keras flattens a dict by sorted keys (`tree.flatten`): its outputs, layers and weights follow that order.
    const keys = Object.keys(value).sort();
    return {
      tensors: keys.map((key) => checkSymbolic(value[key], `${argument}.${key}`)),
      structure: { kind: 'record', keys },
    };
  }
  return { tensors: [checkSymbolic(value, argument)], structure: { kind: 'single' } };
}

/**
 * A model made of the graph between symbolic inputs and outputs: Keras's
 * Functional API (`keras.Model(inputs, outputs)`), which `new Model({ inputs,
 * outputs })` also makes. Several inputs or outputs, given as arrays or
 * records by name, are taken and returned in that form.
 *
 * @example const x = layers.Input({ shape: [8] }); const model = new models.Functional({ inputs: x, outputs: new layers.Dense({ units: 2 }).apply(x) });
 */
export class Functional extends Model {
  static override readonly className: string = 'Functional';
  /** Where Keras files the class in its JSON, which Keras needs to read it back. */
  static readonly kerasModule = 'keras.src.models.functional';
  static readonly kerasRegisteredName = 'Functional';
  /** The symbolic inputs, in order (Keras's `model.inputs`). */
  readonly inputs: KerasTensor[];
  /** The symbolic outputs, in order (Keras's `model.outputs`). */
  readonly outputs: KerasTensor[];
  /** Every layer of the graph, input layers first, in call order (tracked as nested layers). */
  readonly graphLayers: Layer[];
  readonly inputStructure: Structure;
  readonly outputStructure: Structure;
  readonly #graph: Graph;
  /** The calls of `hasNode`, gathered on first use. */
  #nodeSet: Set<Node> | null = null;

  constructor(options: FunctionalOptions) {
    if (!isPlainObject(options)) {
      throw new ValueError(`Model expects { inputs, outputs, name? }. Received: ${formatValue(options)}`, {
        argument: 'options',
        expected: '{ inputs, outputs, name? }',
        received: formatValue(options),
      });
    }
    const { inputs, outputs, ...layerOptions } = options;
    super(layerOptions as LayerOptions);
    const flatInputs = flatten(inputs, 'inputs');
    const flatOutputs = flatten(outputs, 'outputs');
    this.inputs = flatInputs.tensors;
    this.outputs = flatOutputs.tensors;
    this.inputStructure = flatInputs.structure;
    this.outputStructure = flatOutputs.structure;
    this.#graph = buildGraph(this.inputs, this.outputs);
    this.graphLayers = this.#graph.layers;
    this.build(this.inputShapes());
  }

  /**
   * Every layer of the graph, its InputLayers included, in call order
   * (Keras's `model.layers`): the ops of the graph (`Add`, `GetItem`, ...)
   * are not layers in Keras, so not here (they are in `graphLayers`).
   */
  override get layers(): Layer[] {
    return this.graphLayers.filter((layer) => !(layer instanceof Operation));
  }

  /** The input layers' batch shapes: one shape for one input, else a list. */
  private inputShapes(): Shape | Shape[] {
    const shapes = this.inputs.map((t) => t.shape);
    return shapes.length === 1 ? (shapes[0] as Shape) : shapes;
  }

  /** The names of the input layers, in order. */
  get inputNames(): string[] {
    return this.inputs.map((t) => t.sourceLayer.name);
  }

  /** Keras's `output_names`: the layer that makes each output, or the record's keys. */
  override get outputNames(): string[] {
    const structure = this.outputStructure;
    return structure.kind === 'record' ? [...structure.keys] : this.outputs.map((t) => t.sourceLayer.name);
  }

  /** A Functional model is built when made. */
  override build(_inputShape: Shape | Shape[]): void {}

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shapes = Array.isArray(inputShape[0]) ? (inputShape as Shape[]) : [inputShape as Shape];
    const batch = shapes[0]?.[0] ?? null;
    const outputs = this.outputs.map((t) => [batch, ...t.shape.slice(1)]);
    return outputs.length === 1 && this.outputStructure.kind === 'single' ? (outputs[0] as Shape) : outputs;
  }

  /** Inputs in the order of `inputs`: one tensor, an array, or a record by input name. */
  orderInputs(inputs: unknown): tf.Tensor[] {
    const names = this.inputNames;
    let list: unknown[];
    if (inputs instanceof tf.Tensor) list = [inputs];
    else if (Array.isArray(inputs)) list = inputs;
    else if (isPlainObject(inputs)) {
      const keys = this.inputStructure.kind === 'record' ? this.inputStructure.keys : names;
      const unknown = Object.keys(inputs).filter((key) => !keys.includes(key));
      if (unknown.length > 0) {
        throw new ValueError(
          `Model "${this.name}" has no input named ${unknown.map((k) => JSON.stringify(k)).join(', ')}. Its inputs are: ${keys.join(', ')}.`,
          { argument: 'inputs', expected: `keys among ${keys.join(', ')}`, received: unknown.join(', ') },
        );
      }
      list = keys.map((key) => inputs[key]);
    } else list = [inputs];
    if (list.length !== this.inputs.length || !list.every((x) => x instanceof tf.Tensor)) {
      throw new ValueError(
        `Model "${this.name}" expects ${this.inputs.length} input tensor(s) (${names.join(', ')}). Received: ${formatValue(inputs)}`,
        { argument: 'inputs', expected: `${this.inputs.length} tensors`, received: formatValue(inputs) },
      );
    }
    return list as tf.Tensor[];
  }

  override apply(inputs: LayerInputs | Record<string, tf.Tensor>, options?: CallOptions): LayerOutputs;
  override apply(inputs: KerasTensor | KerasTensor[], options?: CallOptions): KerasTensor | KerasTensor[];
  override apply(
    inputs: LayerInputs | KerasTensor | KerasTensor[] | Record<string, tf.Tensor>,
    options: CallOptions = {},
  ): LayerOutputs | KerasTensor | KerasTensor[] {
    if (isPlainObject(inputs)) return super.apply(this.orderInputs(inputs), options);
    return super.apply(inputs as LayerInputs, options);
  }

  /** Runs the graph: each layer call in order, on the values of the tensors it reads. */
  override call(inputs: LayerInputs, options: CallOptions = {}): LayerOutputs {
    // In a tidy: a model applied outside one frees its layers' intermediate outputs (tfjs-layers does too).
    return tf.tidy(() => this.runGraph(inputs, options));
  }

  private runGraph(inputs: LayerInputs, options: CallOptions): LayerOutputs {
    const given = this.orderInputs(inputs);
    const values = new Map<KerasTensor, tf.Tensor>();
    this.inputs.forEach((input, index) => {
      const x = given[index] as tf.Tensor;
      checkInputShape(input.sourceLayer as InputLayer, x);
      values.set(input, x);
    });
    for (const node of this.#graph.nodes) {
      const call = node.replay((t) => values.get(t) as tf.Tensor);
      const result = node.layer.apply(call.inputs, { ...options, ...call.options });
      const outputs = Array.isArray(result) ? result : [result];
      node.outputs.forEach((t, i) => {
        values.set(t, outputs[i] as tf.Tensor);
      });
    }
    const results = this.outputs.map((t) => values.get(t) as tf.Tensor);
    return this.outputStructure.kind === 'single' ? (results[0] as tf.Tensor) : results;
  }

  /** Keras's Functional config: the layers with their calls, and the graph's ends. */
  override getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      trainable: this.trainable,
      ...functionalConfig(this),
    };
  }

  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: Record<string, unknown>): T {
    const { layers: _layers, inputLayers: _inputs, outputLayers: _outputs, name, trainable, ...rest } = config;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) {
      throw new ValueError(`Functional got an unexpected config key ${JSON.stringify(unknown[0])}.`, {
        argument: unknown[0] as string,
        expected: 'name, trainable, layers, input_layers, output_layers',
        received: unknown.join(', '),
      });
    }
    const graph = graphFromConfig(config, (json) => deserializeLayer(json));
    try {
      return new Functional({
        inputs: restructure(graph.inputs, graph.inputStructure),
        outputs: restructure(graph.outputs, graph.outputStructure),
        ...(name != null ? { name: name as string } : {}),
        ...(trainable != null ? { trainable: trainable as boolean } : {}),
      }) as unknown as T;
    } catch (error) {
      for (const layer of graph.layers) layer.dispose();
      throw error;
    }
  }

  /** Whether a call belongs to this model: a call of its graph, or one of its inputs' own nodes. */
  hasNode(node: Node): boolean {
    this.#nodeSet ??= new Set([...this.#graph.nodes, ...this.inputs.map((t) => t.node)]);
    return this.#nodeSet.has(node);
  }

  /** A call's index among its layer's calls in this model (a layer may also be called in other graphs): Keras's `node_index`. */
  nodeIndex(node: Node): number {
    return node.layer.inboundNodes.filter((n) => this.hasNode(n)).indexOf(node);
  }

  /** Each layer's output shape (its first call's), for `summary`. */
  outputShapes(): Map<Layer, Shape> {
    const shapes = new Map<Layer, Shape>();
    for (const input of this.inputs) shapes.set(input.sourceLayer, input.shape);
    for (const node of this.nodes) if (!shapes.has(node.layer)) shapes.set(node.layer, node.outputs[0]?.shape ?? []);
    return shapes;
  }

  /** What each layer's calls read, Keras's "Connected to" column: `shared[0][0], b[0][0]`. */
  connections(): Map<Layer, string> {
    const read = new Map<Layer, string[]>();
    for (const node of this.nodes) {
      const entries = node.inputs.map((t) => {
        return `${t.sourceLayer.name}[${this.nodeIndex(t.node)}][${t.tensorIndex}]`;
      });
      read.set(node.layer, [...(read.get(node.layer) ?? []), ...entries]);
    }
    return new Map([...read].map(([layer, entries]) => [layer, entries.join(', ')]));
  }

  /** The graph's layer calls, in order (for serialization and summaries). */
  get nodes(): Graph['nodes'] {
    return this.#graph.nodes;
  }
}

/** Tensors in the structure they were given in: one, an array, or a record. */
export function restructure(tensors: KerasTensor[], structure: Structure): GraphTensors {
  if (structure.kind === 'single') return tensors[0] as KerasTensor;
  if (structure.kind === 'list') return tensors;
  return Object.fromEntries(structure.keys.map((key, i) => [key, tensors[i] as KerasTensor]));
}

setFunctionalFactory((options) => new Functional(options));
registerLayerClass('Functional', Functional);
