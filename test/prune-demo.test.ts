/**
 * The smaller-model demo (examples/smaller-model.ts, issue 25) in miniature:
 * one seed, one epoch on 300 digits, the group-lasso and magnitude-pruning
 * variants of the MLP; each run is pruned and evaluated, magnitude pruning
 * is sized by group lasso's result, and the report renders its table and
 * plots. The full demo is not part of the suite (minutes).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { backend } from 'keras-regularizers';
import { loadMnist } from '../examples/mnist/data.js';
import { renderSmallerModelReport } from '../examples/smaller-model/report.js';
import { prunedRun } from '../examples/smaller-model/run.js';
import { variantsFor } from '../examples/smaller-model/variants.js';

describe('smaller-model demo, smoke', () => {
  it('trains, prunes, sizes the magnitude baseline and renders the report', async () => {
    await backend.setBackend('wasm');
    const full = loadMnist();
    const pick = (n: number, step: number) => tf.range(0, n * step, step, 'int32');
    const [trainIdx, testIdx] = [pick(300, 28), pick(100, 15)];
    const data = {
      train: {
        x: tf.gather(full.train.x, trainIdx) as tf.Tensor2D,
        y: tf.gather(full.train.y, trainIdx) as tf.Tensor1D,
      },
      test: { x: tf.gather(full.test.x, testIdx) as tf.Tensor2D, y: tf.gather(full.test.y, testIdx) as tf.Tensor1D },
    };
    tf.dispose([full.train.x, full.train.y, full.test.x, full.test.y, trainIdx, testIdx]);
    const before = tf.memory().numTensors;
    const variants = variantsFor('mlp');
    const group = variants.find((v) => v.name === 'group lasso');
    const magnitude = variants.find((v) => v.magnitude === true);
    assert.ok(group && magnitude);
    const settings = { epochs: 1, fineTuneEpochs: 1, batchSize: 100, learningRate: 2e-3 };
    const g = await prunedRun('mlp', group, 1, data, settings);
    const m = await prunedRun('mlp', magnitude, 1, data, settings, g.nonzero);
    assert.equal(tf.memory().numTensors, before, 'runs free their tensors');
    assert.ok(g.params < g.paramsBefore, `group lasso prunes: ${g.params} of ${g.paramsBefore}`);
    assert.ok(
      Math.abs(m.nonzero - g.nonzero) / g.nonzero < 0.02,
      `magnitude sized to group lasso: ${m.nonzero} vs ${g.nonzero}`,
    );
    assert.equal(m.params, m.paramsBefore, 'unstructured zeros remove no unit');
    for (const r of [g, m]) assert.ok(r.accuracy > 0.3 && r.accuracy <= 1, `${r.variant} accuracy ${r.accuracy}`);
    const html = renderSmallerModelReport('smoke', [
      { title: 'MLP', variants: [g, m].map((r) => ({ name: r.variant, description: r.variant, runs: [r] })) },
    ]);
    assert.equal((html.match(/<svg /g) ?? []).length, 2);
    assert.match(html, /parameters after models\.prune/);
    tf.dispose([data.train.x, data.train.y, data.test.x, data.test.y]);
  });
});
