import { BaseSeparableConv, type SeparableConvOptions } from './base-separable-conv.js';

/**
 * 1D separable convolution over `(batch, steps, channels)`: depthwise kernel
 * `(k, in, depthMultiplier)`, then pointwise kernel `(1, in * depthMultiplier, filters)`.
 *
 * @example new layers.SeparableConv1D({ filters: 8, kernelSize: 3, pointwiseRegularizer: new L2(1e-4) })
 */
export class SeparableConv1D extends BaseSeparableConv {
  static override readonly className: string = 'SeparableConv1D';

  constructor(options: SeparableConvOptions) {
    super(1, 'SeparableConv1D', options);
  }
}

/**
 * 2D separable convolution over `(batch, rows, cols, channels)`: depthwise kernel
 * `(kh, kw, in, depthMultiplier)`, then pointwise kernel `(1, 1, in * depthMultiplier, filters)`.
 *
 * @example new layers.SeparableConv2D({ filters: 32, kernelSize: 3, depthwiseRegularizer: new L2(1e-4), pointwiseRegularizer: new L2(1e-4) })
 */
export class SeparableConv2D extends BaseSeparableConv {
  static override readonly className: string = 'SeparableConv2D';

  constructor(options: SeparableConvOptions) {
    super(2, 'SeparableConv2D', options);
  }
}
