import * as tf from '@tensorflow/tfjs-core';
import { Callback, CallbackList, type Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { ProgressBar } from '../callbacks/progress-bar.js';
import { invalidArgument, ValueError } from '../errors.js';
import { Layer } from '../layers/layer.js';
import type { LayerOptions, LayerOutputs } from '../layers/layer-types.js';
import { LAYERS } from '../layers/serialization.js';
import type * as optimizers from '../optimizers/index.js';
import { isPlainObject } from '../utils/objects.js';
import { readOptions } from '../utils/options.js';
import { permutation } from '../utils/random.js';
import { checkPositiveInteger, splitValidation, takeRows } from './batches.js';
import { type Compiled, type CompileOptions, compileConfigOf, resolveCompile } from './compile.js';
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
  targetList,
} from './data-checks.js';
import type { Functional, FunctionalOptions, GraphTensors } from './functional/functional.js';
import type { Sequential } from './sequential.js';
import type { ModelJson } from './serialization.js';
import { compiledLoss, LogsMean, noLossError, orderLogs, runStep, runStepOnRows, sumLosses } from './step.js';
import { formatSummary } from './summary.js';

export type { CompileOptions, MetricIdentifier, MetricName } from './compile.js';
export type { ModelInputs, Targets } from './data-checks.js';

/**
 * What `predict` returns: a tensor for a model of one output; for several,
 * an array in output order, or a record by name when the model's outputs
 * were given as a record.
 */
export type Predictions = tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;

/** The options of `Model.fit`, Keras's `fit(x, y, batch_size=None, epochs=1, verbose="auto", callbacks=None, ...)` camelCased. */
export interface FitOptions {
  /** The epoch to stop before, as in Keras: training runs epochs `initialEpoch` to `epochs - 1`; default 1. */
  epochs?: number;
  /** Samples per step; default 32. */
  batchSize?: number;
  /** Shuffle the samples each epoch (default true), with the library's seedable generator. */
  shuffle?: boolean;
  /**
   * `[x, y]` to evaluate after each epoch, each laid out as `fit`'s own `x`
   * and `y`; takes precedence over `validationSplit`, as in Keras.
   */
  validationData?: [ModelInputs, Targets];
  /** The last fraction of the samples, held out before shuffling. */
  validationSplit?: number;
  callbacks?: Callback[];
  /** 0: silent; 1: a progress bar (default); 2: one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** The epoch to start at (0-based), to resume a training; default 0. */
  initialEpoch?: number;
}

/** The options of `Model.evaluate`, Keras's `evaluate(x, y, batch_size=None)` camelCased. */
export interface EvaluateOptions {
  /** Samples per step; default 32. */
  batchSize?: number;
}

/** The options of `Model.predict`, Keras's `predict(x, batch_size=None)`: the same as `evaluate`'s. */
export type PredictOptions = EvaluateOptions;

const FIT_OPTIONS = [
  'epochs',
  'batchSize',
  'shuffle',
  'validationData',
  'validationSplit',
  'callbacks',
  'verbose',
  'initialEpoch',
];
const TRAIN_DATA: DataNames = { x: 'x', y: 'y' };
const VALIDATION_DATA: DataNames = { x: 'validationData[0]', y: 'validationData[1]' };

function checkCallbacks(value: unknown): Callback[] {
  if (value == null) return [];
  if (!Array.isArray(value)) throw invalidArgument('callbacks', 'an array of Callback objects', value);
  value.forEach((callback, i) => {
    if (!(callback instanceof Callback)) throw invalidArgument(`callbacks[${i}]`, 'a Callback', callback);
  });
  return value;
}

/** Set by functional.ts, which imports this module: `new Model({ inputs, outputs })` makes a Functional model. */
let functionalFactory: ((options: FunctionalOptions) => Model) | null = null;

export function setFunctionalFactory(factory: (options: FunctionalOptions) => Model): void {
  functionalFactory = factory;
}

/** Set by serialization.ts, which imports this module: `model.toJSON()`. */
let modelSerializer: ((model: Model) => ModelJson) | null = null;

export function setModelSerializer(serializer: (model: Model) => ModelJson): void {
  modelSerializer = serializer;
}

