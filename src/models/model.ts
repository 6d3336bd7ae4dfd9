import * as tf from '@tensorflow/tfjs-core';
import { type Callback, CallbackList, type Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { ProgressBar } from '../callbacks/progress-bar.js';
import { invalidArgument, ValueError } from '../errors.js';
import { Layer } from '../layers/layer.js';
import type { LayerOptions } from '../layers/layer-types.js';
import * as losses from '../losses/index.js';
import * as metrics from '../metrics/index.js';
import * as optimizers from '../optimizers/index.js';
import { isPlainObject } from '../utils/objects.js';
import { permutation } from '../utils/random.js';
import { checkPositiveInteger, sampleCount, splitValidation, takeRows } from './batches.js';
import type { FunctionalOptions, GraphTensors } from './functional/functional.js';
import { type Compiled, LogsMean, runStep, runStepOnRows, sumLosses } from './step.js';
import { formatSummary } from './summary.js';

export interface CompileOptions {
  /** `"sgd"`, `"adam"`, `"adamw"`, `"rmsprop"` or an optimizer object. */
  optimizer: string | optimizers.Optimizer;
  /** A Keras loss name (`"mse"`, `"sparse_categorical_crossentropy"`, ...) or a function. */
  loss: string | losses.LossFunction;
  /** E.g. `["accuracy"]`, which picks the variant that fits the loss, as in Keras. */
  metrics?: (string | metrics.MetricFunction)[];
}

export interface FitOptions {
  epochs?: number;
  batchSize?: number;
  /** Shuffle the samples each epoch (default true), with the library's seedable generator. */
  shuffle?: boolean;
  validationData?: [tf.Tensor, tf.Tensor];
  /** The last fraction of the samples, held out before shuffling. */
  validationSplit?: number;
  callbacks?: Callback[];
  /** 0: silent; 1: a progress bar (default); 2: one line per epoch. */
  verbose?: 0 | 1 | 2;
  initialEpoch?: number;
}

export interface EvaluateOptions {
  batchSize?: number;
}

/** Set by functional.ts, which imports this module: `new Model({ inputs, outputs })` makes a Functional model. */
let functionalFactory: ((options: FunctionalOptions) => Model) | null = null;

export function setFunctionalFactory(factory: (options: FunctionalOptions) => Model): void {
  functionalFactory = factory;
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
 */
export class Model extends Layer {
  static override readonly className: string = 'Model';
  #compiled: Compiled | null = null;
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
    const stack = (this as unknown as { layers?: unknown }).layers;
    const last = Array.isArray(stack) ? stack[stack.length - 1] : undefined;
    return [last instanceof Layer ? last.name : this.name];
  }

  /** Chooses the optimizer, loss and metrics. */
  compile(options: CompileOptions): void {
    const optimizer = optimizers.get(options.optimizer);
    const loss = losses.get(options.loss);
    const compiledMetrics = (options.metrics ?? []).map((m) => metrics.get(m));
    const names = new Set<string>();
    for (const { name } of compiledMetrics) {
      // Metric values share the logs with the loss and the penalties.
      if (name === 'loss' || name.startsWith('regularization_loss') || name.startsWith('val_') || names.has(name)) {
        throw new ValueError(
          `Invalid metric name ${JSON.stringify(name)}: "loss", "regularization_loss…", "val_…" and duplicates would collide in the logs.`,
          { argument: 'metrics', expected: 'distinct names not used by the logs', received: name },
        );
      }
      names.add(name);
    }
    const lossName = typeof options.loss === 'string' ? options.loss : null;
    const metricIdentifiers = options.metrics ?? [];
    const metricNames = metricIdentifiers.every((m) => typeof m === 'string') ? metricIdentifiers : null;
    this.#compiled = { optimizer, loss, lossName, metrics: compiledMetrics, metricNames };
  }

  get optimizer(): optimizers.Optimizer | null {
    return this.#compiled?.optimizer ?? null;
  }

  /**
   * Keras's `compile_config`, or `null` when the model is not compiled or its
   * loss or metrics are functions, which Keras JSON cannot name.
   */
  getCompileConfig(): Record<string, unknown> | null {
    const compiled = this.#compiled;
    if (compiled?.lossName == null || compiled.metricNames == null) return null;
    return {
      optimizer: optimizers.serialize(compiled.optimizer),
      loss: compiled.lossName,
      loss_weights: null,
      metrics: compiled.metricNames.length > 0 ? compiled.metricNames : null,
      weighted_metrics: null,
      run_eagerly: false,
      steps_per_execution: 1,
      jit_compile: false,
    };
  }

  private compiled(method: string): Compiled {
    if (this.#compiled == null) {
      throw new ValueError(`You must call compile() before ${method}().`, {
        argument: 'model',
        expected: 'a compiled model',
      });
    }
    return this.#compiled;
  }

  /**
   * The loss to minimise in a custom training loop: the compiled loss of
   * `yPred` against `y` plus the sum of `model.losses` (call `apply` first,
   * so the activity penalties of this pass are recorded).
   */
  computeLoss({ y, yPred }: { y: tf.Tensor; yPred: tf.Tensor }): tf.Scalar {
    const compiled = this.compiled('computeLoss');
    return tf.tidy(() => tf.add(compiled.loss(y, yPred), sumLosses(this.losses)) as tf.Scalar);
  }

  /** One gradient step on one batch; the logs of that batch (loss before the update). */
  trainOnBatch(x: tf.Tensor, y: tf.Tensor): Logs {
    sampleCount(x, y);
    return runStep(this, this.compiled('trainOnBatch'), x, y, { training: true, train: true });
  }

  /** The logs of one batch in inference mode, without updating anything. */
  testOnBatch(x: tf.Tensor, y: tf.Tensor): Logs {
    sampleCount(x, y);
    return runStep(this, this.compiled('testOnBatch'), x, y, { training: false, train: false });
  }

  /** Loss (penalties included) and metrics over `x`, `y`, batch by batch, in inference mode. */
  evaluate(x: tf.Tensor, y: tf.Tensor, options: EvaluateOptions = {}): Logs {
    const compiled = this.compiled('evaluate');
    const n = sampleCount(x, y);
    const batchSize = checkPositiveInteger(options.batchSize ?? 32, 'batchSize');
    const mean = new LogsMean();
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(start + batchSize, n);
      const logs = runStepOnRows(this, compiled, { x, y, start, end, order: null }, { training: false, train: false });
      mean.add(logs, end - start);
    }
    return mean.mean();
  }

  /** The model's outputs for `x`, batch by batch, in inference mode. */
  predict(x: tf.Tensor, options: EvaluateOptions = {}): tf.Tensor {
    const n = sampleCount(x, x);
    const batchSize = checkPositiveInteger(options.batchSize ?? 32, 'batchSize');
    return tf.tidy(() => {
      const outputs: tf.Tensor[] = [];
      for (let start = 0; start < n; start += batchSize) {
        const end = Math.min(start + batchSize, n);
        outputs.push(this.apply(takeRows(x, start, end, null), { training: false }) as tf.Tensor);
      }
      return outputs.length === 1 ? (outputs[0] as tf.Tensor) : tf.concat(outputs, 0);
    });
  }

  /** Keras's `fit`: epochs of shuffled batches, validation, callbacks; resolves to the History. */
  async fit(x: tf.Tensor, y: tf.Tensor, options: FitOptions = {}): Promise<History> {
    const compiled = this.compiled('fit');
    sampleCount(x, y);
    const epochs = checkPositiveInteger(options.epochs ?? 1, 'epochs');
    const batchSize = checkPositiveInteger(options.batchSize ?? 32, 'batchSize');
    const verbose = options.verbose ?? 1;
    if (verbose !== 0 && verbose !== 1 && verbose !== 2) {
      throw invalidArgument('verbose', '0, 1 or 2', verbose);
    }
    const split = options.validationSplit != null ? splitValidation(x, y, options.validationSplit) : null;
    const [trainX, trainY] = split?.train ?? [x, y];
    const validation = options.validationData ?? split?.validation ?? null;
    const n = trainX.shape[0] as number;
    const steps = Math.ceil(n / batchSize);
    const history = new History();
    const progress = verbose === 0 ? [] : [new ProgressBar(epochs, steps, verbose)];
    const callbacks = new CallbackList([...progress, ...(options.callbacks ?? []), history]);
    callbacks.setModel(this);
    this.stopTraining = false;
    let epochLogs: Logs = {};
    try {
      await callbacks.trainBegin();
      for (let epoch = options.initialEpoch ?? 0; epoch < epochs && !this.stopTraining; epoch++) {
        await callbacks.epochBegin(epoch);
        const order = options.shuffle === false ? null : permutation(n);
        const mean = new LogsMean();
        for (let batch = 0; batch < steps && !this.stopTraining; batch++) {
          await callbacks.batchBegin(batch);
          const start = batch * batchSize;
          const end = Math.min(start + batchSize, n);
          const data = { x: trainX, y: trainY, start, end, order };
          mean.add(runStepOnRows(this, compiled, data, { training: true, train: true }), end - start);
          await callbacks.batchEnd(batch, mean.mean());
        }
        epochLogs = mean.mean();
        if (validation != null) {
          const validationLogs = this.evaluate(validation[0], validation[1], { batchSize });
          for (const [key, value] of Object.entries(validationLogs)) epochLogs[`val_${key}`] = value;
        }
        await callbacks.epochEnd(epoch, epochLogs);
      }
      await callbacks.trainEnd(epochLogs);
    } finally {
      if (split != null) tf.dispose([...split.train, ...split.validation]);
    }
    return history;
  }

  /**
   * Keras's `get_layer(name)` (or by index in `layers`): a layer of this
   * model, searched among its `layers` or, for a subclassed model, the
   * layers held in its fields.
   */
  getLayer(nameOrIndex: string | number): Layer {
    const own = (this as unknown as { layers?: unknown }).layers;
    const candidates = Array.isArray(own) ? (own as Layer[]) : this.nestedLayers();
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

  /** Prints (or passes to `print`) a table of the layers, output shapes and parameter counts. */
  summary(print: (line: string) => void = console.log): void {
    for (const line of formatSummary(this)) print(line);
  }

  /** Frees the weights, recorded losses and the optimizer's slots. */
  override dispose(): void {
    this.#compiled?.optimizer.dispose();
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
