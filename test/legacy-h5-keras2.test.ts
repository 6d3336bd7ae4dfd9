/**
 * Keras 2's spellings of a legacy `.h5` file's training_config: files Keras
 * 3 wrote, whose training_config scripts/generate_keras_legacy_h5_fixtures.py
 * rewrote as tf.keras 2 and standalone Keras 2 wrote it (`lr`, `decay`,
 * "Custom>Adam" with `jit_compile`, MeanMetricWrapper metrics, reduction
 * "auto", losses and metrics by output as lists and dicts,
 * weighted_metrics). Each loads here compiled as Keras 2 compiled it:
 * `evaluate` gives Keras's logs (every key, rtol 1e-5) and one
 * `trainOnBatch` leaves Keras's predictions, which shows the optimizer and
 * its learning rate were used. Where Keras 3.15 refuses a spelling,
 * Keras's numbers come from the same settings in Keras 3's spelling.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import h5wasm from 'h5wasm';
import { type models, optimizers, saving, ValueError } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import './helpers/custom-regularizers.js';
import { assertNoLeak } from './helpers/leaks.js';

interface Values {
  shape: number[];
  values: number[];
}
interface Case {
  input_names: string[];
  output_names: string[];
  inputs: Record<string, Values>;
  targets: Record<string, Values>;
}
interface Keras2Case {
  base: string;
  keras3_loads: boolean;
  keras3_refusal: string | null;
  keras3_warnings: string[];
  reference_training_config: unknown;
  optimizer: { class_name: string; learning_rate: number };
  evaluate: Record<string, number>;
  after_step: Record<string, Values>;
}

const FOLDER = new URL('./fixtures/keras-legacy-h5/', import.meta.url);
const pathOf = (name: string) => new URL(name, FOLDER).pathname;
const EXPECTED = JSON.parse(readFileSync(pathOf('expected.json'), 'utf8')) as {
  models: Record<string, Case>;
  keras2: Record<string, Keras2Case>;
};
const DECAY_WARNING = 'Argument `decay` is no longer supported and will be ignored.';

const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, 'float32');
const structured = (names: string[], values: Record<string, Values>): tf.Tensor | tf.Tensor[] =>
  names.length === 1 ? tensorOf(values[names[0] as string] as Values) : names.map((n) => tensorOf(values[n] as Values));

/** The file's training_config, parsed. */
async function trainingConfigOf(bytes: Uint8Array): Promise<Record<string, unknown>> {
  const runtime = (await h5wasm.ready) as unknown as { FS: { writeFile(p: string, d: Uint8Array): void } };
  runtime.FS.writeFile('/keras2-read.h5', bytes);
  const file = new h5wasm.File('/keras2-read.h5', 'r');
  try {
    return JSON.parse(String(file.attrs.training_config?.value));
  } finally {
    file.close();
  }
}

/** `bytes` with its training_config replaced by `config`. */
async function withTrainingConfig(bytes: Uint8Array, config: unknown): Promise<Uint8Array> {
  const runtime = (await h5wasm.ready) as unknown as {
    FS: { writeFile(p: string, d: Uint8Array): void; readFile(p: string): Uint8Array };
  };
  runtime.FS.writeFile('/keras2-edit.h5', bytes);
  const file = new h5wasm.File('/keras2-edit.h5', 'a');
  try {
    file.delete_attribute('training_config');
    file.create_attribute('training_config', JSON.stringify(config));
  } finally {
    file.close();
  }
  return runtime.FS.readFile('/keras2-edit.h5');
}

describe("Keras 2's decay", () => {
  it('is dropped with the warning Keras 3 gives, once per process', async () => {
    assert.deepEqual(EXPECTED.keras2.keras2_optimizer_v2?.keras3_warnings, [DECAY_WARNING], 'Keras warned so');
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      for (let i = 0; i < 2; i++) (await saving.loadModel(pathOf('keras2_optimizer_v2.h5'))).dispose();
    } finally {
      console.warn = warn;
    }
    assert.deepEqual(warnings, [[DECAY_WARNING]]);
  });
});

describeEachBackend('legacy .h5 files with Keras 2 training_config spellings', () => {
  for (const [name, expected] of Object.entries(EXPECTED.keras2)) {
    const keras = expected.keras3_loads
      ? 'Keras 3 loads it'
      : `Keras 3 refuses it (${expected.keras3_refusal?.split(':')[0]})`;
    it(`${name}.h5 compiles as Keras 2 did: Keras's evaluate logs and its predictions after one step (${keras})`, async () => {
      const data = EXPECTED.models[expected.base] as Case;
      await assertNoLeak(async () => {
        const model = (await saving.loadModel(pathOf(`${name}.h5`))) as models.Model;
        const x = structured(data.input_names, data.inputs);
        const y = structured(data.output_names, data.targets);
        try {
          const optimizer = model.getCompileConfig()?.optimizer as {
            class_name: string;
            config: Record<string, number>;
          };
          assert.equal(optimizer.class_name, expected.optimizer.class_name, 'optimizer');
          assertAllClose(
            optimizer.config.learning_rate as number,
            expected.optimizer.learning_rate,
            { rtol: 1e-7 },
            'lr',
          );
          const logs = model.evaluate(x, y, { batchSize: 32 });
          // This library also logs the penalties (regularization_loss...), which Keras does not.
          const keys = Object.keys(logs).filter((key) => !key.startsWith('regularization_loss'));
          assert.deepEqual(keys.sort(), Object.keys(expected.evaluate).sort(), 'the keys of the logs');
          for (const [key, value] of Object.entries(expected.evaluate)) {
            assertAllClose(logs[key] as number, value, { rtol: 1e-5 }, `${name} evaluate ${key}`);
          }
          model.trainOnBatch(x, y);
          tf.tidy(() => {
            const result = model.apply(x as tf.Tensor, { training: false });
            const outputs = Array.isArray(result) ? result : [result];
            data.output_names.forEach((output, i) => {
              const after = expected.after_step[output] as Values;
              assertAllClose(outputs[i] as tf.Tensor, after.values, { rtol: 1e-5, atol: 1e-6 }, `${name} after a step`);
            });
            model.clearLosses();
          });
        } finally {
          tf.dispose([x, y]);
          model.dispose();
        }
      }, name);
    });
  }
});

