/**
 * Training resumes from a Keras file where Keras left off (issue 21): for
 * the cases of test/fixtures/keras-resume/ (scripts/generate_keras_resume_fixtures.py:
 * five model families, Keras's 12 optimizers, clipping and EMA variants),
 * Keras trained 2 epochs, saved `.keras` and legacy `.h5` with the
 * optimizer's state, then trained 3 more steps. Loaded here from either
 * file, the optimizer has Keras's state (its iteration count and every
 * variable's shape), and the same 3 steps give Keras's losses and weights
 * (rtol 1e-4), on cpu and wasm, quietly (no warning) and with no tensor left.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it, mock } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { type models, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';

interface Values {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: number[];
}
interface Family {
  file: string;
  layers: string[];
  x: Values;
  y: Values[];
  loss: string | string[];
}
interface Case {
  name: string;
  family: string;
  optimizer: string;
  options: Record<string, unknown>;
  config: { class_name: string; config: Record<string, unknown> };
  keras: string;
  h5: string | null;
  fit_loss: number[];
  saved_state: { names: string[]; shapes: number[][]; iteration: number };
  losses: number[];
  weights: (Values & { path: string })[];
}

const FOLDER = new URL('./fixtures/keras-resume/', import.meta.url);
const FIXTURE = JSON.parse(readFileSync(new URL('expected.json', FOLDER), 'utf8')) as {
  steps: [number, number][];
  families: Record<string, Family>;
  cases: Case[];
};

/** What each family must contain: the test fails if a fixture loses one. */
const INGREDIENTS: Record<string, string[]> = {
  mlp: ['Dense', 'Dropout'],
  cnn: ['Conv2D', 'BatchNormalization'],
  embedding_lstm: ['Embedding', 'LSTM'],
  two_outputs: ['Dense'],
  transformer: ['MultiHeadAttention', 'LayerNormalization', 'Add'],
};

const OPTIMIZERS = [
  'sgd',
  'adam',
  'adamw',
  'rmsprop',
  'adagrad',
  'adadelta',
  'adamax',
  'nadam',
  'lion',
  'ftrl',
  'adafactor',
  'lamb',
];

/** The rtol 1e-4; atol for weights that end near 0. */
const TOLERANCE = { rtol: 1e-4, atol: 1e-6 };

/**
 * Lion steps each element by the sign of `beta_1 * m + (1 - beta_1) * g`;
 * where that is rounding noise (a gradient of ~1e-7 in this tiny LSTM, its
 * momentum under 1% of the largest of its weight's), either sign is right
 * and a backend may take the other: such an element then differs by a step
 * or two (lr each). Every other element must match; those may differ by no
 * more than 3 steps of 2 lr, and be at most 5% of the case's elements.
 */
function assertLionWeights(model: models.Model, c: Case): void {
  const lr = c.config.config.learning_rate as number;
  const trainable = model.trainableWeights;
  // Lion's one slot per trainable weight, after iteration and learning_rate.
  const momenta = model.optimizer?.variables.slice(2) ?? [];
  let total = 0;
  const off: string[] = [];
  model.weightRecords().forEach((record, i) => {
    const want = c.weights[i] as Values & { path: string };
    const got = record.variable.dataSync();
    const momentum = momenta[trainable.indexOf(record.variable)]?.dataSync();
    const largest = momentum == null ? 0 : Math.max(...Array.from(momentum, Math.abs));
    want.values.forEach((y, k) => {
      total++;
      const diff = Math.abs((got[k] as number) - y);
      if (diff <= TOLERANCE.atol + TOLERANCE.rtol * Math.abs(y)) return;
      const label = `${want.path}[${k}]: got ${got[k]}, expected ${y}`;
      assert.ok(
        momentum != null && Math.abs(momentum[k] as number) < 0.01 * largest,
        `${label}, its momentum not noise`,
      );
      assert.ok(diff <= 6 * lr * 1.0001, `${label} (more than 3 steps apart)`);
      off.push(`${want.path}[${k}]`);
    });
  });
  assert.ok(off.length <= 0.05 * total, `${off.length} of ${total} elements differ by a sign step: ${off.join(', ')}`);
}

