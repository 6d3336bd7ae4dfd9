/**
 * `fit`, `evaluate` and `predict` arguments read as Keras reads them
 * (in-memory tensors or a dataset, sample and class weights, steps), turned
 * into feeds, then run. Everything is checked before the first step (a
 * dataset's first batch included), so a refused call has changed nothing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Callback, type Logs } from '../../callbacks/callback.js';
import type { History } from '../../callbacks/history.js';
import { invalidArgument, ValueError } from '../../errors.js';
import type { Layer } from '../../layers/layer.js';
import type { LayerOutputs } from '../../layers/layer-types.js';
import { isPlainObject } from '../../utils/objects.js';
import { readOptions } from '../../utils/options.js';
import { checkPositiveInteger, splitValidation, takeRows } from '../batches.js';
import type { Compiled } from '../compile.js';
import { ArrayFeed, type Feed, StreamFeed, type StreamSettings } from '../data/feeds.js';
import { checkFiniteData } from '../data/finite-values.js';
import { BatchSource, batchParts, type DataSource, isDataSource } from '../data/iterable-data.js';
import {
  type CheckedWeights,
  type ClassWeights,
  checkClassWeightUse,
  checkedClassWeight,
  checkedSampleWeights,
  classWeightsToSampleWeights,
  type SampleWeights,
} from '../data/sample-weights.js';
import {
  checkedDataset,
  checkedPredictInputs,
  checkTargetsAgainstModel,
  type DataNames,
  type Dataset,
  type InputLayout,
  type ModelInputs,
  modelInput,
  OwnedTensors,
  type Targets,
} from '../data-checks.js';
import type { Model } from '../model.js';
import { concatBatches, evaluateFeed, fitLoop } from './fit-loop.js';

/** The options of `Model.fit`, Keras's `fit(x, y, batch_size=None, epochs=1, verbose="auto", callbacks=None, ...)` camelCased. */
export interface FitOptions {
  /** The epoch to stop before, as in Keras: training runs epochs `initialEpoch` to `epochs - 1`; default 1. */
  epochs?: number;
  /** Samples per step for in-memory data; default 32. A dataset's batches are as it yields them. */
  batchSize?: number;
  /** Shuffle the samples each epoch (default true), with the library's seedable generator; a dataset is read in its own order. */
  shuffle?: boolean;
  /**
   * `[x, y]` or `[x, y, sampleWeight]` to evaluate after each epoch, laid
   * out as `fit`'s own; or a dataset (a function returning a new iterator
   * each epoch is best: each evaluation is a new pass). Takes precedence
   * over `validationSplit`, as in Keras.
   */
  validationData?: [ModelInputs, Targets] | [ModelInputs, Targets, SampleWeights | null] | DataSource;
  /** The last fraction of the in-memory samples (and their weights), held out before shuffling. */
  validationSplit?: number;
  callbacks?: Callback[];
  /** 0: silent; 1: a progress bar (default); 2: one line per epoch. */
  verbose?: 'auto' | 0 | 1 | 2;
  /** The epoch to start at (0-based), to resume a training; default 0. */
  initialEpoch?: number;
  /**
   * Keras's `sample_weight`: a weight per sample (shape `[n]`, or `[n, steps]`
   * for a sequence output), for every output, or one per output (array or
   * record by name). Weighs the loss (`sum(loss * w) / count`) and the
   * `weightedMetrics`. For a dataset, give weights as each batch's third entry.
   */
  sampleWeight?: SampleWeights | null;
  /** Keras's `class_weight`: a weight per class index (others weigh 1), for a model of one output; not with `sampleWeight`. */
  classWeight?: ClassWeights | null;
  /**
   * Keras's `steps_per_epoch`: batches per epoch. A dataset then carries on
   * where the last epoch stopped; when it runs out first, the epoch ends
   * with Keras's warning and the next starts a new pass.
   */
  stepsPerEpoch?: number | null;
  /** Keras's `validation_steps`: at most this many validation batches per evaluation. */
  validationSteps?: number | null;
  /** Keras's `validation_batch_size` for in-memory validation data; default `batchSize`. */
  validationBatchSize?: number | null;
  /**
   * Beyond Keras: `fit` refuses data (inputs, targets, sample weights, each
   * batch of a dataset) that holds a NaN or an infinity, naming the array and
   * the index, since one turns every weight into NaN. `true` skips the check
   * (and its read of the data); default false.
   */
  allowNonFinite?: boolean;
}

