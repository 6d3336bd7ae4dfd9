/**
 * One training or test step: forward pass, the loss the optimizer sees
 * (compiled loss + every entry of `model.losses`), and, when training, the
 * gradients and the update. Returns numbers for the logs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Logs } from '../callbacks/callback.js';
import type { Layer } from '../layers/layer.js';
import type { LayerLoss } from '../layers/layer-types.js';
import type { LossFunction } from '../losses/index.js';
import type { MetricFunction } from '../metrics/index.js';
import type { Optimizer } from '../optimizers/index.js';
import { takeRows } from './batches.js';
import { foldablePenalties } from './folded-penalties.js';

export interface Compiled {
  optimizer: Optimizer;
  loss: LossFunction;
  /** The loss as given to `compile`, when a Keras name (for `compile_config`). */
  lossName: string | null;
  metrics: { name: string; fn: MetricFunction }[];
  /** The metrics as given to `compile`, when all are Keras names (for `compile_config`). */
  metricNames: string[] | null;
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
 * one before the update, as in Keras.
 */
export function runStep(
  model: Layer,
  compiled: Compiled,
  x: tf.Tensor,
  y: tf.Tensor,
  { training, train }: { training: boolean; train: boolean },
): Logs {
  const kept = new Map<string, tf.Tensor>();
  const keep = (key: string, t: tf.Tensor) => kept.set(key, tf.keep(t));
  const variables = train ? model.trainableWeights : [];
  // Penalties whose gradients the step adds in closed form, off the tape (fused backends only).
  const folded = variables.length > 0 ? foldablePenalties(model) : [];
  const skipped = new Set(folded.map((f) => f.weight.variable));
  let penalties: LayerLoss[] = [];
  const totalLoss = (): tf.Scalar => {
    const yPred = model.apply(x, { training }) as tf.Tensor;
    const dataLoss = compiled.loss(y, yPred);
    penalties = model.lossesByLayer(skipped).map((entry) => ({ ...entry, loss: tf.keep(entry.loss) }));
    for (const metric of compiled.metrics) keep(metric.name, metric.fn(y, yPred));
    return tf.add(dataLoss, sumLosses(penalties.map((e) => e.loss))) as tf.Scalar;
  };
  const keepPenalties = () => {
    keep('regularization_loss', sumLosses(penalties.map((e) => e.loss)));
    for (const [key, value] of penaltiesByLayer(penalties, [model, ...model.nestedLayers()])) keep(key, value);
  };
  try {
    tf.tidy(() => {
      if (variables.length === 0) {
        keep('loss', totalLoss());
        keepPenalties();
        return;
      }
      const { value, grads } = tf.variableGrads(totalLoss, variables);
      const values = compiled.optimizer.applyGradientsWithPenalties(
        variables.map((v) => [grads[v.name], v] as const),
        new Map(folded.map(({ weight, l1, l2 }) => [weight.variable, { l1, l2 }])),
      );
      const foldedPenalties: LayerLoss[] = folded.flatMap(({ weight }) => {
        const loss = values.get(weight.variable);
        return loss == null ? [] : [{ layer: weight.layer, kind: 'weight' as const, loss }];
      });
      penalties = [...penalties, ...foldedPenalties];
      keep('loss', foldedPenalties.length === 0 ? value : tf.add(value, sumLosses(foldedPenalties.map((e) => e.loss))));
      keepPenalties();
    });
    const logs: Logs = { loss: (kept.get('loss') as tf.Tensor).dataSync()[0] as number };
    for (const [key, tensor] of kept) if (key !== 'loss') logs[key] = tensor.dataSync()[0] as number;
    return logs;
  } finally {
    tf.dispose([...kept.values(), ...penalties.map((e) => e.loss)]);
  }
}

/** One step on rows `start..end` of `x` and `y` (in `order` when shuffled), freeing the batch after. */
export function runStepOnRows(
  model: Layer,
  compiled: Compiled,
  data: { x: tf.Tensor; y: tf.Tensor; start: number; end: number; order: Int32Array | null },
  mode: { training: boolean; train: boolean },
): Logs {
  const { x, y, start, end, order } = data;
  const [xb, yb] = [takeRows(x, start, end, order), takeRows(y, start, end, order)];
  try {
    return runStep(model, compiled, xb, yb, mode);
  } finally {
    tf.dispose([xb, yb]);
  }
}

/** Running means of logs, weighted by batch size (Keras's metric trackers). */
export class LogsMean {
  readonly #sums = new Map<string, number>();
  #count = 0;

  add(logs: Logs, weight: number): void {
    this.#count += weight;
    for (const [key, value] of Object.entries(logs)) this.#sums.set(key, (this.#sums.get(key) ?? 0) + value * weight);
  }

  mean(): Logs {
    const result: Logs = {};
    for (const [key, sum] of this.#sums) result[key] = sum / this.#count;
    return result;
  }
}
