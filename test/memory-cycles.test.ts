/**
 * Memory over many cycles (issue 26): 300 fit/evaluate/save/load cycles
 * leave no tensor or variable behind and keep RSS and the JS heap flat
 * (measured after a GC, from cycle 30, once the JIT and the allocator have
 * warmed up; bench/rss-cycles.ts prints the whole curve). A refused first
 * trainOnBatch leaves no tensor either.
 *
 * The 11.7% over 270 cycles the issue measured is the warm-up, not a leak:
 * with a GC before each reading, RSS stays within a few percent of cycle 0
 * (cpu and wasm, 300 cycles) and tfjs holds the same 2 tensors throughout.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';
import { backend, layers, models, saving } from 'keras-regularizers';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function smallModel(): models.Sequential {
  const model = new models.Sequential([
    layers.Input({ shape: [8] }),
    new layers.Dense({ units: 16, activation: 'relu' }),
    new layers.Dense({ units: 1 }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  return model;
}

describe('memory over cycles', () => {
  it('a refused first trainOnBatch leaves no tensor', async () => {
    await backend.ready({ backend: 'cpu' });
    const model = smallModel();
    const x = tf.ones([4, 8]);
    const y = tf.ones([4, 3]);
    const before = tf.memory().numTensors;
    assert.throws(() => model.trainOnBatch(x, y));
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('300 fit/evaluate/save/load cycles keep tensors, variables, RSS and heap flat', {
    timeout: 120_000,
  }, async (t) => {
    await backend.ready({ backend: 'cpu' });
    const started = Date.now();
    const folder = mkdtempSync(join(tmpdir(), 'cycles-'));
    const x = tf.randomNormal([64, 8]);
    const y = tf.randomNormal([64, 1]);
    const tensors = tf.memory().numTensors;
    let baseline: NodeJS.MemoryUsage | null = null;
    for (let i = 0; i < 300; i++) {
      const model = smallModel();
      await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
      model.evaluate(x, y);
      const path = join(folder, 'm.keras');
      await model.save(path);
      const loaded = await saving.loadModel(path);
      model.dispose();
      loaded.dispose();
      if (i === 30) {
        gc();
        baseline = process.memoryUsage();
      }
      if (i === 60 && process.env.CI && Date.now() - started > 20_000) {
        t.skip('too slow on this machine for CI (over 60 s projected)');
        break;
      }
    }
    gc();
    const end = process.memoryUsage();
    tf.dispose([x, y]);
    rmSync(folder, { recursive: true });
    assert.equal(tf.memory().numTensors, tensors - 2);
    assert.equal(Object.keys(tf.engine().registeredVariables).length, 0);
    const base = baseline as NodeJS.MemoryUsage;
    const rssGrowth = (end.rss - base.rss) / base.rss;
    const heapGrowth = end.heapUsed - base.heapUsed;
    // RSS moves by a few percent with the allocator (the bench saw +6% then -1%); a leak of the size the issue measured keeps climbing.
    assert.ok(rssGrowth < 0.1, `RSS grew ${(rssGrowth * 100).toFixed(1)}% over 270 cycles`);
    // A few KB per cycle at most (V8's caches); a leaked model (~50 KB of JS objects) per cycle would be 13 MB.
    assert.ok(heapGrowth < 3 * 2 ** 20, `heap grew ${(heapGrowth / 2 ** 20).toFixed(2)} MB over 270 cycles`);
  });
});
