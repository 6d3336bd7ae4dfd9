/**
 * The regularization playground (`npm run playground`) in headless Chromium:
 * the page trains both runs on wasm, a regularizer set between steps counts
 * from the next step, a refused factor shows the library's own message and
 * training goes on with the previous one, and the `.keras` file the page
 * downloads, loaded here in Node, predicts what the page predicts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { L1, layers, OrthogonalRegularizer, saving, ValueError } from 'keras-regularizers';
import type { Browser, Page } from 'puppeteer-core';
import {
  chooseRegularizer,
  exportKeras,
  launchChromium,
  openPlayground,
  type Playground,
  slotSelector,
  startPlayground,
  trainSteps,
  typeFactor,
} from '../playground/harness.mjs';
import { decodeDigits, digitTensors } from '../playground/src/digits.js';
import type { PlaygroundApi } from '../playground/src/main.js';
import type { LayerName, Slot } from '../playground/src/network.js';
import { absCosines, histogram, meanOffDiagonal, nearZeroShare } from '../playground/src/weight-stats.js';
import { assertAllClose } from './helpers/allclose.js';

// The page's test interface, `window.playground` (the functions run in the page).
const stepOf = (page: Page) => page.evaluate(() => (window.playground as PlaygroundApi).step());
const logsOf = (page: Page, run: string) => page.evaluate((id) => (window.playground as PlaygroundApi).logs(id), run);
const tensorsIn = (page: Page) => page.evaluate(() => (window.playground as PlaygroundApi).numTensors());
const kernelOf = (page: Page, run: string, layer: LayerName) =>
  page.evaluate((id, name) => (window.playground as PlaygroundApi).kernel(id, name), run, layer);
const regularizerOf = (page: Page, run: string, layer: LayerName, slot: Slot) =>
  page.evaluate((id, name, kind) => (window.playground as PlaygroundApi).regularizer(id, name, kind), run, layer, slot);
const predictionsOf = (page: Page, run: string, count: number) =>
  page.evaluate((id, n) => (window.playground as PlaygroundApi).predict(id, n), run, count);

function sumAbs(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + Math.abs(v), 0);
}

/** The message the library's L1 constructor throws for `value`. */
function l1Refusal(value: unknown): string {
  try {
    new L1(value as number);
  } catch (error) {
    assert.ok(error instanceof ValueError, `expected a ValueError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`L1 accepted ${String(value)}`);
}

describe('playground weight statistics', () => {
  it("draws the Gram matrix whose mean off-diagonal |cos| is OrthogonalRegularizer's penalty over its factor", () => {
    const [inputs, units] = [7, 5];
    const values = Float32Array.from({ length: inputs * units }, (_, i) => Math.sin(i * 1.7) + (i % 3) * 0.2);
    const kernel = tf.tensor2d(values, [inputs, units]);
    try {
      for (const mode of ['rows', 'columns'] as const) {
        const cosines = absCosines(values, inputs, units, mode);
        assert.equal(cosines.size, mode === 'rows' ? inputs : units);
        const penalty = new OrthogonalRegularizer(0.5, mode).apply(kernel);
        assertAllClose(0.5 * meanOffDiagonal(cosines), penalty, { rtol: 1e-5 }, mode);
        penalty.dispose();
      }
    } finally {
      kernel.dispose();
    }
  });

  it('bins every weight, the largest magnitudes included, and counts the near-zero ones', () => {
    const values = Float32Array.from([-0.5, -0.0005, 0, 0.0009, 0.001, 0.2, 0.5]);
    const { limit, counts } = histogram(values, 4);
    // Bins of 0.25 over [-0.5, 0.5]: the weight at +limit goes in the last bin, not past it.
    assert.equal(limit, 0.5);
    assert.deepEqual(Array.from(counts), [1, 1, 4, 1]);
    assert.equal(nearZeroShare(values), 3 / 7);
  });
});

describe('regularization playground in headless Chromium', { timeout: 120_000 }, () => {
  let playground: Playground | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let errors: string[];

  before(async () => {
    playground = await startPlayground();
    browser = await launchChromium();
    ({ page, errors } = await openPlayground(browser, playground.url));
  });

  after(async () => {
    await browser?.close();
    playground?.close();
  });

  it('trains on wasm, both runs from the same weights, without leaking tensors', async () => {
    assert.equal(await page.evaluate(() => (window.playground as PlaygroundApi).backend), 'wasm');
    // The server's COOP and COEP headers, which let wasm run threaded.
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.deepEqual(await kernelOf(page, 'A', 'hidden_1'), await kernelOf(page, 'B', 'hidden_1'));
    await trainSteps(page, 2);
    const tensors = await tensorsIn(page);
    // Past a validation (every 20 steps) too.
    await trainSteps(page, 20);
    assert.equal(await tensorsIn(page), tensors);
    assert.equal(await stepOf(page), 22);
    assert.deepEqual(errors, []);
  });

  it('applies a regularizer set between steps from the next step on', async () => {
    assert.equal((await logsOf(page, 'B')).regularization_loss, 0);
    const kernel = await kernelOf(page, 'B', 'hidden_1');
    await chooseRegularizer(page, 'B', 'hidden_1', 'kernel', 'L1', { l1: '0.01' });
    await trainSteps(page, 1);
    const [a, b] = [await logsOf(page, 'A'), await logsOf(page, 'B')];
    // The penalty of the weights the step started from, in the loss the step reports.
    assertAllClose(b.regularization_loss as number, 0.01 * sumAbs(kernel), { rtol: 1e-5 });
    assert.equal(b['regularization_loss/hidden_1'], b.regularization_loss);
    assert.equal(a.regularization_loss, 0);
    // Same weights and batch until this step: the same data loss; B's loss adds the penalty.
    assertAllClose((b.loss as number) - (b.regularization_loss as number), a.loss as number, { rtol: 1e-5 });
  });

  it("refuses a factor typed as text or negative with the library's message, and trains on with the previous one", async () => {
    const message = slotSelector('B', 'hidden_1', 'kernel', '.error .message');
    const field = slotSelector('B', 'hidden_1', 'kernel', 'input[type="text"][data-factor="l1"]');
    for (const [typed, value] of [
      ['abc', 'abc'],
      ['-0.5', -0.5],
    ] as const) {
      await typeFactor(page, 'B', 'hidden_1', 'kernel', 'l1', typed);
      assert.equal(await page.$eval(message, (element) => element.textContent), l1Refusal(value));
      assert.equal(await page.$eval(field, (element) => element.classList.contains('invalid')), true);
      const step = await stepOf(page);
      const kernel = await kernelOf(page, 'B', 'hidden_1');
      await trainSteps(page, 1);
      assert.equal(await stepOf(page), step + 1);
      assert.deepEqual(await regularizerOf(page, 'B', 'hidden_1', 'kernel'), {
        module: 'keras.regularizers',
        class_name: 'L1',
        config: { l1: 0.01 },
        registered_name: null,
      });
      assertAllClose((await logsOf(page, 'B')).regularization_loss as number, 0.01 * sumAbs(kernel), { rtol: 1e-5 });
    }
    await typeFactor(page, 'B', 'hidden_1', 'kernel', 'l1', '0.001');
    assert.equal(await page.$(message), null);
    assert.equal(await page.$eval(field, (element) => element.classList.contains('invalid')), false);
    assert.deepEqual(errors, []);
  });

  it('downloads a .keras file that loads in Node with the same predictions as the page', async () => {
    await trainSteps(page, 3);
    const tensors = await tensorsIn(page);
    const bytes = await exportKeras(page, 'B');
    assert.equal(await tensorsIn(page), tensors);
    const count = 32;
    const expected = await predictionsOf(page, 'B', count);
    const file = new URL('../playground/data/validation.u8.gz', import.meta.url);
    const { x, y } = digitTensors(decodeDigits(gunzipSync(readFileSync(file))));
    const model = await saving.loadModelFromBytes(bytes);
    try {
      const hidden = model.getLayer('hidden_1');
      assert.ok(hidden instanceof layers.Dense && hidden.kernelRegularizer instanceof L1);
      assert.equal(hidden.kernelRegularizer.l1, 0.001);
      const predicted = tf.tidy(() => model.predict(x.slice([0, 0], [count, -1])) as tf.Tensor);
      assertAllClose(predicted, expected.flat(), { rtol: 1e-4, atol: 1e-6 });
      predicted.dispose();
    } finally {
      model.dispose();
      tf.dispose([x, y]);
    }
    assert.deepEqual(errors, []);
  });
});
