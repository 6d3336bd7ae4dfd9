/**
 * The regularization playground: two runs of the same network on the same
 * MNIST batches, each with its own regularizers, trained in this page with
 * keras-regularizers. Wires the toolbar, the charts and the run panels, and
 * exposes `window.playground` for the browser test.
 */
// Re-exported so that the test's type import brings every page module into the project's type check.
export type { PlaygroundApi } from './test-api.js';

import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { backend } from 'keras-regularizers';
import { drawCurves } from './curves.js';
import { digitTensors, fetchDigits } from './digits.js';
import { LAYER_NAMES, type LayerName } from './network.js';
import { PlotView } from './plot-view.js';
import { Run } from './run.js';
import { RunPanel } from './run-panel.js';
import { exposeTestApi } from './test-api.js';
import { Trainer } from './trainer.js';
import { TrainingLoop } from './training-loop.js';

const SEED = 42;
const RUN_COLORS = ['#1f5fae', '#d3541b'];
/** Weight drawings cost more than the curves; redrawn at most this often while training. */
const WEIGHTS_EVERY_MS = 400;

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found == null) throw new Error(`The page has no #${id}.`);
  return found as T;
}

/**
 * Starts the engine on `wasm` (threaded when the page is cross-origin
 * isolated, as the server makes it); on `cpu` if wasm cannot start, saying why.
 */
async function startBackend(): Promise<string> {
  try {
    await backend.ready({ backend: 'wasm' });
    const threads = getThreadsCount();
    return `wasm, ${threads} thread${threads === 1 ? '' : 's'}`;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    await backend.ready({ backend: 'cpu' });
    return `cpu (wasm did not start: ${why})`;
  }
}

async function start(): Promise<void> {
  const status = byId<HTMLSpanElement>('status');
  const [engine, trainDigits, validationDigits] = await Promise.all([
    startBackend(),
    fetchDigits('data/train.u8.gz'),
    fetchDigits('data/validation.u8.gz'),
  ]);
  const train = digitTensors(trainDigits);
  const validation = digitTensors(validationDigits);
  const runs = ['A', 'B'].map((id) => new Run(id, SEED));
  const panels = runs.map((run, i) => new RunPanel(run, RUN_COLORS[i] ?? '#333'));
  byId('runs').append(...panels.map((panel) => panel.element));
  const plot = new PlotView(runs);
  byId('runs').after(plot.element);
  const trainer = new Trainer(runs, train, validation, SEED);
  const charts = ['chart-loss', 'chart-penalty', 'chart-accuracy'].map((id) => byId<HTMLCanvasElement>(id));
  const inspect = byId<HTMLSelectElement>('inspect');
  for (const name of LAYER_NAMES) inspect.add(new Option(name, name));

  const toggle = byId<HTMLButtonElement>('toggle');
  let lastError: string | null = null;
  let weightsDrawnAt = 0;
  let resetPending = false;

  const showStatus = () => {
    const speed = loop.msPerStep > 0 ? ` · ${loop.msPerStep.toFixed(0)} ms per step of both runs` : '';
    status.textContent = `step ${trainer.step} · backend ${engine}${speed}${lastError == null ? '' : ` · stopped: ${lastError}`}`;
    status.dataset.step = String(trainer.step);
    toggle.textContent = loop.running ? 'Pause' : 'Train';
  };
  const draw = (weights: boolean) => {
    drawCurves(
      charts,
      panels.map(({ run, color }) => ({ run, color })),
    );
    for (const panel of panels) panel.renderSummary();
    if (weights) {
      void plot.render();
      for (const panel of panels) panel.renderWeights(inspect.value as LayerName);
      weightsDrawnAt = performance.now();
    }
    showStatus();
  };
  const reset = () => {
    trainer.reset();
    for (const panel of panels) {
      panel.run.reset();
      panel.controls.reapplyAll();
    }
    lastError = null;
    draw(true);
  };
  const loop = new TrainingLoop(trainer, {
    onChunk: () => draw(performance.now() - weightsDrawnAt > WEIGHTS_EVERY_MS),
    onStop: (error) => {
      if (error != null) lastError = error instanceof Error ? error.message : String(error);
      if (resetPending) {
        resetPending = false;
        reset();
      } else draw(true);
    },
  });

  toggle.addEventListener('click', () => (loop.running ? loop.pause() : loop.runUntil(Number.POSITIVE_INFINITY)));
  byId('train-steps').addEventListener('click', () => {
    const steps = Math.max(1, Math.floor(Number(byId<HTMLInputElement>('steps').value) || 1));
    loop.runUntil(trainer.step + steps);
  });
  byId('step-once').addEventListener('click', () => loop.runUntil(trainer.step + 1));
  byId('reset').addEventListener('click', () => {
    if (!loop.running) return reset();
    resetPending = true;
    loop.pause();
  });
  inspect.addEventListener('change', () => draw(true));
  window.addEventListener('resize', () => draw(false));

  exposeTestApi({ runs, trainer, loop, validation: validation.x, lastError: () => lastError });
  draw(true);
  document.body.dataset.ready = 'true';
}

start().catch((error: unknown) => {
  const status = document.getElementById('status');
  if (status != null)
    status.textContent = `The playground could not start: ${error instanceof Error ? error.message : String(error)}`;
  document.body.dataset.ready = 'failed';
});
