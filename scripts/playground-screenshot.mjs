// Screenshot of the regularization playground after 200 steps, run A without
// regularization and run B with L1 on its first layer's kernel:
// reports/playground.png. It also downloads both runs' .keras files and
// records the page's predictions and last validation numbers, for
// scripts/check_playground_export.py to compare with real Keras.
// `node scripts/playground-screenshot.mjs [--l1 0.001]`
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  chooseRegularizer,
  exportKeras,
  launchChromium,
  openPlayground,
  startPlayground,
  trainSteps,
} from '../playground/harness.mjs';

const STEPS = 200;
const { values } = parseArgs({ options: { l1: { type: 'string', default: '0.001' } } });
const reports = join(dirname(fileURLToPath(import.meta.url)), '..', 'reports');

const playground = await startPlayground();
const browser = await launchChromium({ width: 1400, height: 1000 });
try {
  const { page, errors } = await openPlayground(browser, playground.url);
  await chooseRegularizer(page, 'B', 'hidden_1', 'kernel', 'L1', { l1: values.l1 });
  const began = Date.now();
  await trainSteps(page, STEPS);
  const seconds = (Date.now() - began) / 1000;
  mkdirSync(reports, { recursive: true });
  await page.screenshot({ path: join(reports, 'playground.png'), fullPage: true });
  const status = await page.$eval('#status', (element) => element.textContent);
  const lines = await page.$$eval('.run', (runs) =>
    runs.map(
      (run) =>
        `${run.querySelector('h2')?.textContent}: ${run.querySelector('.summary')?.textContent}; ${run.querySelector('.sparsity')?.textContent}`,
    ),
  );
  console.log(`${STEPS} steps in ${seconds.toFixed(1)} s (${status})`);
  for (const line of lines) console.log(line);

  const record = { steps: STEPS, runs: {} };
  for (const run of ['A', 'B']) {
    writeFileSync(join(reports, `playground-run-${run.toLowerCase()}.keras`), await exportKeras(page, run));
    record.runs[run] = await page.evaluate(
      (id) => ({
        predictions: window.playground.predict(id, 1000),
        validation: window.playground.validation(id).at(-1),
      }),
      run,
    );
  }
  writeFileSync(join(reports, 'playground-predictions.json'), JSON.stringify(record));
  if (errors.length > 0) console.log(`Page errors:\n${errors.join('\n')}`);
  console.log(`Wrote ${join(reports, 'playground.png')}, playground-run-{a,b}.keras and playground-predictions.json`);
} finally {
  await browser.close();
  playground.close();
}
