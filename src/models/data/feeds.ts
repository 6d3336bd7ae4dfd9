/**
 * Where `fit` and `evaluate` get their batches: in-memory tensors cut into
 * (shuffled) batches, or a dataset pulled batch by batch. Both are "feeds":
 * passes over the data, each yielding batches that know how to run their
 * step and free themselves.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Logs } from '../../callbacks/callback.js';
import { ValueError } from '../../errors.js';
import type { Layer } from '../../layers/layer.js';
import { formatShape } from '../../utils/format.js';
import { permutation } from '../../utils/random.js';
import type { Compiled } from '../compile.js';
import {
  checkedDataset,
  checkTargetsAgainstModel,
  type Dataset,
  type InputLayout,
  modelInput,
  OwnedTensors,
} from '../data-checks.js';
import { LogsMean, resetMetrics, runStep, runStepOnRows } from '../step.js';
import { checkFiniteData } from './finite-values.js';
import { type BatchSource, batchParts, type Pass } from './iterable-data.js';
import { type CheckedWeights, checkedSampleWeights, classWeightsToSampleWeights } from './sample-weights.js';

/** What a step is run as: a training step (gradients and update) or a test step. */
export interface StepMode {
  training: boolean;
  train: boolean;
}

/** One batch, ready to run: its step's logs, its size (samples), and the tensors it frees after. */
export interface FeedBatch {
  readonly size: number;
  run(mode: StepMode): Logs;
  dispose(): void;
}

/** One pass over the data. */
export interface FeedPass {
  /** The next batch, or null when the pass is over. */
  next(): Promise<FeedBatch | null>;
  /** Ends the pass early. */
  close(): Promise<void>;
}

/** Passes over some data. */
export interface Feed {
  /** Batches per pass when known ahead (in-memory data), else null. */
  readonly steps: number | null;
  /** Whether a new pass starts the data over. */
  readonly restartable: boolean;
  open(): FeedPass;
  /** Resets the compiled metrics of the model it feeds (Keras's `reset_metrics`: each epoch, each evaluate). */
  resetMetrics(): void;
}

/** In-memory data: batches of `batchSize` rows, in a new random order each pass when shuffled. */
export class ArrayFeed implements Feed {
  readonly steps: number;
  readonly restartable = true;

  constructor(
    private readonly model: Layer,
    private readonly compiled: Compiled,
    private readonly data: Dataset & { sampleWeights?: readonly (tf.Tensor | null)[] },
    private readonly batchSize: number,
    private readonly shuffle: boolean,
  ) {
    this.steps = Math.ceil(data.n / batchSize);
  }

  resetMetrics(): void {
    resetMetrics(this.compiled);
  }

  open(): FeedPass {
    // Drawn when the pass opens: for fit without stepsPerEpoch, right after onEpochBegin.
    const order = this.shuffle ? permutation(this.data.n) : null;
    let batch = 0;
    return {
      next: async () => {
        if (batch >= this.steps) return null;
        const start = batch * this.batchSize;
        const end = Math.min(start + this.batchSize, this.data.n);
        batch += 1;
        const rows = { ...this.data, start, end, order };
        return {
          size: end - start,
          run: (mode) => runStepOnRows(this.model, this.compiled, rows, mode),
          dispose: () => {},
        };
      },
      close: async () => {},
    };
  }

  /** Loss and metrics over the rows in order (at most `steps` batches), in inference mode, without awaiting: `evaluate` on tensors is synchronous. */
  evaluateNow(steps: number | null): Logs {
    this.resetMetrics();
    const mean = new LogsMean();
    for (let batch = 0; batch < this.steps && (steps == null || batch < steps); batch++) {
      const start = batch * this.batchSize;
      const end = Math.min(start + this.batchSize, this.data.n);
      const rows = { ...this.data, start, end, order: null };
      mean.add(runStepOnRows(this.model, this.compiled, rows, { training: false, train: false }), end - start);
    }
    return mean.mean();
  }
}

/** How a stream's batches are read: the model's layout and the names messages use. */
export interface StreamSettings {
  layout: InputLayout;
  outputNames: readonly string[];
  /** The method (`"fit"`), for messages. */
  method: string;
  /** The dataset's argument (`"x"`, `"validationData"`), for messages. */
  argument: string;
  classWeight: ReadonlyMap<number, number> | null;
  /** The shapes the model takes, per input (null axes free), when it declares them. */
  inputShapes: readonly (readonly (number | null)[])[] | null;
  /** Lets NaN and infinite values through (else each batch is checked, its array and index named). */
  allowNonFinite: boolean;
}

/** A batch of a dataset, checked: its data, sample weights, and every tensor it holds. */
interface CheckedBatch {
  data: Dataset;
  weights: CheckedWeights | null;
  owned: OwnedTensors;
}

/** Every tensor in `value` (a tensor, or an array or record of them, nested). */
function tensorsIn(value: unknown, into: tf.Tensor[] = []): tf.Tensor[] {
  if (value instanceof tf.Tensor) into.push(value);
  else if (Array.isArray(value)) for (const item of value) tensorsIn(item, into);
  else if (value != null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) tensorsIn(item, into);
  }
  return into;
}

