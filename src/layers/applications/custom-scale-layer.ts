/** CustomScaleLayer: InceptionResNetV2's scaled residual sum (keras.src.applications.inception_resnet_v2). */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import { formatShape } from '../../utils/format.js';
import { Layer } from '../layer.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';

/** The options of `CustomScaleLayer`, Keras's `CustomScaleLayer(scale)`. */
export interface CustomScaleLayerOptions extends LayerOptions {
  /** The factor of the residual branch (InceptionResNetV2 uses 0.17, 0.1 and 0.2). */
  scale: number;
}

/**
 * `inputs[0] + inputs[1] * scale`: the shortcut plus the scaled residual of
 * an Inception-ResNet block. Saved as Keras saves it, under
 * `keras.src.applications.inception_resnet_v2` with registered name
 * `CustomScaleLayer`.
 *
 * @example new layers.CustomScaleLayer({ scale: 0.17 }).apply([a, b]) // a + 0.17 * b
 */
export class CustomScaleLayer extends Layer {
  static override readonly className: string = 'CustomScaleLayer';
  /** The module and registered name Keras writes for this class. */
  static readonly kerasModule = 'keras.src.applications.inception_resnet_v2';
  static readonly kerasRegisteredName = 'CustomScaleLayer';
  readonly scale: number;

  constructor(options: CustomScaleLayerOptions) {
    super(layerOptionsOf('CustomScaleLayer', options, ['scale']));
    if (typeof options.scale !== 'number' || !Number.isFinite(options.scale)) {
      throw invalidArgument('scale', 'a finite number', options.scale);
    }
    this.scale = options.scale;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [shortcut] = pair(inputShape as unknown[]) as [Shape, Shape];
    return [...shortcut];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const [x, residual] = pair(inputs as unknown[]) as [tf.Tensor, tf.Tensor];
    return tf.tidy(() => tf.add(x, tf.mul(residual, tf.scalar(this.scale))));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale };
  }
}

/** The two inputs the layer takes (a list of two tensors or shapes). */
function pair(list: unknown[]): [unknown, unknown] {
  const shapes = Array.isArray(list) && list.every((v) => Array.isArray(v));
  const tensors = Array.isArray(list) && list.every((v) => v instanceof tf.Tensor);
  if (!Array.isArray(list) || list.length !== 2 || !(shapes || tensors)) {
    const received =
      !Array.isArray(list) || list.length === 0 || !(shapes || tensors)
        ? 'one tensor'
        : `a list of ${list.length}: ${list.map((v) => formatShape(shapes ? (v as Shape) : (v as tf.Tensor).shape)).join(', ')}`;
    throw new ValueError(`CustomScaleLayer takes a list of two tensors [shortcut, residual]. Received: ${received}`, {
      argument: 'inputs',
      expected: 'a list of two tensors [shortcut, residual]',
      received,
    });
  }
  return [list[0], list[1]];
}
