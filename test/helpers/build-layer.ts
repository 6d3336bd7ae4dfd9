import type * as tf from '@tensorflow/tfjs-core';
import { layers, ops, Regularizer, type saving } from 'keras-regularizers';
import { decodeAll, type FixtureCase } from './fixtures.js';

/** The Keras page's plain-function regularizer: `0.01 * sum(abs(w))`. */
export function my_l1_fn(weightMatrix: tf.Tensor): tf.Tensor {
  return ops.multiply(0.01, ops.sum(ops.absolute(weightMatrix)));
}

/** The Keras page's `L2Regularizer` subclass. */
export class L2Regularizer extends Regularizer {
  l2: number;

  constructor({ l2 = 0 }: { l2?: number } = {}) {
    super();
    this.l2 = l2;
  }

  override apply(x: tf.Tensor): tf.Scalar {
    return ops.multiply(this.l2, ops.sum(ops.square(x))) as tf.Scalar;
  }

  override getConfig(): { l2: number } {
    return { l2: this.l2 };
  }
}

export const PAGE_CUSTOM_OBJECTS: saving.CustomObjects = { my_l1_fn, L2Regularizer };

/** Builds a fixture's layer from its Keras config and sets its weights to the fixture's values. */
export function buildFixtureLayer(fixture: FixtureCase): layers.Layer {
  const layer = layers.deserialize(
    { module: 'keras.layers', class_name: fixture.layer_class, config: fixture.layer_config, registered_name: null },
    { customObjects: PAGE_CUSTOM_OBJECTS },
  );
  layer.ensureBuilt(fixture.input.shape);
  layer.setWeights(fixture.weights.map((w: { values: number[] }) => decodeAll(w.values)));
  return layer;
}
