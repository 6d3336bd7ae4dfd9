import * as tf from '@tensorflow/tfjs-core';
import { layers, models, optimizers } from 'keras-regularizers';
import type { FixtureCase } from './fixtures.js';

/** The fixture's Keras optimizer, as ours. */
export function optimizerOf(spec: Record<string, number | boolean | string>): optimizers.Optimizer {
  const learningRate = spec.learning_rate as number;
  switch (spec.class_name) {
    case 'SGD':
      return new optimizers.SGD({
        learningRate,
        momentum: spec.momentum as number,
        nesterov: spec.nesterov as boolean,
      });
    case 'Adam':
      return new optimizers.Adam({
        learningRate,
        beta1: spec.beta_1 as number,
        beta2: spec.beta_2 as number,
        epsilon: spec.epsilon as number,
      });
    case 'AdamW':
      return new optimizers.AdamW({
        learningRate,
        weightDecay: spec.weight_decay as number,
        epsilon: spec.epsilon as number,
      });
    case 'RMSprop':
      return new optimizers.RMSprop({ learningRate, rho: spec.rho as number, epsilon: spec.epsilon as number });
    default:
      throw new Error(`no optimizer for ${spec.class_name}`);
  }
}

/** The fixture's Sequential model, built from Keras's layer configs, with its initial weights. */
export function modelOf(fixture: FixtureCase): models.Sequential {
  const model = new models.Sequential([
    layers.Input({ shape: fixture.input_shape }),
    ...fixture.layers.map((l: { class_name: string; config: Record<string, unknown> }) =>
      layers.deserialize({ module: 'keras.layers', class_name: l.class_name, config: l.config, registered_name: null }),
    ),
  ]);
  model.setWeights(fixture.initial_weights.map((w: number[], i: number) => tf.tensor(w, model.weights[i]?.shape)));
  model.compile({ optimizer: optimizerOf(fixture.optimizer), loss: fixture.loss, metrics: fixture.metrics });
  return model;
}

/** Every weight's values, flattened, in `weights` order. */
export function weightValues(model: models.Model): number[][] {
  return model.weights.map((v) => Array.from(v.dataSync()));
}
