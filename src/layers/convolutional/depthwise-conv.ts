import { BaseDepthwiseConv, type DepthwiseConvOptions } from './base-depthwise-conv.js';

/**
 * 1D depthwise convolution over `(batch, steps, channels)`: each channel
 * convolved with its own `depthMultiplier` filters; kernel `(k, in, depthMultiplier)`.
 *
 * @example new layers.DepthwiseConv1D({ kernelSize: 3, depthMultiplier: 2, depthwiseRegularizer: new L2(1e-4) })
 */
export class DepthwiseConv1D extends BaseDepthwiseConv {
  static override readonly className: string = 'DepthwiseConv1D';

  constructor(options: DepthwiseConvOptions) {
    super(1, 'DepthwiseConv1D', options);
  }
}

/**
 * 2D depthwise convolution over `(batch, rows, cols, channels)`: each channel
 * convolved with its own `depthMultiplier` filters; kernel `(kh, kw, in, depthMultiplier)`.
 *
 * @example new layers.DepthwiseConv2D({ kernelSize: 3, padding: 'same', depthwiseRegularizer: new L2(1e-4) })
 */
export class DepthwiseConv2D extends BaseDepthwiseConv {
  static override readonly className: string = 'DepthwiseConv2D';

  constructor(options: DepthwiseConvOptions) {
    super(2, 'DepthwiseConv2D', options);
  }
}
