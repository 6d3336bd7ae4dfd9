/**
 * The same MLP and CNN in stock tfjs-layers, in a process of its own (this
 * library registers faster gradients globally, which would speed tfjs-layers
 * up too). Prints one JSON object: milliseconds per step, or why not.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';

await tf.setBackend('wasm');

type Variant = 'none' | 'L2 kernel' | 'L1 kernel' | 'L1L2 kernel' | 'L2 activity' | 'Orthogonal dense';
const variants: Variant[] = ['none', 'L2 kernel', 'L1 kernel', 'L1L2 kernel', 'L2 activity', 'Orthogonal dense'];

function kernelRegularizerOf(variant: Variant) {
  if (variant === 'L2 kernel') return tfl.regularizers.l2({ l2: 1e-4 });
  if (variant === 'L1 kernel') return tfl.regularizers.l1({ l1: 1e-5 });
  if (variant === 'L1L2 kernel') return tfl.regularizers.l1l2({ l1: 1e-5, l2: 1e-4 });
  return undefined;
}

function build(kind: 'mlp' | 'cnn', variant: Variant): tfl.Sequential | string {
  if (variant === 'Orthogonal dense') return 'tfjs-layers has no orthogonal regularizer';
  const kernelRegularizer = kernelRegularizerOf(variant);
  const activityRegularizer = variant === 'L2 activity' ? tfl.regularizers.l2({ l2: 1e-5 }) : undefined;
  const model =
    kind === 'mlp'
      ? tfl.sequential({
          layers: [
            tfl.layers.dense({
              inputShape: [784],
              units: 512,
              activation: 'relu',
              kernelRegularizer,
              activityRegularizer,
            }),
            tfl.layers.dense({ units: 512, activation: 'relu', kernelRegularizer, activityRegularizer }),
            tfl.layers.dense({ units: 10, activation: 'softmax', kernelRegularizer, activityRegularizer }),
          ],
        })
      : tfl.sequential({
          layers: [
            tfl.layers.conv2d({
              inputShape: [28, 28, 1],
              filters: 32,
              kernelSize: 3,
              activation: 'relu',
              kernelRegularizer,
              activityRegularizer,
            }),
            tfl.layers.conv2d({
              filters: 64,
              kernelSize: 3,
              activation: 'relu',
              kernelRegularizer,
              activityRegularizer,
            }),
            tfl.layers.maxPooling2d({ poolSize: 2 }),
            tfl.layers.flatten(),
            tfl.layers.dense({ units: 10, activation: 'softmax', kernelRegularizer, activityRegularizer }),
          ],
        });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'sparseCategoricalCrossentropy' });
  return model;
}

const result: Record<string, number | string> = {};
for (const kind of ['mlp', 'cnn'] as const) {
  const batch = kind === 'mlp' ? 128 : 32;
  const x = tf.randomNormal(kind === 'mlp' ? [batch, 784] : [batch, 28, 28, 1]);
  const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10));
  for (const variant of variants) {
    const key = `${kind} ${variant}`;
    let model: tfl.Sequential | string;
    try {
      model = build(kind, variant);
    } catch (error) {
      result[key] = `cannot run: ${(error as Error).message.split('\n')[0]}`;
      continue;
    }
    if (typeof model === 'string') {
      result[key] = model;
      continue;
    }
    try {
      for (let i = 0; i < 2; i++) await model.trainOnBatch(x, y);
      const times: number[] = [];
      for (let i = 0; i < 9; i++) {
        const start = performance.now();
        await model.trainOnBatch(x, y);
        times.push(performance.now() - start);
      }
      result[key] = times.sort((a, b) => a - b)[4] as number;
    } catch (error) {
      result[key] = `cannot run: ${(error as Error).message.split('\n')[0]}`;
    }
    model.dispose();
  }
  tf.dispose([x, y]);
}
console.log(JSON.stringify(result));
