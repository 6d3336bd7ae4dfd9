/** Losses and metrics against values worked out by hand. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers, losses, metrics, models } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';

const value = (t: tf.Tensor) => {
  const v = t.dataSync()[0] as number;
  t.dispose();
  return v;
};

describeEachBackend('losses', () => {
  const yTrue = tf.tensor([
    [1, 0],
    [0, 1],
  ]);
  const yPred = tf.tensor([
    [0.8, 0.2],
    [0.4, 0.6],
  ]);

  it('mse and mae: per sample over the last axis, then the batch mean', () => {
    assertAllClose(value(losses.get('mse')(yTrue, yPred)), (0.04 + 0.04 + 0.16 + 0.16) / 4);
    assertAllClose(value(losses.get('mean_absolute_error')(yTrue, yPred)), (0.2 + 0.2 + 0.4 + 0.4) / 4);
  });

  it('crossentropies from probabilities and from logits agree', () => {
    const cce = -(Math.log(0.8) + Math.log(0.6)) / 2;
    assertAllClose(value(losses.get('categorical_crossentropy')(yTrue, yPred)), cce);
    assertAllClose(value(losses.get('sparse_categorical_crossentropy')(tf.tensor([0, 1]), yPred)), cce);
    const logits = tf.log(yPred);
    assertAllClose(value(losses.categoricalCrossentropy({ fromLogits: true })(yTrue, logits)), cce);
    assertAllClose(
      value(losses.sparseCategoricalCrossentropy({ fromLogits: true })(tf.tensor([[0], [1]]), logits)),
      cce,
    );
    const bce = -(Math.log(0.8) + Math.log(0.8) + Math.log(0.6) + Math.log(0.6)) / 4;
    assertAllClose(value(losses.get('binary_crossentropy')(yTrue, yPred)), bce);
    const binaryLogits = tf.log(tf.div(yPred, tf.sub(1, yPred)));
    assertAllClose(value(losses.binaryCrossentropy({ fromLogits: true })(yTrue, binaryLogits)), bce, {
      rtol: 1e-5,
      atol: 1e-6,
    });
    tf.dispose([logits, binaryLogits]);
  });

  it('probabilities are clipped at 1e-7, so a confident mistake costs -log(1e-7)', () => {
    assertAllClose(
      value(losses.get('categorical_crossentropy')(tf.tensor([[1, 0]]), tf.tensor([[0, 1]]))),
      -Math.log(1e-7),
      { rtol: 1e-4 },
    );
  });
});

describeEachBackend('metrics', () => {
  it('accuracy picks the variant from the shapes, as Keras compile does', () => {
    const accuracy = metrics.get('accuracy').fn;
    // one column: binary
    assertAllClose(value(accuracy(tf.tensor([[1], [0], [1]]), tf.tensor([[0.7], [0.6], [0.2]]))), 1 / 3);
    // integer labels: sparse categorical
    assertAllClose(
      value(
        accuracy(
          tf.tensor([2, 0]),
          tf.tensor([
            [0.1, 0.2, 0.7],
            [0.5, 0.4, 0.1],
          ]),
        ),
      ),
      1,
    );
    // one-hot labels: categorical
    assertAllClose(
      value(
        accuracy(
          tf.tensor([
            [0, 1],
            [0, 1],
          ]),
          tf.tensor([
            [0.9, 0.1],
            [0.2, 0.8],
          ]),
        ),
      ),
      0.5,
    );
    assertAllClose(value(metrics.accuracy(tf.tensor([1, 2, 3]), tf.tensor([1, 0, 3]))), 2 / 3);
  });

  it('fit with validationSplit holds out the last samples and logs val_ keys', async () => {
    const model = new models.Sequential([
      layers.Input({ shape: [2] }),
      new layers.Dense({ units: 2, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const x = tf.tensor([
      [1, 0],
      [0, 1],
      [1, 1],
      [0, 0],
      [2, 1],
    ]);
    const y = tf.tensor([0, 1, 0, 1, 0]);
    const history = await model.fit(x, y, { epochs: 2, validationSplit: 0.4, verbose: 0 });
    assert.deepEqual(Object.keys(history.history).sort(), [
      'accuracy',
      'loss',
      `regularization_loss`,
      'val_accuracy',
      'val_loss',
      'val_regularization_loss',
    ]);
    // The held-out part is the last 2 samples: evaluating them gives the last val_loss.
    const last = model.evaluate(x.slice(3, 2), y.slice(3, 2));
    assertAllClose((history.history.val_loss as number[])[1] as number, last.loss as number);
    assert.deepEqual(history.epoch, [0, 1]);
    tf.dispose([x, y]);
    model.dispose();
  });
});
