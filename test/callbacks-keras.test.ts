/**
 * Keras's callbacks against real Keras 3.15.1
 * (scripts/generate_keras_callbacks_fixtures.py): the same epoch logs
 * replayed here give the same decisions (EarlyStopping's stop and restored
 * weights, ReduceLROnPlateau's and LearningRateScheduler's rates,
 * ModelCheckpoint's files, CSVLogger's text), plus real `fit` runs, bad
 * input, and BackupAndRestore resuming a killed process.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { callbacks, KerasTypeError, layers, models, optimizers, ValueError } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';

// biome-ignore lint/suspicious/noExplicitAny: fixture JSON is read as data.
type Json = any;
const FIXTURE: Json = JSON.parse(readFileSync(new URL('./fixtures/keras-callbacks.json', import.meta.url), 'utf8'));
const EPOCH_LOGS: Record<string, number>[] = FIXTURE.epoch_logs;

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
function camelOptions(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [camel(k), v]));
}

const scratch = mkdtempSync(join(tmpdir(), 'callbacks-keras-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The fixture's model: Dense(1) on 2 inputs, SGD with `learningRate`. */
function tinyModel(learningRate = 0.1): models.Sequential {
  const model = new models.Sequential([layers.Input({ shape: [2] }), new layers.Dense({ units: 1 })]);
  model.compile({ optimizer: new optimizers.SGD({ learningRate }), loss: 'mse', metrics: ['accuracy'] });
  return model;
}

/** Sets the weights to the fixture's marks: kernel = epoch + 1, bias = -(epoch + 1). */
function mark(model: models.Model, epoch: number): void {
  tf.tidy(() => model.setWeights([tf.fill([2, 1], epoch + 1), tf.fill([1], -(epoch + 1))]));
}

describe('EarlyStopping: same decisions as Keras on the same logs', () => {
  const model = tinyModel();
  for (const c of FIXTURE.early_stopping as Json[]) {
    it(JSON.stringify(c.options), async () => {
      await assertNoLeak(async () => {
        const callback = new callbacks.EarlyStopping({ ...camelOptions(c.options), print: () => {} });
        callback.model = model;
        model.stopTraining = false;
        mark(model, 99);
        callback.onTrainBegin();
        const waits: number[] = [];
        let stoppedAt: number | null = null;
        for (const [epoch, logs] of EPOCH_LOGS.entries()) {
          mark(model, epoch);
          callback.onEpochEnd(epoch, { ...logs });
          waits.push(callback.wait);
          if (model.stopTraining) {
            stoppedAt = epoch;
            break;
          }
        }
        callback.onTrainEnd();
        assert.equal(stoppedAt, c.stopped_at, 'stopped at');
        assert.equal(callback.stoppedEpoch, c.stopped_epoch);
        assert.equal(callback.best, c.best);
        assert.equal(callback.bestEpoch, c.best_epoch);
        assert.deepEqual(waits, c.waits);
        const weights = model.getWeights();
        const kernel = (weights[0] as tf.Tensor).dataSync()[0] as number;
        tf.dispose(weights);
        assert.equal(kernel - 1, c.final_weights_epoch, 'the epoch whose weights the model ends with');
      });
    });
  }

  it('a missing monitor warns and never stops, as in Keras', () => {
    const callback = new callbacks.EarlyStopping({ monitor: 'val_loss', patience: 0 });
    const m = tinyModel();
    callback.model = m;
    callback.onTrainBegin();
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (line: string) => warnings.push(line);
    try {
      for (let epoch = 0; epoch < 4; epoch++) callback.onEpochEnd(epoch, { loss: 1 - epoch * 0.1 });
    } finally {
      console.warn = warn;
    }
    assert.equal(m.stopTraining, FIXTURE.early_stopping_missing_monitor.stop_training);
    assert.equal(callback.best, FIXTURE.early_stopping_missing_monitor.best);
    assert.equal(
      warnings[0],
      'Early stopping conditioned on metric `val_loss` which is not available. Available metrics are: loss',
    );
  });
});

