/**
 * Training steps of a transformer block (MultiHeadAttention + residual,
 * Dense 128 relu -> Dense 64 + residual, pooled into a 10-way softmax) in a
 * process of its own, on `cpu` or `wasm`, without regularizers, with L2 on
 * every kernel (each attention projection's included), and with an L1
 * activity penalty on every projection besides. tfjs-layers has no
 * attention layer, so there is no stock row. Prints one JSON object:
 * milliseconds per step by variant (medians, interleaved).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { layers as Layers } from 'keras-regularizers';

export const ATTENTION_VARIANTS = ['none', 'L2 kernels', 'L2 kernels + L1 activity'] as const;
type Variant = (typeof ATTENTION_VARIANTS)[number];
export const BLOCK = { batch: 16, sequence: 32, dim: 64, heads: 4, keyDim: 16, ffn: 128, classes: 10 } as const;

async function ourSteps(): Promise<Record<Variant, () => void>> {
  const { L1, L2, layers, models, optimizers } = await import('keras-regularizers');
  const make = (variant: Variant) => {
    const kernel = variant === 'none' ? null : new L2(1e-4);
    const activity = variant === 'L2 kernels + L1 activity' ? new L1(1e-5) : null;
    const x = layers.Input({ shape: [BLOCK.sequence, BLOCK.dim] });
    const attended = new layers.MultiHeadAttention({
      numHeads: BLOCK.heads,
      keyDim: BLOCK.keyDim,
      kernelRegularizer: kernel,
      activityRegularizer: activity,
    }).apply([x, x]) as Layers.KerasTensor;
    const h = new layers.Add().apply([x, attended]) as Layers.KerasTensor;
    const f = new layers.Dense({ units: BLOCK.ffn, activation: 'relu', kernelRegularizer: kernel }).apply(h);
    const g = new layers.Dense({ units: BLOCK.dim, kernelRegularizer: kernel }).apply(f as Layers.KerasTensor);
    const y = new layers.Add().apply([h, g as Layers.KerasTensor]) as Layers.KerasTensor;
    const pooled = new layers.GlobalAveragePooling1D().apply(y) as Layers.KerasTensor;
    const outputs = new layers.Dense({ units: BLOCK.classes, activation: 'softmax', kernelRegularizer: kernel }).apply(
      pooled,
    );
    const model = new models.Model({ inputs: x, outputs });
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
    return model;
  };
  const x = tf.randomNormal([BLOCK.batch, BLOCK.sequence, BLOCK.dim], 0, 1, 'float32', 3);
  const y = tf.tensor1d(Array.from({ length: BLOCK.batch }, (_, i) => i % BLOCK.classes));
  return Object.fromEntries(
    ATTENTION_VARIANTS.map((v) => {
      const model = make(v);
      return [v, () => void model.trainOnBatch(x, y)];
    }),
  ) as Record<Variant, () => void>;
}

if (process.argv[1] != null && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  const backendName = process.argv[2] ?? 'wasm';
  const { backend } = await import('keras-regularizers');
  await backend.setBackend(backendName);
  const { interleave } = await import('./harness.js');
  const measured = interleave(await ourSteps(), { warmup: 3, rounds: backendName === 'cpu' ? 7 : 21 });
  console.log(JSON.stringify(Object.fromEntries(Object.entries(measured).map(([k, m]) => [k, m.ms]))));
}
