/**
 * The baseline: TF Model Optimization's `prune_low_magnitude`, one shot. Each
 * kernel keeps its largest weights (the same fraction in every layer, as
 * TF-MOT's ConstantSparsity does), the rest are zeroed, and a mask keeps
 * them zero through fine-tuning. The model stays dense: zeros are stored.
 */
import * as tf from '@tensorflow/tfjs-core';
import { callbacks, type models } from 'keras-regularizers';

const kernels = (model: models.Model) =>
  model.layers.flatMap((l) =>
    l
      .weightRecords()
      .filter((w) => w.name === 'kernel')
      .map((w) => w.variable),
  );

/** Zeroes all but the `keep` fraction of largest-magnitude weights of each kernel; returns the masks. */
export function magnitudeMasks(model: models.Model, keep: number): tf.Tensor[] {
  return kernels(model).map((variable) =>
    tf.tidy(() => {
      const magnitudes = Float32Array.from(tf.abs(variable).dataSync() as Float32Array).sort();
      const cut = Math.min(magnitudes.length - 1, Math.max(0, Math.floor((1 - keep) * magnitudes.length)));
      const threshold = magnitudes[cut] as number;
      const mask = tf.cast(tf.greaterEqual(tf.abs(variable), threshold), 'float32');
      variable.assign(tf.mul(variable, mask));
      return mask;
    }),
  );
}

/** Re-applies the masks after each training step (TF-MOT's UpdatePruningStep). */
export class KeepMasked extends callbacks.Callback {
  constructor(
    private readonly target: models.Model,
    private readonly masks: tf.Tensor[],
  ) {
    super();
  }

  override onBatchEnd(): void {
    const variables = kernels(this.target);
    tf.tidy(() => {
      variables.forEach((v, i) => {
        v.assign(tf.mul(v, this.masks[i] as tf.Tensor));
      });
    });
  }
}

/** Nonzero kernel weights plus every other weight: the size of a masked model stored sparsely. */
export function nonzeroParams(model: models.Model): number {
  return model.layers.reduce(
    (total, layer) =>
      total +
      layer.weightRecords().reduce((n, w) => {
        if (w.name !== 'kernel') return n + w.variable.size;
        return n + tf.tidy(() => tf.sum(tf.notEqual(w.variable, 0)).dataSync()[0] as number);
      }, 0),
    0,
  );
}
