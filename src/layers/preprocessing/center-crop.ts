/** CenterCrop: the central `height x width` window of images, as Keras's preprocessing layer. */
import * as tf from '@tensorflow/tfjs-core';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { type DataFormat, dataFormatOption, positiveInteger } from './arguments.js';
import { aspectCrop, cropSpatial, resample, spatialAxes } from './image-resize.js';

/** The options of `CenterCrop`, Keras's `CenterCrop(height, width, data_format=None)`. */
export interface CenterCropOptions extends LayerOptions {
  height: number;
  width: number;
  dataFormat?: DataFormat | null;
}

/**
 * Crops the central `height x width` window of a batch of images (or one
 * image), in float32 (Keras's `CenterCrop`). When the image is smaller than
 * the target along either axis, Keras does not refuse it: it takes the
 * largest central window of the target's aspect ratio and resizes it
 * bilinearly to the target (`smart_resize`), and so does this layer.
 *
 * @example new layers.CenterCrop({ height: 224, width: 224 }).apply(x)
 */
export class CenterCrop extends Layer {
  static override readonly className: string = 'CenterCrop';
  readonly height: number;
  readonly width: number;
  readonly dataFormat: DataFormat;

  constructor(options: CenterCropOptions) {
    super(layerOptionsOf('CenterCrop', options, ['height', 'width', 'dataFormat']));
    this.height = positiveInteger('height', options.height);
    this.width = positiveInteger('width', options.width);
    this.dataFormat = dataFormatOption('CenterCrop', options.dataFormat);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const [h, w] = spatialAxes(inputShape, this.dataFormat, 'CenterCrop');
    const shape = [...inputShape];
    shape[h] = this.height;
    shape[w] = this.width;
    return shape;
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    const axes = spatialAxes(x.shape, this.dataFormat, 'CenterCrop');
    const [height, width] = [x.shape[axes[0]] as number, x.shape[axes[1]] as number];
    return tf.tidy(() => {
      const images = tf.cast(x, 'float32');
      if (height >= this.height && width >= this.width) {
        const top = Math.floor((height - this.height) / 2);
        const left = Math.floor((width - this.width) / 2);
        return cropSpatial(images, axes, top, left, this.height, this.width);
      }
      const crop = aspectCrop(height, width, this.height, this.width);
      const window = cropSpatial(images, axes, crop.top, crop.left, crop.height, crop.width);
      return resample(window, axes, [this.height, this.width], 'bilinear');
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat, height: this.height, width: this.width };
  }
}
