/**
 * Keras's fit loop (keras/src/backend/jax/trainer.py `fit` with
 * trainers/epoch_iterator.py): epochs of batches from a feed, callbacks in
 * Keras's order, validation after each epoch, `stopTraining`, resuming
 * where BackupAndRestore says, and the optimizer's final values.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Callback, CallbackList, type Logs } from '../../callbacks/callback.js';
import { History } from '../../callbacks/history.js';
import { ProgressBar } from '../../callbacks/progress-bar.js';
import type { LayerOutputs } from '../../layers/layer-types.js';
import type { Feed, FeedPass } from '../data/feeds.js';
import { RAN_OUT_WARNING } from '../data/iterable-data.js';
import type { Model } from '../model.js';
import { LogsMean, orderLogs } from '../step.js';

/** What the loop needs besides the model: the feeds, the settings `fit` checked, and the model's liveness check. */
export interface FitSettings {
  epochs: number;
  verbose: 0 | 1 | 2;
  initialEpoch: number;
  callbacks: Callback[];
  /** Keras's `steps_per_epoch`: the feed's pass continues across epochs; null: one whole pass per epoch. */
  stepsPerEpoch: number | null;
  validation: Feed | null;
  /** Keras's `validation_steps`: at most this many validation batches per epoch. */
  validationSteps: number | null;
  /** Throws when the model was disposed (by a callback). */
  alive: () => void;
  /** Keras's warnings (the data ran out); `console.warn` by default. */
  warn?: (message: string) => void;
}

/** Keras's epoch line for a dataset of unknown length: `verbose` 1 and 2 print the epoch's steps, time and logs. */
class EpochLines extends Callback {
  #start = 0;
  #steps = 0;

  constructor(private readonly epochs: number) {
    super();
  }

  override onEpochBegin(epoch: number): void {
    this.#start = performance.now();
    this.#steps = 0;
    console.log(`Epoch ${epoch + 1}/${this.epochs}`);
  }

