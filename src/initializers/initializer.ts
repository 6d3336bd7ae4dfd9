import * as tf from '@tensorflow/tfjs-core';
import { NotImplementedError } from '../errors.js';
import { classNameOfInstance } from '../utils/class-name.js';
import { readOptions } from '../utils/options.js';
import { finiteNumber } from './validation.js';

/** An initializer's config (camelCase keys), Keras's `get_config()` dict; `fromConfig` takes it back. */
export type InitializerConfig = Record<string, unknown>;

/**
 * Base class of weight initializers: `apply(shape)` makes a new float32
 * tensor. Keras's `keras.initializers.Initializer`, called as
 * `initializer(shape, dtype)` there. Subclass it for a custom one.
 *
 * @example class Halves extends initializers.Initializer { override apply(shape: readonly number[]) { return tf.fill([...shape], 0.5); } }
 */
export class Initializer {
  static readonly className: string = 'Initializer';

  apply(_shape: readonly number[], _dtype: tf.DataType = 'float32'): tf.Tensor {
    throw new NotImplementedError(`${classNameOfInstance(this)} does not implement apply()`);
  }

  getConfig(): InitializerConfig {
    return {};
  }

  // biome-ignore lint/suspicious/noExplicitAny: each subclass's constructor takes its own options type.
  static fromConfig<T extends Initializer>(this: new (config: any) => T, config: Record<string, unknown>): T {
    return new this(config);
  }
}

/**
 * All zeros: Keras's `keras.initializers.Zeros`, the default bias initializer.
 *
 * @example new initializers.Zeros().apply([2, 3]) // [[0, 0, 0], [0, 0, 0]]
 */
export class Zeros extends Initializer {
  static override readonly className: string = 'Zeros';

  constructor(options: Record<string, never> = {}) {
    super();
    readOptions('Zeros', options, []);
  }

  override apply(shape: readonly number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    return tf.zeros([...shape], dtype);
  }
}

/**
 * All ones: Keras's `keras.initializers.Ones`.
 *
 * @example new initializers.Ones().apply([3]) // [1, 1, 1]
 */
export class Ones extends Initializer {
  static override readonly className: string = 'Ones';

  constructor(options: Record<string, never> = {}) {
    super();
    readOptions('Ones', options, []);
  }

  override apply(shape: readonly number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    return tf.ones([...shape], dtype);
  }
}

/**
 * Every element equal to `value`: Keras's `keras.initializers.Constant`.
 *
 * @example new initializers.Constant(0.1).apply([2]) // [0.1, 0.1]
 */
export class Constant extends Initializer {
  static override readonly className: string = 'Constant';
  readonly value: number;

  constructor(valueOrOptions: number | { value?: number } = 0) {
    super();
    const options =
      typeof valueOrOptions === 'object'
        ? readOptions<{ value: number }>('Constant', valueOrOptions, ['value'])
        : { value: valueOrOptions };
    this.value = finiteNumber(options.value ?? 0, 'value');
  }

  override apply(shape: readonly number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    return tf.fill([...shape], this.value, dtype);
  }

  override getConfig(): { value: number } {
    return { value: this.value };
  }
}
