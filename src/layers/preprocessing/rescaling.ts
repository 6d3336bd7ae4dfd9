/** Rescaling: `x * scale + offset`, as Keras's preprocessing layer. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../../errors.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';

/** A number, or one number per channel (the last axis), as Keras takes a float or an array. */
export type ScaleValue = number | number[];

/** The options of `Rescaling`, Keras's `Rescaling(scale, offset=0.0)`. */
export interface RescalingOptions extends LayerOptions {
  /** Multiplies every input value; an array broadcasts along the last axes. */
  scale: ScaleValue;
  /** Added after scaling; default 0. */
  offset?: ScaleValue;
}

function scaleOption(argument: string, value: unknown): ScaleValue {
  const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  if (ok(value)) return value as number;
  if (Array.isArray(value) && value.length > 0 && value.every(ok)) return [...(value as number[])];
  throw invalidArgument(argument, 'a finite number or a non-empty array of finite numbers', value);
}

/**
 * Rescales every input value: `x * scale + offset`, in float32, in training
 * and inference alike (Keras's `Rescaling`). Integer inputs become floats.
 * The gradient with respect to the inputs is `scale`.
 *
 * @example new layers.Rescaling({ scale: 1 / 127.5, offset: -1 }).apply(x) // [0, 255] to [-1, 1]
 */
export class Rescaling extends Layer {
  static override readonly className: string = 'Rescaling';
  readonly scale: ScaleValue;
  readonly offset: ScaleValue;

  constructor(options: RescalingOptions) {
    super(layerOptionsOf('Rescaling', options, ['scale', 'offset']));
    this.scale = scaleOption('scale', options.scale);
    this.offset = scaleOption('offset', options.offset ?? 0);
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    return tf.tidy(() => {
      const scaled = tf.mul(tf.cast(x, 'float32'), tf.tensor(this.scale, undefined, 'float32'));
      return tf.add(scaled, tf.tensor(this.offset, undefined, 'float32'));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}