/** The options of `Model.evaluate`, Keras's `evaluate(x, y, batch_size=None, sample_weight=None, steps=None)` camelCased. */
export interface EvaluateOptions {
  /** Samples per step for in-memory data; default 32. */
  batchSize?: number;
  /** Weights per sample, laid out as `fit`'s `sampleWeight`. */
  sampleWeight?: SampleWeights | null;
  /** At most this many batches; default: all of them (a whole pass of a dataset). */
  steps?: number | null;
  /** As `fit`'s: `true` lets NaN and infinite values through; default false (refused, named). */
  allowNonFinite?: boolean;
}

/** The options of `Model.predict`, Keras's `predict(x, batch_size=None, steps=None)`. */
export interface PredictOptions {
  /** Samples per step for in-memory data; default 32. */
  batchSize?: number;
  /** At most this many batches; default: all of them. */
  steps?: number | null;
}

const FIT_OPTIONS = [
  'epochs',
  'batchSize',
  'shuffle',
  'validationData',
  'validationSplit',
  'callbacks',
  'verbose',
  'initialEpoch',
  'sampleWeight',
  'classWeight',
  'stepsPerEpoch',
  'validationSteps',
  'validationBatchSize',
  'allowNonFinite',
];
const EVALUATE_OPTIONS = ['batchSize', 'sampleWeight', 'steps', 'allowNonFinite'];
const TRAIN_DATA: DataNames = { x: 'x', y: 'y' };
const VALIDATION_DATA: DataNames = { x: 'validationData[0]', y: 'validationData[1]' };

/** What the model gives the runners: how it takes inputs, its outputs, what it takes, and its liveness check. */
export interface ModelContext {
  model: Model;
  compiled: Compiled;
  layout: InputLayout;
  /** Throws when the model was disposed. */
  alive: () => void;
}

/** In-memory data with its sample weights per output (empty: none). */
type WeightedDataset = Dataset & { sampleWeights: (tf.Tensor | null)[]; weightNames: string[] };

function optionalPositive(value: unknown, name: string): number | null {
  return value == null ? null : checkPositiveInteger(value, name);
}

/** Keras's refusal of `y` or `sampleWeight` beside a dataset: they belong in its batches. */
function datasetArgument(name: string, what: string): ValueError {
  return new ValueError(
    `When providing \`x\` as a dataset, \`${name}\` should not be passed. Instead, ${what} should be included as part of the dataset's batches.`,
    { argument: name, expected: 'nothing beside a dataset', received: name },
  );
}

/** The shapes a model declares for its inputs (null axes free), or null when it declares none. */
function declaredInputShapes(model: Layer): (number | null)[][] | null {
  const inputs = (model as { inputs?: unknown }).inputs;
  if (Array.isArray(inputs) && inputs.every((t) => Array.isArray((t as { shape?: unknown })?.shape))) {
    return inputs.map((t) => [...(t as { shape: (number | null)[] }).shape]);
  }
  const first = (model as { stackedLayers?: { batchShape?: unknown }[] }).stackedLayers?.[0];
  if (first != null && Array.isArray(first.batchShape)) return [[...(first.batchShape as (number | null)[])]];
  return null;
}

/** Checked in-memory data with its weights (sampleWeight, or classWeight turned into them). */
function weightedDataset(
  ctx: ModelContext,
  x: unknown,
  y: unknown,
  sampleWeight: unknown,
  classWeight: ReadonlyMap<number, number> | null,
  names: DataNames & { sampleWeight: string },
  method: string,
  owned: OwnedTensors,
  allowNonFinite: boolean,
): WeightedDataset {
  const outputNames = ctx.model.outputNames;
  const data = checkedDataset(x, y, names, method, owned, ctx.layout, outputNames);
  let weights: CheckedWeights | null = checkedSampleWeights(
    sampleWeight,
    names.sampleWeight,
    outputNames,
    data.n,
    owned,
    method,
  );
  if (weights == null && classWeight != null) {
    weights = {
      weights: [owned.add(classWeightsToSampleWeights(data.ys[0] as tf.Tensor, classWeight))],
      names: ['classWeight'],
    };
  }
  const result = { ...data, sampleWeights: weights?.weights ?? [], weightNames: weights?.names ?? [] };
  if (!allowNonFinite) checkFiniteData(result, method);
  return result;
}

