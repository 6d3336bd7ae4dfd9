/**
 * TextVectorization and HashedCrossing as Keras 3.15.1
 * (keras/src/layers/preprocessing/text_vectorization.py,
 * hashed_crossing.py). Keras runs both only with TensorFlow (their
 * constructors raise ImportError without it), which the fixture
 * generator's environment lacks, so the expected values are those of
 * Keras's own tests and docstrings (computed there by TensorFlow's string
 * ops and `tf.sparse.cross_hashed`), cases worked by hand from TensorFlow's
 * op semantics (ASCII-only `tf.strings.lower`, ASCII whitespace, n-grams
 * width by width), and configs written from Keras's `get_config`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { strFromU8, unzipSync } from 'fflate';
import { layers, models, saving } from 'keras-regularizers';
import { crossBin, fingerprintCat64 } from '../src/layers/preprocessing/cross-hash.js';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';

const strings = (rows: string[] | string[][]) =>
  Array.isArray(rows[0])
    ? tf.tensor2d(rows as string[][], undefined, 'string')
    : tf.tensor1d(rows as string[], 'string');

async function run(
  layer: layers.Layer,
  x: tf.Tensor | tf.Tensor[],
): Promise<{ shape: number[]; values: number[]; dtype: string }> {
  let out = { shape: [] as number[], values: [] as number[], dtype: '' };
  await assertNoLeak(() => {
    const y = layer.apply(x as tf.Tensor) as tf.Tensor;
    out = { shape: y.shape, values: Array.from(y.dataSync() as ArrayLike<number>), dtype: y.dtype };
    y.dispose();
  });
  tf.dispose(x);
  return out;
}

/** Asserts an error's argument, expected and received fields. */
function assertNames(make: () => unknown, argument: string, expected: RegExp, received: RegExp): void {
  assert.throws(make, (error: { argument?: string; expected?: string; received?: string }) => {
    assert.equal(error.argument, argument);
    assert.match(String(error.expected), expected);
    assert.match(String(error.received), received);
    return true;
  });
}

