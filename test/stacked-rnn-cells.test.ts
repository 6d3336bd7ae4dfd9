/**
 * Keras's StackedRNNCells (`RNN(cells=[...])`): a Functional file saved by
 * real Keras (scripts/generate_keras_stacked_cells_fixture.py) loads with
 * Keras's predictions and losses on cpu and wasm, and saves back; a stack
 * of two cells equals the two RNN layers it stands for (the first returning
 * sequences), outputs, states and gradients; bad cells are refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { L2, layers, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';
import { randomValues } from './helpers/reference.js';

const FOLDER = new URL('./fixtures/keras-stacked-cells/', import.meta.url);
interface Values {
  shape: number[];
  values: number[];
}
const EXPECTED = JSON.parse(readFileSync(new URL('expected.json', FOLDER), 'utf8')) as {
  input: Values;
  predictions: Values[];
  losses: number[];
  rnn_config: { config: { cell: { class_name: string; config: { cells: { class_name: string }[] } } } };
};
const TOLERANCE = { rtol: 1e-5, atol: 1e-6 };

async function checkKerasNumbers(path: string): Promise<void> {
  const model = await saving.loadModel(path);
  const x = tf.tensor(EXPECTED.input.values, EXPECTED.input.shape);
  const outputs = model.predict(x) as tf.Tensor[];
  assert.equal(outputs.length, EXPECTED.predictions.length);
  outputs.forEach((o, i) => {
    assertAllClose(Array.from(o.dataSync()), (EXPECTED.predictions[i] as Values).values, TOLERANCE, `output ${i}`);
  });
  const penalties = model.losses;
  assertAllClose(
    penalties.map((l) => l.dataSync()[0] as number),
    EXPECTED.losses,
    TOLERANCE,
    'losses',
  );
  tf.dispose([x, ...outputs, ...penalties]);
  model.dispose();
}

describeEachBackend('StackedRNNCells', () => {
  it("loads Keras's RNN([LSTMCell, GRUCell]) file with its predictions, states and losses, and saves it back", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'stacked-'));
    try {
      await assertNoLeak(async () => {
        await checkKerasNumbers(new URL('stacked_cells.keras', FOLDER).pathname);
        const model = await saving.loadModel(new URL('stacked_cells.keras', FOLDER).pathname);
        const again = join(folder, 'again.keras');
        await saving.saveModel(model, again);
        const rnn = model.getLayer('stacked').getConfig() as { cell: { className?: string } };
        assert.ok(rnn.cell != null);
        model.dispose();
        await checkKerasNumbers(again);
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    assert.equal(EXPECTED.rnn_config.config.cell.class_name, 'StackedRNNCells');
  });

  it('RNN over [LSTMCell, GRUCell] equals LSTM(returnSequences) then GRU: outputs, states and input gradients', async () => {
    await assertNoLeak(() => {
      const x = tf.tensor3d(randomValues(2 * 4 * 3, 5), [2, 4, 3]);
      const stacked = new layers.RNN({
        cell: [new layers.LSTMCell({ units: 3, kernelRegularizer: new L2(0.1) }), new layers.GRUCell({ units: 2 })],
        returnState: true,
      });
      const first = new layers.LSTM({ units: 3, returnSequences: true, returnState: true });
      const second = new layers.GRU({ units: 2, returnState: true });
      stacked.ensureBuilt([2, 4, 3]);
      first.ensureBuilt([2, 4, 3]);
      second.ensureBuilt([2, 4, 3]);
      const values = stacked.getWeights();
      first.setWeights(values.slice(0, 3));
      second.setWeights(values.slice(3));
      const run = (body: (input: tf.Tensor) => tf.Tensor[]) =>
        tf.tidy(() => {
          const outputs = body(x);
          const gradient = tf.grad((input: tf.Tensor) => tf.addN(body(input).map((o) => tf.sum(tf.square(o)))))(x);
          return [...outputs, gradient].map((t) => Array.from(t.dataSync()));
        });
      const viaStack = run((input) => stacked.apply(input) as tf.Tensor[]);
      const viaLayers = run((input) => {
        const [sequence, h1, c1] = first.apply(input) as tf.Tensor[];
        const [last, h2] = second.apply(sequence as tf.Tensor) as tf.Tensor[];
        // The stack's states are the cells' states in order: h1, c1, then h2.
        return [last as tf.Tensor, h1 as tf.Tensor, c1 as tf.Tensor, h2 as tf.Tensor];
      });
      viaStack.forEach((v, i) => {
        assertAllClose(v, viaLayers[i] as number[], TOLERANCE, `output ${i}`);
      });
      assert.deepEqual((stacked.cell as layers.StackedRNNCells).stateSize, [3, 3, 2]);
      tf.dispose([x, ...values]);
      for (const layer of [stacked, first, second]) layer.dispose();
    });
  });

  it('refuses an empty list and a layer without stateSize, naming the argument', () => {
    expectValueError(
      () => new layers.StackedRNNCells({ cells: [] }),
      'StackedRNNCells expects a non-empty list of cells. Received: cells=[]',
    );
    expectValueError(
      () => new layers.RNN({ cell: [new layers.LSTMCell({ units: 2 }), new layers.Dense({ units: 2 }) as never] }),
      /^All cells must be layers with a `stateSize` attribute\. Received: cells\[1\]=/,
    );
  });
});
