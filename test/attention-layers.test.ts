/**
 * Attention and AdditiveAttention against real Keras 3.15.1
 * (test/fixtures/keras-more-layers.json, scripts/generate_keras_more_layers_fixtures.py):
 * configs and JSON both ways, weights in Keras's order, outputs, returned
 * scores, query/value masks, the causal mask, gradients of inputs and
 * weights (rtol 1e-5) on cpu and wasm; the masked BiLSTM with
 * Attention made by Keras loads, predicts, trains 3 steps to Keras's
 * numbers and saves back; dropout in training; symbolic calls; errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { KerasTypeError, layers, models } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { casesOfKind, checkLayerCase, checkModelEntry, FIXTURE, type ModelEntry } from './helpers/more-layers.js';

describeEachBackend('Attention and AdditiveAttention: real Keras cases', () => {
  for (const c of casesOfKind('dense_attention')) {
    it(`${c.name}: Keras's config, outputs, losses and gradients`, () => checkLayerCase(c));
  }

  it('masked BiLSTM -> Attention (Keras-made .keras): predictions, 3 SGD steps, saved back', async () => {
    await checkModelEntry(FIXTURE.models.masked_bilstm_attention as ModelEntry);
  });
});

describe('Attention and AdditiveAttention: behaviour', () => {
  it('dropout drops attention weights in training calls only, seeded', () => {
    tf.tidy(() => {
      const q = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
      const v = tf.randomNormal([2, 6, 4], 0, 1, 'float32', 2);
      const make = () => new layers.Attention({ dropout: 0.5, seed: 7 });
      const a = make();
      const [inference, scores] = a.apply([q, v], { returnAttentionScores: true }) as tf.Tensor[];
      assertAllClose(tf.sum(scores as tf.Tensor, -1), new Array(6).fill(1), {}, 'weights sum to 1 at inference');
      const [, dropped] = a.apply([q, v], { training: true, returnAttentionScores: true }) as tf.Tensor[];
      const values = Array.from((dropped as tf.Tensor).dataSync());
      assert.ok(
        values.some((x) => x === 0),
        'some weights dropped',
      );
      // Kept weights are scaled by 1 / (1 - rate).
      const plain = Array.from((scores as tf.Tensor).dataSync());
      values.forEach((x, i) => {
        if (x !== 0) assert.ok(Math.abs(x - 2 * (plain[i] as number)) < 1e-6);
      });
      const again = make().apply([q, v], { training: true, returnAttentionScores: true }) as tf.Tensor[];
      assertAllClose(again[1] as tf.Tensor, values, {}, 'the same seed drops the same weights');
      assert.ok(inference);
    });
  });

  it('passes the query mask on to its output, as Keras does', () => {
    tf.tidy(() => {
      const ids = tf.tensor2d([[1, 2, 0]], [1, 3], 'int32');
      const embed = new layers.Embedding({ inputDim: 4, outputDim: 2, maskZero: true });
      const h = embed.apply(ids) as tf.Tensor;
      const out = new layers.Attention().apply([h, h]) as tf.Tensor;
      assert.deepEqual(Array.from(out.kerasMask?.dataSync() ?? []), [1, 1, 0]);
      assert.deepEqual(Array.from(out.dataSync()).slice(4), [0, 0], 'the masked query gives zeros');
    });
  });

  it('records Keras call keywords in a Functional graph and writes them back', () => {
    const q = layers.Input({ shape: [4, 3] });
    const out = new layers.Attention({ name: 'att' }).apply([q, q], { useCausalMask: true });
    const model = new models.Model({ inputs: q, outputs: out as layers.KerasTensor });
    const json = models.modelToJSON(model) as unknown as {
      config: { layers: { name: string; inbound_nodes: { kwargs: object }[] }[] };
    };
    const node = json.config.layers.find((l) => l.name === 'att')?.inbound_nodes[0];
    assert.deepEqual(node?.kwargs, { use_causal_mask: true });
    const copy = models.modelFromJSON(json);
    tf.tidy(() => {
      const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 3);
      assertAllClose(copy.apply(x) as tf.Tensor, model.apply(x) as tf.Tensor, {}, 'causal after a round trip');
    });
    model.dispose();
    copy.dispose();
  });

  it('gives symbolic output shapes (scores too)', () => {
    const q = layers.Input({ shape: [4, 3] });
    const v = layers.Input({ shape: [6, 5] });
    const k = layers.Input({ shape: [6, 3] });
    const [out, scores] = new layers.AdditiveAttention().apply([q, v, k], {
      returnAttentionScores: true,
    }) as unknown as layers.KerasTensor[];
    assert.deepEqual(out?.shape, [null, 4, 5]);
    assert.deepEqual(scores?.shape, [null, 4, 6]);
  });
});

describe('Attention and AdditiveAttention: errors name the argument, the expected and the received', () => {
  it('refuses a bad scoreMode, dropout, useScale or seed', () => {
    expectValueError(
      () => new layers.Attention({ scoreMode: 'add' as never }),
      'Invalid value for argument scoreMode. Expected one of {"dot", "concat"}. Received: scoreMode="add"',
    );
    expectValueError(
      () => new layers.AdditiveAttention({ dropout: 1 }),
      'Invalid value for argument dropout: expected a number in [0, 1). Received: dropout=1',
    );
    expectValueError(
      () => new layers.Attention({ useScale: 'yes' as never }),
      'Invalid value for argument useScale: expected a boolean. Received: useScale="yes"',
    );
    expectValueError(
      () => new layers.Attention({ seed: -1 }),
      /^Argument `seed` must be an integer in \[0, 2\*\*32\)\. Received: seed=-1$/,
    );
    assert.throws(() => new layers.AdditiveAttention({ scoreMode: 'dot' } as never), KerasTypeError);
  });

  it('refuses inputs that are not [query, value(, key)] of rank 3 with matching sizes', () => {
    const a = new layers.Attention({ name: 'att' });
    tf.tidy(() => {
      expectValueError(
        () => a.apply(tf.zeros([2, 3, 4])),
        'Attention layer must be called on a list of inputs, namely [query, value] or [query, value, key]. Received: inputs=[2, 3, 4]',
      );
      expectValueError(
        () => a.apply([tf.zeros([2, 3, 4]), tf.zeros([2, 5, 3])]),
        'Layer "att" (Attention) expects query and key with the same last axis (dim). Received: inputs=[[2, 3, 4], [2, 5, 3]]',
      );
      expectValueError(
        () => a.apply([tf.zeros([2, 3]), tf.zeros([2, 5])]),
        'Layer "att" (Attention) expects query, value and key of rank 3: (batch, T, dim). Received: inputs=[[2, 3], [2, 5]]',
      );
      expectValueError(
        () => a.apply([tf.zeros([2, 3, 4]), tf.zeros([2, 5, 4]), tf.zeros([2, 6, 4])]),
        'Layer "att" (Attention) expects value and key with the same axis 1 (Tv). Received: inputs=[[2, 3, 4], [2, 5, 4], [2, 6, 4]]',
      );
    });
  });

  it('refuses a mask that is not a list of 2 or 3, and non-boolean call keywords', () => {
    const a = new layers.Attention();
    tf.tidy(() => {
      const q = tf.zeros([1, 2, 3]);
      expectValueError(
        () => a.apply([q, q], { mask: tf.ones([1, 2], 'bool') }),
        /^Attention layer mask must be a list, namely \[queryMask, valueMask\] \(or with keyMask\), of tensors or null\. Received: mask=/,
      );
      expectValueError(
        () => a.apply([q, q], { useCausalMask: 1 as never }),
        'Invalid value for argument useCausalMask: expected a boolean. Received: useCausalMask=1',
      );
    });
  });
});