describeEachBackend("TextVectorization gives Keras's outputs", () => {
  it("adapt learns Keras's vocabulary and the docstring's indices (Keras's test_adapt_flow)", async () => {
    const layer = new layers.TextVectorization({ maxTokens: 5000, outputMode: 'int', outputSequenceLength: 4 });
    layer.adapt(['foo bar', 'bar baz', 'baz bada boom']);
    // Counts: bar 2, baz 2, then ones; ties the larger token first.
    assert.deepEqual(layer.getVocabulary(), ['', '[UNK]', 'baz', 'bar', 'foo', 'boom', 'bada']);
    const y = await run(layer, strings([['foo qux bar'], ['qux baz']]));
    assert.deepEqual(y, { shape: [2, 4], values: [4, 1, 3, 0, 1, 2, 0, 0], dtype: 'int32' });
  });
  it('a given vocabulary and setVocabulary give the same indices (test_fixed_vocabulary, test_set_vocabulary)', async () => {
    const fixed = new layers.TextVectorization({
      maxTokens: 5000,
      outputSequenceLength: 4,
      vocabulary: ['baz', 'bar', 'foo'],
    });
    assert.deepEqual((await run(fixed, strings([['foo qux bar'], ['qux baz']]))).values, [4, 1, 3, 0, 1, 2, 0, 0]);
    const set = new layers.TextVectorization({ maxTokens: 5000, outputSequenceLength: 4 });
    set.setVocabulary(['baz', 'bar', 'foo']);
    assert.deepEqual((await run(set, strings(['foo qux bar', 'qux baz']))).values, [4, 1, 3, 0, 1, 2, 0, 0]);
  });
  it('int output pads to the longest string of the batch, and output_sequence_length cuts longer ones', async () => {
    const layer = new layers.TextVectorization({ vocabulary: ['baz', 'bar', 'foo'] });
    assert.deepEqual(await run(layer, strings(['foo qux bar', 'qux baz', 'foo'])), {
      shape: [3, 3],
      values: [4, 1, 3, 1, 2, 0, 4, 0, 0],
      dtype: 'int32',
    });
    const cut = new layers.TextVectorization({ vocabulary: ['baz', 'bar', 'foo'], outputSequenceLength: 2 });
    assert.deepEqual((await run(cut, strings(['foo qux bar', 'qux baz', 'foo']))).values, [4, 1, 1, 2, 4, 0]);
  });
  it('multi_hot and count rows (test_multi_hot_output, test_output_mode_count_output)', async () => {
    const hot = new layers.TextVectorization({ outputMode: 'multi_hot', vocabulary: ['foo', 'bar', 'baz'] });
    assert.deepEqual(await run(hot, strings([['foo bar'], ['baz foo foo']])), {
      shape: [2, 4],
      values: [0, 1, 1, 0, 0, 1, 0, 1],
      dtype: 'float32',
    });
    const count = new layers.TextVectorization({ outputMode: 'count', vocabulary: ['foo', 'bar', 'baz'] });
    assert.deepEqual((await run(count, strings(['foo bar', 'baz foo foo']))).values, [0, 1, 1, 0, 0, 2, 0, 1]);
    const padded = new layers.TextVectorization({
      outputMode: 'binary',
      maxTokens: 6,
      padToMaxTokens: true,
      vocabulary: ['foo'],
    });
    assert.deepEqual(await run(padded, strings(['foo zap'])), {
      shape: [1, 6],
      values: [1, 1, 0, 0, 0, 0],
      dtype: 'float32',
    });
  });
  it("the standardizations of Keras's tests", async () => {
    const text = ['Hello, World!. This is just a nice test!'];
    const both = new layers.TextVectorization({ vocabulary: ['hello', 'world', 'this', 'is', 'nice', 'test'] });
    assert.deepEqual((await run(both, strings(text))).values, [2, 3, 4, 5, 1, 1, 6, 7]);
    const lower = new layers.TextVectorization({
      standardize: 'lower',
      vocabulary: ['hello,', 'hello', 'world', 'this', 'is', 'nice', 'test'],
    });
    assert.deepEqual((await run(lower, strings(text))).values, [2, 1, 5, 6, 1, 1, 7, 1]);
    const strip = new layers.TextVectorization({
      standardize: 'strip_punctuation',
      vocabulary: ['Hello', 'World', 'Test'],
    });
    assert.deepEqual((await run(strip, strings(['Hello, World! Test.']))).values, [2, 3, 4]);
    const none = new layers.TextVectorization({ standardize: null, vocabulary: ['Hello', 'world'] });
    assert.deepEqual((await run(none, strings(['Hello hello']))).values, [2, 1]);
  });
  it("lowers ASCII letters only and splits on ASCII whitespace, as TensorFlow's string ops", async () => {
    const layer = new layers.TextVectorization({ vocabulary: ['école', 'Été', 'tab', 'new'] });
    // "ÉCOLE" -> "École" (É is not ASCII), so it is unknown; \t and \n separate tokens.
    assert.deepEqual((await run(layer, strings(['ÉCOLE école Été\tTAB\n\nnew ']))).values, [1, 2, 3, 4, 5]);
  });
  it('character split and n-grams, width by width (test_char_splitting)', async () => {
    const chars = new layers.TextVectorization({ split: 'character', vocabulary: ['a', 'b', 'c', 'd', 'e'] });
    assert.deepEqual((await run(chars, strings(['abcf']))).values, [2, 3, 4, 1]);
    const grams = new layers.TextVectorization({ ngrams: 2, vocabulary: ['a', 'b', 'a b', 'b c'] });
    // Unigrams a b c, then bigrams "a b" "b c".
    assert.deepEqual(grams.tokenize('A b, c'), ['a', 'b', 'c', 'a b', 'b c']);
    assert.deepEqual((await run(grams, strings(['a b c', 'b']))).values, [2, 3, 1, 4, 5, 3, 0, 0, 0, 0]);
    const only = new layers.TextVectorization({ ngrams: [2, 3], split: 'character', standardize: null });
    // Keras joins n-grams with a space, characters too.
    assert.deepEqual(only.tokenize('abcd'), ['a b', 'b c', 'c d', 'a b c', 'b c d']);
  });
  it('split=None keeps each string whole; one_hot takes one token per string', async () => {
    const layer = new layers.TextVectorization({ split: null, outputMode: 'one_hot', vocabulary: ['red', 'blue'] });
    assert.deepEqual(await run(layer, strings(['Blue', 'red!', 'green'])), {
      shape: [3, 3],
      values: [0, 0, 1, 0, 1, 0, 1, 0, 0],
      dtype: 'float32',
    });
    const ints = new layers.TextVectorization({ split: null, vocabulary: ['red', 'blue'], outputSequenceLength: 2 });
    assert.deepEqual((await run(ints, strings([['blue'], ['red']]))).values, [3, 0, 2, 0]);
  });
  it('max_tokens counts the padding and OOV indices: an adapted vocabulary keeps max_tokens - 2 tokens', () => {
    const layer = new layers.TextVectorization({ maxTokens: 4 });
    layer.adapt(strings(['c c c b b a', 'a b c d']));
    assert.deepEqual(layer.getVocabulary(), ['', '[UNK]', 'c', 'b']);
    assert.equal(layer.vocabularySize(), 4);
    const hot = new layers.TextVectorization({ maxTokens: 4, outputMode: 'count' });
    hot.adapt([strings(['c c c b b a']), strings(['a b c d'])]);
    assert.deepEqual(hot.getVocabulary(), ['[UNK]', 'c', 'b', 'a']);
  });
  it("tf_idf: counts times Keras's idf vector (test_output_mode_tf_idf_output; the OOV column takes the mean weight)", async () => {
    const layer = new layers.TextVectorization({
      outputMode: 'tf_idf',
      vocabulary: ['foo', 'bar', 'baz'],
      idfWeights: [0.3, 0.5, 0.2],
    });
    const y = await run(layer, strings(['foo bar', 'baz foo foo', 'qux']));
    assert.deepEqual(y.shape, [3, 4]);
    const expected = [0, 0.3, 0.5, 0, 0, 0.6, 0, 0.2, 1 / 3, 0, 0, 0];
    assertAllClose(y.values, expected, { rtol: 1e-6, atol: 1e-7 }, 'tf_idf');
    const config = layers.serialize(layer).config;
    assert.deepEqual([config.output_mode, config.idf_weights, config.vocabulary_size], ['tf_idf', [0.3, 0.5, 0.2], 4]);
  });
  it("tf_idf adapt learns Keras's idf: log(1 + documents / (1 + documents with the token)), the mean for OOV", async () => {
    const layer = new layers.TextVectorization({ outputMode: 'tf-idf', maxTokens: 6, padToMaxTokens: true });
    layer.adapt(['a b', 'a a c']);
    assert.deepEqual(layer.getVocabulary(), ['[UNK]', 'a', 'c', 'b']);
    const [a, c] = [Math.log(1 + 2 / 3), Math.log(2)];
    const y = await run(layer, strings(['a a z c']));
    const expected = [(a + 2 * c) / 3, 2 * a, c, 0, 0, 0];
    assert.deepEqual(y.shape, [1, 6]);
    assertAllClose(y.values, expected, { rtol: 1e-6, atol: 1e-7 }, 'adapted tf_idf');
    // Keras keeps the idf weights in the weights file by name (vars/idf_weights), not written here: saving refuses.
    const model = new models.Sequential([layer]);
    const x = strings(['a']);
    (model.apply(x) as tf.Tensor).dispose();
    await assert.rejects(saving.saveModelToBytes(model), (e: { argument?: string }) => e.argument === 'outputMode');
    x.dispose();
  });
  it("configs equal Keras's get_config, and a config round-trips", () => {
    const layer = new layers.TextVectorization({ name: 'tv', vocabulary: ['one', 'two'], outputSequenceLength: 5 });
    assert.deepEqual(layers.serialize(layer).config, {
      name: 'tv',
      trainable: true,
      dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
      max_tokens: null,
      standardize: 'lower_and_strip_punctuation',
      split: 'whitespace',
      ngrams: null,
      output_mode: 'int',
      output_sequence_length: 5,
      pad_to_max_tokens: false,
      sparse: false,
      ragged: false,
      vocabulary: ['one', 'two'],
      idf_weights: null,
      encoding: 'utf-8',
      vocabulary_size: 4,
    });
    const again = layers.deserialize(layers.serialize(layer)) as layers.TextVectorization;
    assert.deepEqual(layers.serialize(again).config, layers.serialize(layer).config);
    assert.deepEqual(again.getVocabulary(), ['', '[UNK]', 'one', 'two']);
  });
});

