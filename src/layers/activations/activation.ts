/** Activation: a Keras activation as a layer. */
import type * as tf from '@tensorflow/tfjs-core';
import * as activations from '../../activations/index.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';

/**
 * Applies an activation function by Keras name or as a function.
 *
 * @example new layers.Activation({ activation: 'relu' }).apply(x)
 */
export class Activation extends Layer {
  static override readonly className: string = 'Activation';
  readonly activation: activations.Activation;

  constructor(options: LayerOptions & { activation: activations.ActivationIdentifier }) {
    super(layerOptionsOf('Activation', options, ['activation']));
    this.supportsMasking = true;
    this.activation = activations.get(options.activation);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  override call(inputs: LayerInputs): tf.Tensor {
    return this.activation(singleInput(inputs));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: activations.serialize(this.activation) };
  }
}