/**
 * Whether `model` is of the class registered as `name`. Functional and
 * Sequential import this module, so it looks their classes up (they
 * register when they load) instead of importing them.
 */
function isRegistered<T>(model: Model, name: 'Functional' | 'Sequential'): model is Model & T {
  const cls = LAYERS.classes.get(name) as unknown;
  return typeof cls === 'function' && model instanceof cls;
}

/**
 * How `model` takes its inputs: a Functional model has `inputs.length`
 * named ones (an input record is keyed by the names its inputs were given
 * under, else by the input layers' names); a Sequential takes one tensor; a
 * subclassed model takes whatever its `call` reads.
 */
function inputLayoutOf(model: Model): InputLayout {
  if (isRegistered<Functional>(model, 'Functional')) {
    const structure = model.inputStructure;
    return { count: model.inputs.length, keys: structure.kind === 'record' ? structure.keys : model.inputNames };
  }
  if (isRegistered<Sequential>(model, 'Sequential')) return { count: 1, keys: null };
  return { count: null, keys: null };
}

/** A tensor that is not disposed, for `computeLoss`, which reads its arguments as given (no casts). */
function liveTensor(value: unknown, argument: string): tf.Tensor {
  if (!(value instanceof tf.Tensor) || value.isDisposed) {
    throw invalidArgument(argument, 'a tensor that has not been disposed', value);
  }
  return value;
}

