/**
 * RSS over fit/evaluate/save/load cycles (issue 26: 270 cycles grew RSS by
 * 11.7%). Prints RSS, heap, external memory and tfjs's tensor count every
 * `step` cycles, after a GC when run with --expose-gc.
 *   node --expose-gc --import tsx bench/rss-cycles.ts [cycles] [backend]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { backend, layers, models, saving } from 'keras-regularizers';

const cycles = Number(process.argv[2] ?? 300);
await backend.ready({ backend: (process.argv[3] ?? 'cpu') as 'cpu' | 'wasm' });
const folder = mkdtempSync(join(tmpdir(), 'rss-'));
const x = tf.randomNormal([64, 8]);
const y = tf.randomNormal([64, 1]);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (n: number) => (n / 2 ** 20).toFixed(1);
let first = 0;
for (let i = 0; i <= cycles; i++) {
  const model = new models.Sequential([
    layers.Input({ shape: [8] }),
    new layers.Dense({ units: 16, activation: 'relu' }),
    new layers.Dense({ units: 1 }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
  model.evaluate(x, y, {});
  const path = join(folder, 'm.keras');
  await model.save(path);
  const loaded = await saving.loadModel(path);
  model.dispose();
  loaded.dispose();
  if (i % Math.max(1, Math.floor(cycles / 10)) === 0) {
    gc();
    const m = process.memoryUsage();
    if (i === 0) first = m.rss;
    console.log(
      `cycle ${i}: rss ${mb(m.rss)} MB (${(((m.rss - first) / first) * 100).toFixed(1)}%), heapUsed ${mb(m.heapUsed)}, external ${mb(m.external)}, arrayBuffers ${mb(m.arrayBuffers)}, tensors ${tf.memory().numTensors}, variables ${Object.keys(tf.engine().registeredVariables).length}`,
    );
  }
}
rmSync(folder, { recursive: true });
