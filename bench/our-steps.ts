/**
 * This library's training steps for one model (`mlp` or `cnn`), every
 * variant interleaved, in a process of its own: a model's speed depends a
 * few percent on where its tensors land in the wasm heap, and a fresh heap
 * keeps one section's history out of the next. Prints one JSON object:
 * a Measurement per variant.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend, type models } from 'keras-regularizers';
import { interleave } from './harness.js';
import { cnn, mlp, VARIANTS, type Variant } from './models.js';

const kind = process.argv[2] === 'cnn' ? 'cnn' : 'mlp';
await backend.setBackend('wasm');
const batch = kind === 'mlp' ? 128 : 32;
const x = tf.randomNormal(kind === 'mlp' ? [batch, 784] : [batch, 28, 28, 1], 0, 1, 'float32', 1);
const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10));
const built = new Map<Variant, models.Sequential>(VARIANTS.map((v) => [v, kind === 'mlp' ? mlp(v) : cnn(v)]));
const step = (variant: Variant) => () => void (built.get(variant) as models.Sequential).trainOnBatch(x, y);
// Overheads of a few percent are the question: 81 rounds put the medians' noise near 1%. The
// Orthogonal step (a 9216 x 9216 Gram matrix in blocks, on the CNN) is measured apart, in fewer rounds.
const cheap = VARIANTS.filter((v) => v !== 'Orthogonal dense');
const measured = interleave(Object.fromEntries(cheap.map((v) => [v, step(v)])), { warmup: 3, rounds: 81 });
const orthogonal = interleave({ 'Orthogonal dense': step('Orthogonal dense') }, { warmup: 2, rounds: 11 });
console.log(JSON.stringify({ ...measured, ...orthogonal }));
