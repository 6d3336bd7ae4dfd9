import * as tf from '@tensorflow/tfjs-core';
import { layers, models, optimizers } from 'keras-regularizers';
import type { FixtureCase } from './fixtures.js';

/** The fixture's Sequential model, built from Keras's layer configs, with its initial weights. */
export function modelOf(fixture: FixtureCase): models.Sequential {
  const model = new models.Sequential([
    layers.Input({ shape: fixture.input_shape }),
    ...fixture.layers.map((l: { class_name: string; config: Record<string, unknown> }) =>
      layers.deserialize({ module: 'keras.layers', class_name: l.class_name, config: l.config, registered_name: null }),
    ),
  ]);
  model.setWeights(fixture.initial_weights.map((w: number[], i: number) => tf.tensor(w, model.weights[i]?.shape)));
  // The fixture writes the optimizer's Keras config flat, its class beside its options.
  const { class_name, ...config } = fixture.optimizer;
  const optimizer = optimizers.deserialize({ class_name, config });
  model.compile({ optimizer, loss: fixture.loss, metrics: fixture.metrics });
  return model;
}

/** Every weight's values, flattened, in `weights` order. */
export function weightValues(model: models.Model): number[][] {
  return model.weights.map((v) => Array.from(v.dataSync()));
}
