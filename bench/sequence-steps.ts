/**
 * Training steps of a text classifier, Embedding(10000, 64) -> LSTM(64) or
 * GRU(64) -> Dense(2, softmax), sequences of 100 ids, batch 32, Adam, without
 * and with L2 on the embeddings, the kernel and the recurrent kernel, in a
 * process of its own: `ours` or `tfjs-layers` (never both in one process:
 * this library registers faster gradients globally), on `cpu` or `wasm`.
 * Prints one JSON object: milliseconds per step by variant, or why not.
 */
import * as tf from '@tensorflow/tfjs-core';

export const SEQUENCE_VARIANTS = ['LSTM', 'LSTM + L2', 'GRU', 'GRU + L2'] as const;
type Variant = (typeof SEQUENCE_VARIANTS)[number];
export const TEXT_CLASSIFIER = {
  vocabulary: 10000,
  embedding: 64,
  units: 64,
  steps: 100,
  batch: 32,
  l2: 1e-4,
} as const;
const C = TEXT_CLASSIFIER;

type Step = () => unknown;
const recurrentOf = (variant: Variant) => (variant.startsWith('LSTM') ? 'LSTM' : 'GRU');

async function ourSteps(): Promise<Record<Variant, Step>> {
  const { L2, layers, models } = await import('keras-regularizers');
  const make = (variant: Variant) => {
    const reg = variant.endsWith('L2') ? new L2(C.l2) : null;
    const Recurrent = recurrentOf(variant) === 'LSTM' ? layers.LSTM : layers.GRU;
    const model = new models.Sequential([
      layers.Input({ shape: [C.steps], dtype: 'int32' }),
      new layers.Embedding({ inputDim: C.vocabulary, outputDim: C.embedding, embeddingsRegularizer: reg }),
      new Recurrent({ units: C.units, kernelRegularizer: reg, recurrentRegularizer: reg }),
      new layers.Dense({ units: 2, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    return model;
  };
  const { x, y } = data();
  return Object.fromEntries(
    SEQUENCE_VARIANTS.map((v) => {
      const model = make(v);
      return [v, () => void model.trainOnBatch(x, y)];
    }),
  ) as Record<Variant, Step>;
}

async function tfjsLayersSteps(): Promise<Record<Variant, Step>> {
  const tfl = await import('@tensorflow/tfjs-layers');
  const make = (variant: Variant) => {
    const reg = variant.endsWith('L2') ? tfl.regularizers.l2({ l2: C.l2 }) : undefined;
    const recurrent = recurrentOf(variant) === 'LSTM' ? tfl.layers.lstm : tfl.layers.gru;
    const model = tfl.sequential({
      layers: [
        tfl.layers.embedding({
          inputShape: [C.steps],
          inputDim: C.vocabulary,
          outputDim: C.embedding,
          embeddingsRegularizer: reg,
        }),
        // tfjs-layers' orthogonal initializer fails here (`rMat.flatten is not a function`); the timing does not depend on it.
        recurrent({
          units: C.units,
          kernelRegularizer: reg,
          recurrentRegularizer: reg,
          recurrentInitializer: 'glorotUniform',
        }),
        tfl.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(), loss: 'sparseCategoricalCrossentropy' });
    return model;
  };
  const { x, y } = data();
  return Object.fromEntries(
    SEQUENCE_VARIANTS.map((v) => {
      const model = make(v);
      return [v, () => model.trainOnBatch(x, y)];
    }),
  ) as Record<Variant, Step>;
}

function data(): { x: tf.Tensor; y: tf.Tensor } {
  const x = tf.randomUniform([C.batch, C.steps], 1, C.vocabulary, 'int32', 5);
  const y = tf.tensor1d(Array.from({ length: C.batch }, (_, i) => i % 2));
  return { x, y };
}

/**
 * tfjs-backend-wasm has no UnsortedSegmentSum, which tfjs-layers' Embedding
 * gradient (the gather gradient) needs, so stock tfjs-layers cannot train a
 * text classifier on wasm at all. To still compare steps on wasm, the bench
 * gives the tfjs-layers process a plain JavaScript one: a single pass over
 * the (batch x steps, 64) gradient rows, far below a millisecond here, and
 * counted in tfjs-layers' time. Our library does not use this kernel.
 */
function registerPlainUnsortedSegmentSum(): void {
  interface WasmBackend {
    readSync(dataId: tf.DataId): Float32Array | Int32Array;
    makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
    typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  }
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as unknown as WasmBackend;
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      const values = wasm.readSync(x.dataId);
      const ids = wasm.readSync(segmentIds.dataId);
      const rows = ids.length;
      const width = rows === 0 ? 0 : values.length / rows;
      const out = wasm.makeOutput([numSegments, ...x.shape.slice(1)], x.dtype);
      const sums = wasm.typedArrayFromHeap(out);
      sums.fill(0);
      for (let r = 0; r < rows; r++) {
        const base = (ids[r] as number) * width;
        for (let j = 0; j < width; j++) sums[base + j] = (sums[base + j] as number) + (values[r * width + j] as number);
      }
      return out;
    },
  });
}

/** Median ms per step of each variant, interleaved; a variant that throws reports why. */
async function measure(steps: Record<Variant, Step>, rounds: number): Promise<Record<string, number | string>> {
  const times = new Map<Variant, number[]>(SEQUENCE_VARIANTS.map((v) => [v, []]));
  const result: Record<string, number | string> = {};
  const live: Variant[] = [];
  for (const v of SEQUENCE_VARIANTS) {
    try {
      for (let i = 0; i < 2; i++) await steps[v]();
      live.push(v);
    } catch (error) {
      result[v] = `cannot run: ${(error as Error).message.split('\n')[0]}`;
    }
  }
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < live.length; k++) {
      const v = live[(k + round) % live.length] as Variant;
      const start = performance.now();
      await steps[v]();
      (times.get(v) as number[]).push(performance.now() - start);
    }
  }
  for (const v of live) {
    const list = times.get(v) as number[];
    result[v] = [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] as number;
  }
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
    if (backendName === 'wasm') registerPlainUnsortedSegmentSum();
  }
  const steps = who === 'ours' ? await ourSteps() : await tfjsLayersSteps();
  console.log(JSON.stringify(await measure(steps, backendName === 'cpu' ? 3 : 21)));
}