/** `checkTargetsAgainstModel`, then each sample weight against its output's prediction shape. */
function checkAgainstModel(ctx: ModelContext, data: WeightedDataset, rows: number): void {
  checkTargetsAgainstModel(ctx.model, ctx.compiled, data, rows);
  if (!data.sampleWeights.some((w) => w != null)) return;
  const shapes = tf.tidy(() => {
    const sample = data.xs.map((x) => tf.slice(x, 0, Math.min(rows, data.n)));
    try {
      const out = ctx.model.apply(modelInput({ xs: sample, asList: data.asList }), { training: false });
      return (Array.isArray(out) ? out : [out]).map((t) => [data.n, ...t.shape.slice(1)]);
    } finally {
      ctx.model.clearLosses();
    }
  });
  ctx.compiled.outputs.forEach((output, i) => {
    const weight = data.sampleWeights[i];
    if (weight != null && output.loss != null) {
      output.loss.checkSampleWeight(weight, shapes[i] as number[], data.weightNames[i] ?? 'sampleWeight');
    }
  });
}

/** A stream feed of `source`, primed (its first batch checked on the model). */
async function streamFeed(
  ctx: ModelContext,
  source: DataSource<unknown>,
  settings: Pick<StreamSettings, 'method' | 'argument' | 'classWeight' | 'allowNonFinite'>,
): Promise<StreamFeed> {
  const feed = new StreamFeed(ctx.model, ctx.compiled, new BatchSource(source, settings.argument), {
    ...settings,
    layout: ctx.layout,
    outputNames: ctx.model.outputNames,
    inputShapes: declaredInputShapes(ctx.model),
  });
  await feed.prime();
  return feed;
}

