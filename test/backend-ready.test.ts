/**
 * `backend.ready(options)` in Node, where the engine starts at import: its
 * options checked, wasm settings applied by a new start while no tensor
 * lives on wasm and refused after; and the saving calls made for pages
 * (sources other than paths, downloads), as they behave in Node.
 */
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { backend, KerasTypeError, L1, L2, layers, models, saving, ValueError } from 'keras-regularizers';

async function rejectsWith(
  body: () => Promise<unknown>,
  type: typeof ValueError | typeof KerasTypeError,
  message: string | RegExp,
  argument?: string,
): Promise<void> {
  await assert.rejects(body, (error: Error) => {
    assert.ok(error instanceof type, `expected ${type.name}, got ${error.name}: ${error.message}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    if (argument != null) assert.equal((error as ValueError).argument, argument);
    return true;
  });
}

describe('backend.ready options', () => {
  it('bad values are refused, each naming the argument, what was expected and what was received', async () => {
    await rejectsWith(
      () => backend.ready({ threads: 0 }),
      ValueError,
      'Invalid value for argument threads: expected a positive integer. Received: threads=0',
      'threads',
    );
    await rejectsWith(
      () => backend.ready({ threads: 1.5 }),
      ValueError,
      'Invalid value for argument threads: expected a positive integer. Received: threads=1.5',
    );
    await rejectsWith(
      () => backend.ready({ wasmPaths: '/static/wasm' }),
      ValueError,
      'Invalid value for argument wasmPaths: expected a folder URL ending in "/", or an object with a URL for each of tfjs-backend-wasm.wasm, tfjs-backend-wasm-simd.wasm, tfjs-backend-wasm-threaded-simd.wasm. Received: wasmPaths="/static/wasm"',
      'wasmPaths',
    );
    await rejectsWith(
      () => backend.ready({ wasmPaths: { 'tfjs-backend-wasm.wasm': '/a.wasm' } }),
      ValueError,
      /^Invalid value for argument wasmPaths: expected a folder URL ending in "\/", or an object with a URL for each of/,
      'wasmPaths',
    );
    await rejectsWith(
      () => backend.ready({ backend: 'webgpu' }),
      ValueError,
      /^Invalid value for argument name: expected a registered backend \(one of .*"wasm".*\)\. Received: name="webgpu"$/,
      'name',
    );
    await rejectsWith(
      () => backend.ready({ backend: 3 as never }),
      ValueError,
      'Invalid value for argument backend: expected the name of a registered backend, e.g. "wasm", "cpu" or "webgl". Received: backend=3',
      'backend',
    );
    await rejectsWith(
      () => backend.ready({ wasmPath: '/wasm/' } as never),
      KerasTypeError,
      /^backend\.ready got an unexpected option "wasmPath"\. Expected: backend, wasmPaths, threads\. .*Did you mean "wasmPaths"\?$/,
    );
    assert.equal(backend.getBackend(), 'wasm', 'a refused call changes nothing');
  });

  it('threads after the start at import: a new start while no tensor lives on wasm; refused once one does', async () => {
    const cores = Math.min(availableParallelism(), 8);
    // The start at import takes one thread per core left free by other processes (core-contention.ts).
    const started = getThreadsCount();
    assert.ok(
      started >= 1 && started <= Math.max(cores, 1),
      `the start at import: 1 to ${cores} threads, got ${started}`,
    );
    assert.equal(await backend.ready({ threads: 1 }), 'wasm');
    assert.equal(getThreadsCount(), 1);
    const square = tf.tidy(() => Array.from(tf.square(tf.tensor([1, -2, 3])).dataSync()));
    assert.deepEqual(square, [1, 4, 9], 'the new start computes');

    const kept = tf.ones([2]);
    await rejectsWith(
      () => backend.ready({ threads: 2 }),
      ValueError,
      'Too late to set threads: the wasm backend already started, and 1 tensor(s) live on it. Call backend.ready({ threads }) before making any tensor. Received: threads=2',
      'threads',
    );
    assert.equal(getThreadsCount(), 1, 'unchanged');
    assert.deepEqual(Array.from(kept.dataSync()), [1, 1], 'the tensor survived');
    kept.dispose();
    // The same setting again is no change: accepted whatever lives on wasm.
    assert.equal(await backend.ready({ threads: 1 }), 'wasm');
  });

  it('setThreadsCount and setWasmPaths once wasm started: refused, where tfjs would ignore them silently', () => {
    assert.throws(
      () => backend.setThreadsCount(2),
      (error: Error) =>
        error instanceof ValueError &&
        error.argument === 'threads' &&
        error.message ===
          'Too late to set threads: the wasm backend has started, and tfjs would ignore it. Set it before the first op, or call `await backend.ready({ threads })`, which starts wasm anew while no tensor lives on it. Received: threads=2',
    );
    assert.throws(
      () => backend.setWasmPaths('/wasm/'),
      (error: Error) => error instanceof ValueError && error.argument === 'wasmPaths',
    );
    assert.throws(
      () => backend.setThreadsCount(-1),
      (error: Error) =>
        error instanceof ValueError &&
        error.message === 'Invalid value for argument threads: expected a positive integer. Received: threads=-1',
    );
  });

  it('ready({ backend }) switches, and ready() then reports the running backend', async () => {
    assert.equal(await backend.ready({ backend: 'cpu' }), 'cpu');
    assert.equal(await backend.ready(), 'cpu');
    assert.equal(await backend.ready({ backend: 'wasm' }), 'wasm');
    assert.equal(backend.getBackend(), 'wasm');
  });
});

function regularizedModel(): models.Sequential {
  return new models.Sequential([
    layers.Input({ shape: [3] }),
    new layers.Dense({ units: 2, kernelRegularizer: new L1(0.01), activityRegularizer: new L2(0.02) }),
  ]);
}

function predictions(model: models.Model): number[] {
  return tf.tidy(() => Array.from((model.predict(tf.tensor([[1, -2, 0.5]])) as tf.Tensor).dataSync()));
}

describe('saving from what a page has, in Node', () => {
  it('loadModelFrom reads a Uint8Array, an ArrayBuffer, a Blob and a Response: the same model each time', async () => {
    const model = regularizedModel();
    const bytes = (await saving.saveModelToBytes(model)) as Uint8Array<ArrayBuffer>;
    const expected = predictions(model);
    for (const source of [bytes, bytes.slice().buffer, new Blob([bytes]), new Response(bytes)]) {
      const loaded = await saving.loadModelFrom(source);
      assert.deepEqual(predictions(loaded), expected, source.constructor.name);
      loaded.dispose();
    }
    const weights = (await saving.saveWeightsToBytes(model)) as Uint8Array<ArrayBuffer>;
    const other = regularizedModel();
    await saving.loadWeightsFrom(other, new Blob([weights]));
    assert.deepEqual(predictions(other), expected);
    other.dispose();
    model.dispose();
  });

  it('bad sources: a string, a failed response, a Blob over the limit, each a clear error', async () => {
    await rejectsWith(
      () => saving.loadModelFrom('model.keras' as never),
      ValueError,
      'Invalid value for argument source: expected a Uint8Array, an ArrayBuffer, a Blob or File, or a fetch() Response. Received: source="model.keras"',
      'source',
    );
    await rejectsWith(
      () => saving.loadModelFrom(new Response('missing', { status: 404 })),
      ValueError,
      'source: the request for the file answered HTTP 404.',
      'source',
    );
    // maxWeights 1 makes the archive limit 82 MiB and a little: a Blob larger than that is refused before it is read.
    const big = new Blob([new Uint8Array(90 << 20)]);
    await rejectsWith(
      () => saving.loadModelFrom(big, { maxWeights: 1 }),
      ValueError,
      /^source is 94371840 bytes, over the \d+-byte limit\.$/,
      'source',
    );
  });

  it('downloadModel and downloadWeights need a browser: in Node they say to save to a file', async () => {
    const model = regularizedModel();
    await rejectsWith(
      () => saving.downloadModel(model),
      ValueError,
      'A download needs a browser. In Node, save to a file: saving.saveModel(model, "model.keras").',
      'filename',
    );
    await rejectsWith(
      () => saving.downloadWeights(model),
      ValueError,
      'A download needs a browser. In Node, save to a file: saving.saveWeights(model, "model.weights.h5").',
    );
    await rejectsWith(
      () => saving.downloadModel(model, 'folder/model.keras'),
      ValueError,
      'Invalid filename: expected a file name ending in .keras, without folders. Received: filename="folder/model.keras"',
      'filename',
    );
    model.dispose();
  });
});