describe('ReduceLROnPlateau: same rates as Keras on the same logs', () => {
  for (const c of FIXTURE.reduce_lr as Json[]) {
    it(JSON.stringify(c.options), () => {
      const model = tinyModel(0.1);
      const callback = new callbacks.ReduceLROnPlateau(camelOptions(c.options));
      callback.model = model;
      callback.onTrainBegin();
      const rates: number[] = [];
      const logged: number[] = [];
      for (const [epoch, logs] of EPOCH_LOGS.entries()) {
        const copy: Record<string, number> = { ...logs };
        callback.onEpochEnd(epoch, copy);
        logged.push(copy.learning_rate as number);
        rates.push(Math.fround((model.optimizer as optimizers.Optimizer).learningRate));
      }
      assert.deepEqual(rates, c.learning_rates);
      assert.deepEqual(logged, c.logged);
    });
  }
});

describe('LearningRateScheduler: same rates as Keras', () => {
  const SCHEDULES: Record<string, (epoch: number, lr: number) => number> = {
    'decay after 2': (epoch, lr) => (epoch < 2 ? lr : lr * 0.9),
    inverse: (epoch) => 0.1 / (1 + epoch),
    exp: (_, lr) => lr * Math.exp(-0.1),
  };
  for (const c of FIXTURE.scheduler as Json[]) {
    it(c.name, () => {
      const model = tinyModel(0.05);
      const callback = new callbacks.LearningRateScheduler({ schedule: SCHEDULES[c.name] as never });
      callback.model = model;
      const rates: number[] = [];
      const logged: number[] = [];
      for (let epoch = 0; epoch < 8; epoch++) {
        callback.onEpochBegin(epoch);
        rates.push(Math.fround((model.optimizer as optimizers.Optimizer).learningRate));
        const logs: Record<string, number> = { loss: 1 };
        callback.onEpochEnd(epoch, logs);
        logged.push(logs.learning_rate as number);
      }
      assert.deepEqual(rates, c.learning_rates);
      assert.deepEqual(logged, c.logged);
    });
  }

  it('refuses a schedule that returns no number, and an optimizer whose rate is a schedule', () => {
    const model = tinyModel();
    const bad = new callbacks.LearningRateScheduler({ schedule: () => 'fast' as never });
    bad.model = model;
    expectValueError(() => bad.onEpochBegin(0), 'The output of the `schedule` function should be a float. Got: "fast"');
    const scheduled = new models.Sequential([layers.Input({ shape: [2] }), new layers.Dense({ units: 1 })]);
    const schedule = new optimizers.schedules.ExponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 10,
      decayRate: 0.5,
    });
    scheduled.compile({ optimizer: new optimizers.SGD({ learningRate: schedule as never }), loss: 'mse' });
    const callback = new callbacks.LearningRateScheduler({ schedule: (_, lr) => lr });
    callback.model = scheduled;
    assert.throws(() => callback.onEpochBegin(0), /created with a LearningRateSchedule object/);
  });
});

