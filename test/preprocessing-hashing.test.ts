/**
 * Hashing as Keras 3.15.1 (keras/src/layers/preprocessing/hashing.py),
 * whose buckets are TensorFlow's `to_hash_bucket_fast` (FarmHash
 * Fingerprint64) and `to_hash_bucket_strong` (SipHash-2-4). Keras runs this
 * layer only with TensorFlow, absent from the fixture generator's
 * environment, so the expected buckets are those of Keras's docstring
 * examples (computed by TensorFlow), FarmHash values of Google's C++
 * `farmhashna::Hash64` (every length branch, 64-byte multiples included)
 * and SipHash-2-4's reference vectors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers } from 'keras-regularizers';
import { fingerprint64, sipHash24 } from '../src/layers/preprocessing/farmhash.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';

const strings = (values: string[]) =>
  tf.tensor2d(
    values.map((v) => [v]),
    [values.length, 1],
    'string',
  );

function buckets(layer: layers.Hashing, x: tf.Tensor): number[] {
  const y = layer.apply(x) as tf.Tensor;
  const out = Array.from(y.dataSync());
  y.dispose();
  x.dispose();
  return out;
}

describe('FarmHash Fingerprint64 and SipHash-2-4', () => {
  it("equal Google's C++ farmhashna::Hash64 on every length branch", () => {
    // Bytes (7i + 3) mod 256; values printed by the C++ reference.
    const expected: [number, bigint][] = [
      [10, 2666605465806747456n],
      [65, 8638051931306504420n],
      [100, 11391788667801836296n],
      [128, 7379187116787024497n],
      [192, 4590343427702585127n],
      [256, 16298571597155337633n],
    ];
    for (const [len, hash] of expected) {
      assert.equal(fingerprint64(Uint8Array.from({ length: len }, (_, i) => (i * 7 + 3) & 255)), hash, `length ${len}`);
    }
    assert.equal(fingerprint64(new TextEncoder().encode('100')), 17498469746400329355n);
  });
  it("equal SipHash-2-4's reference vectors (key 00..0f, messages 00..n-1)", () => {
    const k0 = 0x0706050403020100n;
    const k1 = 0x0f0e0d0c0b0a0908n;
    const vectors = [0x726fdb47dd0e0e31n, 0x74f839c593dc67fdn, 0x0d6c8009d9a94f5an, 0x85676696d7fb7e2dn];
    vectors.forEach((hash, n) => {
      assert.equal(
        sipHash24(
          k0,
          k1,
          Uint8Array.from({ length: n }, (_, i) => i),
        ),
        hash,
      );
    });
  });
});

describeEachBackend("Hashing: Keras's docstring examples", () => {
  const letters = ['A', 'B', 'C', 'D', 'E'];
  it('FarmHash64 of strings', async () => {
    await assertNoLeak(() => {
      assert.deepEqual(buckets(new layers.Hashing({ numBins: 3 }), strings(letters)), [1, 0, 1, 1, 2]);
    });
  });
  it('a mask value goes to bucket 0', () => {
    assert.deepEqual(
      buckets(new layers.Hashing({ numBins: 3, maskValue: '' }), strings(['A', 'B', '', 'C', 'D'])),
      [1, 1, 0, 2, 2],
    );
  });
  it('a salt of two words: SipHash64', () => {
    assert.deepEqual(buckets(new layers.Hashing({ numBins: 3, salt: [133, 137] }), strings(letters)), [1, 2, 1, 0, 2]);
  });
  it('a salt of one word, as [133, 133]', () => {
    assert.deepEqual(buckets(new layers.Hashing({ numBins: 3, salt: 133 }), strings(letters)), [0, 0, 2, 1, 0]);
  });
  it('integers hash as their decimal strings, floats truncated first, as TensorFlow casts them', () => {
    const ids = [100, 300, 700, 1100, 1700, 2000];
    // The same buckets as IntegerLookup's farmhash OOV example (Keras's docstring).
    assert.deepEqual(buckets(new layers.Hashing({ numBins: 4 }), tf.tensor1d(ids, 'int32')), [3, 3, 2, 2, 0, 1]);
    assert.deepEqual(
      buckets(
        new layers.Hashing({ numBins: 4 }),
        tf.tensor1d(
          ids.map((v) => v + 0.75),
          'float32',
        ),
      ),
      [3, 3, 2, 2, 0, 1],
    );
    const one = tf.tensor1d([1], 'int32');
    const y = new layers.Hashing({ numBins: 4 }).apply(one) as tf.Tensor;
    const yTraining = new layers.Hashing({ numBins: 4 }).apply(one, { training: true }) as tf.Tensor;
    assert.equal(y.dtype, 'int32');
    assert.deepEqual(yTraining.arraySync(), y.arraySync());
    tf.dispose([one, y, yTraining]);
  });
  it('one_hot, multi_hot and count outputs of the buckets', () => {
    const x = () => tf.tensor2d([[100, 300, 1700]], undefined, 'int32');
    assert.deepEqual(buckets(new layers.Hashing({ numBins: 4, outputMode: 'multi_hot' }), x()), [1, 0, 0, 1]);
    assert.deepEqual(buckets(new layers.Hashing({ numBins: 4, outputMode: 'count' }), x()), [1, 0, 0, 2]);
    assert.deepEqual(
      buckets(
        new layers.Hashing({ numBins: 4, outputMode: 'one_hot' }),
        tf.tensor2d([[100], [1700]], undefined, 'int32'),
      ),
      [0, 0, 0, 1, 1, 0, 0, 0],
    );
  });
});

describeEachBackend('Hashing: configs and errors', () => {
  it("writes Keras's config (an int64 dtype policy for int output) and reads it back", () => {
    const layer = new layers.Hashing({ numBins: 5, salt: 7, maskValue: 0, name: 'hash' });
    const json = layers.serialize(layer);
    assert.deepEqual(json.config, {
      name: 'hash',
      trainable: true,
      dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'int64' }, registered_name: null },
      num_bins: 5,
      salt: [7, 7],
      mask_value: 0,
      output_mode: 'int',
      sparse: false,
    });
    const again = layers.deserialize(json) as layers.Hashing;
    const x = tf.tensor1d([0, 3, 9], 'int32');
    assert.deepEqual(buckets(again, x.clone()), buckets(layer, x));
    assert.equal(again.bucketOf(0), 0);
  });
  it("refuses bad arguments with Keras's words", () => {
    expectValueError(
      () => new layers.Hashing({ numBins: 0 }),
      'The `num_bins` for `Hashing` cannot be `None` or non-positive values. Received: num_bins=0.',
    );
    expectValueError(
      () => new layers.Hashing({ numBins: 2, salt: [1, 2, 3] as unknown as number }),
      'The `salt` argument for `Hashing` can only be a tuple of size 2 integers, or a single integer. Received: salt=[1,2,3].',
    );
    expectValueError(
      () => new layers.Hashing({ numBins: 2, outputMode: 'tf_idf' as 'int' }),
      "Invalid value for argument `output_mode`. Expected one of ('int', 'one_hot', 'multi_hot', 'count'). Received: output_mode=\"tf_idf\"",
    );
    expectValueError(
      () => new layers.Hashing({ numBins: 2, dtype: 'float32' }),
      "When `output_mode=\"int\"`, `dtype` should be an integer type, 'int32' or 'in64'. Received: dtype=float32",
    );
    expectValueError(
      () => new layers.Hashing({ numBins: 2, outputMode: 'count', sparse: true }),
      'Hashing cannot output sparse tensors: tfjs has no sparse tensor type, so only sparse=false is supported. Received: sparse=true',
    );
  });
});