/** `fit(x, y, options)` or `fit(dataset, options)`: arguments read, data checked, then the loop. */
export async function runFit(ctx: ModelContext, x: unknown, second: unknown, third: unknown): Promise<History> {
  const streaming = isDataSource(x);
  // fit(dataset, options) or fit(dataset, undefined, options).
  const givenOptions = streaming && isPlainObject(second) && third === undefined ? second : third;
  const y = streaming && givenOptions === second ? null : second;
  const read = readOptions<FitOptions>('fit()', givenOptions ?? {}, FIT_OPTIONS);
  const epochs = checkPositiveInteger(read.epochs ?? 1, 'epochs');
  const batchSize = checkPositiveInteger(read.batchSize ?? 32, 'batchSize');
  // Keras's "auto" is 1; the bar itself prints one line per epoch where the output is not a terminal.
  const verbose = read.verbose === undefined || read.verbose === 'auto' ? 1 : read.verbose;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw invalidArgument('verbose', '"auto", 0, 1 or 2', verbose);
  const allowNonFinite = checkAllowNonFinite(read.allowNonFinite);
  const shuffle = read.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw invalidArgument('shuffle', 'a boolean', shuffle);
  const initialEpoch = read.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) {
    throw invalidArgument('initialEpoch', 'a non-negative integer', initialEpoch);
  }
  const callbacks = checkCallbacks(read.callbacks);
  const stepsPerEpoch = optionalPositive(read.stepsPerEpoch, 'stepsPerEpoch');
  const validationSteps = optionalPositive(read.validationSteps, 'validationSteps');
  const validationBatchSize = optionalPositive(read.validationBatchSize, 'validationBatchSize') ?? batchSize;
  const classWeight = checkedClassWeight(read.classWeight);
  checkClassWeightUse(read.classWeight, read.sampleWeight, ctx.model.outputNames.length);
  const validationData = read.validationData;
  const validationStreams = validationData != null && isDataSource(validationData);
  if (validationData != null && !validationStreams) checkValidationArray(validationData);
  if (streaming) {
    if (y != null) throw datasetArgument('y', 'the targets');
    if (read.sampleWeight != null) throw datasetArgument('sampleWeight', 'the sample weights');
    if (read.validationSplit != null) {
      throw new ValueError('`validationSplit` is only supported for in-memory tensors, not for a dataset.', {
        argument: 'validationSplit',
        expected: 'in-memory tensors',
        received: 'a dataset',
      });
    }
  }
  const owned = new OwnedTensors();
  const streams: StreamFeed[] = [];
  try {
    let train: Feed;
    let validation: Feed | null = null;
    let all: WeightedDataset | null = null;
    if (streaming) {
      const feed = await streamFeed(ctx, x as DataSource<unknown>, {
        method: 'fit',
        argument: 'x',
        classWeight,
        allowNonFinite,
      });
      streams.push(feed);
      train = feed;
    } else {
      all = weightedDataset(
        ctx,
        x,
        y,
        read.sampleWeight,
        classWeight,
        { ...TRAIN_DATA, sampleWeight: 'sampleWeight' },
        'fit',
        owned,
        allowNonFinite,
      );
      let trainData = all;
      if (validationData == null && read.validationSplit != null) {
        const { train: head, validation: tail } = splitValidation(all, read.validationSplit, owned);
        const cut = head.n;
        const weightsOf = (start: number, size: number) =>
          all?.sampleWeights.map((w) => (w == null ? null : owned.add(tf.slice(w, start, size)))) ?? [];
        trainData = { ...head, sampleWeights: weightsOf(0, cut), weightNames: all.weightNames };
        const held = { ...tail, sampleWeights: weightsOf(cut, tail.n), weightNames: all.weightNames };
        checkAgainstModel(ctx, held, validationBatchSize);
        validation = new ArrayFeed(ctx.model, ctx.compiled, held, validationBatchSize, false);
      }
      checkAgainstModel(ctx, trainData, batchSize);
      train = new ArrayFeed(ctx.model, ctx.compiled, trainData, batchSize, shuffle);
    }
    if (validationData != null) {
      if (validationStreams) {
        const feed = await streamFeed(ctx, validationData as DataSource<unknown>, {
          method: 'fit',
          argument: 'validationData',
          classWeight: null,
          allowNonFinite,
        });
        streams.push(feed);
        validation = feed;
      } else {
        const [vx, vy, vw] = validationData as unknown[];
        const held = weightedDataset(
          ctx,
          vx,
          vy,
          vw,
          null,
          { ...VALIDATION_DATA, sampleWeight: 'validationData[2]' },
          'fit',
          owned,
          allowNonFinite,
        );
        checkAgainstModel(ctx, held, validationBatchSize);
        validation = new ArrayFeed(ctx.model, ctx.compiled, held, validationBatchSize, false);
      }
    }
    return await fitLoop(ctx.model, train, {
      epochs,
      verbose,
      initialEpoch,
      callbacks,
      stepsPerEpoch,
      validation,
      validationSteps,
      alive: ctx.alive,
    });
  } finally {
    for (const feed of streams) await feed.release();
    owned.dispose();
  }
}

function checkAllowNonFinite(value: unknown): boolean {
  if (value !== undefined && typeof value !== 'boolean') throw invalidArgument('allowNonFinite', 'a boolean', value);
  return value === true;
}

function checkCallbacks(value: unknown): Callback[] {
  if (value == null) return [];
  if (!Array.isArray(value)) throw invalidArgument('callbacks', 'an array of Callback objects', value);
  value.forEach((callback, i) => {
    if (!(callback instanceof Callback)) throw invalidArgument(`callbacks[${i}]`, 'a Callback', callback);
  });
  return value;
}

function checkValidationArray(validationData: unknown): void {
  const expected = '[x, y] or [x, y, sampleWeight], or a dataset';
  if (!Array.isArray(validationData)) throw invalidArgument('validationData', expected, validationData);
  if (validationData.length !== 2 && validationData.length !== 3) {
    const received = `an array of ${validationData.length}`;
    throw new ValueError(`Invalid value for argument validationData: expected ${expected}. Received: ${received}`, {
      argument: 'validationData',
      expected,
      received,
    });
  }
}

/** `evaluate(x, y, options)`, in-memory: the logs over every batch. */
export function runEvaluate(ctx: ModelContext, x: unknown, y: unknown, options: unknown): Logs {
  const read = readOptions<EvaluateOptions>('evaluate()', options ?? {}, EVALUATE_OPTIONS);
  const allowNonFinite = checkAllowNonFinite(read.allowNonFinite);
  const batchSize = checkPositiveInteger(read.batchSize ?? 32, 'batchSize');
  const steps = optionalPositive(read.steps, 'steps');
  const owned = new OwnedTensors();
  try {
    const data = weightedDataset(
      ctx,
      x,
      y,
      read.sampleWeight,
      null,
      { ...TRAIN_DATA, sampleWeight: 'sampleWeight' },
      'evaluate',
      owned,
      allowNonFinite,
    );
    checkAgainstModel(ctx, data, batchSize);
    const feed = new ArrayFeed(ctx.model, ctx.compiled, data, batchSize, false);
    return feed.evaluateNow(steps);
  } finally {
    owned.dispose();
  }
}

