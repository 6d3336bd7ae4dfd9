/** Engine start-up: wasm by default in Node, cpu when wasm cannot start, gradients registered on import. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { backend, ValueError } from 'keras-regularizers';

// Each test file runs in its own process, so this is a fresh import.
describe('engine start-up', () => {
  it('a fresh import runs on wasm, with cpu registered too', () => {
    assert.equal(backend.getBackend(), 'wasm');
    assert.ok(backend.listBackends().includes('cpu'));
    assert.deepEqual(backend.PREFERRED_BACKENDS, ['wasm', 'cpu']);
  });

  it('gradients are registered on import: tf.grad works at once', () => {
    const grad = tf.tidy(() =>
      Array.from(
        tf
          .grad((x: tf.Tensor) => tf.sum(tf.mul(x, x)))(tf.tensor([1, -2, 3]))
          .dataSync(),
      ),
    );
    assert.deepEqual(grad, [2, -4, 6]);
  });

  it("tfjs's chained ops work on tensors", () => {
    const value = tf.tidy(() => tf.tensor([1, 2]).square().sum().dataSync()[0]);
    assert.equal(value, 5);
  });

  it('setBackend switches and checks the name', async () => {
    await backend.setBackend('cpu');
    assert.equal(backend.getBackend(), 'cpu');
    await backend.setBackend('wasm');
    assert.equal(backend.getBackend(), 'wasm');
    await assert.rejects(
      () => backend.setBackend('webgpu'),
      (error: Error) =>
        error instanceof ValueError &&
        /^Invalid value for argument name: expected a registered backend \(one of .*"cpu".*\)\. Received: name="webgpu"$/.test(
          error.message,
        ),
    );
    assert.equal(await backend.ready(), 'wasm');
  });

  it('falls back to cpu when WebAssembly is unavailable', () => {
    const noWasm = fileURLToPath(new URL('./fixtures/no-webassembly.mjs', import.meta.url));
    const probe = [
      "const tf = await import('@tensorflow/tfjs-core');",
      "const m = await import('keras-regularizers');",
      'const g = tf.grad((x) => tf.sum(tf.square(x)))(tf.tensor([3]));',
      'console.log(JSON.stringify([m.backend.getBackend(), g.dataSync()[0]]));',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', noWasm, '--input-type=module', '-e', probe], {
      encoding: 'utf8',
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout.trim().split('\n').pop() as string), ['cpu', 6]);
  });
});