  override onBatchEnd(): void {
    this.#steps += 1;
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    const seconds = ((performance.now() - this.#start) / 1000).toFixed(0);
    const shown = Object.entries(logs)
      .filter(([name]) => !name.includes('/'))
      .map(([name, value]) => `${name}: ${value.toFixed(4)}`);
    console.log([`${this.#steps} steps ${seconds}s`, ...shown].join(' - '));
  }
}

/**
 * Runs `fit`'s epochs over `train`. With `stepsPerEpoch`, the pass in hand
 * carries over to the next epoch (Keras's EpochIterator); a pass that runs
 * out inside an epoch ends that epoch with Keras's warning, and the next
 * epoch starts a new pass (a pass used up right at an epoch's start is
 * replaced at once, as Keras does for data of known length). A dataset
 * that cannot start over and has nothing left stops training with the
 * warning. `model.resumeAt`, read after `onTrainBegin`, starts at its
 * epoch and skips its first `step` batches.
 */
export async function fitLoop(model: Model, train: Feed, settings: FitSettings): Promise<History> {
  const { epochs, verbose, stepsPerEpoch, alive } = settings;
  const warn = settings.warn ?? ((message: string) => console.warn(message));
  const steps = stepsPerEpoch ?? train.steps;
  const history = new History();
  const progress =
    verbose === 0 ? [] : steps == null ? [new EpochLines(epochs)] : [new ProgressBar(epochs, steps, verbose)];
  const callbacks = new CallbackList([...progress, ...settings.callbacks, history]);
  callbacks.setModel(model);
  model.stopTraining = false;
  let epochLogs: Logs = {};
  let pass: FeedPass | null = null;
  let failed = true;
  try {
    await callbacks.trainBegin();
    alive();
    const resume = model.resumeAt;
    model.resumeAt = null;
    let skip = resume?.step ?? 0;
    for (let epoch = resume?.epoch ?? settings.initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      // Keras's reset_metrics before on_epoch_begin: each epoch's logs are that epoch's.
      train.resetMetrics();
      await callbacks.epochBegin(epoch);
      alive();
      if (stepsPerEpoch == null && pass != null) {
        await pass.close();
        pass = null;
      }
      const mean = new LogsMean();
      let taken = 0;
      let ranOut = false;
      for (let step = 0; (stepsPerEpoch == null || step < stepsPerEpoch) && !model.stopTraining; step++) {
        const fresh = pass == null;
        pass ??= train.open();
        let batch = await pass.next();
        if (batch == null && !fresh && step === 0 && train.restartable) {
          // Used up exactly at the epoch's end: a new pass, as Keras restarts data of known length.
          pass = train.open();
          batch = await pass.next();
        }
        if (batch == null) {
          pass = null;
          ranOut = stepsPerEpoch != null || step === 0;
          break;
        }
        if (skip > 0) {
          // Resuming mid-epoch: these batches were trained on before the interruption.
          skip -= 1;
          batch.dispose();
          continue;
        }
        await callbacks.batchBegin(step);
        alive();
        try {
          mean.add(batch.run({ training: true, train: true }), batch.size);
        } finally {
          batch.dispose();
        }
        taken += 1;
        await callbacks.batchEnd(step, mean.mean());
        alive();
      }
      if (ranOut) warn(RAN_OUT_WARNING);
      if (taken === 0 && ranOut) {
        // Nothing left to train on (a one-pass dataset used up).
        model.stopTraining = true;
        break;
      }
      epochLogs = mean.mean();
      if (settings.validation != null) {
        // Keras's fit validates through evaluate(callbacks=...): on_test_begin/on_test_end around it
        // (SwapEMAWeights puts the moving averages in the model for that time).
        await callbacks.testBegin();
        alive();
        const validationLogs = await evaluateFeed(settings.validation, settings.validationSteps);
        await callbacks.testEnd(validationLogs);
        alive();
        for (const [key, value] of Object.entries(validationLogs)) epochLogs[`val_${key}`] = value;
        epochLogs = orderLogs(epochLogs);
      }
      await callbacks.epochEnd(epoch, epochLogs);
      alive();
    }
    failed = false;
  } finally {
    await pass?.close();
    finalize(model, failed, epochs);
  }
  await callbacks.trainEnd(epochLogs);
  return history;
}

/**
 * Keras's end of `fit` (in its `finally`): the optimizer's final values
 * (with EMA: the averages written over the weights). After a failure, a
 * second error here does not hide the first.
 */
function finalize(model: Model, failed: boolean, epochs: number): void {
  const optimizer = model.optimizer as { finalizeVariableValues?: (variables: readonly tf.Variable[]) => void } | null;
  if (optimizer == null || typeof optimizer.finalizeVariableValues !== 'function' || epochs <= 0) return;
  try {
    optimizer.finalizeVariableValues(model.trainableWeights as tf.Variable[]);
  } catch (error) {
    if (!failed) throw error;
  }
}

/** Loss and metrics over one pass of `feed` (at most `steps` batches), in inference mode. */
export async function evaluateFeed(feed: Feed, steps: number | null): Promise<Logs> {
  feed.resetMetrics();
  const mean = new LogsMean();
  const pass = feed.open();
  try {
    for (let step = 0; steps == null || step < steps; step++) {
      const batch = await pass.next();
      if (batch == null) break;
      try {
        mean.add(batch.run({ training: false, train: false }), batch.size);
      } finally {
        batch.dispose();
      }
    }
  } finally {
    await pass.close();
  }
  return mean.mean();
}

/** The batches' outputs joined along the samples: per output when the model has several. */
export function concatBatches(batches: readonly LayerOutputs[]): LayerOutputs {
  const first = batches[0] as LayerOutputs;
  if (batches.length === 1) return first;
  if (!Array.isArray(first)) return tf.concat(batches as tf.Tensor[], 0);
  return first.map((_, i) =>
    tf.concat(
      batches.map((batch) => (batch as tf.Tensor[])[i] as tf.Tensor),
      0,
    ),
  );
}
