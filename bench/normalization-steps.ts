/**
 * Training steps of the BatchNormalization CNN (Conv2D -> BatchNormalization
 * -> relu -> GlobalAveragePooling2D -> Dense), without and with L2 on the
 * kernels, gamma and beta, in a process of its own: `ours` or `tfjs-layers`
 * (never both in one process: this library registers faster gradients
 * globally, which would change tfjs-layers' times), on `cpu` or `wasm`.
 * Prints one JSON object: milliseconds per step by variant, or why not.
 */
import * as tf from '@tensorflow/tfjs-core';

export const NORMALIZATION_VARIANTS = ['none', 'L2 kernel+gamma+beta'] as const;
type Variant = (typeof NORMALIZATION_VARIANTS)[number];
/** Batch 32 of 16x16x3 images, 32 filters: big enough that the step is the layers' work, small enough for cpu. */
export const BN_CNN = { batch: 32, input: [16, 16, 3], filters: 32, classes: 10, l2: 1e-4 } as const;

type Step = () => unknown;

async function ourSteps(): Promise<Record<Variant, Step>> {
  const { L2, layers, models, optimizers } = await import('keras-regularizers');
  const make = (variant: Variant) => {
    const reg = variant === 'none' ? null : new L2(BN_CNN.l2);
    const model = new models.Sequential([
      layers.Input({ shape: [...BN_CNN.input] }),
      new layers.Conv2D({ filters: BN_CNN.filters, kernelSize: 3, kernelRegularizer: reg }),
      new layers.BatchNormalization({ gammaRegularizer: reg, betaRegularizer: reg }),
      new layers.Activation({ activation: 'relu' }),
      new layers.GlobalAveragePooling2D(),
      new layers.Dense({ units: BN_CNN.classes, activation: 'softmax', kernelRegularizer: reg }),
    ]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
    return model;
  };
  const { x, y } = data();
  const built = NORMALIZATION_VARIANTS.map((v) => [v, make(v)] as const);
  return Object.fromEntries(built.map(([v, model]) => [v, () => void model.trainOnBatch(x, y)])) as Record<
    Variant,
    Step
  >;
}

async function tfjsLayersSteps(): Promise<Record<Variant, Step>> {
  const tfl = await import('@tensorflow/tfjs-layers');
  const make = (variant: Variant) => {
    const reg = variant === 'none' ? undefined : tfl.regularizers.l2({ l2: BN_CNN.l2 });
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({
          inputShape: [...BN_CNN.input],
          filters: BN_CNN.filters,
          kernelSize: 3,
          kernelRegularizer: reg,
        }),
        tfl.layers.batchNormalization({ gammaRegularizer: reg, betaRegularizer: reg }),
        tfl.layers.activation({ activation: 'relu' }),
        tfl.layers.globalAveragePooling2d({}),
        tfl.layers.dense({ units: BN_CNN.classes, activation: 'softmax', kernelRegularizer: reg }),
      ],
    });
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'sparseCategoricalCrossentropy' });
    return model;
  };
  const { x, y } = data();
  const built = NORMALIZATION_VARIANTS.map((v) => [v, make(v)] as const);
  return Object.fromEntries(built.map(([v, model]) => [v, () => model.trainOnBatch(x, y)])) as Record<Variant, Step>;
}

function data(): { x: tf.Tensor; y: tf.Tensor } {
  const x = tf.randomNormal([BN_CNN.batch, ...BN_CNN.input], 0, 1, 'float32', 3);
  const y = tf.tensor1d(Array.from({ length: BN_CNN.batch }, (_, i) => i % BN_CNN.classes));
  return { x, y };
}

/** Median ms per step of each variant, interleaved; a variant that throws reports why. */
async function measure(steps: Record<Variant, Step>, rounds: number): Promise<Record<string, number | string>> {
  const times = new Map<Variant, number[]>(NORMALIZATION_VARIANTS.map((v) => [v, []]));
  const result: Record<string, number | string> = {};
  try {
    for (const v of NORMALIZATION_VARIANTS) for (let i = 0; i < 2; i++) await steps[v]();
  } catch (error) {
    const reason = `cannot run: ${(error as Error).message.split('\n')[0]}`;
    for (const v of NORMALIZATION_VARIANTS) result[v] = reason;
    return result;
  }
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < NORMALIZATION_VARIANTS.length; k++) {
      const v = NORMALIZATION_VARIANTS[(k + round) % NORMALIZATION_VARIANTS.length] as Variant;
      const start = performance.now();
      await steps[v]();
      (times.get(v) as number[]).push(performance.now() - start);
    }
  }
  for (const [v, list] of times) result[v] = [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] as number;
  return result;
}

if (process.argv[1] != null && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  const [who, backendName] = [process.argv[2] ?? 'ours', process.argv[3] ?? 'wasm'];
  if (who === 'ours') {
    const { backend } = await import('keras-regularizers');
    await backend.setBackend(backendName);
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend(backendName);
  }
  const steps = who === 'ours' ? await ourSteps() : await tfjsLayersSteps();
  console.log(JSON.stringify(await measure(steps, backendName === 'cpu' ? 7 : 41)));
}
