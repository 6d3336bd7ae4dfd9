/** Concatenate: joins a list of tensors along one axis. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { formatShapes, Merge, shapeList } from './merge.js';

/** The options of `Concatenate`, Keras's `Concatenate(axis=-1)`. */
export interface ConcatenateOptions extends LayerOptions {
  /** The axis to join along; default -1. The batch axis 0 is allowed. */
  axis?: number;
}

/**
 * Joins inputs that have the same shape except along `axis`.
 *
 * @example new layers.Concatenate({ axis: 1 }).apply([a, b]) // [2, 2, 4] and [2, 3, 4] give [2, 5, 4]
 */
export class Concatenate extends Merge {
  static override readonly className: string = 'Concatenate';
  readonly axis: number;

  constructor(options: ConcatenateOptions = {}) {
    super(layerOptionsOf('Concatenate', options, ['axis']));
    const axis = options.axis ?? -1;
    if (!Number.isInteger(axis)) throw invalidArgument('axis', 'an integer', axis);
    this.axis = axis;
  }

  /**
   * Keras's `compute_output_shape`: the first input's shape with the sizes
   * along `axis` summed (unknown if any is), after Keras's `build` checks:
   * equal ranks, and equal known sizes on every other axis.
   */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = shapeList(inputShape, (r) => this.notAList(r));
    const axis = this.resolvedAxis(shapes);
    const output = [...(shapes[0] as Shape)];
    const sizes = shapes.map((s) => s[axis] as number | null);
    output[axis] = sizes.includes(null) ? null : (sizes as number[]).reduce((a, b) => a + b, 0);
    return output;
  }

  protected override notAList(received: string): string {
    return `A \`Concatenate\` layer should be called on a list of at least 1 input. Received: input_shape=${received}`;
  }

  /** `axis` as a non-negative index, once the shapes are known to agree off that axis. */
  private resolvedAxis(shapes: Shape[]): number {
    const rank = (shapes[0] as Shape).length;
    const mismatch = () =>
      new ValueError(
        `A \`Concatenate\` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=${formatShapes(shapes)}`,
        { argument: 'inputs', expected: 'matching shapes except along axis', received: formatShapes(shapes) },
      );
    if (shapes.some((s) => s.length !== rank)) throw mismatch();
    if (this.axis < -rank || this.axis >= rank) {
      throw new ValueError(
        `Invalid value for argument axis: expected an axis of inputs of rank ${rank}, in [${-rank}, ${rank - 1}]. Received: axis=${formatValue(this.axis)}`,
        { argument: 'axis', expected: `an integer in [${-rank}, ${rank - 1}]`, received: formatValue(this.axis) },
      );
    }
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    for (let d = 0; d < rank; d++) {
      if (d === axis) continue;
      const known = new Set(shapes.map((s) => s[d]).filter((n) => n !== null));
      if (known.size > 1) throw mismatch();
    }
    return axis;
  }

  /** Inputs of one rank by the checks: nothing to expand. */
  protected override mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return tf.concat(inputs, this.axis < 0 ? this.axis + (inputs[0] as tf.Tensor).rank : this.axis);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