/** The batches' outputs joined along the samples: per output when the model has several. */
function concatBatches(batches: readonly LayerOutputs[]): LayerOutputs {
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

/** The Functional options among Model's constructor arguments, or null for a subclassed model's layer options. */
function graphArguments(first: unknown, outputs: unknown, options: LayerOptions | undefined): FunctionalOptions | null {
  if (outputs !== undefined)
    return { ...(options ?? {}), inputs: first as GraphTensors, outputs: outputs as GraphTensors };
  if (isPlainObject(first) && ('inputs' in first || 'outputs' in first)) return first as unknown as FunctionalOptions;
  return null;
}

/**
 * Keras's `Model`: a layer that trains. Subclass it (layers held in fields
 * are tracked) and override `call`, or use `Sequential`.
 *
 * The loss that training minimises, and that `fit`, `trainOnBatch` and
 * `evaluate` report, is the compiled loss plus the sum of `model.losses`
 * (activity penalties of this forward pass, weight penalties at the weights
 * before the update). The logs also give `regularization_loss` and each
 * layer's share, `regularization_loss/<layer name>`.
 *
 * Every entry point checks its arguments and data before its first step,
 * so a refused call has changed nothing.
 *
 * @example const model = new models.Model({ inputs, outputs: new layers.Dense({ units: 1 }).apply(inputs) });
 */
export class Model extends Layer {
  static override readonly className: string = 'Model';
  /** A model may have several outputs (see `OneInputResult`); a Sequential has one. */
  declare readonly outputArity: 'one' | 'many';
  #compiled: Compiled | null = null;
  #disposed = false;
  /** Set to true (e.g. from a callback) to end `fit` after the current batch. */
  stopTraining = false;

  /**
   * `new Model()` (with layer options) is the base of a subclassed model;
   * `new Model({ inputs, outputs, name })` or Keras's `new Model(inputs,
   * outputs)` makes a Functional model of the graph between them.
   */
  constructor(options?: LayerOptions);
  constructor(options: FunctionalOptions);
  constructor(inputs: GraphTensors, outputs: GraphTensors, options?: LayerOptions);
  constructor(
    first: LayerOptions | FunctionalOptions | GraphTensors = {},
    outputs?: GraphTensors,
    options?: LayerOptions,
  ) {
    const graph = graphArguments(first, outputs, options);
    // A graph is built by Functional; this object is then dropped, so it takes a fixed name, not a numbered one.
    super(graph == null ? (first as LayerOptions) : { name: 'functional_placeholder' });
    if (graph != null) {
      if (functionalFactory == null) throw new Error('Functional models are not loaded.');
      // biome-ignore lint/correctness/noConstructorReturn: Keras's Model(inputs, outputs) is a Functional model.
      return functionalFactory(graph);
    }
  }

  /**
   * The names of the model's outputs, in order: the keys of a loss, loss
   * weight or metric record given to `compile`. A Sequential's one output
   * is named after its last layer; another model's, after the model. A
   * model with several outputs overrides this.
   */
  get outputNames(): string[] {
    return [this.name];
  }

  /**
   * The model's layers (Keras's `model.layers`): a subclassed model's are
   * those held in its fields; Sequential and Functional give their own.
   */
  get layers(): Layer[] {
    return this.directSublayers();
  }

  /** Throws when the model was disposed: its weights are gone. */
  private checkNotDisposed(method: string): void {
    if (this.#disposed) {
      throw new ValueError(
        `Model "${this.name}" was disposed; ${method}() needs its weights. Build or load the model again.`,
        { argument: 'model', expected: 'a model that has not been disposed', received: `${this.name} (disposed)` },
      );
    }
  }

  /**
   * Chooses the optimizer (default `"rmsprop"`), the loss and the metrics,
   * per output. Compiling again frees the slots of the optimizer it replaces.
   */
  compile(options: CompileOptions = {}): void {
    this.checkNotDisposed('compile');
    const compiled = resolveCompile(options, this.outputNames);
    const previous = this.#compiled?.optimizer;
    if (previous != null && previous !== compiled.optimizer) previous.dispose();
    this.#compiled = compiled;
  }

  get optimizer(): optimizers.Optimizer | null {
    return this.#compiled?.optimizer ?? null;
  }

  /**
   * Keras's `compile_config`, or `null` when the model is not compiled or its
   * loss or metrics are functions, which Keras JSON cannot name.
   */
  getCompileConfig(): Record<string, unknown> | null {
    return this.#compiled == null ? null : compileConfigOf(this.#compiled);
  }

  private compiled(method: string): Compiled {
    this.checkNotDisposed(method);
    if (this.#compiled == null) {
      throw new ValueError(`You must call compile() before ${method}().`, {
        argument: 'model',
        expected: 'a compiled model',
      });
    }
    return this.#compiled;
  }

  /** The compiled state of a method that updates the weights: it needs an optimizer. */
  private compiledForTraining(method: string): Compiled {
    const compiled = this.compiled(method);
    if (compiled.optimizer == null) {
      throw new ValueError(
        `${method}() needs an optimizer, but the model was compiled with optimizer null. Call compile() with an optimizer.`,
        { argument: 'optimizer', expected: 'an optimizer', received: 'null' },
      );
    }
    return compiled;
  }

  /**
   * The loss to minimise in a custom training loop: the compiled loss of
   * `yPred` against `y` plus the sum of `model.losses` (call `apply` first,
   * so the activity penalties of this pass are recorded).
   */
  computeLoss(options: { y: Targets; yPred: Predictions }): tf.Scalar {
    const compiled = this.compiled('computeLoss');
    const { y, yPred } = readOptions<{ y: Targets; yPred: Predictions }>('computeLoss()', options, ['y', 'yPred']);
    // Both laid out per output, as `fit` takes targets: a tensor, an array in output order, a record by name.
    const names = this.outputNames;
    const ys = targetList(y, 'y', names, 'computeLoss').map(([t, name]) => liveTensor(t, name));
    const yPreds = targetList(yPred, 'yPred', names, 'computeLoss').map(([t, name]) => liveTensor(t, name));
    return tf.tidy(() => {
      const dataLoss = compiledLoss(compiled, ys, yPreds);
      const penalties = this.losses;
      if (dataLoss == null && penalties.length === 0) throw noLossError();
      const penaltySum = sumLosses(penalties);
      return (dataLoss == null ? penaltySum : tf.add(dataLoss, penaltySum)) as tf.Scalar;
    });
  }

  /**
   * How the data methods take `x`: how many inputs and the keys of an
   * input record.
   */
  private inputLayout(): InputLayout {
    return inputLayoutOf(this);
  }

  /**
   * One gradient step on one batch; the logs of that batch (loss before the
   * update). `x` is a tensor, or for a model of several inputs an array in
   * input order or a record by input name; `y` likewise by output.
   */
  trainOnBatch(x: ModelInputs, y: Targets): Logs {
    const compiled = this.compiledForTraining('trainOnBatch');
    const owned = new OwnedTensors();
    try {
      const data = checkedDataset(x, y, TRAIN_DATA, 'trainOnBatch', owned, this.inputLayout(), this.outputNames);
      return runStep(this, compiled, modelInput(data), data.ys, {
        training: true,
        train: true,
        checkTargets: true,
        yNames: data.yNames,
      });
    } finally {
      owned.dispose();
    }
  }

  /** The logs of one batch in inference mode, without updating anything. */
  testOnBatch(x: ModelInputs, y: Targets): Logs {
    const compiled = this.compiled('testOnBatch');
    const owned = new OwnedTensors();
    try {
      const data = checkedDataset(x, y, TRAIN_DATA, 'testOnBatch', owned, this.inputLayout(), this.outputNames);
      return runStep(this, compiled, modelInput(data), data.ys, {
        training: false,
        train: false,
        checkTargets: true,
        yNames: data.yNames,
      });
    } finally {
      owned.dispose();
    }
  }

  /** Loss (penalties included) and metrics over `x`, `y`, batch by batch, in inference mode. */
  evaluate(x: ModelInputs, y: Targets, options: EvaluateOptions = {}): Logs {
    const compiled = this.compiled('evaluate');
    const read = readOptions<EvaluateOptions>('evaluate()', options, ['batchSize']);
    const batchSize = checkPositiveInteger(read.batchSize ?? 32, 'batchSize');
    const owned = new OwnedTensors();
    try {
      const data = checkedDataset(x, y, TRAIN_DATA, 'evaluate', owned, this.inputLayout(), this.outputNames);
      checkTargetsAgainstModel(this, compiled, data, batchSize);
      return this.evaluateDataset(compiled, data, batchSize);
    } finally {
      owned.dispose();
    }
  }

  /** `evaluate` on checked data. */
  private evaluateDataset(compiled: Compiled, data: Dataset, batchSize: number): Logs {
    const mean = new LogsMean();
    for (let start = 0; start < data.n; start += batchSize) {
      const end = Math.min(start + batchSize, data.n);
      const rows = { ...data, start, end, order: null };
      mean.add(runStepOnRows(this, compiled, rows, { training: false, train: false }), end - start);
    }
    return mean.mean();
  }

  /**
   * The model's outputs for `x` (laid out as for `fit`), batch by batch, in
   * inference mode: a tensor for one output (also one given as a list of
   * one, as Keras); for several, an array in output order, or a record by
   * name when the outputs were given as one.
   */
  predict(this: Sequential, x: ModelInputs, options?: PredictOptions): tf.Tensor;
  predict(x: ModelInputs, options?: PredictOptions): Predictions;
  predict(x: ModelInputs, options: PredictOptions = {}): Predictions {
    this.checkNotDisposed('predict');
    const read = readOptions<PredictOptions>('predict()', options, ['batchSize']);
    const batchSize = checkPositiveInteger(read.batchSize ?? 32, 'batchSize');
    const owned = new OwnedTensors();
    try {
      const inputs = checkedPredictInputs(x, 'x', this.inputLayout(), owned);
      const { n } = inputs;
      const outputs = tf.tidy(() => {
        // No samples: the model's output for none, of the right shape.
        if (n === 0) return this.apply(modelInput(inputs), { training: false });
        const batches: LayerOutputs[] = [];
        for (let start = 0; start < n; start += batchSize) {
          const end = Math.min(start + batchSize, n);
          const rows = inputs.xs.map((t) => takeRows(t, start, end, null));
          batches.push(this.apply(modelInput({ xs: rows, asList: inputs.asList }), { training: false }));
        }
        return concatBatches(batches);
      });
      if (Array.isArray(outputs) && isRegistered<Functional>(this, 'Functional')) {
        // A Functional model runs in output order; outputs given as a record come back as one.
        const structure = this.outputStructure;
        if (structure.kind === 'record') {
          return Object.fromEntries(structure.keys.map((key, i) => [key, outputs[i] as tf.Tensor]));
        }
        // Keras's Functional returns the tensor itself for outputs given as a list of one (unpack_singleton).
        if (outputs.length === 1) return outputs[0] as tf.Tensor;
      }
      return outputs;
    } finally {
      owned.dispose();
    }
  }

  /**
   * Keras's `fit`: epochs of shuffled batches, validation, callbacks;
   * resolves to the History. Arguments, data and validation data are all
   * checked before the first step.
   */
  async fit(x: ModelInputs, y: Targets, options: FitOptions = {}): Promise<History> {
    const compiled = this.compiledForTraining('fit');
    const read = readOptions<FitOptions>('fit()', options, FIT_OPTIONS);
    const epochs = checkPositiveInteger(read.epochs ?? 1, 'epochs');
    const batchSize = checkPositiveInteger(read.batchSize ?? 32, 'batchSize');
    const verbose = read.verbose ?? 1;
    if (verbose !== 0 && verbose !== 1 && verbose !== 2) {
      throw invalidArgument('verbose', '0, 1 or 2', verbose);
    }
    const shuffle = read.shuffle ?? true;
    if (typeof shuffle !== 'boolean') throw invalidArgument('shuffle', 'a boolean', shuffle);
    const initialEpoch = read.initialEpoch ?? 0;
    if (!Number.isInteger(initialEpoch) || initialEpoch < 0) {
      throw invalidArgument('initialEpoch', 'a non-negative integer', initialEpoch);
    }
    const userCallbacks = checkCallbacks(read.callbacks);
    const validationData = read.validationData;
    if (validationData != null && !Array.isArray(validationData)) {
      throw invalidArgument('validationData', '[x, y], an array of two tensors', validationData);
    }
    if (validationData != null && validationData.length !== 2) {
      // Keras also takes (x, y, sample_weight); we have no sample weights.
      const expected = '[x, y], an array of two tensors';
      throw new ValueError(
        `Invalid value for argument validationData: expected ${expected}. Received: an array of ${(validationData as unknown[]).length}`,
        { argument: 'validationData', expected, received: `an array of ${(validationData as unknown[]).length}` },
      );
    }
    const owned = new OwnedTensors();
    try {
      const layout = this.inputLayout();
      const all = checkedDataset(x, y, TRAIN_DATA, 'fit', owned, layout, this.outputNames);
      let train = all;
      let validation: Dataset | null = null;
      if (validationData != null) {
        validation = checkedDataset(
          validationData[0],
          validationData[1],
          VALIDATION_DATA,
          'fit',
          owned,
          layout,
          this.outputNames,
        );
      } else if (read.validationSplit != null) {
        ({ train, validation } = splitValidation(all, read.validationSplit, owned));
      }
      checkTargetsAgainstModel(this, compiled, train, batchSize);
      if (validation != null) checkTargetsAgainstModel(this, compiled, validation, batchSize);
      return await this.fitDataset(compiled, train, validation, {
        epochs,
        batchSize,
        verbose,
        shuffle,
        initialEpoch,
        callbacks: userCallbacks,
      });
    } finally {
      owned.dispose();
    }
  }

  /** `fit` on checked data. A callback that disposes the model stops it with the disposal error. */
  private async fitDataset(
    compiled: Compiled,
    train: Dataset,
    validation: Dataset | null,
    settings: {
      epochs: number;
      batchSize: number;
      verbose: 0 | 1 | 2;
      shuffle: boolean;
      initialEpoch: number;
      callbacks: Callback[];
    },
  ): Promise<History> {
    const { epochs, batchSize, verbose } = settings;
    const steps = Math.ceil(train.n / batchSize);
    const history = new History();
    const progress = verbose === 0 ? [] : [new ProgressBar(epochs, steps, verbose)];
    const callbacks = new CallbackList([...progress, ...settings.callbacks, history]);
    callbacks.setModel(this);
    this.stopTraining = false;
    const alive = () => this.checkNotDisposed('fit');
    let epochLogs: Logs = {};
    await callbacks.trainBegin();
    alive();
    for (let epoch = settings.initialEpoch; epoch < epochs && !this.stopTraining; epoch++) {
      await callbacks.epochBegin(epoch);
      alive();
      const order = settings.shuffle ? permutation(train.n) : null;
      const mean = new LogsMean();
      for (let batch = 0; batch < steps && !this.stopTraining; batch++) {
        await callbacks.batchBegin(batch);
        alive();
        const start = batch * batchSize;
        const end = Math.min(start + batchSize, train.n);
        const rows = { ...train, start, end, order };
        mean.add(runStepOnRows(this, compiled, rows, { training: true, train: true }), end - start);
        await callbacks.batchEnd(batch, mean.mean());
        alive();
      }
      epochLogs = mean.mean();
      if (validation != null) {
        const validationLogs = this.evaluateDataset(compiled, validation, batchSize);
        for (const [key, value] of Object.entries(validationLogs)) epochLogs[`val_${key}`] = value;
        epochLogs = orderLogs(epochLogs);
      }
      await callbacks.epochEnd(epoch, epochLogs);
      alive();
    }
    await callbacks.trainEnd(epochLogs);
    return history;
  }

  /**
   * Keras's `get_layer(name)` (or by index in `layers`): a layer of this
   * model, searched among its `layers` or, for a subclassed model, the
   * layers held in its fields.
   */
  getLayer(nameOrIndex: string | number): Layer {
    const candidates = this.layers;
    const found =
      typeof nameOrIndex === 'number' ? candidates[nameOrIndex] : candidates.find((l) => l.name === nameOrIndex);
    if (found == null) {
      const names = candidates.map((l) => l.name).join(', ');
      throw new ValueError(
        typeof nameOrIndex === 'number'
          ? `Was asked to retrieve layer at index ${nameOrIndex} but model only has ${candidates.length} layers.`
          : `No such layer: ${nameOrIndex}. Existing layers are: ${names}.`,
        { argument: 'nameOrIndex', expected: `one of ${names}`, received: String(nameOrIndex) },
      );
    }
    return found;
  }

  /** Keras 3 JSON of the whole model (`model.to_json()`), with its build and compile configs. */
  toJSON(): ModelJson {
    if (modelSerializer == null) throw new Error('Model.toJSON: models/serialization.js was not loaded.');
    return modelSerializer(this);
  }

  /**
   * Keras's `model.save(filepath)`: the whole model (config, weights,
   * compile settings) to a `.keras` file, or Keras's legacy `.h5` layout
   * for a path ending in `.h5`; the same as `saving.saveModel(model, filepath)`.
   *
   * @example await model.save('classifier.keras');
   */
  async save(filepath: string, options: { overwrite?: boolean } = {}): Promise<void> {
    this.checkNotDisposed('save');
    const { saveModel } = await import('../saving/keras-file.js');
    await saveModel(this, filepath, options);
  }

  /**
   * Keras's `save_weights`: the weights alone to `filepath`, which must end
   * in `.weights.h5`, in Keras 3's layout (Python's `model.load_weights`
   * reads it). Written to a temporary file, then renamed over `filepath`.
   */
  async saveWeights(filepath: string, options: { overwrite?: boolean } = {}): Promise<void> {
    this.checkNotDisposed('saveWeights');
    // Imported when called: saving/ builds on this module, which cannot import it at load.
    const { saveWeights } = await import('../saving/weights-file.js');
    await saveWeights(this, filepath, options);
  }

  /**
   * Keras's `load_weights`: the weights of a `.weights.h5` file (saved by
   * Keras or by `saveWeights`) into this model, which must have the
   * architecture the file was saved from. All are checked before any is set.
   */
  async loadWeights(filepath: string): Promise<void> {
    this.checkNotDisposed('loadWeights');
    const { loadWeights } = await import('../saving/weights-file.js');
    await loadWeights(this, filepath);
  }

  /** Prints (or passes to `print`) a table of the layers, output shapes and parameter counts. */
  summary(print: (line: string) => void = console.log): void {
    for (const line of formatSummary(this)) print(line);
  }

  /**
   * Frees the weights, recorded losses and the optimizer's slots. The model
   * cannot be used after: `compile`, `fit`, `evaluate`, `predict` and the
   * batch methods throw.
   */
  override dispose(): void {
    this.#compiled?.optimizer?.dispose();
    super.dispose();
    this.#disposed = true;
  }
}

/**
 * The sum of a model's (or layer's) `losses`: every penalty, as one scalar.
 * For custom training loops: `total = dataLoss + regularizationLoss(model)`.
 */
export function regularizationLoss(model: Layer): tf.Scalar {
  return tf.tidy(() => sumLosses(model.losses));
}