describe('ModelCheckpoint: same files and decisions as Keras', () => {
  for (const [index, c] of (FIXTURE.checkpoint as Json[]).entries()) {
    it(JSON.stringify(c.options), async () => {
      const folder = join(scratch, `decisions-${index}`);
      const model = tinyModel();
      const written: [string, string][] = [];
      model.save = async (filepath: string) => void written.push(['save', filepath.slice(folder.length + 1)]);
      model.saveWeights = async (filepath: string) =>
        void written.push(['save_weights', filepath.slice(folder.length + 1)]);
      const options = camelOptions(c.options);
      const callback = new callbacks.ModelCheckpoint({
        ...options,
        filepath: join(folder, c.options.filepath),
      } as never);
      callback.model = model;
      callback.onTrainBegin();
      for (const [epoch, logs] of EPOCH_LOGS.slice(0, 6).entries()) {
        callback.onEpochBegin(epoch);
        for (let batch = 0; batch < 5; batch++) {
          const loss = Math.round((1.0 - 0.01 * (5 * epoch + batch) + 0.03 * (batch % 2)) * 1e6) / 1e6;
          await callback.onBatchEnd(batch, { loss });
        }
        await callback.onEpochEnd(epoch, { ...logs });
      }
      if (c.error == null) {
        assert.deepEqual(written, c.written);
        // The template's folders were made, as Keras makes them.
        for (const [, path] of written) assert.ok(existsSync(join(folder, path, '..')), path);
      } else {
        // Keras fails here (its comparison is set at the first epoch's end); ours compares from the first batch.
        assert.match(c.error, /NoneType/);
        assert.deepEqual(written.slice(0, c.written.length), c.written);
        assert.ok(written.length > c.written.length);
      }
    });
  }

  it('formats numbers as Python does (format specs and repr)', () => {
    for (const [value, spec, isInteger, expected] of FIXTURE.formats as [
      number | string,
      string,
      boolean,
      string | null,
    ][]) {
      const v =
        value === 'NaN'
          ? Number.NaN
          : value === 'Infinity'
            ? Infinity
            : value === '-Infinity'
              ? -Infinity
              : (value as number);
      let text: string | null;
      try {
        const template = isInteger ? `{epoch:${spec}}.keras` : `{v:${spec}}.keras`;
        const callback = new callbacks.ModelCheckpoint({ filepath: template.replace(':}', '}') });
        text = callback.filepathFor(isInteger ? v - 1 : 0, null, { v }).slice(0, -'.keras'.length);
      } catch (error) {
        assert.ok(error instanceof ValueError, String(error));
        text = null;
      }
      assert.equal(text, expected, `format(${value}, ${JSON.stringify(spec)})`);
    }
    for (const [value, expected] of FIXTURE.reprs as [number, string][]) {
      assert.equal(
        new callbacks.ModelCheckpoint({ filepath: '{v}.keras' }).filepathFor(0, null, { v: value }),
        `${expected}.keras`,
      );
    }
  });

  it('refuses bad options and templates with clear errors', () => {
    expectValueError(
      () => new callbacks.ModelCheckpoint({ filepath: 'model.h5x' }),
      'The filepath provided must end in `.keras` (Keras model format). Received: filepath=model.h5x',
    );
    expectValueError(
      () => new callbacks.ModelCheckpoint({ filepath: 'model.keras', saveWeightsOnly: true }),
      'When using `saveWeightsOnly: true` in `ModelCheckpoint`, the filepath provided must end in `.weights.h5` (Keras weights format). Received: filepath=model.keras',
    );
    expectValueError(
      () => new callbacks.ModelCheckpoint({ filepath: 'm.keras', saveFreq: 'batch' as never }),
      `Unrecognized save_freq: "batch". Expected save_freq are 'epoch' or integer values`,
    );
    expectValueError(
      () => new callbacks.ModelCheckpoint({ filepath: 'm.keras', saveBestOnly: 'yes' as never }),
      'Invalid value for argument saveBestOnly: expected a boolean. Received: saveBestOnly="yes"',
    );
    expectValueError(
      () => new callbacks.ModelCheckpoint({ filepath: 'm.keras', mode: 'minimum' as never }),
      'Invalid value for argument mode: expected one of "auto", "min", "max". Received: mode="minimum"',
    );
    expectValueError(
      () => new callbacks.ModelCheckpoint({ filepath: 'm-{epoch:02q}.keras' }),
      /Unsupported format spec "02q"/,
    );
    expectValueError(() => new callbacks.ModelCheckpoint({ filepath: 'm-{epoch.keras' }), /'\{' without its '\}'/);
    expectValueError(
      () => new callbacks.ModelCheckpoint({ filepath: 'm-{0}.keras' }),
      /the field \{0\} is not a log name/,
    );
    const callback = new callbacks.ModelCheckpoint({ filepath: 'm-{val_acc:.2f}.keras' });
    expectValueError(
      () => callback.filepathFor(0, null, { loss: 1 }),
      `Failed to format this callback filepath: "m-{val_acc:.2f}.keras". Reason: 'val_acc' is not in the logs (loss).`,
    );
    expectValueError(
      () => new callbacks.ModelCheckpoint({ filepath: 'm-{loss:d}.keras' }).filepathFor(0, null, { loss: 0.5 }),
      /Unknown format code 'd' for object of type 'float'/,
    );
    assert.throws(() => new callbacks.ModelCheckpoint({ filepath: 'm.keras', verbos: 1 } as never), KerasTypeError);
  });

  it('writes real .keras and .weights.h5 files during fit, making missing folders; a folder as the path is an error', async () => {
    const model = tinyModel();
    const x = tf.randomNormal([8, 2], 0, 1, 'float32', 1);
    const y = tf.randomNormal([8, 1], 0, 1, 'float32', 2);
    const folder = join(scratch, 'real', 'deeper');
    const full = new callbacks.ModelCheckpoint({
      filepath: join(folder, 'm-{epoch:02d}-{loss:.3f}.keras'),
      monitor: 'loss',
    });
    const weights = new callbacks.ModelCheckpoint({
      filepath: join(folder, 'w.weights.h5'),
      saveWeightsOnly: true,
      saveBestOnly: true,
      monitor: 'loss',
    });
    await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, callbacks: [full, weights] });
    assert.equal(full.saved.length, 2);
    for (const path of [...full.saved, ...weights.saved]) assert.ok(existsSync(path), path);
    assert.match(full.saved[0] as string, /m-01-\d\.\d{3}\.keras$/);
    const reloaded = tinyModel();
    await reloaded.loadWeights(join(folder, 'w.weights.h5'));
    mkdirSync(join(scratch, 'a-folder.keras'));
    const onFolder = new callbacks.ModelCheckpoint({ filepath: join(scratch, 'a-folder.keras') });
    await assert.rejects(
      model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [onFolder] }),
      /Please specify a non-directory filepath for ModelCheckpoint/,
    );
    tf.dispose([x, y]);
  });
});

