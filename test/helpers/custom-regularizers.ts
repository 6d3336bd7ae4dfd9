import type * as tf from '@tensorflow/tfjs-core';
import { ops, Regularizer, saving } from 'keras-regularizers';

/** The fixture's registered custom class: `scale * 0.01 * sum(|x|)`. */
export class MyScaledL1 extends Regularizer {
  scale: number;

  constructor({ scale = 1 }: { scale?: number } = {}) {
    super();
    this.scale = scale;
  }

  override apply(x: tf.Tensor): tf.Scalar {
    return ops.multiply(this.scale * 0.01, ops.sum(ops.absolute(x))) as tf.Scalar;
  }

  override getConfig(): { scale: number } {
    return { scale: this.scale };
  }
}

saving.registerSerializable(MyScaledL1, { package: 'my_pkg' });
