/** Max and average pooling over 1, 2 or 3 spatial axes: thin classes over `BasePooling`. */
import { type AveragePoolingOptions, BasePooling, type PoolingOptions } from './base-pooling.js';

/** MaxPooling2D's options (kept under its earlier name). */
export type MaxPooling2DOptions = PoolingOptions;

/**
 * The maximum over each window of `(batch, steps, channels)`; default `poolSize` 2.
 *
 * @example new layers.MaxPooling1D({ poolSize: 2 }).apply(x) // [b, 8, c] → [b, 4, c]
 */
export class MaxPooling1D extends BasePooling {
  static override readonly className: string = 'MaxPooling1D';

  constructor(options: PoolingOptions = {}) {
    super(1, 'max', 'MaxPooling1D', options, 2);
  }
}

/**
 * The maximum over each window of `(batch, rows, cols, channels)`; default `poolSize` 2.
 *
 * @example new layers.MaxPooling2D().apply(x) // [b, 28, 28, c] → [b, 14, 14, c]
 */
export class MaxPooling2D extends BasePooling {
  static override readonly className: string = 'MaxPooling2D';

  constructor(options: PoolingOptions = {}) {
    super(2, 'max', 'MaxPooling2D', options, 2);
  }
}

/**
 * The maximum over each window of `(batch, d1, d2, d3, channels)`; default `poolSize` 2.
 *
 * @example new layers.MaxPooling3D().apply(x) // [b, 8, 8, 8, c] → [b, 4, 4, 4, c]
 */
export class MaxPooling3D extends BasePooling {
  static override readonly className: string = 'MaxPooling3D';

  constructor(options: PoolingOptions = {}) {
    super(3, 'max', 'MaxPooling3D', options, 2);
  }
}

/**
 * The mean over each window of `(batch, steps, channels)`; `poolSize` is required, as in Keras.
 *
 * @example new layers.AveragePooling1D({ poolSize: 2 }).apply(x) // [b, 8, c] → [b, 4, c]
 */
export class AveragePooling1D extends BasePooling {
  static override readonly className: string = 'AveragePooling1D';

  constructor(options: AveragePoolingOptions) {
    super(1, 'average', 'AveragePooling1D', options);
  }
}

/**
 * The mean over each window of `(batch, rows, cols, channels)`; `poolSize` is required.
 *
 * @example new layers.AveragePooling2D({ poolSize: 2 }).apply(x) // [b, 28, 28, c] → [b, 14, 14, c]
 */
export class AveragePooling2D extends BasePooling {
  static override readonly className: string = 'AveragePooling2D';

  constructor(options: AveragePoolingOptions) {
    super(2, 'average', 'AveragePooling2D', options);
  }
}

/**
 * The mean over each window of `(batch, d1, d2, d3, channels)`; `poolSize` is required.
 *
 * @example new layers.AveragePooling3D({ poolSize: 2 }).apply(x) // [b, 8, 8, 8, c] → [b, 4, 4, 4, c]
 */
export class AveragePooling3D extends BasePooling {
  static override readonly className: string = 'AveragePooling3D';

  constructor(options: AveragePoolingOptions) {
    super(3, 'average', 'AveragePooling3D', options);
  }
}