describe('CSVLogger: the file Keras writes for the same logs', () => {
  for (const c of FIXTURE.csv as Json[]) {
    it(c.name, async () => {
      const path = join(scratch, `log-${c.name.replace(/\W/g, '_')}.csv`);
      for (const run of c.runs as Record<string, number>[][]) {
        const callback = new callbacks.CSVLogger({ filename: path, ...camelOptions(c.options) } as never);
        await callback.onTrainBegin();
        for (const [epoch, logs] of run.entries()) await callback.onEpochEnd(epoch, { ...logs });
        callback.onTrainEnd();
      }
      assert.equal(readFileSync(path, 'utf8'), c.text);
    });
  }

  it('logs a real fit, and refuses bad options', async () => {
    const model = tinyModel();
    const x = tf.ones([4, 2]);
    const y = tf.ones([4, 1]);
    const path = join(scratch, 'fit.csv');
    await model.fit(x, y, { epochs: 3, verbose: 0, callbacks: [new callbacks.CSVLogger({ filename: path })] });
    const lines = readFileSync(path, 'utf8').split('\r\n');
    assert.match(lines[0] as string, /^epoch,accuracy,loss,/);
    assert.equal(lines.length, 5);
    tf.dispose([x, y]);
    expectValueError(
      () => new callbacks.CSVLogger({ filename: path, separator: ';;' }),
      'Invalid value for argument separator: expected a one-character string other than a quote or a line end. Received: separator=";;"',
    );
    expectValueError(
      () => new callbacks.CSVLogger({ filename: 3 as never }),
      'Invalid value for argument filename: expected a file path. Received: filename=3',
    );
    expectValueError(
      () => new callbacks.CSVLogger({ filename: path, append: 'no' as never }),
      /argument append: expected a boolean/,
    );
  });
});

