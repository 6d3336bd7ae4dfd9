/**
 * Recurrent layers called with initial states inside a Functional model, as
 * real Keras saves them (scripts/generate_keras_initial_state_fixture.py):
 * the states come as the node's `initial_state` keyword (a list for the
 * LSTM, one tensor for the GRU) and the build shapes as `shapes_dict`. The
 * file loads with Keras's predictions and losses on cpu and wasm, and the
 * file saved here writes the same keyword and build shapes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { unzipSync } from 'fflate';
import { saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertNoLeak } from './helpers/leaks.js';

const FOLDER = new URL('./fixtures/keras-rnn-initial-state/', import.meta.url);
const FILE = new URL('initial_state.keras', FOLDER).pathname;
interface Values {
  shape: number[];
  values: number[];
}
const EXPECTED = JSON.parse(readFileSync(new URL('expected.json', FOLDER), 'utf8')) as {
  inputs: Values[];
  predictions: Values[];
  losses: number[];
  build_configs: Record<string, unknown>;
};
const TOLERANCE = { rtol: 1e-5, atol: 1e-6 };

function check(model: Awaited<ReturnType<typeof saving.loadModel>>): void {
  const inputs = EXPECTED.inputs.map((v) => tf.tensor(v.values, v.shape));
  const outputs = model.predict(inputs) as tf.Tensor[];
  outputs.forEach((o, i) => {
    assertAllClose(Array.from(o.dataSync()), (EXPECTED.predictions[i] as Values).values, TOLERANCE, `output ${i}`);
  });
  const penalties = model.losses;
  const losses = penalties.map((l) => l.dataSync()[0] as number);
  assertAllClose(losses, EXPECTED.losses, TOLERANCE, 'losses');
  tf.dispose([...inputs, ...outputs, ...penalties]);
}

function layerJson(bytes: Uint8Array, name: string): { build_config: unknown; inbound_nodes: { kwargs: unknown }[] } {
  const config = JSON.parse(new TextDecoder().decode(unzipSync(bytes)['config.json'])) as {
    config: { layers: { config: { name: string }; build_config: unknown; inbound_nodes: { kwargs: unknown }[] }[] };
  };
  const found = config.config.layers.find((l) => l.config.name === name);
  assert.ok(found, name);
  return found;
}

describeEachBackend('RNN initial states in Keras files', () => {
  it("loads Keras's file: predictions and losses", async () => {
    await assertNoLeak(async () => {
      const model = await saving.loadModel(FILE);
      check(model);
      model.dispose();
    });
  });

  it('saves initial_state and shapes_dict as Keras does, and loads back with the same numbers', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'initial-state-'));
    try {
      await assertNoLeak(async () => {
        const model = await saving.loadModel(FILE);
        const path = join(folder, 'again.keras');
        await saving.saveModel(model, path);
        model.dispose();
        const bytes = readFileSync(path);
        const lstm = layerJson(bytes, 'lstm');
        assert.deepEqual(lstm.build_config, EXPECTED.build_configs.lstm);
        const kwargs = lstm.inbound_nodes[0]?.kwargs as { initial_state?: unknown[] } | undefined;
        assert.equal(kwargs?.initial_state?.length, 2);
        // The GRU's single state is written as a list of one, which Keras reads the same way.
        const gru = layerJson(bytes, 'gru');
        assert.deepEqual(gru.build_config, {
          shapes_dict: { sequences_shape: [null, 5, 3], initial_state_shape: [[null, 4]] },
        });
        const again = await saving.loadModel(path);
        check(again);
        again.dispose();
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
