/** Masking: marks the steps whose features all equal a padding value. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../../errors.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Masks, type Shape } from '../layer-types.js';

/** The options of `Masking`, Keras's `Masking(mask_value=0.0)` camelCased. */
export interface MaskingOptions extends LayerOptions {
  /** The padding value; default 0. */
  maskValue?: number;
}

/**
 * A step (an entry of axis 1, for every sample) whose features all equal
 * `maskValue` is masked: its outputs are set to 0, and the layers after it
 * that support masks skip it (a recurrent layer keeps its state there).
 * The mask is `any(x != maskValue, axis=-1)`.
 *
 * @example new models.Sequential([layers.Input({ shape: [10, 8] }), new layers.Masking({ maskValue: 0 }), new layers.LSTM({ units: 32 })])
 */
export class Masking extends Layer {
  static override readonly className: string = 'Masking';
  readonly maskValue: number;

  constructor(options: MaskingOptions = {}) {
    super(layerOptionsOf('Masking', options, ['maskValue']));
    const value = options.maskValue ?? 0;
    if (typeof value !== 'number') throw invalidArgument('maskValue', 'a number', value);
    this.maskValue = value;
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  override computeMask(inputs: LayerInputs, _mask: Masks): Masks {
    return tf.tidy(() => tf.greater(this.keep(singleInput(inputs), false), 0));
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    return tf.tidy(() => tf.where(tf.greater(this.keep(x, true), 0), x, tf.zerosLike(x)));
  }

  /**
   * 1 where a step has a feature other than `maskValue`, else 0: `any` as a
   * max of 0s and 1s, whose gradient tfjs has (a tape through `any` fails).
   */
  private keep(x: tf.Tensor, keepDims: boolean): tf.Tensor {
    return tf.max(tf.cast(tf.notEqual(x, this.maskValue), 'float32'), -1, keepDims);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}
