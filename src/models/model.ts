import * as tf from '@tensorflow/tfjs-core';
import type { Logs } from '../callbacks/callback.js';
import type { History } from '../callbacks/history.js';
import { invalidArgument, ValueError } from '../errors.js';
import { Layer } from '../layers/layer.js';
import type { LayerOptions } from '../layers/layer-types.js';
import { LAYERS } from '../layers/serialization.js';
import type * as optimizers from '../optimizers/index.js';
import { isPlainObject } from '../utils/objects.js';
import { readOptions } from '../utils/options.js';
import { checkPositiveInteger } from './batches.js';
import { type Compiled, type CompileOptions, compileConfigOf, resolveCompile } from './compile.js';
import { type DataSource, isDataSource, type PredictBatch } from './data/iterable-data.js';
import {
  type ClassWeights,
  checkClassWeightUse,
  checkedClassWeight,
  checkedSampleWeights,
  classWeightsToSampleWeights,
  type SampleWeights,
} from './data/sample-weights.js';
import {
  checkedDataset,
  checkedPredictInputs,
  type DataNames,
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
import { compiledLoss, noLossError, runStep, sumLosses } from './step.js';
import { formatSummary } from './summary.js';
import {
  type EvaluateOptions,
  type FitOptions,
  type ModelContext,
  type PredictOptions,
  predictArrays,
  runEvaluate,
  runEvaluateStream,
  runFit,
  runPredictStream,
} from './training/fit.js';

export type { CompileOptions, MetricIdentifier, MetricName } from './compile.js';
export type { Batch, BatchIterable, DataSource, PredictBatch } from './data/iterable-data.js';
export type { ClassWeights, SampleWeights } from './data/sample-weights.js';
export type { ModelInputs, Targets, TensorData } from './data-checks.js';
export type { EvaluateOptions, FitOptions, PredictOptions } from './training/fit.js';

/**
 * What `predict` returns: a tensor for a model of one output; for several,
 * an array in output order, or a record by name when the model's outputs
 * were given as a record.
 */
export type Predictions = tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;

const TRAIN_DATA: DataNames = { x: 'x', y: 'y' };

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
  /** Set to true (e.g. from a callback) to end `fit` after the current batch. */
  stopTraining = false;
  /**
   * Where the next `fit` resumes: set by BackupAndRestore in `onTrainBegin`
   * (Keras's `_initial_epoch`, with the step). After `onTrainBegin`, `fit`
   * starts at `epoch` (over `initialEpoch`) and skips that epoch's first
   * `step` batches, after drawing the same shuffle order as the
   * interrupted run; then clears it.
   */
  resumeAt: { epoch: number; step: number } | null = null;

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

  /**
   * Chooses the optimizer (default `"rmsprop"`), the loss and the metrics,
   * per output. Compiling again frees the slots of the optimizer it replaces.
   */
  compile(options: CompileOptions = {}): void {
    this.checkNotDisposed('compile');
    const compiled = resolveCompile(options, this.outputNames);
    const previous = this.#compiled?.optimizer;
    if (previous != null && previous !== compiled.optimizer) previous.dispose();
    // The metrics the previous compile made itself (a user's objects stay theirs).
    for (const metric of this.#compiled?.ownMetrics ?? []) metric.dispose();
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
   * input order or a record by input name; `y` likewise by output;
   * `sampleWeight` and `classWeight` as `fit` takes them.
   */
  trainOnBatch(
    x: ModelInputs,
    y: Targets,
    sampleWeight: SampleWeights | null = null,
    classWeight: ClassWeights | null = null,
  ): Logs {
    return this.batchStep('trainOnBatch', x, y, sampleWeight, true, classWeight);
  }

  /** The logs of one batch in inference mode, without updating anything. */
  testOnBatch(x: ModelInputs, y: Targets, sampleWeight: SampleWeights | null = null): Logs {
    return this.batchStep('testOnBatch', x, y, sampleWeight, false);
  }

  private batchStep(
    method: string,
    x: unknown,
    y: unknown,
    sampleWeight: unknown,
    train: boolean,
    classWeight: unknown = null,
  ): Logs {
    const compiled = train ? this.compiledForTraining(method) : this.compiled(method);
    const classes = checkedClassWeight(classWeight);
    checkClassWeightUse(classWeight, sampleWeight, this.outputNames.length);
    const owned = new OwnedTensors();
    try {
      const data = checkedDataset(x, y, TRAIN_DATA, method, owned, this.inputLayout(), this.outputNames);
      const weights =
        classes == null
          ? checkedSampleWeights(sampleWeight, 'sampleWeight', this.outputNames, data.n, owned, method)
          : {
              weights: [owned.add(classWeightsToSampleWeights(data.ys[0] as tf.Tensor, classes))],
              names: ['classWeight'],
            };
      return runStep(this, compiled, modelInput(data), data.ys, {
        training: train,
        train,
        checkTargets: true,
        yNames: data.yNames,
        sampleWeights: weights?.weights ?? [],
        weightNames: weights?.names ?? [],
        resetMetrics: true,
      });
    } finally {
      owned.dispose();
    }
  }

  /** What the data runners need of this model. */
  private context(method: string, compiled: Compiled): ModelContext {
    return { model: this, compiled, layout: this.inputLayout(), alive: () => this.checkNotDisposed(method) };
  }

  /**
   * Loss (penalties included) and metrics over `x`, `y`, batch by batch, in
   * inference mode; `sampleWeight` weighs the loss and weighted metrics. A
   * dataset (`evaluate(dataset, options)`) gives a promise of the logs over
   * one pass of it (or `steps` batches).
   */
  evaluate(x: ModelInputs, y: Targets, options?: EvaluateOptions): Logs;
  evaluate(dataset: DataSource, options?: EvaluateOptions): Promise<Logs>;
  evaluate(
    x: ModelInputs | DataSource,
    y?: Targets | EvaluateOptions | null,
    options?: EvaluateOptions,
  ): Logs | Promise<Logs> {
    const ctx = this.context('evaluate', this.compiled('evaluate'));
    if (isDataSource(x)) return runEvaluateStream(ctx, x, y, options);
    return runEvaluate(ctx, x, y, options);
  }

  /**
   * The model's outputs for `x` (laid out as for `fit`), batch by batch, in
   * inference mode: a tensor for one output (also one given as a list of
   * one, as Keras); for several, an array in output order, or a record by
   * name when the outputs were given as one. On a dataset (batches `x`,
   * `[x]` or `[x, y]`), a promise of every batch's outputs joined.
   */
  predict(this: Sequential, x: ModelInputs, options?: PredictOptions): tf.Tensor;
  predict(x: ModelInputs, options?: PredictOptions): Predictions;
  predict(this: Sequential, dataset: DataSource<PredictBatch>, options?: PredictOptions): Promise<tf.Tensor>;
  predict(dataset: DataSource<PredictBatch>, options?: PredictOptions): Promise<Predictions>;
  predict(x: ModelInputs | DataSource<PredictBatch>, options: PredictOptions = {}): Predictions | Promise<Predictions> {
    this.checkNotDisposed('predict');
    if (isDataSource(x)) {
      return runPredictStream({ model: this, layout: this.inputLayout() }, x, options).then((outputs) =>
        this.shapePredictions(outputs),
      );
    }
    const read = readOptions<PredictOptions>('predict()', options, ['batchSize', 'steps']);
    const batchSize = checkPositiveInteger(read.batchSize ?? 32, 'batchSize');
    const steps = read.steps == null ? null : checkPositiveInteger(read.steps, 'steps');
    const owned = new OwnedTensors();
    try {
      const inputs = checkedPredictInputs(x, 'x', this.inputLayout(), owned);
      return this.shapePredictions(predictArrays(this, inputs.xs, inputs.asList, inputs.n, batchSize, steps));
    } finally {
      owned.dispose();
    }
  }

  /** Outputs as `predict` gives them: a record when the outputs were given as one, the tensor for a list of one. */
  private shapePredictions(outputs: tf.Tensor | tf.Tensor[]): Predictions {
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
  }

  /**
   * Keras's `fit`: epochs of shuffled batches, validation, callbacks;
   * resolves to the History. `fit(x, y, options)` on tensors, or
   * `fit(dataset, options)` on a dataset of `[x, y]` / `[x, y, sampleWeight]`
   * batches (an iterable, async iterable, iterator or a function returning
   * one per pass). Arguments, data and validation data (a dataset's first
   * batch) are all checked before the first step; each later batch before
   * its own.
   *
   * @example await model.fit(async function* () { for (let i = 0; i < 100; i++) yield [tf.randomNormal([32, 4]), tf.randomNormal([32, 1])]; }, { epochs: 2 });
   */
  async fit(dataset: DataSource, options?: FitOptions): Promise<History>;
  async fit(x: ModelInputs | DataSource, y?: Targets | null, options?: FitOptions): Promise<History>;
  async fit(x: ModelInputs | DataSource, y?: Targets | FitOptions | null, options?: FitOptions): Promise<History> {
    return runFit(this.context('fit', this.compiledForTraining('fit')), x, y, options);
  }

  /**
   * Keras's `get_layer(name)` (or by index in `layers`): a layer of this
   * model, searched among its `layers` or, for a subclassed model, the
   * layers held in its fields. The type parameter names the class you expect
   * (`model.getLayer<layers.Dense>('head').kernelRegularizer`); it is a
   * compile-time claim, as a cast is.
   */
  getLayer<T extends Layer = Layer>(nameOrIndex: string | number): T {
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
    return found as T;
  }

  /** Keras 3 JSON of the whole model (`model.to_json()`), with its build and compile configs. */
  toJSON(): ModelJson {
    this.checkNotDisposed('toJSON');
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

  protected override kindForMessages(): 'Layer' | 'Model' {
    return 'Model';
  }

  /** Prints (or passes to `print`) a table of the layers, output shapes and parameter counts. */
  summary(print: (line: string) => void = console.log): void {
    this.checkNotDisposed('summary');
    for (const line of formatSummary(this)) print(line);
  }

  /**
   * Frees the weights, recorded losses and the optimizer's slots. The model
   * cannot be used after: `compile`, `fit`, `evaluate`, `predict` and the
   * batch methods throw.
   */
  override dispose(): void {
    this.#compiled?.optimizer?.dispose();
    // The compiled metrics' state variables, the user's metric objects included (Keras's model owns them).
    for (const output of this.#compiled?.outputs ?? []) {
      for (const { metric } of [...output.metrics, ...output.weightedMetrics]) metric.dispose();
    }
    super.dispose();
  }
}

/**
 * The sum of a model's (or layer's) `losses`: every penalty, as one scalar.
 * For custom training loops: `total = dataLoss + regularizationLoss(model)`.
 */
export function regularizationLoss(model: Layer): tf.Scalar {
  return tf.tidy(() => sumLosses(model.losses));
}
