/**
 * One training or test step: forward pass, the loss the optimizer sees
 * (compiled loss of each output, weighted, + every entry of `model.losses`),
 * and, when training, the gradients and the update. Returns numbers for the
 * logs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { reassertOwnGradients } from '../backend/own-gradients.js';
import type { Logs } from '../callbacks/callback.js';
import { ValueError } from '../errors.js';
import { collectingRowGradients, RowGradients } from '../layers/core/sparse-rows.js';
import type { Layer } from '../layers/layer.js';
import type { LayerInputs, LayerLoss, LayerOutputs } from '../layers/layer-types.js';
import { isProximal, type ProximalRegularizer } from '../regularizers/proximal.js';
import { computePenalty, type RegularizerLike } from '../regularizers/regularizer.js';
import { takeRows } from './batches.js';
import type { Compiled } from './compile.js';
import { foldablePenalties } from './folded-penalties.js';
import { rowSparseTables, withRowUpdates } from './row-sparse-step.js';

/** Keras's error for a model with nothing to minimise (no compiled loss, no `model.losses`). */
export function noLossError(): ValueError {
  return new ValueError('No loss to compute. Provide a `loss` argument in `compile()`.', {
    argument: 'loss',
    expected: 'a loss in compile(), or penalties in model.losses',
  });
}

/** The model's outputs as a list, checked against the outputs `compile` laid out. */
export function outputList(model: Layer, outputs: LayerOutputs, compiled: Compiled): tf.Tensor[] {
  const list = Array.isArray(outputs) ? outputs : [outputs];
  if (list.length !== compiled.outputs.length) {
    throw new ValueError(
      `Model "${model.name}" returned ${list.length} outputs, but compile() laid out losses and metrics for ${compiled.outputs.length} (${compiled.outputs.map((o) => JSON.stringify(o.name)).join(', ')}).`,
      { argument: 'outputs', expected: `${compiled.outputs.length} outputs`, received: String(list.length) },
    );
  }
  return list;
}

/** Sample weights per output (null: none for that output), as `fit` lays them out. */
export type OutputWeights = readonly (tf.Tensor | null)[];

/**
 * The compiled loss of each output (`weight * loss(y, yPred, sampleWeight)`)
 * summed, or null when no output has a loss. `record` receives each
 * output's loss before its loss weight when the logs carry it (several
 * losses).
 */
export function compiledLoss(
  compiled: Compiled,
  ys: readonly tf.Tensor[],
  yPreds: readonly tf.Tensor[],
  record: (key: string, value: tf.Scalar) => void = () => {},
  sampleWeights: OutputWeights = [],
): tf.Scalar | null {
  const parts: tf.Scalar[] = [];
  compiled.outputs.forEach((output, i) => {
    if (output.loss == null) return;
    const value = output.loss.apply(ys[i] as tf.Tensor, yPreds[i] as tf.Tensor, sampleWeights[i] ?? null);
    if (output.lossKey != null) record(output.lossKey, value);
    parts.push(output.weight == null ? value : (tf.mul(value, output.weight) as tf.Scalar));
  });
  return parts.length === 0 ? null : sumLosses(parts);
}

/** The key of one layer's share of `regularization_loss` in the logs. */
export function layerLogKey(layer: Layer): string {
  return `regularization_loss/${layer.name}`;
}

/** The sum of a loss list (a scalar 0 for none). */
export function sumLosses(losses: readonly tf.Scalar[]): tf.Scalar {
  if (losses.length === 0) return tf.scalar(0);
  return (losses.length === 1 ? losses[0] : tf.addN([...losses])) as tf.Scalar;
}

/** Per-layer sums of the penalties, keyed for the logs, in the order of `layers`. */
function penaltiesByLayer(entries: readonly LayerLoss[], layers: readonly Layer[]): Map<string, tf.Scalar> {
  const groups = new Map<Layer, tf.Scalar[]>();
  for (const { layer, loss } of entries) groups.set(layer, [...(groups.get(layer) ?? []), loss]);
  const position = (layer: Layer) => layers.indexOf(layer);
  return new Map(
    [...groups]
      .sort(([a], [b]) => position(a) - position(b))
      .map(([layer, losses]) => [layerLogKey(layer), sumLosses(losses)]),
  );
}