describe('LambdaCallback and SwapEMAWeights', () => {
  it('LambdaCallback calls each function with Keras arguments during fit', async () => {
    const model = tinyModel();
    const x = tf.ones([4, 2]);
    const y = tf.ones([4, 1]);
    const calls: string[] = [];
    const lambda = new callbacks.LambdaCallback({
      onTrainBegin: () => void calls.push('train begin'),
      onEpochBegin: (epoch) => void calls.push(`epoch ${epoch} begin`),
      onBatchBegin: (batch) => void calls.push(`batch ${batch} begin`),
      onBatchEnd: (batch, logs) => void calls.push(`batch ${batch} end ${typeof logs?.loss}`),
      onEpochEnd: async (epoch, logs) => void calls.push(`epoch ${epoch} end ${typeof logs?.loss}`),
      onTrainEnd: () => void calls.push('train end'),
    });
    await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, shuffle: false, callbacks: [lambda] });
    assert.deepEqual(calls, [
      'train begin',
      'epoch 0 begin',
      'batch 0 begin',
      'batch 0 end number',
      'batch 1 begin',
      'batch 1 end number',
      'epoch 0 end number',
      'epoch 1 begin',
      'batch 0 begin',
      'batch 0 end number',
      'batch 1 begin',
      'batch 1 end number',
      'epoch 1 end number',
      'train end',
    ]);
    tf.dispose([x, y]);
    expectValueError(
      () => new callbacks.LambdaCallback({ onEpochEnd: 'print' as never }),
      'Invalid value for argument onEpochEnd: expected a function or null. Received: onEpochEnd="print"',
    );
    assert.throws(() => new callbacks.LambdaCallback({ on_epoch_end: () => {} } as never), /Did you mean "onEpochEnd"/);
  });

  for (const c of FIXTURE.swap_ema as Json[]) {
    it(`SwapEMAWeights({ swapOnEpoch: ${c.swap_on_epoch} }) with SGD(useEma): the weights callbacks see and fit ends with, as Keras`, async () => {
      const model = new models.Sequential([layers.Input({ shape: [2] }), new layers.Dense({ units: 1 })]);
      model.compile({
        optimizer: new optimizers.SGD({ learningRate: 0.1, useEma: true, emaMomentum: 0.5 } as never),
        loss: 'mse',
      });
      tf.tidy(() => model.setWeights([tf.tensor2d([[0.5], [-0.5]]), tf.zeros([1])]));
      const x = tf.ones([4, 2]);
      const y = tf.ones([4, 1]);
      const seen: number[][] = [];
      const record = new callbacks.LambdaCallback({
        onEpochEnd: () => {
          const weights = model.getWeights();
          seen.push(Array.from((weights[0] as tf.Tensor).dataSync()));
          tf.dispose(weights);
        },
      });
      const swap = new callbacks.SwapEMAWeights({ swapOnEpoch: c.swap_on_epoch });
      const xVal = tf.tensor2d(c.x_val as number[][]);
      const yVal = tf.tensor2d(c.y_val as number[][]);
      const history = await model.fit(x, y, {
        epochs: 3,
        batchSize: 2,
        shuffle: false,
        verbose: 0,
        validationData: [xVal, yVal],
        callbacks: [swap, record],
      });
      // Validation ran on the moving averages (onTestBegin/onTestEnd), training on the model's own weights.
      assertAllClose(history.history.val_loss as number[], c.val_loss as number[], { rtol: 1e-5 }, 'val_loss');
      assertAllClose(history.history.loss as number[], c.loss as number[], { rtol: 1e-5 }, 'loss');
      tf.dispose([xVal, yVal]);
      const close = (a: number[][], b: number[][]) => {
        for (const [i, row] of a.entries()) {
          for (const [j, v] of row.entries())
            assert.ok(Math.abs(v - (b[i]?.[j] as number)) < 1e-6, `${v} vs ${b[i]?.[j]}`);
        }
      };
      close(seen, c.seen);
      const weights = model.getWeights();
      close([Array.from((weights[0] as tf.Tensor).dataSync())], [c.final]);
      tf.dispose(weights);
      // Once the optimizer has its slots, another fit with the callback leaves no tensor behind.
      await assertNoLeak(() =>
        model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, callbacks: [swap] }).then(() => {}),
      );
      tf.dispose([x, y]);
    });
  }

  it('SwapEMAWeights needs an optimizer with useEma', () => {
    const swap = new callbacks.SwapEMAWeights({ swapOnEpoch: true });
    swap.model = tinyModel();
    expectValueError(
      () => swap.onTestBegin(),
      'SwapEMAWeights must be used when `useEma=true` is set on the optimizer. Received: useEma=false',
    );
    expectValueError(
      () => new callbacks.SwapEMAWeights({ swapOnEpoch: 1 as never }),
      /argument swapOnEpoch: expected a boolean/,
    );
  });
});

