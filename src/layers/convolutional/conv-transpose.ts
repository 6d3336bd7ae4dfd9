import { BaseConvTranspose, type ConvTransposeOptions } from './base-conv-transpose.js';

/**
 * 1D transposed convolution over `(batch, steps, channels)`; kernel `(k, filters, in)`.
 *
 * @example new layers.Conv1DTranspose({ filters: 8, kernelSize: 3, strides: 2, kernelRegularizer: new L2(1e-4) })
 */
export class Conv1DTranspose extends BaseConvTranspose {
  static override readonly className: string = 'Conv1DTranspose';

  constructor(options: ConvTransposeOptions) {
    super(1, 'Conv1DTranspose', options);
  }
}

/**
 * 2D transposed convolution over `(batch, rows, cols, channels)`; kernel `(kh, kw, filters, in)`.
 *
 * @example new layers.Conv2DTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same' }) // doubles rows and cols
 */
export class Conv2DTranspose extends BaseConvTranspose {
  static override readonly className: string = 'Conv2DTranspose';

  constructor(options: ConvTransposeOptions) {
    super(2, 'Conv2DTranspose', options);
  }
}

/**
 * 3D transposed convolution over `(batch, d1, d2, d3, channels)`; kernel `(k1, k2, k3, filters, in)`.
 *
 * @example new layers.Conv3DTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }) // doubles each spatial axis
 */
export class Conv3DTranspose extends BaseConvTranspose {
  static override readonly className: string = 'Conv3DTranspose';

  constructor(options: ConvTransposeOptions) {
    super(3, 'Conv3DTranspose', options);
  }
}