function tensorOf(v: Values): tf.Tensor {
  return tf.tensor(v.values, v.shape, v.dtype);
}

it('the cases cover every optimizer on at least 2 families and every family with at least 4 optimizers', () => {
  for (const optimizer of OPTIMIZERS) {
    const families = new Set(FIXTURE.cases.filter((c) => c.optimizer === optimizer).map((c) => c.family));
    assert.ok(families.size >= 2, `${optimizer} on ${[...families].join(', ')}`);
  }
  for (const [family, ingredients] of Object.entries(INGREDIENTS)) {
    const optimizers = new Set(FIXTURE.cases.filter((c) => c.family === family).map((c) => c.optimizer));
    assert.ok(optimizers.size >= 4, `${family} with ${[...optimizers].join(', ')}`);
    for (const layer of ingredients) assert.ok(FIXTURE.families[family]?.layers.includes(layer), `${family}: ${layer}`);
  }
  const variants = FIXTURE.cases.filter((c) => Object.keys(c.options).length > 0);
  for (const option of ['clipnorm', 'clipvalue', 'global_clipnorm', 'use_ema', 'ema_overwrite_frequency']) {
    assert.ok(
      variants.some((c) => option in c.options),
      `a case with ${option}`,
    );
  }
});

describeEachBackend('training resumes from a Keras file with the optimizer state Keras saved', () => {
  for (const c of FIXTURE.cases) {
    const family = FIXTURE.families[c.family] as Family;
    for (const file of [c.keras, c.h5]) {
      if (file == null) continue;
      it(`${file}: ${c.config.class_name} ${JSON.stringify(c.options)} resumes at step ${c.saved_state.iteration}; 3 steps give Keras's losses and weights`, async () => {
        const warn = mock.method(console, 'warn', () => {});
        const tensors = tf.memory().numTensors;
        let model: models.Model | null = null;
        try {
          model = await saving.loadModel(new URL(file, FOLDER).pathname);
          assert.equal(warn.mock.callCount(), 0, 'loads without a warning');
          const optimizer = model.optimizer;
          assert.ok(optimizer != null, 'compiled from the file');
          assert.equal(optimizer.iterations, c.saved_state.iteration, 'iterations restored');
          assert.deepEqual(
            optimizer.variables.map((v) => v.shape),
            c.saved_state.shapes,
            `the optimizer's variables as Keras has them (${c.saved_state.names.join(', ')})`,
          );

          const x = tensorOf(family.x);
          const ys = family.y.map(tensorOf);
          const losses = FIXTURE.steps.map(([start, end]) => {
            const [xb, ...yb] = [x, ...ys].map((t) => t.slice(start, end - start));
            const logs = model?.trainOnBatch(xb as tf.Tensor, yb.length === 1 ? (yb[0] as tf.Tensor) : yb);
            tf.dispose([xb as tf.Tensor, ...yb]);
            return logs?.loss as number;
          });
          assertAllClose(losses, c.losses, TOLERANCE, 'losses of the 3 resumed steps');

          const records = model.weightRecords();
          assert.deepEqual(
            records.map((r) => r.variable.shape),
            c.weights.map((w) => w.shape),
            'weights in Keras order',
          );
          if (c.optimizer === 'lion') assertLionWeights(model, c);
          else {
            records.forEach((record, i) => {
              const want = c.weights[i] as Values & { path: string };
              assertAllClose(record.variable, want.values, TOLERANCE, `weight ${want.path}`);
            });
          }
          assert.equal(optimizer.iterations, c.saved_state.iteration + 3);
          tf.dispose([x, ...ys]);
        } finally {
          model?.dispose();
          warn.mock.restore();
        }
        assert.equal(tf.memory().numTensors, tensors, 'the model, its optimizer and the steps leave no tensor');
      });
    }
  }
});