describe('monitoring callbacks: bad options', () => {
  it('are refused naming the option', () => {
    expectValueError(
      () => new callbacks.EarlyStopping({ patience: -1 }),
      'Invalid value for argument patience: expected a non-negative integer. Received: patience=-1',
    );
    expectValueError(
      () => new callbacks.EarlyStopping({ patience: '3' as never }),
      /argument patience: expected a non-negative integer. Received: patience="3"/,
    );
    expectValueError(
      () => new callbacks.EarlyStopping({ minDelta: 'x' as never }),
      'Invalid value for argument minDelta: expected a finite number. Received: minDelta="x"',
    );
    expectValueError(
      () => new callbacks.EarlyStopping({ baseline: 'x' as never }),
      'Invalid value for argument baseline: expected a finite number or null. Received: baseline="x"',
    );
    expectValueError(
      () => new callbacks.EarlyStopping({ restoreBestWeights: 1 as never }),
      /argument restoreBestWeights: expected a boolean/,
    );
    expectValueError(
      () => new callbacks.EarlyStopping({ monitor: 3 as never }),
      /argument monitor: expected a log name/,
    );
    expectValueError(
      () => new callbacks.EarlyStopping({ startFromEpoch: 1.5 }),
      /argument startFromEpoch: expected a non-negative integer/,
    );
    expectValueError(
      () => new callbacks.EarlyStopping({ verbose: 3 as never }),
      'Invalid value for argument verbose: expected 0 or 1. Received: verbose=3',
    );
    expectValueError(
      () => new callbacks.ReduceLROnPlateau({ factor: 1.0 }),
      /ReduceLROnPlateau does not support a factor >= 1.0/,
    );
    expectValueError(
      () => new callbacks.ReduceLROnPlateau({ cooldown: -2 }),
      /argument cooldown: expected a non-negative integer/,
    );
    expectValueError(
      () => new callbacks.ReduceLROnPlateau({ minLr: -1 }),
      /argument minLr: expected a non-negative number/,
    );
    expectValueError(
      () => new callbacks.LearningRateScheduler({ schedule: 0.1 as never }),
      /argument schedule: expected a function/,
    );
    assert.throws(() => new callbacks.EarlyStopping({ min_delta: 0.1 } as never), /Did you mean "minDelta"/);
  });

  it("auto mode on an unknown metric throws Keras's error at the first epoch end", () => {
    const callback = new callbacks.EarlyStopping({ monitor: 'val_my_metric' });
    callback.model = tinyModel();
    callback.onTrainBegin();
    expectValueError(
      () => callback.onEpochEnd(0, { val_my_metric: 1 }),
      /EarlyStopping callback received monitor=val_my_metric, but Keras isn't able to automatically determine/,
    );
  });
});

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A training script run in a child process: fit with BackupAndRestore, optionally killed at a batch. */
function trainingScript(
  backupDir: string,
  out: string,
  killAt: { epoch: number; batch: number } | null,
  useBackup: boolean,
): string {
  return `
import * as tf from '@tensorflow/tfjs-core';
import { writeFileSync } from 'node:fs';
import { backend, callbacks, layers, models, optimizers, utils } from 'keras-regularizers';
await backend.setBackend('cpu');
utils.setRandomSeed(1234);
const model = new models.Sequential([
  layers.Input({ shape: [3] }),
  new layers.Dense({ units: 8, activation: 'relu' }),
  new layers.Dropout({ rate: 0.3 }),
  new layers.Dense({ units: 1 }),
]);
model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: 'mse' });
const x = tf.tensor2d(Array.from({ length: 40 * 3 }, (_, i) => Math.sin(i * 0.37)), [40, 3]);
const y = tf.tensor2d(Array.from({ length: 40 }, (_, i) => Math.cos(i * 0.11)), [40, 1]);
let epoch = 0;
const kill = ${JSON.stringify(killAt)};
const list = [];
if (${useBackup}) list.push(new callbacks.BackupAndRestore({ backupDir: ${JSON.stringify(backupDir)}, saveFreq: 3 }));
list.push(new callbacks.LambdaCallback({
  onEpochBegin: (e) => { epoch = e; },
  onBatchEnd: (batch) => { if (kill != null && epoch === kill.epoch && batch === kill.batch) process.exit(7); },
}));
await model.fit(x, y, { epochs: 4, batchSize: 4, verbose: 0, callbacks: list });
writeFileSync(${JSON.stringify(out)}, JSON.stringify({ weights: model.getWeights().map((w) => Array.from(w.dataSync())), iterations: model.optimizer.iterations }));
`;
}

