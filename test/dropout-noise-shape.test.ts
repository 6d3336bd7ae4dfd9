/** Dropout's noise_shape: one keep/drop draw per broadcast slice, as Keras does. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers } from 'keras-regularizers';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';

describeEachBackend('Dropout noiseShape', () => {
  it('[null, 1] drops whole rows: each row is all 0 or all 1 / (1 - rate)', async () => {
    const layer = new layers.Dropout({ rate: 0.5, noiseShape: [null, 1], seed: 3 });
    await assertNoLeak(() => {
      const rows = tf.tidy(
        () => (layer.apply(tf.ones([64, 5]), { training: true }) as tf.Tensor).arraySync() as number[][],
      );
      for (const row of rows) assert.ok(row.every((v) => v === row[0]) && (row[0] === 0 || row[0] === 2), `${row}`);
      const dropped = rows.filter((row) => row[0] === 0).length;
      assert.ok(dropped > 10 && dropped < 54, `${dropped} of 64 rows dropped`);
    });
  });

  it('is written to and read from Keras JSON as noise_shape', () => {
    const layer = new layers.Dropout({ rate: 0.2, noiseShape: [null, 1, null], name: 'drop' });
    const json = layers.serialize(layer);
    assert.deepEqual(json.config.noise_shape, [null, 1, null]);
    assert.deepEqual((layers.deserialize(json) as layers.Dropout).noiseShape, [null, 1, null]);
  });

  it('a noise shape that is not a shape, or does not broadcast, is refused', () => {
    expectValueError(
      () => new layers.Dropout({ rate: 0.2, noiseShape: [0] }),
      'Invalid value for argument noiseShape: expected an array of positive integers or null. Received: noiseShape=[0]',
    );
    const layer = new layers.Dropout({ rate: 0.2, noiseShape: [null, 3], name: 'drop_bad' });
    expectValueError(
      () => tf.tidy(() => layer.apply(tf.ones([2, 4]), { training: true })),
      'Layer "drop_bad": noise_shape [null,3] does not broadcast to the input shape [2,4].',
    );
  });
});

describeEachBackend('Dropout seed', () => {
  it("a seed must be an integer in [0, 2**32), as Keras's SeedGenerator takes it", () => {
    for (const [seed, shown] of [
      ['x', '"x"'],
      [1.5, '1.5'],
      [-1, '-1'],
      [2 ** 32, '4294967296'],
    ] as const) {
      expectValueError(
        () => new layers.Dropout({ rate: 0.5, seed: seed as never }),
        `Argument \`seed\` must be an integer in [0, 2**32). Received: seed=${shown}`,
      );
    }
  });

  it('a seeded layer draws a new mask at each call, and a fresh layer with that seed draws the same sequence', () => {
    const masks = (layer: layers.Dropout) =>
      [0, 1, 2].map(() =>
        tf.tidy(() => Array.from((layer.apply(tf.ones([1, 64]), { training: true }) as tf.Tensor).dataSync())),
      );
    const first = masks(new layers.Dropout({ rate: 0.5, seed: 7 }));
    const again = masks(new layers.Dropout({ rate: 0.5, seed: 7 }));
    assert.deepEqual(again, first, 'same seed, same sequence');
    assert.notDeepEqual(first[0], first[1], 'a new mask per call');
    assert.notDeepEqual(first[1], first[2], 'a new mask per call');
    for (const mask of first) {
      const kept = mask.filter((v) => v === 2).length;
      assert.equal(kept + mask.filter((v) => v === 0).length, 64, 'each value is dropped or scaled by 1 / (1 - rate)');
      // Binomial(64, 0.5): 16..48 holds with probability > 0.9999.
      assert.ok(kept >= 16 && kept <= 48, `${kept} of 64 kept`);
    }
  });
});
