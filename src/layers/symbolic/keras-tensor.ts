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
  constructor(
    readonly layer: Layer,
    /** The symbolic inputs, flattened. */
    readonly inputs: readonly KerasTensor[],
    /** Whether the call took an array (merge layers) rather than one tensor. */
    readonly inputsAsList: boolean,
    readonly outputs: KerasTensor[] = [],
  ) {}

  /** This node's index among its layer's calls (Keras's `node_index`). */
  get index(): number {
    return this.layer.inboundNodes.indexOf(this);
  }
}

/**
 * A tensor of a graph under construction: its shape (the batch axis `null`),
 * dtype, and the layer call that made it. It holds no values: models built
 * from it run on real tensors.
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
