/**
 * A run split in two equals the straight run bit-for-bit on cpu (issue 21):
 * for four models and optimizers (Adam with amsgrad on a CNN with
 * BatchNormalization, centered RMSprop with momentum and clipnorm on an
 * Embedding+LSTM, AdamW with EMA on a transformer block, Nadam on a
 * two-output Functional model), one process trains 2 epochs and saves a
 * `.keras` file, a fresh Node process loads it and trains 2 more; another
 * process trains the 4 epochs straight through. Every weight's float32 bit
 * pattern, the iteration count and the second half's epoch losses agree.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

type Result = Record<string, { iterations: number; losses: number[]; weights: number[][] }>;

const CHILD = fileURLToPath(new URL('./helpers/split-run-child.ts', import.meta.url));

/** Runs one mode in a new Node process (tsx, as the tests run) and reads its JSON. */
function run(mode: 'straight' | 'first' | 'second', folder: string): Result {
  const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, mode, folder], {
    encoding: 'utf8',
    env: process.env,
  });
  assert.equal(child.status, 0, `${mode} process failed:\n${child.stderr}`);
  const line = child.stdout.trim().split('\n').pop() as string;
  return JSON.parse(line) as Result;
}

it('train, save .keras, load in a fresh process, train on: bit-for-bit the straight run (cpu)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'split-run-'));
  try {
    const straight = run('straight', folder);
    const first = run('first', folder);
    const second = run('second', folder);
    assert.deepEqual(Object.keys(second), Object.keys(straight));
    for (const [name, whole] of Object.entries(straight)) {
      const half = first[name] as Result[string];
      const resumed = second[name] as Result[string];
      assert.equal(half.iterations * 2, whole.iterations, `${name}: the first half is half the steps`);
      assert.equal(resumed.iterations, whole.iterations, `${name}: iterations`);
      assert.deepEqual(half.losses, whole.losses.slice(0, 2), `${name}: first half's losses`);
      assert.deepEqual(resumed.losses, whole.losses.slice(2), `${name}: second half's losses, exactly`);
      whole.weights.forEach((bits, i) => {
        assert.deepEqual(resumed.weights[i], bits, `${name}: weight ${i}, bit for bit`);
      });
      // The state mattered: the resumed weights moved away from the first half's.
      assert.notDeepEqual(resumed.weights, half.weights, `${name}: the second half trained`);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
