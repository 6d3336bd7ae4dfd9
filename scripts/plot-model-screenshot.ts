/**
 * Draws the plotModel fixture models (a branched Functional model with an L2
 * kernel regularizer, nested in another, expanded) and screenshots the SVG
 * with the project's headless Chromium into reports/plot-model.png (and
 * reports/plot-model.svg), to look at what users get.
 *   TSX_TSCONFIG_PATH=tsconfig.check.json node --import tsx scripts/plot-model-screenshot.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { L2, layers, models, utils } from 'keras-regularizers';
import { launchChromium } from '../playground/harness.mjs';

const reports = join(dirname(fileURLToPath(import.meta.url)), '..', 'reports');
mkdirSync(reports, { recursive: true });

const input = layers.Input({ shape: [4], name: 'features' });
const left = new layers.Dense({ units: 8, activation: 'relu', kernelRegularizer: new L2(0.01), name: 'left' }).apply(
  input,
);
const right = new layers.Dense({ units: 8, name: 'right' }).apply(input);
const sum = new layers.Add({ name: 'sum' }).apply([left, right]);
const score = new layers.Dense({ units: 1, name: 'score' }).apply(sum) as layers.KerasTensor;
const inner = new models.Functional({ inputs: input, outputs: score, name: 'branched' });
const outerIn = layers.Input({ shape: [4], name: 'outer_in' });
const head = new layers.Dense({ units: 2, activityRegularizer: 'l1', name: 'outer_head' }).apply(
  inner.apply(outerIn) as layers.KerasTensor,
) as layers.KerasTensor;
const model = new models.Functional({ inputs: outerIn, outputs: head, name: 'outer' });

const svg = await utils.plotModel(model, { showShapes: true, showLayerActivations: true, expandNested: true });
writeFileSync(join(reports, 'plot-model.svg'), svg);
const browser = await launchChromium({ width: 900, height: 900 });
try {
  const page = await browser.newPage();
  await page.setContent(`<html><body style="margin:0;background:#fff">${svg}</body></html>`);
  const element = await page.$('svg');
  await element?.screenshot({ path: join(reports, 'plot-model.png') });
} finally {
  await browser.close();
}
console.log('wrote reports/plot-model.png and reports/plot-model.svg');
