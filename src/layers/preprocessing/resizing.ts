/** Resizing: images to a fixed height and width, as Keras's preprocessing layer. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { booleanOption, type DataFormat, dataFormatOption, positiveInteger } from './arguments.js';
import { type Interpolation, interpolationOption, resizeImages, spatialAxes } from './image-resize.js';

/** The options of `Resizing`, Keras's `Resizing(height, width, interpolation, ...)` camelCased. */
export interface ResizingOptions extends LayerOptions {
  height: number;
  width: number;
  /** `"bilinear"` (default) or `"nearest"`. */
  interpolation?: Interpolation;
  /** Crop the largest centred window of the target's aspect ratio first. */
  cropToAspectRatio?: boolean;
  /** Pad to the target's aspect ratio first, with `fillValue`. */
  padToAspectRatio?: boolean;
  /** Only `"constant"`, as in Keras on JAX. */
  fillMode?: 'constant';
  /** The padding value with `padToAspectRatio`; default 0. */
  fillValue?: number;
  /** Only false: tfjs has no antialiased resize. */
  antialias?: boolean;
  dataFormat?: DataFormat | null;
}

/**
 * Resizes a batch of images (or one image) to `height x width` (Keras's
 * `Resizing`), with half-pixel centres and no antialiasing as Keras on
 * JAX, optionally cropping or padding to the target aspect ratio first.
 * Float inputs give float32; int32 inputs are rounded back to int32, as
 * Keras keeps an integer dtype.
 *
 * @example new layers.Resizing({ height: 224, width: 224, cropToAspectRatio: true }).apply(x)
 */
export class Resizing extends Layer {
  static override readonly className: string = 'Resizing';
  readonly height: number;
  readonly width: number;
  readonly interpolation: Interpolation;
  readonly cropToAspectRatio: boolean;
  readonly padToAspectRatio: boolean;
  readonly fillMode: 'constant';
  readonly fillValue: number;
  readonly antialias: false;
  readonly dataFormat: DataFormat;

  constructor(options: ResizingOptions) {
    super(
      layerOptionsOf('Resizing', options, [
        'height',
        'width',
        'interpolation',
        'cropToAspectRatio',
        'padToAspectRatio',
        'fillMode',
        'fillValue',
        'antialias',
        'dataFormat',
      ]),
    );
    this.height = positiveInteger('height', options.height);
    this.width = positiveInteger('width', options.width);
    this.interpolation = interpolationOption(options.interpolation);
    this.cropToAspectRatio = booleanOption('cropToAspectRatio', options.cropToAspectRatio, false);
    this.padToAspectRatio = booleanOption('padToAspectRatio', options.padToAspectRatio, false);
    if (this.cropToAspectRatio && this.padToAspectRatio) {
      throw new ValueError('Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`.', {
        argument: 'padToAspectRatio',
        expected: 'at most one of cropToAspectRatio and padToAspectRatio',
        received: 'both true',
      });
    }
    const fillMode = options.fillMode ?? 'constant';
    if (fillMode !== 'constant') {
      throw new ValueError(
        `Invalid value for argument \`fill_mode\`. Only \`'constant'\` is supported. Received: fill_mode=${formatValue(fillMode)}`,
        { argument: 'fillMode', expected: '"constant"', received: formatValue(fillMode) },
      );
    }
    this.fillMode = fillMode;
    const fillValue = options.fillValue ?? 0;
    if (typeof fillValue !== 'number' || !Number.isFinite(fillValue)) {
      throw new ValueError(
        `Invalid value for argument fillValue: expected a finite number. Received: fillValue=${formatValue(fillValue)}`,
        {
          argument: 'fillValue',
          expected: 'a finite number',
          received: formatValue(fillValue),
        },
      );
    }
    this.fillValue = fillValue;
    if (booleanOption('antialias', options.antialias, false)) {
      throw new ValueError(
        'Resizing cannot antialias: tfjs has no antialiased resize kernel, so only antialias=false is supported. Received: antialias=true',
        { argument: 'antialias', expected: 'false', received: 'true' },
      );
    }
    this.antialias = false;
    this.dataFormat = dataFormatOption('Resizing', options.dataFormat);
  }

  /** Integer images stay integer, as in Keras. */
  protected override keepsInputDtypes(): boolean {
    return true;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const [h, w] = spatialAxes(inputShape, this.dataFormat, 'Resizing');
    const shape = [...inputShape];
    shape[h] = this.height;
    shape[w] = this.width;
    return shape;
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    return tf.tidy(() => {
      const resized = resizeImages(
        tf.cast(x, 'float32'),
        {
          size: [this.height, this.width],
          interpolation: this.interpolation,
          dataFormat: this.dataFormat,
          cropToAspectRatio: this.cropToAspectRatio,
          padToAspectRatio: this.padToAspectRatio,
          fillValue: this.fillValue,
        },
        'Resizing',
      );
      if (x.dtype !== 'int32') return resized;
      // Keras rounds and saturates back into the integer dtype.
      return tf.cast(tf.clipByValue(tf.round(resized), -(2 ** 31), 2 ** 31 - 1), 'int32');
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      dataFormat: this.dataFormat,
      height: this.height,
      width: this.width,
      interpolation: this.interpolation,
      cropToAspectRatio: this.cropToAspectRatio,
      padToAspectRatio: this.padToAspectRatio,
      fillMode: this.fillMode,
      fillValue: this.fillValue,
      antialias: this.antialias,
    };
  }
}