/**
 * Runs one step of `model` on a batch. With `train`, gradients of the total
 * loss update every trainable weight that has one; the reported loss is the
 * one before the update, as in Keras. With `checkTargets`, each output's
 * loss first checks the values of its targets (class labels in range),
 * before anything is updated.
 */
export function runStep(
  model: Layer,
  compiled: Compiled,
  x: LayerInputs,
  ys: readonly tf.Tensor[],
  {
    training,
    train,
    checkTargets = false,
    yNames = [],
    sampleWeights = [],
    weightNames = [],
    resetMetrics: reset = false,
  }: {
    training: boolean;
    train: boolean;
    checkTargets?: boolean;
    /** Reset the compiled metrics first (Keras's train_on_batch and test_on_batch). */
    resetMetrics?: boolean;
    yNames?: readonly string[];
    /** Per output; with `checkTargets`, checked against the predictions' shapes. */
    sampleWeights?: OutputWeights;
    /** How messages name each output's sample weights. */
    weightNames?: readonly string[];
  },
): Logs {
  // Another copy of tfjs-core (tfjs-layers loads one) may have registered stock gradients over ours.
  if (train) reassertOwnGradients();
  const kept = new Map<string, tf.Tensor>();
  // The predictions, kept past the tape for the metrics (updated once the step is known to go through).
  let predictions: tf.Tensor[] = [];
  const keep = (key: string, t: tf.Tensor) => kept.set(key, tf.keep(t));
  const variables = train ? model.trainableWeights : [];
  // Penalties whose gradients the step adds in closed form, off the tape (fused backends only);
  // without a compiled loss they are all the tape has, so they stay on it.
  const hasLoss = compiled.outputs.some((output) => output.loss != null);
  const folded = variables.length > 0 && hasLoss ? foldablePenalties(model) : [];
  // Proximal penalties leave the gradient: the optimizer applies their proximal step after its update;
  // with a compiled loss their values are computed off the tape too.
  const proximal = variables.length > 0 ? model.trainableWeightRecords().filter((w) => isProximal(w.regularizer)) : [];
  const skipped = new Set([...folded.map((f) => f.weight), ...(hasLoss ? proximal : [])].map((w) => w.variable));
  let penalties: LayerLoss[] = [];
  // A check that fails on the tape is thrown after it: an error thrown inside
  // tf.variableGrads would leave the tensors it saved for the backward pass.
  let failure: unknown = null;
  // A refused step changes nothing: what a training forward pass moves itself
  // (BatchNormalization's moving statistics) goes back when a check fails.
  // Clones share the variables' data, so this copies nothing.
  const state = train && checkTargets ? model.nonTrainableWeights.map((v) => [v, tf.keep(tf.clone(v))] as const) : [];
  // Embedding tables that take row-sparse updates this step (plain SGD, no penalty on the table).
  const tables = train ? rowSparseTables(model, compiled.optimizer) : new Set<tf.Variable>();
  const rows = tables.size > 0 ? new RowGradients(tables) : null;
  const totalLoss = (): tf.Scalar => {
    const yPreds = outputList(model, model.apply(x, { training }), compiled);
    predictions = yPreds.map((p) => tf.keep(p));
    penalties = model.lossesByLayer(skipped).map((entry) => ({ ...entry, loss: tf.keep(entry.loss) }));
    try {
      if (checkTargets) {
        compiled.outputs.forEach((output, i) => {
          const [y, shape, name] = [ys[i] as tf.Tensor, (yPreds[i] as tf.Tensor).shape, yNames[i] ?? 'y'];
          output.loss?.checkTargets(y, shape, name);
          output.loss?.checkTargetValues(y, shape, name);
          const weight = sampleWeights[i];
          if (weight != null) output.loss?.checkSampleWeight(weight, shape, weightNames[i] ?? 'sampleWeight');
        });
      }
      if (!hasLoss && penalties.length === 0) throw noLossError();
    } catch (error) {
      if (variables.length === 0) throw error;
      failure = error;
      // Anything the weights reach: the tape needs a connection to end cleanly.
      return tf.mul(tf.addN(variables.map((v) => tf.sum(v))), 0) as tf.Scalar;
    }
    const dataLoss = compiledLoss(compiled, ys, yPreds, keep, sampleWeights);
    const penaltySum = sumLosses(penalties.map((e) => e.loss));
    return (dataLoss == null ? penaltySum : tf.add(dataLoss, penaltySum)) as tf.Scalar;
  };
  const keepPenalties = () => {
    keep('regularization_loss', sumLosses(penalties.map((e) => e.loss)));
    for (const [key, value] of penaltiesByLayer(penalties, [model, ...model.nestedLayers()])) keep(key, value);
  };
  // The loss before `lossScaleFactor` scaled it for the tape (kept out of the tape's tidy), for the logs.
  let unscaledLoss: tf.Scalar | null = null;
  try {
    tf.tidy(() => {
      if (variables.length === 0) {
        keep('loss', totalLoss());
        keepPenalties();
        updateMetrics(compiled, ys, predictions, sampleWeights, keep, reset);
        return;
      }
      // Keras's train step differentiates `optimizer.scale_loss(loss)` (the optimizer divides the
      // gradients back) and reports the loss unscaled.
      const scale = compiled.optimizer?.lossScaleFactor ?? null;
      const tapedLoss =
        scale == null
          ? totalLoss
          : (): tf.Scalar => {
              const loss = totalLoss();
              unscaledLoss = tf.keep(loss);
              return tf.mul(loss, scale) as tf.Scalar;
            };
      const { value: tapedValue, grads } =
        rows == null
          ? tf.variableGrads(tapedLoss, variables)
          : collectingRowGradients(rows, () => tf.variableGrads(tapedLoss, [...variables, rows.anchor]));
      const value = unscaledLoss ?? tapedValue;
      if (failure != null) {
        for (const [variable, saved] of state) variable.assign(saved);
        throw failure;
      }
      const optimizer = compiled.optimizer;
      if (optimizer == null) throw new Error('runStep: training needs an optimizer (checked by the caller).');
      const proximalPenalties: LayerLoss[] = (hasLoss ? proximal : []).map((w) => ({
        layer: w.layer,
        kind: 'weight' as const,
        loss: tf.keep(computePenalty(w.regularizer as RegularizerLike, w.variable)),
      }));
      penalties = [...penalties, ...proximalPenalties];
      const values = optimizer.applyGradientsWithPenalties(
        withRowUpdates(
          variables.map((v) => [grads[v.name], v] as const),
          rows,
          optimizer,
        ),
        new Map(folded.map(({ weight, l1, l2 }) => [weight.variable, { l1, l2 }])),
        new Map(proximal.map((w) => [w.variable, w.regularizer as unknown as ProximalRegularizer])),
      );
      const foldedPenalties: LayerLoss[] = folded.flatMap(({ weight }) => {
        const loss = values.get(weight.variable);
        return loss == null ? [] : [{ layer: weight.layer, kind: 'weight' as const, loss }];
      });
      penalties = [...penalties, ...foldedPenalties];
      const offTape = [...foldedPenalties, ...proximalPenalties];
      keep('loss', offTape.length === 0 ? value : tf.add(value, sumLosses(offTape.map((e) => e.loss))));
      keepPenalties();
      updateMetrics(compiled, ys, predictions, sampleWeights, keep, reset);
    });
    const logs: Logs = {};
    for (const [key, tensor] of kept) logs[key] = tensor.dataSync()[0] as number;
    const ordered = orderLogs(logs);
    stateKeys.set(ordered, new Set(metricKeys(compiled)));
    return ordered;
  } finally {
    tf.dispose([...kept.values(), ...predictions, ...penalties.map((e) => e.loss), ...state.map(([, saved]) => saved)]);
    (unscaledLoss as tf.Scalar | null)?.dispose();
    rows?.dispose();
  }
}

