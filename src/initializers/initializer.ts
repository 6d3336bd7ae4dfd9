import * as tf from '@tensorflow/tfjs-core';
import { NotImplementedError } from '../errors.js';
import { classNameOfInstance } from '../utils/class-name.js';
import { readOptions } from '../utils/options.js';
import { finiteNumber } from './validation.js';

export type InitializerConfig = Record<string, unknown>;

/**
 * Base class of weight initializers: `apply(shape)` makes a new float32
 * tensor. Keras's `initializer(shape, dtype)`.
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

/** All zeros. */
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

/** All ones. */
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

/** Every element equal to `value`. */
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