describeEachBackend('a model with TextVectorization saves its vocabulary as Keras does and loads back', () => {
  it('adapted vocabulary: assets at the layer and at its _lookup_layer, none in the config', async () => {
    const text = new layers.TextVectorization({ name: 'text_vectorization', outputSequenceLength: 4 });
    text.adapt(['the cat sat', 'the dog ran', 'a cat ran']);
    // A Sequential without an Input: this library's Input takes no string dtype yet, and predict no string data.
    const model = new models.Sequential([
      text,
      new layers.Embedding({ inputDim: 8, outputDim: 2 }),
      new layers.GlobalAveragePooling1D(),
      new layers.Dense({ units: 1 }),
    ]);
    const x = strings([['the cat ran'], ['a bird']]);
    const before = model.apply(x) as tf.Tensor;
    const bytes = await saving.saveModelToBytes(model);
    const entries = unzipSync(bytes);
    // the, ran, cat twice (ties: the larger token first), then sat, dog, a.
    const vocabulary = ['', '[UNK]', 'the', 'ran', 'cat', 'sat', 'dog', 'a'].join('\n');
    assert.equal(strFromU8(entries['assets/layers/text_vectorization/vocabulary.txt'] as Uint8Array), vocabulary);
    assert.equal(
      strFromU8(entries['assets/layers/text_vectorization/_lookup_layer/vocabulary.txt'] as Uint8Array),
      vocabulary,
    );
    const config = JSON.parse(strFromU8(entries['config.json'] as Uint8Array));
    const saved = config.config.layers.find((l: { class_name: string }) => l.class_name === 'TextVectorization');
    assert.equal(saved.config.vocabulary, null);
    assert.equal(saved.config.vocabulary_size, 8);
    const loaded = await saving.loadModelFromBytes(bytes);
    const after = loaded.apply(x) as tf.Tensor;
    assert.deepEqual(Array.from(after.dataSync()), Array.from(before.dataSync()));
    const loadedText = loaded.layers.find((l) => l instanceof layers.TextVectorization) as layers.TextVectorization;
    assert.deepEqual(loadedText.getVocabulary(), vocabulary.split('\n'));
    tf.dispose([x, before, after]);
    model.dispose();
    loaded.dispose();
  });
});

