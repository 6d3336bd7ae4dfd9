/**
 * Symbolic tensors: Keras's `KerasTensor`. `Input()` makes one; a layer
 * applied to symbolic tensors returns symbolic outputs and records the call
 * as a `Node`, from which a Functional model reads its graph.
 */
import type { DataType } from '@tensorflow/tfjs-core';
import type { Layer } from '../layer.js';
import type { Shape } from '../layer-types.js';

/** One recorded call of a layer on symbolic tensors (Keras's `Node`). */
export class Node {
  /**
   * The call's options other than `training` given to `apply` (Keras's call
   * kwargs: an attention layer's `attentionMask`, `useCausalMask`), symbolic
   * tensors among them.
   */
  readonly callOptions: Readonly<Record<string, unknown>>;

  constructor(
    readonly layer: Layer,
    /** The symbolic inputs, flattened; then the tensors of `callOptions`, in key order. */
    readonly inputs: readonly KerasTensor[],
    /** Whether the call took an array (merge layers) rather than one tensor. */
    readonly inputsAsList: boolean,
    readonly outputs: KerasTensor[] = [],
    callOptions: Readonly<Record<string, unknown>> = {},
  ) {
    this.callOptions = callOptions;
  }

  /** This node's index among its layer's calls (Keras's `node_index`). */
  get index(): number {
    return this.layer.inboundNodes.indexOf(this);
  }

  /** The tensors given as the call's inputs (`inputs` without those of `callOptions`). */
  get argumentTensors(): readonly KerasTensor[] {
    const inOptions = Object.values(this.callOptions).filter((v) => v instanceof KerasTensor).length;
    return this.inputs.slice(0, this.inputs.length - inOptions);
  }

  /**
   * The call again with each symbolic tensor replaced by `valueFor(tensor)`:
   * what `layer.apply` takes to replay it, on real tensors (a Functional
   * model's run) or new symbolic ones (a clone).
   */
  replay<T>(valueFor: (tensor: KerasTensor) => T): { inputs: T | T[]; options: Record<string, unknown> } {
    const args = this.argumentTensors.map(valueFor);
    const options: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.callOptions)) {
      options[key] = value instanceof KerasTensor ? valueFor(value) : value;
    }
    return { inputs: this.inputsAsList ? args : (args[0] as T), options };
  }
}

/**
 * A tensor of a graph under construction: its shape (the batch axis `null`),
 * dtype, and the layer call that made it. It holds no values: models built
 * from it run on real tensors.
 *
 * @example const x = layers.Input({ shape: [784] }); // x.shape: [null, 784]
 */
export class KerasTensor {
  readonly shape: Shape;
  readonly dtype: DataType;
  /** The call that made it and its place among that call's outputs (Keras's `_keras_history`). */
  readonly node: Node;
  readonly tensorIndex: number;

  constructor(shape: Shape, dtype: DataType, node: Node, tensorIndex: number) {
    this.shape = [...shape];
    this.dtype = dtype;
    this.node = node;
    this.tensorIndex = tensorIndex;
  }

  /** The layer that made it. */
  get sourceLayer(): Layer {
    return this.node.layer;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** `<layer name>/<node>/<index>`, as Keras names its history in errors. */
  get name(): string {
    return `${this.node.layer.name}/${this.node.index}/${this.tensorIndex}`;
  }

  toString(): string {
    return `<KerasTensor shape=[${this.shape.map((d) => d ?? 'null').join(', ')}], dtype=${this.dtype}, source=${this.name}>`;
  }
}

/** Whether `inputs` is a symbolic tensor or a non-empty array of them. */
export function isSymbolic(inputs: unknown): inputs is KerasTensor | KerasTensor[] {
  if (inputs instanceof KerasTensor) return true;
  return Array.isArray(inputs) && inputs.length > 0 && inputs.every((x) => x instanceof KerasTensor);
}
