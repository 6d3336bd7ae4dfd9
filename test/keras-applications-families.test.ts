/**
 * keras.applications, one model of each of the 15 families (issue 23), with
 * and without include_top / include_preprocessing where the constructor has
 * them: real Keras makes the cases at test time into a temp dir
 * (scripts/generate_keras_applications_fixtures.py finetune), and each is
 * replayed here as test/keras-applications.test.ts replays the committed
 * MobileNet: predictions and evaluate() logs, a frozen base with an L2 head
 * fine-tuned 3 steps to Keras's numbers, BatchNormalization statistics
 * unchanged, the saved model loading back. Keras loading what we save is
 * scripts/check_keras_applications.py's part.
 *
 * SKIPPED where `.keras-venv` (Python with Keras 3 and jax) is absent, as in
 * CI: the files are hundreds of MB and Keras takes minutes per model, so
 * nothing is committed. KERAS_APPLICATIONS_CASES=ResNet50-top,VGG16-notop
 * runs a few; all 38 cases take about an hour on two cores.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { backend } from 'keras-regularizers';
import { assertFinetune, type FinetuneCase, replayFinetune } from './helpers/keras-applications.js';

const ROOT = new URL('..', import.meta.url).pathname;
const PYTHON = join(ROOT, '.keras-venv', 'bin', 'python');
const GENERATOR = join(ROOT, 'scripts', 'generate_keras_applications_fixtures.py');
const SKIP = existsSync(PYTHON)
  ? false
  : "needs .keras-venv (Python with Keras 3 and jax) to make the 15 families' files at test time; CI has none, so the committed MobileNet case (test/keras-applications.test.ts) stands in";

/** The cases the generator makes (its `list` mode), or those KERAS_APPLICATIONS_CASES names. */
function cases(): string[] {
  if (SKIP) return [];
  const chosen = process.env.KERAS_APPLICATIONS_CASES;
  if (chosen) return chosen.split(',').map((s) => s.trim());
  const listed = spawnSync(PYTHON, [GENERATOR, 'list'], {
    encoding: 'utf8',
    env: { ...process.env, KERAS_BACKEND: 'jax' },
  });
  const last = listed.stdout.trim().split('\n').pop() ?? '{}';
  return (JSON.parse(last) as { finetune?: string[] }).finetune ?? [];
}

describe('keras.applications: the 15 families made by Keras at test time (issue 23) [cpu]', { skip: SKIP }, () => {
  const folder = SKIP ? '' : mkdtempSync(join(tmpdir(), 'keras-applications-'));
  after(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });
  for (const label of cases()) {
    it(`${label}: Keras's predictions and evaluate logs; frozen base + L2 head, 3 steps to Keras's numbers`, async () => {
      await backend.setBackend('cpu');
      const made = spawnSync(PYTHON, [GENERATOR, 'finetune', folder, label], {
        encoding: 'utf8',
        env: { ...process.env, KERAS_BACKEND: 'jax' },
      });
      if (made.status !== 0) throw new Error(`Keras could not make ${label}: ${made.stderr.slice(-2000)}`);
      const expected = JSON.parse(readFileSync(join(folder, `${label}.json`), 'utf8')) as FinetuneCase;
      const tensors = tf.memory().numTensors;
      const result = await replayFinetune(join(folder, `${label}.keras`), expected);
      assertFinetune(result, expected);
      if (tf.memory().numTensors !== tensors)
        throw new Error(`${label} left ${tf.memory().numTensors - tensors} tensors`);
      rmSync(join(folder, `${label}.keras`), { force: true });
    });
  }
});