/** The keys of the compiled metrics in the logs. */
function metricKeys(compiled: Compiled): string[] {
  return compiled.outputs.flatMap((output) => [...output.metrics, ...output.weightedMetrics].map((m) => m.key));
}

/**
 * Keras's `CompileMetrics.update_state` then `result`: each output's
 * metrics take the batch without sample weights, its weighted metrics with
 * them (each metric merges the prediction's Keras mask itself); `keep`
 * receives each metric's result so far. A metric whose result is not a
 * scalar (F1Score with `average: null`) is left out of the logs.
 */
function updateMetrics(
  compiled: Compiled,
  ys: readonly tf.Tensor[],
  yPreds: readonly tf.Tensor[],
  sampleWeights: OutputWeights,
  keep: (key: string, value: tf.Tensor) => void,
  reset: boolean,
): void {
  if (reset) resetMetrics(compiled);
  compiled.outputs.forEach((output, i) => {
    const [y, yPred] = [ys[i] as tf.Tensor, yPreds[i] as tf.Tensor];
    for (const { metric } of output.metrics) metric.updateState(y, yPred, null);
    for (const { metric } of output.weightedMetrics) metric.updateState(y, yPred, sampleWeights[i] ?? null);
  });
  for (const output of compiled.outputs) {
    for (const { key, metric } of [...output.metrics, ...output.weightedMetrics]) {
      const result = metric.result();
      if (result.size === 1) keep(key, tf.reshape(result, []));
      result.dispose();
    }
  }
}

