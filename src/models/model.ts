import type * as tf from '@tensorflow/tfjs-core';
import type { Logs } from '../callbacks/callback.js';
import type { History } from '../callbacks/history.js';
import { Layer } from '../layers/layer.js';
import type { LayerOptions } from '../layers/layer-types.js';
import type * as optimizers from '../optimizers/index.js';
import { checkArity } from '../utils/arity.js';
import { readOptions } from '../utils/options.js';
import { runBatchStep } from './batch-step.js';
import { checkPositiveInteger } from './batches.js';
import { type Compiled, type CompileOptions, compileConfigOf, resolveCompile } from './compile.js';
import { requireCompiled, requireOptimizer } from './compiled-state.js';
import { computeLoss } from './compute-loss.js';
import { type DataSource, isDataSource, type PredictBatch } from './data/iterable-data.js';
import type { ClassWeights, SampleWeights } from './data/sample-weights.js';
import { checkedPredictInputs, type InputLayout, type ModelInputs, OwnedTensors, type Targets } from './data-checks.js';
import { findLayer } from './find-layer.js';
import type { FunctionalOptions, GraphTensors } from './functional/functional.js';
import { functionalFactoryOrThrow, modelFileMethods, modelSerializerOrThrow } from './model-hooks.js';
import { graphArguments, inputLayoutOf, type Predictions, shapePredictions } from './model-layout.js';
import type { Sequential } from './sequential.js';
import type { ModelJson } from './serialization.js';
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
export { regularizationLoss } from './compute-loss.js';
export type { Batch, BatchIterable, DataSource, PredictBatch } from './data/iterable-data.js';
export type { ClassWeights, SampleWeights } from './data/sample-weights.js';
export type { ModelInputs, Targets, TensorData } from './data-checks.js';
export { setFunctionalFactory, setModelSerializer } from './model-hooks.js';
export type { Predictions } from './model-layout.js';
export type { EvaluateOptions, FitOptions, PredictOptions } from './training/fit.js';

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
      // biome-ignore lint/correctness/noConstructorReturn: Keras's Model(inputs, outputs) is a Functional model.
      return functionalFactoryOrThrow()(graph);
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
    // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
    checkArity('model.compile', arguments.length, ['options']);
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
    return requireCompiled(this.#compiled, method);
  }

  /** The compiled state of a method that updates the weights: it needs an optimizer. */
  private compiledForTraining(method: string): Compiled {
    return requireOptimizer(this.compiled(method), method);
  }

  /**
   * The loss to minimise in a custom training loop: the compiled loss of
   * `yPred` against `y` plus the sum of `model.losses` (call `apply` first,
   * so the activity penalties of this pass are recorded).
   */
  computeLoss(options: { y: Targets; yPred: Predictions }): tf.Scalar {
    // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
    checkArity('model.computeLoss', arguments.length, ['options']);
    return computeLoss(this, this.compiled('computeLoss'), this.outputNames, options);
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
    // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
    checkArity('model.trainOnBatch', arguments.length, ['x', 'y', 'sampleWeight', 'classWeight']);
    return this.batchStep('trainOnBatch', x, y, sampleWeight, true, classWeight);
  }

  /** The logs of one batch in inference mode, without updating anything. */
  testOnBatch(x: ModelInputs, y: Targets, sampleWeight: SampleWeights | null = null): Logs {
    // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
    checkArity('model.testOnBatch', arguments.length, ['x', 'y', 'sampleWeight']);
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
    const layout = this.inputLayout();
    const { outputNames } = this;
    return runBatchStep(this, compiled, { method, x, y, sampleWeight, classWeight, train, layout, outputNames });
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
    // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
    checkArity('model.evaluate', arguments.length, ['x', 'y', 'options']);
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
    // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
    checkArity('model.predict', arguments.length, ['x', 'options']);
    this.checkNotDisposed('predict');
    if (isDataSource(x)) {
      return runPredictStream({ model: this, layout: this.inputLayout() }, x, options).then((outputs) =>
        shapePredictions(this, outputs),
      );
    }
    const read = readOptions<PredictOptions>('predict()', options, ['batchSize', 'steps']);
    const batchSize = checkPositiveInteger(read.batchSize ?? 32, 'batchSize');
    const steps = read.steps == null ? null : checkPositiveInteger(read.steps, 'steps');
    const owned = new OwnedTensors();
    try {
      const inputs = checkedPredictInputs(x, 'x', this.inputLayout(), owned);
      return shapePredictions(this, predictArrays(this, inputs.xs, inputs.asList, inputs.n, batchSize, steps));
    } finally {
      owned.dispose();
    }
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
    // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
    checkArity('model.fit', arguments.length, ['x', 'y', 'options']);
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
    // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
    checkArity('model.getLayer', arguments.length, ['nameOrIndex']);
    return findLayer(this.layers, nameOrIndex) as T;
  }

  /** Keras 3 JSON of the whole model (`model.to_json()`), with its build and compile configs. */
  toJSON(): ModelJson {
    // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
    checkArity('model.toJSON', arguments.length, []);
    this.checkNotDisposed('toJSON');
    return modelSerializerOrThrow()(this);
  }

  /**
   * Keras's `model.save(filepath)`: the whole model (config, weights,
   * compile settings) to a `.keras` file, or Keras's legacy `.h5` layout
   * for a path ending in `.h5`; the same as `saving.saveModel(model, filepath)`.
   *
   * @example await model.save('classifier.keras');
   */
  async save(filepath: string, options: { overwrite?: boolean } = {}): Promise<void> {
    // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
    checkArity('model.save', arguments.length, ['filepath', 'options']);
    this.checkNotDisposed('save');
    await modelFileMethods().save(this, filepath, options);
  }

  /**
   * Keras's `save_weights`: the weights alone to `filepath`, which must end
   * in `.weights.h5`, in Keras 3's layout (Python's `model.load_weights`
   * reads it). Written to a temporary file, then renamed over `filepath`.
   */
  async saveWeights(filepath: string, options: { overwrite?: boolean } = {}): Promise<void> {
    // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
    checkArity('model.saveWeights', arguments.length, ['filepath', 'options']);
    this.checkNotDisposed('saveWeights');
    await modelFileMethods().saveWeights(this, filepath, options);
  }

  /**
   * Keras's `load_weights`: the weights of a `.weights.h5` file (saved by
   * Keras or by `saveWeights`) into this model, which must have the
   * architecture the file was saved from. All are checked before any is set.
   */
  async loadWeights(filepath: string): Promise<void> {
    // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
    checkArity('model.loadWeights', arguments.length, ['filepath']);
    this.checkNotDisposed('loadWeights');
    await modelFileMethods().loadWeights(this, filepath);
  }

  protected override kindForMessages(): 'Layer' | 'Model' {
    return 'Model';
  }

  /** Prints (or passes to `print`) a table of the layers, output shapes and parameter counts. */
  summary(print: (line: string) => void = console.log): void {
    // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
    checkArity('model.summary', arguments.length, ['print']);
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
