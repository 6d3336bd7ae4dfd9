/**
 * The threaded wasm build in Node: as many XNNPACK threads as cores other
 * processes leave free (tfjs caps at 8), one when they keep every core busy, the same numbers as cpu, programs that still exit by
 * themselves, and the stock single-threaded build when threads cannot start.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { assertAllClose } from '../../test/helpers/allclose.js';
// The Node platform registers the threaded build (the Node entry imports it first, as here).
import '../platform/node.js';
import { setBackend } from './engine.js';

const PLATFORM = new URL('../platform/node.ts', import.meta.url).href;
const ENGINE = new URL('./engine.ts', import.meta.url).href;
const CORES = availableParallelism();

/** Runs `body` (an ES module) in a fresh Node with the engine imported; returns its output lines. */
function runChild(body: string): string[] {
  const source = [
    "import * as tf from '@tensorflow/tfjs-core';",
    "import * as wasm from '@tensorflow/tfjs-backend-wasm';",
    `import '${PLATFORM}';`,
    `import { setBackend } from '${ENGINE}';`,
    body,
  ].join('\n');
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(child.signal, null, `the child did not exit by itself: ${child.signal}`);
  assert.equal(child.status, 0, child.stderr);
  return child.stdout.trim().split('\n');
}

/** Prints: threads, whether the memory is shared, and a matmul's corner (64 for ones). */
const REPORT = `
await setBackend('wasm');
const memory = tf.findBackend('wasm').wasm.wasmMemory;
console.log(wasm.getThreadsCount());
console.log(memory != null && memory.buffer instanceof SharedArrayBuffer);
console.log(tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).dataSync()[0]);
`;

describe('wasm threads in Node', () => {
  it(`uses at most one XNNPACK thread per core (${CORES} here, at most 8) on a shared memory`, async () => {
    await setBackend('wasm');
    const memory = (tf.findBackend('wasm') as unknown as { wasm: { wasmMemory?: WebAssembly.Memory } }).wasm.wasmMemory;
    if (CORES > 1) {
      // How many depends on what else runs now (see core-contention.test.ts).
      assert.ok(getThreadsCount() >= 1 && getThreadsCount() <= Math.min(CORES, 8), String(getThreadsCount()));
      assert.ok(memory?.buffer instanceof SharedArrayBuffer);
    } else {
      assert.equal(getThreadsCount(), 1);
    }
  });

  it('computes what cpu computes: matmul and convolution large enough to split across threads', async () => {
    const a = Array.from({ length: 300 * 200 }, (_, i) => Math.sin(i));
    const b = Array.from({ length: 200 * 120 }, (_, i) => Math.cos(i * 0.7));
    const x = Array.from({ length: 4 * 20 * 20 * 16 }, (_, i) => Math.sin(i * 0.3));
    const k = Array.from({ length: 3 * 3 * 16 * 24 }, (_, i) => Math.cos(i * 0.05));
    const body = () =>
      tf.tidy(() => [
        tf.matMul(tf.tensor2d(a, [300, 200]), tf.tensor2d(b, [200, 120])).dataSync(),
        tf.conv2d(tf.tensor4d(x, [4, 20, 20, 16]), tf.tensor4d(k, [3, 3, 16, 24]), 1, 'same').dataSync(),
      ]);
    await setBackend('cpu');
    const cpu = body();
    await setBackend('wasm');
    const before = tf.memory().numTensors;
    const threaded = body();
    assert.equal(tf.memory().numTensors, before);
    threaded.forEach((values, j) => {
      assertAllClose(values, cpu[j] as ArrayLike<number>, { rtol: 1e-4, atol: 1e-4 }, `output ${j}`);
    });
  });

  it('a program on the threaded backend exits by itself when done', () => {
    const [threads, shared, corner] = runChild(REPORT);
    assert.ok(Number(threads) >= 1 && Number(threads) <= Math.min(CORES, 8), threads);
    assert.equal(shared, String(CORES > 1));
    assert.equal(corner, '64');
  });

  it('with every core kept busy by other processes, one thread (the single-thread speed, not a shared split)', async () => {
    const spinners: ChildProcess[] = [];
    for (let i = 0; i < CORES; i++) {
      spinners.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    }
    try {
      // The spinners run before the start is sampled.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const [threads, , corner] = runChild(REPORT);
      assert.equal(threads, '1');
      assert.equal(corner, '64');
    } finally {
      for (const spinner of spinners) spinner.kill();
    }
  });

  it("an explicit count wins over the machine's load: tfjs's setThreadsCount(2) with every core busy gives 2", async () => {
    if (CORES < 2) return;
    const spinners: ChildProcess[] = [];
    for (let i = 0; i < CORES; i++) {
      spinners.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    }
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const [threads] = runChild(`wasm.setThreadsCount(2);\n${REPORT}`);
      assert.equal(threads, '2');
    } finally {
      for (const spinner of spinners) spinner.kill();
    }
  });

  it("tfjs's setThreadsCount(1) before start: one thread, and the program still exits", () => {
    const [threads, , corner] = runChild(`wasm.setThreadsCount(1);\n${REPORT}`);
    assert.equal(threads, '1');
    assert.equal(corner, '64');
  });

  it('when the threaded build cannot start, the stock single-threaded build runs instead', () => {
    // The first instantiation is the threaded build's: refuse it.
    const refuseFirst = `
const instantiate = WebAssembly.instantiate;
let calls = 0;
WebAssembly.instantiate = (...args) => (calls++ === 0 ? Promise.reject(new Error('refused')) : instantiate(...args));
`;
    const [threads, shared, corner] = runChild(`${refuseFirst}\n${REPORT}`);
    assert.equal(threads, '1');
    assert.equal(shared, 'false');
    assert.equal(corner, '64');
  });

  it('without shared memory (SharedArrayBuffer absent) the stock build runs', () => {
    const [threads, shared, corner] = runChild(
      `delete globalThis.SharedArrayBuffer;\n${REPORT.replace('instanceof SharedArrayBuffer', "?.constructor?.name === 'SharedArrayBuffer'")}`,
    );
    assert.equal(threads, '1');
    assert.equal(shared, 'false');
    assert.equal(corner, '64');
  });
});
