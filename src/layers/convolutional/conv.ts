import { BaseConv, type ConvOptions } from './base-conv.js';

/**
 * 1D convolution over `(batch, steps, channels)`; kernel `(k, in / groups, filters)`.
 * Supports `padding: "causal"`.
 *
 * @example new layers.Conv1D({ filters: 16, kernelSize: 3, padding: 'causal', kernelRegularizer: new L2(1e-4) })
 */
export class Conv1D extends BaseConv {
  static override readonly className: string = 'Conv1D';

  constructor(options: ConvOptions) {
    super(1, 'Conv1D', options);
  }
}

/**
 * 2D convolution over `(batch, rows, cols, channels)`; kernel `(kh, kw, in / groups, filters)`.
 *
 * @example new layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', kernelRegularizer: new L2(1e-4) })
 */
export class Conv2D extends BaseConv {
  static override readonly className: string = 'Conv2D';

  constructor(options: ConvOptions) {
    super(2, 'Conv2D', options);
  }
}

/**
 * 3D convolution over `(batch, d1, d2, d3, channels)`; kernel `(k1, k2, k3, in / groups, filters)`.
 *
 * @example new layers.Conv3D({ filters: 8, kernelSize: [3, 3, 3], padding: 'same' })
 */
export class Conv3D extends BaseConv {
  static override readonly className: string = 'Conv3D';

  constructor(options: ConvOptions) {
    super(3, 'Conv3D', options);
  }
}