describe('Keras 2 spellings that cannot be honoured', () => {
  const base = new Uint8Array(readFileSync(pathOf('keras2_tf211.h5')));

  it('a MeanMetricWrapper of a function without a metric class here is refused, naming it', async () => {
    const config = await trainingConfigOf(base);
    config.metrics = [[{ class_name: 'MeanMetricWrapper', config: { name: 'h', dtype: 'float32', fn: 'hinge' } }]];
    const bytes = await withTrainingConfig(base, config);
    await assertNoLeak(() =>
      assert.rejects(
        () => saving.loadModelFromBytes(bytes),
        (error: ValueError) => {
          assert.ok(error instanceof ValueError);
          assert.match(
            error.message,
            /^The \.h5 file's training_config has a MeanMetricWrapper of "hinge", which has no metric class here\./,
          );
          assert.equal(error.argument, 'training_config.metrics');
          assert.equal(error.received, '"hinge"');
          assert.match(error.expected as string, /^mean_squared_error, mean_absolute_error/);
          return true;
        },
      ),
    );
  });

  it('weighted_metrics beside metrics for several outputs are refused, naming the field', async () => {
    const twoOutputs = new Uint8Array(readFileSync(pathOf('keras2_outputs_list.h5')));
    const config = await trainingConfigOf(twoOutputs);
    config.weighted_metrics = [['mean_absolute_error'], []];
    const bytes = await withTrainingConfig(twoOutputs, config);
    await assertNoLeak(() =>
      assert.rejects(
        () => saving.loadModelFromBytes(bytes),
        (error: ValueError) => {
          assert.ok(error instanceof ValueError);
          assert.match(error.message, /weighted_metrics beside metrics for a model of 2 outputs/);
          assert.equal(error.argument, 'training_config.weighted_metrics');
          assert.equal(error.expected, 'null, or lists for a model of one output');
          assert.equal(error.received, '[["mean_absolute_error"],[]]');
          return true;
        },
      ),
    );
  });

  it("tf.keras 2.11's Custom>Nadam loads as Nadam with the file's settings", async () => {
    const config = await trainingConfigOf(base);
    config.optimizer_config = { class_name: 'Custom>Nadam', config: { learning_rate: 0.01, beta_1: 0.8 } };
    const model = await saving.loadModelFromBytes(await withTrainingConfig(base, config));
    try {
      assert.ok(model.optimizer instanceof optimizers.Nadam);
      assert.equal(model.optimizer.learningRate, 0.01);
      assert.equal((model.optimizer as optimizers.Nadam).beta1, 0.8);
    } finally {
      model.dispose();
    }
  });

  it('an optimizer this library lacks (TF Addons Yogi) is refused, naming it', async () => {
    const config = await trainingConfigOf(base);
    config.optimizer_config = { class_name: 'Custom>Yogi', config: { learning_rate: 0.01 } };
    const bytes = await withTrainingConfig(base, config);
    await assertNoLeak(() =>
      assert.rejects(
        () => saving.loadModelFromBytes(bytes),
        (error: ValueError) => {
          assert.ok(error instanceof ValueError);
          assert.match(error.message, /^compile_config\.optimizer: Could not interpret optimizer config/);
          assert.equal(
            error.expected,
            'one of SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Lion, Ftrl, Adafactor, Lamb',
          );
          assert.match(error.received as string, /Custom>Yogi/);
          return true;
        },
      ),
    );
  });

  it('a file saved here writes SGD momentum 0 as 0.0, the float Keras checks for', async () => {
    const model = await saving.loadModel(pathOf('keras2_lr.h5'));
    try {
      const path = join(mkdtempSync(join(tmpdir(), 'keras2-')), 'm.h5');
      model.compile({ optimizer: 'sgd', loss: 'mae' });
      await saving.saveModel(model, path);
      const runtime = (await h5wasm.ready) as unknown as { FS: { writeFile(p: string, d: Uint8Array): void } };
      runtime.FS.writeFile('/keras2-saved.h5', new Uint8Array(readFileSync(path)));
      const file = new h5wasm.File('/keras2-saved.h5', 'r');
      try {
        assert.match(String(file.attrs.training_config?.value), /"momentum":0\.0,/);
      } finally {
        file.close();
      }
    } finally {
      model.dispose();
    }
  });
});
