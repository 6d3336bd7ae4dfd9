/**
 * The "plot" view: each run's network drawn by utils.plotModel (shapes, and
 * the layers carrying a regularizer outlined in red), redrawn when the
 * regularizers change.
 */
import { utils } from 'keras-regularizers';
import type { Run } from './run.js';

/** A collapsible section holding one SVG per run. */
export class PlotView {
  readonly element: HTMLDetailsElement;
  readonly #runs: Run[];
  readonly #boxes: HTMLDivElement[];
  #drawn: string[] = [];

  constructor(runs: Run[]) {
    this.#runs = runs;
    this.element = document.createElement('details');
    this.element.id = 'plot';
    const summary = document.createElement('summary');
    summary.textContent = 'Plot of the networks (utils.plotModel)';
    const row = document.createElement('div');
    row.style.display = 'flex';
    row.style.gap = '16px';
    row.style.overflowX = 'auto';
    this.#boxes = runs.map(() => document.createElement('div'));
    row.append(...this.#boxes);
    this.element.append(summary, row);
  }

  /** Redraws the runs whose SVG changed (a regularizer set or cleared). */
  async render(): Promise<void> {
    const svgs = await Promise.all(this.#runs.map((run) => utils.plotModel(run.model, { showShapes: true })));
    svgs.forEach((svg, i) => {
      if (this.#drawn[i] === svg) return;
      const box = this.#boxes[i] as HTMLDivElement;
      box.innerHTML = `<div><b>Run ${this.#runs[i]?.id ?? i}</b></div>${svg}`;
    });
    this.#drawn = svgs;
  }
}
