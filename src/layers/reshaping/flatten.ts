/** Flatten: each sample to one axis. */
import * as tf from '@tensorflow/tfjs-core';
import { requireChannelsLast } from '../arguments.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';

/**
 * Flattens each sample: `[batch, ...]` → `[batch, product]`.
 *
 * @example new layers.Flatten().apply(x) // [b, 7, 7, 64] → [b, 3136]
 */
export class Flatten extends Layer {
  static override readonly className: string = 'Flatten';

  constructor(options: LayerOptions & { dataFormat?: 'channelsLast' | 'channels_last' } = {}) {
    super(layerOptionsOf('Flatten', options, ['dataFormat']));
    requireChannelsLast(options.dataFormat, 'Flatten');
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    return [inputShape[0] ?? null, rest.includes(null) ? null : (rest as number[]).reduce((a, b) => a * b, 1)];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    return tf.reshape(x, [x.shape[0] as number, -1]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: 'channelsLast' };
  }
}
