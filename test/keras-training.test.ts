/**
 * Training against real Keras: the shared file's 3 SGD steps, and the cases of
 * keras-training.json (fit with batches, Adam, AdamW, RMSprop, momentum,
 * activity penalties, a frozen layer, Conv models, metrics), on cpu and wasm.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { L2, layers, models, optimizers } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { casesOf, KERAS_TRAINING } from './helpers/fixtures.js';
import { modelOf, weightValues } from './helpers/training.js';

/** Adam-family updates divide by sqrt(v) + 1e-7, so float32 rounding grows a little over steps. */
const TRAINING_TOLERANCE = { rtol: 1e-5, atol: 1e-5 };

describeEachBackend('training against real Keras', () => {
  for (const fixture of casesOf('training')) {
    it(`${fixture.name} (shared reference)`, () => {
      const model = new models.Sequential([
        layers.Input({ shape: [3] }),
        new layers.Dense({ units: 2, kernelRegularizer: new L2(0.1) }),
      ]);
      model.setWeights([
        tf.tensor(fixture.initial_kernel.values, fixture.initial_kernel.shape),
        tf.tensor(fixture.initial_bias),
      ]);
      model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
      const x = tf.tensor(fixture.x.values, fixture.x.shape);
      const y = tf.tensor(fixture.y.values, fixture.y.shape);
      for (const step of fixture.steps) {
        const logs = model.trainOnBatch(x, y);
        assertAllClose(logs.loss as number, step.reported_loss, {}, `step ${step.step} loss`);
        assertAllClose(
          logs.loss as number,
          step.numpy_float64_reference_loss_of_this_batch_before_update,
          {},
          'float64',
        );
        const [kernel, bias] = weightValues(model);
        assertAllClose(kernel as number[], step.kernel, {}, `step ${step.step} kernel`);
        assertAllClose(bias as number[], step.bias, {}, `step ${step.step} bias`);
      }
      tf.dispose([x, y]);
      model.dispose();
    });
  }

  for (const fixture of KERAS_TRAINING) {
    it(fixture.name, async () => {
      const model = modelOf(fixture);
      const x = tf.tensor(fixture.x.values, fixture.x.shape);
      const y = tf.tensor(fixture.y.values, fixture.y.shape);
      if (fixture.mode === 'train_on_batch') {
        for (const step of fixture.steps) {
          const logs = model.trainOnBatch(x, y);
          for (const [key, value] of Object.entries(step.logs)) {
            assertAllClose(logs[key] as number, value as number, TRAINING_TOLERANCE, `step ${step.step} ${key}`);
          }
          weightValues(model).forEach((w, i) => {
            assertAllClose(w, step.weights[i], TRAINING_TOLERANCE, `step ${step.step} weight ${i}`);
          });
        }
      } else {
        const history = await model.fit(x, y, {
          epochs: fixture.epochs,
          batchSize: fixture.batch_size,
          shuffle: false,
          verbose: 0,
        });
        for (const [key, values] of Object.entries(fixture.history)) {
          assertAllClose(history.history[key] as number[], values as number[], TRAINING_TOLERANCE, `history ${key}`);
        }
        weightValues(model).forEach((w, i) => {
          assertAllClose(w, fixture.final_weights[i], TRAINING_TOLERANCE, `final weight ${i}`);
        });
      }
      const evaluated = model.evaluate(x, y, { batchSize: fixture.batch_size ?? 32 });
      for (const [key, value] of Object.entries(fixture.evaluate)) {
        assertAllClose(evaluated[key] as number, value as number, TRAINING_TOLERANCE, `evaluate ${key}`);
      }
      assert.ok('regularization_loss' in evaluated);
      tf.dispose([x, y]);
      model.dispose();
    });
  }
});