/** Every compiled metric back to its initial state (Keras's `reset_metrics`): at each epoch, each evaluate. */
export function resetMetrics(compiled: Compiled): void {
  for (const output of compiled.outputs) {
    for (const { metric } of [...output.metrics, ...output.weightedMetrics]) metric.resetState();
  }
}

/** One step on rows `start..end` of each input and target (in `order` when shuffled), freeing the batch after. */
export function runStepOnRows(
  model: Layer,
  compiled: Compiled,
  data: {
    xs: readonly tf.Tensor[];
    asList: boolean;
    ys: readonly tf.Tensor[];
    /** Per output, or empty for none. */
    sampleWeights?: OutputWeights;
    start: number;
    end: number;
    order: Int32Array | null;
  },
  mode: { training: boolean; train: boolean },
): Logs {
  const { xs, ys, start, end, order } = data;
  // The same rows of every input and target: one sample is one row of each.
  const xbs = xs.map((x) => takeRows(x, start, end, order));
  const ybs = ys.map((y) => takeRows(y, start, end, order));
  const wbs = (data.sampleWeights ?? []).map((w) => (w == null ? null : takeRows(w, start, end, order)));
  try {
    // A model of one input takes the tensor itself (data-checks' modelInput, which imports this module).
    return runStep(model, compiled, data.asList ? xbs : (xbs[0] as tf.Tensor), ybs, { ...mode, sampleWeights: wbs });
  } finally {
    tf.dispose([...xbs, ...ybs, ...wbs.filter((w): w is tf.Tensor => w != null)]);
  }
}

/** Keys the library adds to Keras's logs: the penalties, in total and per layer (and their validation values). */
function isPenaltyKey(key: string): boolean {
  return key.startsWith('regularization_loss') || key.startsWith('val_regularization_loss');
}

/**
 * Logs in Keras's order, then the library's: Keras sorts every logs dict by
 * key before callbacks and `train_on_batch` see it (`pythonify_logs`), so
 * `loss`, `out_a_loss`, `out_b_accuracy`, `val_loss` come sorted; the
 * penalty keys, which Keras has not, follow in layer order.
 */
export function orderLogs(logs: Logs): Logs {
  const keys = Object.keys(logs);
  // Code-unit order: Python's code-point order for any key without astral characters.
  const keras = keys.filter((key) => !isPenaltyKey(key)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ordered: Logs = {};
  for (const key of [...keras, ...keys.filter(isPenaltyKey)]) ordered[key] = logs[key] as number;
  return ordered;
}

/**
 * The keys of a step's logs that are a metric's result so far, not the
 * batch's value: the running mean takes the latest (set by runStep, read
 * by LogsMean).
 */
const stateKeys = new WeakMap<Logs, ReadonlySet<string>>();

/**
 * The logs over the batches of an epoch or an evaluate: the loss and the
 * penalties as running means weighted by batch size (Keras's loss
 * trackers), the metrics as their latest `result()`.
 */
export class LogsMean {
  readonly #sums = new Map<string, number>();
  readonly #counts = new Map<string, number>();

  add(logs: Logs, batchSize: number): void {
    const latest = stateKeys.get(logs);
    for (const [key, value] of Object.entries(logs)) {
      if (latest?.has(key)) {
        this.#sums.set(key, value);
        this.#counts.set(key, 1);
        continue;
      }
      this.#sums.set(key, (this.#sums.get(key) ?? 0) + value * batchSize);
      this.#counts.set(key, (this.#counts.get(key) ?? 0) + batchSize);
    }
  }

  mean(): Logs {
    const result: Logs = {};
    // divide_no_nan, as Keras's Mean.
    for (const [key, sum] of this.#sums) {
      const count = this.#counts.get(key) ?? 0;
      result[key] = count === 0 ? 0 : sum / count;
    }
    return result;
  }
}
