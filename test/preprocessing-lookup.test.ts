/**
 * IntegerLookup as Keras 3.15.1 (keras/src/layers/preprocessing/
 * integer_lookup.py and index_lookup.py). Keras runs this layer only with
 * TensorFlow installed, which the fixture generator's environment has not,
 * so the expected values are those of Keras's own docstring examples
 * (computed by Keras's doctests) and cases worked out from its source:
 * index layout, OOV policies, invert, encodings, adapt's frequency order,
 * configs, Keras's errors, and the learned vocabulary saved as Keras's
 * asset `assets/<layer path>/vocabulary.txt` in .keras files.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { strFromU8, unzipSync } from 'fflate';
import { layers, models, optimizers, saving } from 'keras-regularizers';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';

const ints = (values: number[][]) => tf.tensor2d(values, undefined, 'int32');

function run(layer: layers.Layer, x: tf.Tensor): number[][] | number[] {
  const y = layer.apply(x) as tf.Tensor;
  const out = y.arraySync() as number[][];
  y.dispose();
  x.dispose();
  return out;
}

describeEachBackend("IntegerLookup: Keras's docstring examples", () => {
  const vocab = [12, 36, 1138, 42];
  it('a known vocabulary: index 0 for OOV tokens, the tokens from 1', async () => {
    const layer = new layers.IntegerLookup({ vocabulary: vocab });
    await assertNoLeak(() => {
      assert.deepEqual(
        run(
          layer,
          ints([
            [12, 1138, 42],
            [42, 1000, 36],
          ]),
        ),
        [
          [1, 3, 4],
          [4, 0, 2],
        ],
      );
    });
    const x = ints([[12, 7]]);
    const y = layer.apply(x) as tf.Tensor;
    const yTraining = layer.apply(x, { training: true }) as tf.Tensor;
    assert.equal(y.dtype, 'int32');
    // The same in training calls: the layer has no training behaviour.
    assert.deepEqual(yTraining.arraySync(), y.arraySync());
    tf.dispose([x, y, yTraining]);
  });
  it('an adapted vocabulary: by frequency, ties by the larger token', () => {
    const layer = new layers.IntegerLookup();
    const data = ints([
      [12, 1138, 42],
      [42, 1000, 36],
    ]);
    layer.adapt(data);
    assert.deepEqual(layer.getVocabulary(), [-1, 42, 1138, 1000, 36, 12]);
    assert.deepEqual(run(layer, data), [
      [5, 2, 1],
      [1, 3, 4],
    ]);
  });
  it('two OOV indices: floormod of the token', () => {
    const layer = new layers.IntegerLookup({ vocabulary: vocab, numOovIndices: 2 });
    assert.deepEqual(
      run(
        layer,
        ints([
          [12, 1138, 42],
          [37, 1000, 36],
        ]),
      ),
      [
        [2, 4, 5],
        [1, 0, 3],
      ],
    );
  });
  it('floormod puts arithmetic OOV ids in one bucket', () => {
    const layer = new layers.IntegerLookup({ vocabulary: [10, 20, 30], numOovIndices: 4, oovMethod: 'floormod' });
    assert.deepEqual(run(layer, tf.tensor1d([100, 300, 700, 1100, 1700, 2000], 'int32')), [0, 0, 0, 0, 0, 0]);
  });
  it('farmhash spreads them: FarmHash Fingerprint64 of the decimal string', () => {
    const layer = new layers.IntegerLookup({ vocabulary: [10, 20, 30], numOovIndices: 4, oovMethod: 'farmhash' });
    assert.deepEqual(run(layer, tf.tensor1d([100, 300, 700, 1100, 1700, 2000], 'int32')), [3, 3, 2, 2, 0, 1]);
  });
  it('one_hot, multi_hot and count outputs', () => {
    assert.deepEqual(
      run(
        new layers.IntegerLookup({ vocabulary: vocab, outputMode: 'one_hot' }),
        tf.tensor1d([12, 36, 1138, 42, 7], 'int32'),
      ),
      [
        [0, 1, 0, 0, 0],
        [0, 0, 1, 0, 0],
        [0, 0, 0, 1, 0],
        [0, 0, 0, 0, 1],
        [1, 0, 0, 0, 0],
      ],
    );
    const data = () =>
      ints([
        [12, 1138, 42, 42],
        [42, 7, 36, 7],
      ]);
    assert.deepEqual(run(new layers.IntegerLookup({ vocabulary: vocab, outputMode: 'multi_hot' }), data()), [
      [0, 1, 0, 1, 1],
      [1, 0, 1, 0, 1],
    ]);
    assert.deepEqual(run(new layers.IntegerLookup({ vocabulary: vocab, outputMode: 'count' }), data()), [
      [0, 1, 0, 1, 2],
      [2, 0, 1, 0, 1],
    ]);
  });
  it('invert maps indices back, OOV indices to the OOV token', () => {
    const layer = new layers.IntegerLookup({ vocabulary: vocab, invert: true });
    assert.deepEqual(
      run(
        layer,
        ints([
          [1, 3, 4],
          [4, 0, 2],
        ]),
      ),
      [
        [12, 1138, 42],
        [42, -1, 36],
      ],
    );
  });
  it("a forward layer's vocabulary (with its OOV token) makes the inverse layer", () => {
    const forward = new layers.IntegerLookup({ vocabulary: vocab });
    const inverse = new layers.IntegerLookup({ vocabulary: forward.getVocabulary() as number[], invert: true });
    assert.deepEqual(forward.getVocabulary(), [-1, ...vocab]);
    const indices = forward.apply(
      ints([
        [12, 1138, 42],
        [42, 1000, 36],
      ]),
    ) as tf.Tensor;
    assert.deepEqual(run(inverse, indices), [
      [12, 1138, 42],
      [42, -1, 36],
    ]);
  });
});

describeEachBackend('IntegerLookup: the mask token and OOV policies, from the source', () => {
  it('a mask token takes index 0 and the OOV index moves to 1 (int output)', () => {
    const layer = new layers.IntegerLookup({ vocabulary: [5, 6], maskToken: 0 });
    assert.deepEqual(layer.getVocabulary(), [0, -1, 5, 6]);
    assert.equal(layer.vocabularySize(), 4);
    assert.deepEqual(run(layer, ints([[5, 0, 9, 6]])), [[2, 0, 1, 3]]);
  });
  it('with a multi_hot output the mask encodes to nothing and takes no column', () => {
    const layer = new layers.IntegerLookup({ vocabulary: [5, 6], maskToken: 0, outputMode: 'multi_hot' });
    assert.equal(layer.vocabularySize(), 3);
    assert.deepEqual(
      run(
        layer,
        ints([
          [5, 0, 0],
          [9, 0, 6],
        ]),
      ),
      [
        [0, 1, 0],
        [1, 0, 1],
      ],
    );
  });
  it('padToMaxTokens encodes to maxTokens columns', () => {
    const layer = new layers.IntegerLookup({
      vocabulary: [5, 6],
      maxTokens: 6,
      padToMaxTokens: true,
      outputMode: 'count',
    });
    assert.deepEqual(run(layer, ints([[5, 5, 8]])), [[1, 2, 0, 0, 0, 0]]);
  });
  it('inverting with a mask token: index 0 is the mask token', () => {
    const layer = new layers.IntegerLookup({ vocabulary: [5, 6], maskToken: 0, invert: true });
    assert.deepEqual(run(layer, ints([[0, 1, 2, 3, 7]])), [[0, -1, 5, 6, -1]]);
  });
  it('numOovIndices 0: an unknown token is an error naming it (Keras: an InvalidArgumentError)', () => {
    const layer = new layers.IntegerLookup({ vocabulary: [5, 6], numOovIndices: 0 });
    assert.deepEqual(run(layer, ints([[5, 6]])), [[0, 1]]);
    const x = ints([[5, 7, 9]]);
    const before = tf.memory().numTensors;
    expectValueError(
      () => layer.apply(x),
      'When `num_oov_indices=0` all inputs should be in vocabulary, found OOV values [7 9], consider setting `num_oov_indices=1`.',
    );
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });
  it('maxTokens cuts the adapted vocabulary, special indices counted', () => {
    const layer = new layers.IntegerLookup({ maxTokens: 3 });
    layer.adapt([1, 1, 1, 2, 2, 3, -1, -1, -1, -1]);
    assert.deepEqual(layer.getVocabulary(), [-1, 1, 2]);
    assert.deepEqual(layer.getVocabulary(false), [1, 2]);
  });
  it('adapts on an array of batches, counting across them', () => {
    const layer = new layers.IntegerLookup();
    const batches = [tf.tensor1d([3, 4], 'int32'), tf.tensor1d([4, 9], 'int32')];
    layer.adapt(batches);
    assert.deepEqual(layer.getVocabulary(), [-1, 4, 9, 3]);
    tf.dispose(batches);
  });
  it('a vocabulary given with its special tokens at the start drops them', () => {
    const layer = new layers.IntegerLookup({ vocabulary: [0, -1, 5, 6], maskToken: 0 });
    assert.deepEqual(layer.getVocabulary(), [0, -1, 5, 6]);
  });
});

describeEachBackend('IntegerLookup: configs and files', () => {
  it("writes Keras's config keys and reads them back", () => {
    const layer = new layers.IntegerLookup({ vocabulary: [7, 8], numOovIndices: 2, maskToken: 0, name: 'ids' });
    const json = layers.serialize(layer);
    assert.deepEqual(json.config, {
      name: 'ids',
      trainable: true,
      dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
      invert: false,
      max_tokens: null,
      num_oov_indices: 2,
      oov_token: -1,
      mask_token: 0,
      output_mode: 'int',
      sparse: false,
      pad_to_max_tokens: false,
      vocabulary_dtype: 'int64',
      idf_weights: null,
      vocabulary: [7, 8],
      vocabulary_size: 5,
      oov_method: 'floormod',
      salt: null,
    });
    const again = layers.deserialize(json) as layers.IntegerLookup;
    assert.deepEqual(again.getVocabulary(), layer.getVocabulary());
    // Keras pops a dtype of its config: an int64 policy is accepted.
    const int64 = layers.deserialize({
      ...json,
      config: {
        ...json.config,
        dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'int64' }, registered_name: null },
      },
    });
    assert.ok(int64 instanceof layers.IntegerLookup);
  });

  it("saves a learned vocabulary as Keras's asset, loads it back, and trains a Dense behind it", async () => {
    const lookup = new layers.IntegerLookup({ outputMode: 'multi_hot', name: 'integer_lookup' });
    lookup.adapt(
      ints([
        [4, 4, 9],
        [2, 9, 4],
      ]),
    );
    const inputs = layers.Input({ shape: [3], dtype: 'int32' });
    const outputs = new layers.Dense({ units: 2 }).apply(lookup.apply(inputs));
    const model = new models.Functional({ inputs, outputs });
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
    const x = ints([
      [4, 9, 7],
      [2, 2, 2],
    ]);
    const y = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const logs = model.trainOnBatch(x, y);
    assert.ok(Number.isFinite(logs.loss as number));

    const bytes = await saving.saveModelToBytes(model);
    const entries = unzipSync(bytes);
    // Keras's layout: no vocabulary in the config (it was learned), the asset at the layer's path.
    assert.equal(strFromU8(entries['assets/layers/integer_lookup/vocabulary.txt'] as Uint8Array), '-1\n4\n9\n2');
    const config = JSON.parse(strFromU8(entries['config.json'] as Uint8Array));
    const saved = config.config.layers.find((l: { class_name: string }) => l.class_name === 'IntegerLookup');
    assert.equal(saved.config.vocabulary, null);
    assert.equal(saved.config.vocabulary_size, 4);

    const loaded = await saving.loadModelFromBytes(bytes);
    const loadedLookup = loaded.layers.find((l) => l instanceof layers.IntegerLookup) as layers.IntegerLookup;
    assert.deepEqual(loadedLookup.getVocabulary(), [-1, 4, 9, 2]);
    const predict = (m: models.Model) => tf.tidy(() => Array.from((m.apply(x) as tf.Tensor).dataSync()));
    assert.deepEqual(predict(loaded), predict(model));
    tf.dispose([x, y]);
    model.dispose();
    loaded.dispose();
  });
});

describeEachBackend("IntegerLookup: Keras's errors", () => {
  it('refuses bad arguments as Keras does', () => {
    expectValueError(
      () => new layers.IntegerLookup({ maxTokens: 1 }),
      'If `max_tokens` is set for `IntegerLookup`, it must be greater than 1. Received: max_tokens=1',
    );
    expectValueError(
      () => new layers.IntegerLookup({ numOovIndices: -1 }),
      'The value of `num_oov_indices` argument for `IntegerLookup` must >= 0. Received: num_oov_indices=-1',
    );
    expectValueError(
      () => new layers.IntegerLookup({ vocabulary: [1, 2], invert: true, outputMode: 'one_hot' }),
      "`output_mode` must be `'int'` when `invert` is true. Received: output_mode=one_hot",
    );
    expectValueError(
      () => new layers.IntegerLookup({ vocabulary: [1, 2, 1] }),
      'The passed vocabulary has at least one repeated term. Please uniquify your dataset. The repeated terms are: [1]',
    );
    expectValueError(
      () => new layers.IntegerLookup({ vocabulary: [1, 0], maskToken: 0 }),
      'Found reserved mask token at unexpected location in `vocabulary`. Note that passed `vocabulary` does not need to include the OOV and mask tokens. Either remove all mask and OOV tokens, or include them only at the start of the vocabulary in precisely this order: [0, -1]. Received: mask_token=0 at vocabulary index [1]',
    );
    expectValueError(
      () => new layers.IntegerLookup({ vocabulary: [1, 2, 3], maxTokens: 3 }),
      'Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary size is 4; `max_tokens` is 3.',
    );
    expectValueError(
      () => new layers.IntegerLookup({ vocabulary: [] }),
      'Cannot set an empty vocabulary. Received: vocabulary=[]',
    );
    expectValueError(
      () => new layers.IntegerLookup({ padToMaxTokens: true }),
      'If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens=null',
    );
    expectValueError(
      () => new layers.IntegerLookup({ outputMode: 'tf_idf' as 'int' }),
      'IntegerLookup\'s output_mode "tf_idf" is not supported here (its idf weights are not implemented). Use "int", "one_hot", "multi_hot" or "count".',
    );
    expectValueError(
      () => new layers.IntegerLookup({ sparse: true }),
      'IntegerLookup cannot output sparse tensors: tfjs has no sparse tensor type, so only sparse=false is supported. Received: sparse=true',
    );
  });
  it('refuses to adapt a layer given a vocabulary, and to encode without one', () => {
    expectValueError(
      () => new layers.IntegerLookup({ vocabulary: [1], name: 'fixed' }).adapt([1, 2]),
      "Cannot adapt layer 'fixed' after setting a static vocabulary via `vocabulary` argument or `set_vocabulary()` method.",
    );
    const x = ints([[1]]);
    expectValueError(
      () => new layers.IntegerLookup({ outputMode: 'count' }).apply(x),
      "When using `output_mode=count` and `pad_to_max_tokens=False`, you must set the layer's vocabulary before calling it. Either pass a `vocabulary` argument to the layer, or call `adapt` with some sample data.",
    );
    x.dispose();
  });
});

const strs = (values: string[][]) => tf.tensor2d(values, undefined, 'string');

describeEachBackend("StringLookup: Keras's docstring examples", () => {
  const vocab = ['a', 'b', 'c', 'd'];
  it('a known vocabulary', async () => {
    const layer = new layers.StringLookup({ vocabulary: vocab });
    await assertNoLeak(() => {
      assert.deepEqual(
        run(
          layer,
          strs([
            ['a', 'c', 'd'],
            ['d', 'z', 'b'],
          ]),
        ),
        [
          [1, 3, 4],
          [4, 0, 2],
        ],
      );
    });
  });
  it('an adapted vocabulary: by frequency, ties by the larger token', () => {
    const layer = new layers.StringLookup();
    layer.adapt([
      ['a', 'c', 'd'],
      ['d', 'z', 'b'],
    ]);
    assert.deepEqual(layer.getVocabulary(), ['[UNK]', 'd', 'z', 'c', 'b', 'a']);
    assert.deepEqual(
      run(
        layer,
        strs([
          ['a', 'c', 'd'],
          ['d', 'z', 'b'],
        ]),
      ),
      [
        [5, 3, 1],
        [1, 2, 4],
      ],
    );
  });
  it('two OOV indices: FarmHash buckets of the string', () => {
    const layer = new layers.StringLookup({ vocabulary: vocab, numOovIndices: 2 });
    assert.deepEqual(
      run(
        layer,
        strs([
          ['a', 'c', 'd'],
          ['m', 'z', 'b'],
        ]),
      ),
      [
        [2, 4, 5],
        [0, 1, 3],
      ],
    );
  });
  it('one_hot, multi_hot and count outputs', () => {
    assert.deepEqual(
      run(
        new layers.StringLookup({ vocabulary: vocab, outputMode: 'one_hot' }),
        tf.tensor1d(['a', 'b', 'c', 'd', 'z'], 'string'),
      ),
      [
        [0, 1, 0, 0, 0],
        [0, 0, 1, 0, 0],
        [0, 0, 0, 1, 0],
        [0, 0, 0, 0, 1],
        [1, 0, 0, 0, 0],
      ],
    );
    const data = () =>
      strs([
        ['a', 'c', 'd', 'd'],
        ['d', 'z', 'b', 'z'],
      ]);
    assert.deepEqual(run(new layers.StringLookup({ vocabulary: vocab, outputMode: 'multi_hot' }), data()), [
      [0, 1, 0, 1, 1],
      [1, 0, 1, 0, 1],
    ]);
    assert.deepEqual(run(new layers.StringLookup({ vocabulary: vocab, outputMode: 'count' }), data()), [
      [0, 1, 0, 1, 2],
      [2, 0, 1, 0, 1],
    ]);
  });
  it('invert gives a string tensor, OOV indices the OOV token', () => {
    const layer = new layers.StringLookup({ vocabulary: vocab, invert: true });
    const y = layer.apply(
      ints([
        [1, 3, 4],
        [4, 0, 2],
      ]),
    ) as tf.Tensor;
    assert.equal(y.dtype, 'string');
    assert.deepEqual(y.arraySync(), [
      ['a', 'c', 'd'],
      ['d', '[UNK]', 'b'],
    ]);
    y.dispose();
  });
  it("writes Keras's config (encoding, no vocabulary_dtype), refuses other encodings and integer inputs", () => {
    const layer = new layers.StringLookup({ vocabulary: ['x', 'y'], maskToken: '', name: 'words' });
    const config = layers.serialize(layer).config as Record<string, unknown>;
    assert.equal(config.encoding, 'utf-8');
    assert.equal(config.oov_token, '[UNK]');
    assert.equal(config.mask_token, '');
    assert.ok(!('vocabulary_dtype' in config));
    assert.deepEqual((layers.deserialize(layers.serialize(layer)) as layers.StringLookup).getVocabulary(), [
      '',
      '[UNK]',
      'x',
      'y',
    ]);
    expectValueError(
      () => new layers.StringLookup({ encoding: 'latin-1' as 'utf-8' }),
      'StringLookup supports only encoding="utf-8": tfjs string tensors hold UTF-8 bytes. Received: encoding="latin-1"',
    );
    const x = ints([[1]]);
    expectValueError(
      () => layer.apply(x),
      'StringLookup "words" takes a string tensor; use IntegerLookup for integers. Received: a int32 tensor',
    );
    x.dispose();
  });
  it("keeps a learned vocabulary as Keras's asset text, special tokens first, and reads it back", () => {
    const lookup = new layers.StringLookup({ name: 'string_lookup', outputMode: 'multi_hot' });
    lookup.adapt([
      ['cat', 'dog', 'dog'],
      ['émeu', 'cat', 'dog'],
    ]);
    const assets = lookup.saveAssets() as Record<string, string>;
    assert.deepEqual(assets, { 'vocabulary.txt': '[UNK]\ndog\ncat\némeu' });
    // A config of an adapted layer has no vocabulary (Keras's too): the asset brings it.
    const again = layers.deserialize(layers.serialize(lookup)) as layers.StringLookup;
    assert.equal((layers.serialize(again).config as Record<string, unknown>).vocabulary_size, 4);
    again.loadAssets(new Map(Object.entries(assets)));
    assert.deepEqual(again.getVocabulary(), ['[UNK]', 'dog', 'cat', 'émeu']);
    assert.deepEqual(run(again, strs([['dog', 'émeu', 'yak']])), [[1, 1, 0, 1]]);
  });
});
