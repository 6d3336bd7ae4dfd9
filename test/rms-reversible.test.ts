/**
 * RMSNormalization and ReversibleEmbedding against real Keras 3.15.1
 * (test/fixtures/keras-more-layers.json, scripts/generate_keras_more_layers_fixtures.py):
 * configs and JSON both ways, weights in Keras's order, outputs, the
 * embeddings regularizer's loss, gradients of inputs and weights (rtol 1e-5)
 * on cpu and wasm; a Keras-made tied language model (ReversibleEmbedding
 * called forward and with reverse=True, RMSNormalization, Attention with
 * use_causal_mask, AdditiveAttention) loads, trains 3 SGD steps to Keras's
 * numbers and saves back; errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { KerasTypeError, L2, layers, models } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { casesOfKind, checkLayerCase, checkModelEntry, FIXTURE, type ModelEntry } from './helpers/more-layers.js';

describeEachBackend('RMSNormalization and ReversibleEmbedding: real Keras cases', () => {
  for (const c of [...casesOfKind('rms_normalization'), ...casesOfKind('reversible_embedding')]) {
    it(`${c.name}: Keras's config, outputs, losses and gradients`, () => checkLayerCase(c));
  }

  it('tied LM (ReversibleEmbedding forward and reverse, RMSNormalization, causal Attention): Keras file both ways, 3 SGD steps', async () => {
    await checkModelEntry(FIXTURE.models.tied_lm as ModelEntry);
  });
});

describe('RMSNormalization and ReversibleEmbedding: behaviour', () => {
  it('RMSNormalization writes axis as Keras does: as given, then a sorted list once built', () => {
    const norm = new layers.RMSNormalization({ axis: -1 });
    assert.equal(norm.getConfig().axis, -1);
    norm.build([null, 3, 4]);
    assert.deepEqual(norm.getConfig().axis, [-1]);
    const both = new layers.RMSNormalization({ axis: [2, 1] });
    both.build([null, 3, 4]);
    assert.deepEqual(both.getConfig().axis, [1, 2]);
    assert.deepEqual(both.scale?.shape, [3, 4]);
    norm.dispose();
    both.dispose();
  });

  it('ReversibleEmbedding: the embeddings regularizer penalizes the embeddings only (not reverse_embeddings)', () => {
    const embed = new layers.ReversibleEmbedding({
      inputDim: 5,
      outputDim: 2,
      tieWeights: false,
      embeddingsRegularizer: new L2(0.5),
    });
    embed.build([null, 3]);
    tf.tidy(() => {
      embed.setWeights([tf.ones([5, 2]), tf.fill([2, 5], 3)]);
      const [loss] = embed.losses;
      assertAllClose(loss as tf.Tensor, [0.5 * 10], {}, '0.5 * sum(embeddings^2)');
      assert.equal(embed.losses.length, 1);
    });
    assert.deepEqual(
      embed.weightRecords().map((w) => w.path),
      ['reversible_embedding/embeddings', 'reversible_embedding/reverse_embeddings'].map((p) =>
        p.replace('reversible_embedding', embed.name),
      ),
    );
    embed.dispose();
  });

  it('ReversibleEmbedding: the forward call keeps the maskZero mask; the reverse call makes none; symbolic shapes', () => {
    const embed = new layers.ReversibleEmbedding({ inputDim: 6, outputDim: 3, maskZero: true });
    tf.tidy(() => {
      const h = embed.apply(tf.tensor2d([[1, 0]], [1, 2], 'int32')) as tf.Tensor;
      assert.deepEqual(Array.from(h.kerasMask?.dataSync() ?? []), [1, 0]);
      const logits = embed.apply(tf.ones([1, 2, 3]), { reverse: true }) as tf.Tensor;
      assert.deepEqual(logits.shape, [1, 2, 6]);
      assert.equal(logits.kerasMask ?? null, null);
    });
    const ids = layers.Input({ shape: [4], dtype: 'int32' });
    const vectors = embed.apply(ids);
    const back = embed.apply(vectors, { reverse: true });
    assert.deepEqual(vectors.shape, [null, 4, 3]);
    assert.deepEqual(back.shape, [null, 4, 6]);
    const model = new models.Model({ inputs: ids, outputs: back });
    const json = models.modelToJSON(model) as unknown as {
      config: { layers: { class_name: string; inbound_nodes: { kwargs: object }[] }[] };
    };
    const nodes = json.config.layers.find((l) => l.class_name === 'ReversibleEmbedding')?.inbound_nodes;
    assert.deepEqual(
      nodes?.map((n) => n.kwargs),
      [{}, { reverse: true }],
      "Keras's reverse=True keyword on the second call",
    );
    model.dispose();
  });
});

describe('RMSNormalization and ReversibleEmbedding: errors name the argument, the expected and the received', () => {
  it('RMSNormalization refuses a bad epsilon, an axis out of range or one whose scale does not broadcast', () => {
    expectValueError(
      () => new layers.RMSNormalization({ epsilon: -1 }),
      'Invalid value for argument epsilon: expected a finite number >= 0. Received: epsilon=-1',
    );
    assert.throws(() => new layers.RMSNormalization({ axis: 'last' as never }), KerasTypeError);
    expectValueError(
      () => new layers.RMSNormalization({ axis: 3 }).build([null, 3, 4]),
      'Axis 3 is out of bounds for input shape [null, 3, 4]. Received: axis=3',
    );
    expectValueError(
      () => new layers.RMSNormalization({ name: 'norm', axis: 1 }).build([null, 3, 4]),
      'Layer "norm" (RMSNormalization) multiplies inputs of shape [null, 3, 4] by a scale of shape [3], which does not broadcast: the axes must be the trailing ones. Received: axis=1',
    );
  });

  it('ReversibleEmbedding refuses bad options and vectors of the wrong size', () => {
    expectValueError(
      () => new layers.ReversibleEmbedding({ inputDim: 4, outputDim: 2, logitSoftCap: 0 }),
      'Invalid value for argument logitSoftCap: expected null or a finite nonzero number. Received: logitSoftCap=0',
    );
    expectValueError(
      () => new layers.ReversibleEmbedding({ inputDim: 4, outputDim: 2, reverseDtype: 'float16' as never }),
      'Invalid value for argument reverseDtype: expected null or "float32" (this library computes in float32). Received: reverseDtype="float16"',
    );
    expectValueError(
      () => new layers.ReversibleEmbedding({ inputDim: 4, outputDim: 2, tieWeights: 1 as never }),
      'Invalid value for argument tieWeights: expected a boolean. Received: tieWeights=1',
    );
    assert.throws(
      () => new layers.ReversibleEmbedding({ inputDim: 4, outputDim: 2, tieWeight: false } as never),
      (e: Error) =>
        e instanceof KerasTypeError && /ReversibleEmbedding got an unexpected option "tieWeight"/.test(e.message),
    );
    const embed = new layers.ReversibleEmbedding({ name: 'emb', inputDim: 4, outputDim: 2 });
    tf.tidy(() => {
      expectValueError(
        () => embed.apply(tf.ones([1, 3]), { reverse: true }),
        'Layer "emb" (ReversibleEmbedding) called with reverse: true expects vectors of size outputDim=2 on the last axis. Received: inputs.shape=[1, 3]',
      );
      expectValueError(
        () => embed.apply(tf.ones([1, 2]), { reverse: 'yes' as never }),
        'Invalid value for argument reverse: expected a boolean. Received: reverse="yes"',
      );
    });
    embed.dispose();
  });
});