/** `evaluate(dataset, options)`: the logs over one pass (or `steps` batches). */
export async function runEvaluateStream(
  ctx: ModelContext,
  source: DataSource<unknown>,
  second: unknown,
  third: unknown,
): Promise<Logs> {
  const options = isPlainObject(second) && third === undefined ? second : third;
  if (second != null && options !== second) throw datasetArgument('y', 'the targets');
  const read = readOptions<EvaluateOptions>('evaluate()', options ?? {}, EVALUATE_OPTIONS);
  const allowNonFinite = checkAllowNonFinite(read.allowNonFinite);
  if (read.sampleWeight != null) throw datasetArgument('sampleWeight', 'the sample weights');
  const steps = optionalPositive(read.steps, 'steps');
  const feed = await streamFeed(ctx, source, {
    method: 'evaluate',
    argument: 'x',
    classWeight: null,
    allowNonFinite,
  });
  try {
    return await evaluateFeed(feed, steps);
  } finally {
    await feed.release();
  }
}

/** `predict(dataset, options)`: each batch's outputs, joined along the samples. */
export async function runPredictStream(
  ctx: Pick<ModelContext, 'model' | 'layout'>,
  source: DataSource<unknown>,
  options: unknown,
): Promise<LayerOutputs> {
  const read = readOptions<PredictOptions>('predict()', options ?? {}, ['batchSize', 'steps']);
  const steps = optionalPositive(read.steps, 'steps');
  const pass = new BatchSource(source, 'x').open();
  const outputs: LayerOutputs[] = [];
  try {
    for (let index = 0; steps == null || index < steps; index++) {
      const result = await pass.next();
      if (result.done) break;
      const owned = new OwnedTensors();
      try {
        const parts = batchParts(result.value, 'x', index, false);
        for (const t of [parts.x, parts.y, parts.sampleWeight].flatMap((v) => tensorsOf(v))) owned.add(t);
        const inputs = checkedPredictInputs(parts.x, `batch ${index}'s x`, ctx.layout, owned);
        outputs.push(tf.tidy(() => ctx.model.apply(modelInput(inputs), { training: false })));
      } finally {
        owned.dispose();
      }
    }
  } catch (error) {
    tf.dispose(outputs.flat());
    throw error;
  } finally {
    await pass.close();
  }
  if (outputs.length === 0) {
    throw new ValueError('The dataset given as x yielded no batch. predict() needs at least one.', {
      argument: 'x',
      expected: 'at least one batch',
      received: 'an empty dataset',
    });
  }
  const joined = concatBatches(outputs);
  if (outputs.length > 1) tf.dispose(outputs.flat());
  return joined;
}

function tensorsOf(value: unknown): tf.Tensor[] {
  if (value instanceof tf.Tensor) return [value];
  if (Array.isArray(value)) return value.flatMap(tensorsOf);
  if (isPlainObject(value)) return Object.values(value).flatMap(tensorsOf);
  return [];
}

/** In-memory predictions, batch by batch (`takeRows` of each input), joined. */
export function predictArrays(
  model: Layer,
  xs: readonly tf.Tensor[],
  asList: boolean,
  n: number,
  batchSize: number,
  steps: number | null,
): LayerOutputs {
  return tf.tidy(() => {
    // No samples: the model's output for none, of the right shape.
    if (n === 0) return model.apply(modelInput({ xs, asList }), { training: false });
    const batches: LayerOutputs[] = [];
    for (let start = 0, step = 0; start < n && (steps == null || step < steps); start += batchSize, step++) {
      const end = Math.min(start + batchSize, n);
      const rows = xs.map((t) => takeRows(t, start, end, null));
      batches.push(model.apply(modelInput({ xs: rows, asList }), { training: false }));
    }
    return concatBatches(batches);
  });
}
