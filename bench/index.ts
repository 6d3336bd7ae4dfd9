/**
 * `npm run bench`: penalty throughput, training steps (ours, each variant's
 * overhead, and stock tfjs-layers), convolution layers, memory. Prints the
 * tables and writes reports/bench.json. Ratios come from the same run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { benchAttention } from './attention.js';
import { benchConstraints } from './constraints.js';
import { benchConv } from './conv.js';
import { benchConvVariants } from './conv-variants.js';
import { benchEmbeddingRows } from './embedding-rows.js';
import { benchFunctional } from './functional.js';
import { benchGemm } from './gemm.js';
import { benchNormalization } from './normalization.js';
import { benchPenalties } from './penalties.js';
import { benchProximal } from './proximal.js';
import { benchPruned } from './pruned.js';
import { benchSequence } from './sequence.js';
import { benchTraining } from './training.js';

const started = performance.now();
const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
console.log(`keras-regularizers benchmarks on ${machine}\n`);

const training = await benchTraining();
console.log(
  `Training steps on wasm (SGD, sparse categorical cross-entropy; MLP batch 128, CNN batch 32)\n${training.text}\n`,
);

const functional = benchFunctional();
console.log(`The same model as Sequential and Functional, training steps on wasm (batch 128)\n${functional.text}\n`);

const penalties = await benchPenalties();
console.log(`Penalty value + gradient over 4M weights (2048 x 2048)\n${penalties.text}\n`);

const conv = await benchConv();
console.log(`Convolution training steps on wasm\n${conv.text}\n`);

const convVariants = benchConvVariants();
console.log(`Convolution variants, training steps (SGD), ours vs tfjs-layers\n${convVariants.text}\n`);

const normalization = benchNormalization();
console.log(
  `Conv2D -> BatchNormalization -> relu -> GlobalAveragePooling2D -> Dense training steps (SGD)\n${normalization.text}\n`,
);

const sequence = benchSequence();
console.log(
  `Text classifier (Embedding -> LSTM or GRU -> Dense) training steps (Adam), ours vs tfjs-layers\n${sequence.text}\n`,
);

const embeddingRows = await benchEmbeddingRows();
console.log(
  `Embedding -> GlobalAveragePooling1D -> Dense training steps on wasm: row updates (plain SGD) against the dense update\n${embeddingRows.text}\n`,
);

const attention = benchAttention();
console.log(
  `Transformer block (MultiHeadAttention + Dense) training steps (SGD); tfjs-layers has no attention layer\n${attention.text}\n`,
);

const constraintsBench = await benchConstraints();
console.log(
  `MLP training steps (SGD) with MaxNorm(3) on every kernel against none, wasm; CPU times are steadier on a busy machine\n${constraintsBench.text}\n`,
);

const prunedBench = await benchPruned();
console.log(
  `Pruned inference (models.prune): Keras's simple MNIST convnet, wasm, predict batch 64; CPU times are steadier on a busy machine\n${prunedBench.text}\n`,
);

const proximalBench = await benchProximal();
console.log(
  `Proximal updates (issue 25): MLP 784-256-128-10 with group lasso (output units) on every kernel, wasm\n${proximalBench.text}\n`,
);

const gemm = await benchGemm();
console.log(
  `GEMMs of the MLP and CNN steps on wasm (forward beside the weight and input gradients), then the steps with every core busy elsewhere at 1, 2 and the default threads\n${gemm.text}\n`,
);

const folder = resolve('reports');
mkdirSync(folder, { recursive: true });
const path = resolve(folder, 'bench.json');
writeFileSync(
  path,
  JSON.stringify(
    {
      machine,
      date: new Date().toISOString(),
      penalties: penalties.rows,
      training: training.rows,
      trainingWithTfjsLayers: training.shared,
      functional: functional.rows,
      conv: conv.rows,
      convVariants: convVariants.rows,
      normalization: normalization.rows,
      sequence: sequence.rows,
      embeddingRows: embeddingRows.rows,
      attention: attention.rows,
      constraints: constraintsBench.rows,
      pruned: prunedBench.rows,
      proximal: proximalBench.rows,
      gemm: gemm.rows,
      gemmContention: gemm.contention,
    },
    null,
    1,
  ),
);
console.log(`Written to ${path} in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