describe('BackupAndRestore', () => {
  it('a process killed mid-epoch resumes at that epoch and batch and ends with the weights of an uninterrupted run (cpu, bit for bit)', async () => {
    const folder = mkdtempSync(join(scratch, 'backup-'));
    const backupDir = join(folder, 'backup');
    const env = { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.check.json') };
    const runScript = async (name: string, script: string) => {
      const path = join(ROOT, 'test', `.tmp-${process.pid}-${name}.ts`);
      writeFileSync(path, script);
      try {
        return await run(process.execPath, ['--import', 'tsx', path], { cwd: ROOT, env }).then(
          () => 0,
          (error: { code?: number; stderr?: string }) => {
            if (error.code !== 7) throw new Error(`${name} failed: ${error.stderr}`);
            return 7;
          },
        );
      } finally {
        rmSync(path, { force: true });
      }
    };
    assert.equal(await runScript('straight', trainingScript(backupDir, join(folder, 'straight.json'), null, false)), 0);
    // Killed after batch 8 of epoch 1 (10 batches per epoch, a backup every 3): the last backup was after batch 7.
    assert.equal(
      await runScript('killed', trainingScript(backupDir, join(folder, 'never.json'), { epoch: 1, batch: 8 }, true)),
      7,
    );
    const metadata = JSON.parse(readFileSync(join(backupDir, 'training_metadata.json'), 'utf8'));
    assert.equal(metadata.epoch, 1);
    assert.equal(metadata.batch, 7);
    assert.equal(metadata.step, 8);
    assert.deepEqual(readdirSync(backupDir).sort(), ['latest.weights.h5', 'training_metadata.json']);
    assert.equal(await runScript('resumed', trainingScript(backupDir, join(folder, 'resumed.json'), null, true)), 0);
    const straight = JSON.parse(readFileSync(join(folder, 'straight.json'), 'utf8'));
    const resumed = JSON.parse(readFileSync(join(folder, 'resumed.json'), 'utf8'));
    assert.deepEqual(resumed.weights, straight.weights);
    assert.equal(resumed.iterations, straight.iterations);
    // deleteCheckpoint (default): the backup is gone after a normal end.
    assert.equal(existsSync(backupDir), false);
  });

  it("writes Keras's files, keeps the one before with doubleCheckpoint, and refuses bad options and an unbuilt model", async () => {
    const backupDir = join(scratch, 'double');
    const model = tinyModel();
    const x = tf.ones([4, 2]);
    const y = tf.ones([4, 1]);
    const backup = new callbacks.BackupAndRestore({ backupDir, doubleCheckpoint: true, deleteCheckpoint: false });
    await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [backup] });
    assert.deepEqual(readdirSync(backupDir).sort(), [
      'latest.weights.h5',
      'latest.weights.h5.bkp',
      'training_metadata.json',
      'training_metadata.json.bkp',
    ]);
    const metadata = JSON.parse(readFileSync(join(backupDir, 'training_metadata.json'), 'utf8'));
    assert.deepEqual(
      { epoch: metadata.epoch, batch: metadata.batch, step: metadata.step },
      { epoch: 2, batch: 0, step: 0 },
    );
    // A Keras backup (no step) resumes at its epoch's start: a fit of 2 epochs has nothing left to do.
    writeFileSync(join(backupDir, 'training_metadata.json'), JSON.stringify({ epoch: 2, batch: 0 }));
    const epochs: number[] = [];
    await model.fit(x, y, {
      epochs: 3,
      verbose: 0,
      callbacks: [
        new callbacks.BackupAndRestore({ backupDir, deleteCheckpoint: false }),
        new callbacks.LambdaCallback({ onEpochBegin: (e) => void epochs.push(e) }),
      ],
    });
    assert.deepEqual(epochs, [2]);
    writeFileSync(join(backupDir, 'training_metadata.json'), '{"epoch": -1}');
    await assert.rejects(
      model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new callbacks.BackupAndRestore({ backupDir })] }),
      /Invalid backup metadata .*"epoch" is not a non-negative integer/,
    );
    const unbuilt = new models.Sequential([new layers.Dense({ units: 1 })]);
    unbuilt.compile({ optimizer: 'sgd', loss: 'mse' });
    // (fit builds a Sequential from its data before onTrainBegin; Keras's check is for a model still unbuilt then.)
    const onUnbuilt = new callbacks.BackupAndRestore({ backupDir: join(scratch, 'u') });
    onUnbuilt.model = unbuilt;
    await assert.rejects(
      async () => onUnbuilt.onTrainBegin(),
      /To use the BackupAndRestore callback, your model must be built before you call `fit\(\)`/,
    );
    tf.dispose([x, y]);
    expectValueError(() => new callbacks.BackupAndRestore({ backupDir: '' }), 'Empty `backupDir` argument passed');
    expectValueError(
      () => new callbacks.BackupAndRestore({ backupDir, saveFreq: 0 }),
      `Invalid value for argument \`saveFreq\`. Received: saveFreq=0. Expected either 'epoch' or a positive integer value.`,
    );
    expectValueError(
      () => new callbacks.BackupAndRestore({ backupDir, deleteCheckpoint: 'no' as never }),
      /argument deleteCheckpoint: expected a boolean/,
    );
  });
});
