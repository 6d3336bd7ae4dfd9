/** Global max and average pooling over 1, 2 or 3 spatial axes: thin classes over `BaseGlobalPooling`. */
import * as tf from '@tensorflow/tfjs-core';
import { singleInput } from '../layer-checks.js';
import type { CallOptions, LayerInputs, Masks } from '../layer-types.js';
import { checkInputRank } from '../reshaping/input-shape.js';
import { BaseGlobalPooling, type GlobalPoolingOptions } from './base-global-pooling.js';

/**
 * The maximum over the steps: `(batch, steps, features)` → `(batch, features)`.
 *
 * @example new layers.GlobalMaxPooling1D().apply(x) // [b, 10, 4] → [b, 4]
 */
export class GlobalMaxPooling1D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling1D';

  constructor(options: GlobalPoolingOptions = {}) {
    super(1, 'max', 'GlobalMaxPooling1D', options);
  }
}

/**
 * The maximum over rows and columns: `(batch, rows, cols, channels)` → `(batch, channels)`.
 *
 * @example new layers.GlobalMaxPooling2D().apply(x) // [b, 7, 7, 64] → [b, 64]
 */
export class GlobalMaxPooling2D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling2D';

  constructor(options: GlobalPoolingOptions = {}) {
    super(2, 'max', 'GlobalMaxPooling2D', options);
  }
}

/**
 * The maximum over the three spatial axes: `(batch, d1, d2, d3, channels)` → `(batch, channels)`.
 *
 * @example new layers.GlobalMaxPooling3D().apply(x) // [b, 4, 4, 4, 16] → [b, 16]
 */
export class GlobalMaxPooling3D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling3D';

  constructor(options: GlobalPoolingOptions = {}) {
    super(3, 'max', 'GlobalMaxPooling3D', options);
  }
}

/**
 * The mean over the steps: `(batch, steps, features)` → `(batch, features)`.
 * With a `(batch, steps)` mask, the mean over the unmasked steps only (NaN
 * for a sample with none, as in Keras); the output carries no mask.
 *
 * @example new layers.GlobalAveragePooling1D({ keepdims: true }).apply(x) // [b, 10, 4] → [b, 1, 4]
 */
export class GlobalAveragePooling1D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling1D';
  override supportsMasking = true;

  constructor(options: GlobalPoolingOptions = {}) {
    super(1, 'average', 'GlobalAveragePooling1D', options);
  }

  override computeMask(): Masks {
    return null;
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): tf.Tensor {
    const mask = Array.isArray(options.mask) ? (options.mask[0] ?? null) : (options.mask ?? null);
    if (mask == null) return super.call(inputs);
    const x = singleInput(inputs);
    checkInputRank([...x.shape], 3, this.name);
    const stepsAxis = this.dataFormat === 'channelsLast' ? 1 : 2;
    return tf.tidy(() => {
      const keep = tf.broadcastTo(
        tf.expandDims(tf.cast(mask, 'bool'), this.dataFormat === 'channelsLast' ? 2 : 1),
        x.shape,
      );
      // `where`, not a product with the mask: a NaN or Infinity in a masked step stays out, as in Keras.
      const total = tf.sum(tf.where(keep, x, tf.zerosLike(x)), stepsAxis, this.keepdims);
      return tf.div(total, tf.sum(tf.cast(keep, 'float32'), stepsAxis, this.keepdims));
    });
  }
}

/**
 * The mean over rows and columns: `(batch, rows, cols, channels)` → `(batch, channels)`.
 *
 * @example new layers.GlobalAveragePooling2D().apply(x) // [b, 7, 7, 64] → [b, 64]
 */
export class GlobalAveragePooling2D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling2D';

  constructor(options: GlobalPoolingOptions = {}) {
    super(2, 'average', 'GlobalAveragePooling2D', options);
  }
}

/**
 * The mean over the three spatial axes: `(batch, d1, d2, d3, channels)` → `(batch, channels)`.
 *
 * @example new layers.GlobalAveragePooling3D().apply(x) // [b, 4, 4, 4, 16] → [b, 16]
 */
export class GlobalAveragePooling3D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling3D';

  constructor(options: GlobalPoolingOptions = {}) {
    super(3, 'average', 'GlobalAveragePooling3D', options);
  }
}