/**
 * A dataset's batches. Each is checked as it arrives (layout, sample
 * counts, shapes against the model's inputs or the first batch's) before
 * its step; the step checks its targets and weights against the
 * predictions and changes nothing when they do not fit. A batch's tensors
 * (the ones the dataset yielded too) are disposed after its step.
 */
export class StreamFeed implements Feed {
  readonly steps = null;
  #first: { pass: Pass; batch: FeedBatch } | null = null;
  #index = 0;
  #shapes: (readonly (number | null)[])[] | null;

  constructor(
    private readonly model: Layer,
    private readonly compiled: Compiled,
    private readonly source: BatchSource,
    private readonly settings: StreamSettings,
  ) {
    this.#shapes = settings.inputShapes == null ? null : [...settings.inputShapes];
  }

  get restartable(): boolean {
    return this.source.restartable;
  }

  resetMetrics(): void {
    resetMetrics(this.compiled);
  }

  /**
   * Pulls and checks the first batch before anything runs, trying it on the
   * model in inference mode (which builds the model): bad data is refused
   * before the first callback. The batch is kept for the first pass.
   */
  async prime(): Promise<void> {
    const pass = this.source.open();
    const first = await pass.next();
    if (first.done) {
      await pass.close();
      throw new ValueError(
        `The dataset given as ${this.settings.argument} yielded no batch. ${this.settings.method}() needs at least one.`,
        { argument: this.settings.argument, expected: 'at least one batch', received: 'an empty dataset' },
      );
    }
    const batch = this.#checked(first.value);
    try {
      checkTargetsAgainstModel(this.model, this.compiled, batch.data, batch.data.n);
    } catch (error) {
      batch.owned.dispose();
      await pass.close();
      throw error;
    }
    this.#shapes ??= batch.data.xs.map((x) => [null, ...x.shape.slice(1)]);
    this.#first = { pass, batch: this.#feedBatch(batch) };
  }

  /** Frees the primed batch and closes its pass, when no pass took them. */
  async release(): Promise<void> {
    const first = this.#first;
    this.#first = null;
    if (first != null) {
      first.batch.dispose();
      await first.pass.close();
    }
  }

  open(): FeedPass {
    const primed = this.#first;
    this.#first = null;
    const pass = primed?.pass ?? this.source.open();
    let pending = primed?.batch ?? null;
    return {
      next: async () => {
        if (pending != null) {
          const batch = pending;
          pending = null;
          return batch;
        }
        const result = await pass.next();
        if (result.done) return null;
        return this.#feedBatch(this.#checked(result.value));
      },
      close: async () => {
        pending?.dispose();
        pending = null;
        await pass.close();
      },
    };
  }

  #feedBatch(batch: CheckedBatch): FeedBatch {
    const { data, weights, owned } = batch;
    return {
      size: data.n,
      run: (mode) =>
        runStep(this.model, this.compiled, modelInput(data), data.ys, {
          ...mode,
          checkTargets: true,
          yNames: data.yNames,
          sampleWeights: weights?.weights ?? [],
          weightNames: weights?.names ?? [],
        }),
      dispose: () => owned.dispose(),
    };
  }

  /** A yielded batch checked; on a refusal its tensors are freed and the error names the batch. */
  #checked(value: unknown): CheckedBatch {
    const index = this.#index++;
    const { method, argument, layout, outputNames } = this.settings;
    const owned = new OwnedTensors();
    // The dataset hands its batches over: what it yielded is freed with the batch.
    for (const t of tensorsIn(value)) owned.add(t);
    try {
      const prefix = `${argument === 'x' ? '' : `${argument} `}batch ${index}`;
      const parts = batchParts(value, argument, index, true);
      const data = checkedDataset(
        parts.x,
        parts.y,
        { x: `${prefix}'s x`, y: `${prefix}'s y` },
        method,
        owned,
        layout,
        outputNames,
      );
      this.#checkInputShapes(data);
      let weights = checkedSampleWeights(
        parts.sampleWeight,
        `${prefix}'s sampleWeight`,
        outputNames,
        data.n,
        owned,
        method,
      );
      if (weights == null && this.settings.classWeight != null) {
        const w = owned.add(classWeightsToSampleWeights(data.ys[0] as tf.Tensor, this.settings.classWeight));
        weights = { weights: [w], names: [`${prefix}'s classWeight`] };
      }
      if (!this.settings.allowNonFinite) {
        checkFiniteData({ ...data, sampleWeights: weights?.weights ?? [], weightNames: weights?.names ?? [] }, method);
      }
      return { data, weights, owned };
    } catch (error) {
      owned.dispose();
      throw error;
    }
  }

  #checkInputShapes(data: Dataset): void {
    const shapes = this.#shapes;
    if (shapes == null) return;
    data.xs.forEach((x, i) => {
      const expected = shapes[i];
      if (expected == null) return;
      const fits =
        x.rank === expected.length && expected.every((d, axis) => axis === 0 || d == null || d === x.shape[axis]);
      if (fits) return;
      const name = data.xNames[i] as string;
      throw new ValueError(
        `${name} does not fit the model: inputs of shape ${formatShape(expected)} expected. Received: ${name}.shape=${formatShape(x.shape)}`,
        { argument: name, expected: `shape ${formatShape(expected)}`, received: formatShape(x.shape) },
      );
    });
  }
}