describe('TextVectorization refuses bad input, naming the argument', () => {
  it("Keras's argument errors, with Keras's words", () => {
    expectValueError(
      () => new layers.TextVectorization({ standardize: 'upper' as never }),
      "Unknown value for `standardize` argument of TextVectorization. Allowed values are: ('lower_and_strip_punctuation', 'lower', 'strip_punctuation'). Received: standardize=upper",
    );
    expectValueError(
      () => new layers.TextVectorization({ outputMode: 'multi_hot', outputSequenceLength: 3 }),
      "`output_sequence_length` must not be set if `output_mode` is not 'int'. Received output_sequence_length=3.",
    );
    expectValueError(
      () => new layers.TextVectorization({ ngrams: 'two' as never }),
      '`ngrams` must be None, an integer, or a tuple of integers. Received: ngrams="two"',
    );
    expectValueError(
      () => new layers.TextVectorization({ outputMode: 'tf_idf', vocabulary: ['a'] }),
      'When specifying the `vocabulary` argument, in TF-IDF output mode, the `idf_weights` argument must also be provided.',
    );
    assertNames(
      () => new layers.TextVectorization({ vocabulary: ['a'], idfWeights: [1] }),
      'idfWeights',
      /null with output_mode "int"/,
      /\[1\]/,
    );
    assertNames(
      () => new layers.TextVectorization({ outputMode: 'tf_idf', vocabulary: ['a', 'b'], idfWeights: [1] }),
      'idfWeights',
      /2 weights/,
      /1 weights/,
    );
    assertNames(() => new layers.TextVectorization({ split: 'comma' as never }), 'split', /"whitespace"/, /comma/);
    assertNames(() => new layers.TextVectorization({ ragged: true }), 'ragged', /false/, /true/);
    assertNames(() => new layers.TextVectorization({ maxTokens: 1 }), 'maxTokens', /./, /1/);
  });
  it('out-of-vocabulary misuse: the padding token in a vocabulary, repeats, adapt after a vocabulary, no vocabulary', () => {
    expectValueError(
      () => new layers.TextVectorization({ vocabulary: ['a', '', 'b'] }),
      /Found reserved mask token at unexpected location/,
    );
    expectValueError(() => new layers.TextVectorization({ vocabulary: ['a', 'b', 'a'] }), /repeated term.*\['a'\]/);
    const given = new layers.TextVectorization({ vocabulary: ['a'] });
    expectValueError(() => given.adapt(['a b']), /Cannot adapt layer .* after setting a static vocabulary/);
    const empty = new layers.TextVectorization({ outputMode: 'multi_hot' });
    const x = strings(['a']);
    expectValueError(() => empty.apply(x), /you must set the layer's vocabulary before calling it/);
    x.dispose();
  });
  it('wrong inputs: numbers, a last axis other than 1 with a split, one_hot with a split', () => {
    const layer = new layers.TextVectorization({ vocabulary: ['a'] });
    const numbers = tf.tensor1d([1, 2]);
    assertNames(() => layer.apply(numbers), 'inputs', /string tensor/, /float32/);
    const wide = strings([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expectValueError(() => layer.apply(wide), /the input rank must be 1 or the last shape dimension must be 1/);
    const oneHot = new layers.TextVectorization({ outputMode: 'one_hot', vocabulary: ['a'] });
    const x = strings(['a a']);
    assertNames(() => oneHot.apply(x), 'outputMode', /multi_hot/, /one_hot/);
    tf.dispose([numbers, wide, x]);
  });
});

describe("TensorFlow's cross_hashed", () => {
  it("FingerprintCat64 folds from TensorFlow's default key; integers hash as their value", () => {
    assert.equal(typeof fingerprintCat64(1n, 2n), 'bigint');
    // Keras's docstring: HashedCrossing(num_bins=5)((["A","B","A","B","A"], [101,101,101,102,102])) -> [1,4,1,1,3].
    assert.deepEqual(
      [
        ['A', 101],
        ['B', 101],
        ['A', 101],
        ['B', 102],
        ['A', 102],
      ].map((f) => crossBin(f as [string, number], 5)),
      [1, 4, 1, 1, 3],
    );
    // Keras's test_tf_string: ("A", 101) with 10 bins -> 1.
    assert.equal(crossBin(['A', 101], 10), 1);
  });
});

describeEachBackend("HashedCrossing gives Keras's bins", () => {
  const feat1 = () => tf.tensor1d(['A', 'B', 'A', 'B', 'A'], 'string');
  const feat2 = () => tf.tensor1d([101, 101, 101, 102, 102], 'int32');
  it("int bins and one_hot rows of Keras's docstring and tests", async () => {
    assert.deepEqual(await run(new layers.HashedCrossing({ numBins: 5 }), [feat1(), feat2()]), {
      shape: [5],
      values: [1, 4, 1, 1, 3],
      dtype: 'int32',
    });
    const hot = await run(new layers.HashedCrossing({ numBins: 5, outputMode: 'one_hot' }), [feat1(), feat2()]);
    assert.deepEqual(hot.shape, [5, 5]);
    assert.deepEqual(hot.values, [0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0]);
    const column = await run(new layers.HashedCrossing({ numBins: 5 }), [
      feat1().reshape([5, 1]),
      feat2().reshape([5, 1]),
    ]);
    assert.deepEqual(column, { shape: [5, 1], values: [1, 4, 1, 1, 3], dtype: 'int32' });
    const scalar = await run(new layers.HashedCrossing({ numBins: 10 }), [
      tf.scalar('A', 'string'),
      tf.scalar(101, 'int32'),
    ]);
    assert.deepEqual(scalar, { shape: [], values: [1], dtype: 'int32' });
  });
  it('a Functional model crossing two int inputs into one-hot bins saves and loads with the same outputs', async () => {
    const a = layers.Input({ shape: [1], dtype: 'int32' });
    const b = layers.Input({ shape: [1], dtype: 'int32' });
    const crossed = new layers.HashedCrossing({ numBins: 4, outputMode: 'one_hot' }).apply([a, b]);
    const model = new models.Functional({ inputs: [a, b], outputs: new layers.Dense({ units: 1 }).apply(crossed) });
    const xa = tf.tensor2d([[1], [2], [3]], undefined, 'int32');
    const xb = tf.tensor2d([[7], [7], [9]], undefined, 'int32');
    const before = model.apply([xa, xb]) as tf.Tensor;
    const bytes = await saving.saveModelToBytes(model);
    const config = JSON.parse(strFromU8(unzipSync(bytes)['config.json'] as Uint8Array));
    const saved = config.config.layers.find((l: { class_name: string }) => l.class_name === 'HashedCrossing');
    assert.deepEqual(Object.keys(saved.config), ['num_bins', 'output_mode', 'sparse', 'name', 'dtype']);
    const loaded = await saving.loadModelFromBytes(bytes);
    const after = loaded.apply([xa, xb]) as tf.Tensor;
    assert.deepEqual(Array.from(after.dataSync()), Array.from(before.dataSync()));
    tf.dispose([xa, xb, before, after]);
    model.dispose();
    loaded.dispose();
  });
  it("configs equal Keras's get_config (no trainable key; int64 for int output)", () => {
    const layer = new layers.HashedCrossing({ numBins: 5, name: 'cross' });
    assert.deepEqual(layers.serialize(layer).config, {
      num_bins: 5,
      output_mode: 'int',
      sparse: false,
      name: 'cross',
      dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'int64' }, registered_name: null },
    });
    const hot = layers.deserialize(layers.serialize(new layers.HashedCrossing({ numBins: 3, outputMode: 'one_hot' })));
    assert.equal((hot as layers.HashedCrossing).outputMode, 'one_hot');
    assert.deepEqual(hot.computeOutputShape([[null], [null]]), [null, 3]);
  });
  it('bad input names the argument', () => {
    assertNames(
      () => new layers.HashedCrossing({ numBins: 5, outputMode: 'count' as never }),
      'outputMode',
      /"int", "one_hot"/,
      /count/,
    );
    assertNames(() => new layers.HashedCrossing({ numBins: 0 }), 'numBins', /positive integer/, /0/);
    assertNames(() => new layers.HashedCrossing({ numBins: 2, sparse: true }), 'sparse', /false/, /true/);
    const layer = new layers.HashedCrossing({ numBins: 5 });
    const a = feat1();
    const floats = tf.tensor1d([1, 2, 3, 4, 5]);
    const short = tf.tensor1d([1, 2], 'int32');
    const wide = tf.ones([5, 2], 'int32');
    assertNames(() => layer.apply(a), 'inputs', /at least two/, /one tensor/);
    assertNames(() => layer.apply([a]), 'inputs', /at least two/, /1 tensor/);
    assertNames(() => layer.apply([a, floats]), 'inputs', /int32 or string/, /float32/);
    assertNames(() => layer.apply([a, short]), 'inputs', /\[5\]/, /\[2\]/);
    assertNames(() => layer.apply([wide, wide]), 'inputs', /\[batch, 1\]/, /\[5, 2\]/);
    tf.dispose([a, floats, short, wide]);
  });
});
