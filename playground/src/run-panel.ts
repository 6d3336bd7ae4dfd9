/**
 * One run's column: its regularizer controls, its latest numbers, its
 * first-layer weight images, and the histogram, near-zero share and Gram
 * matrix of the layer being inspected.
 */
import { OrthogonalRegularizer, saving } from 'keras-regularizers';
import { RegularizerControls } from './controls.js';
import { drawGroupNorms, pruneNetwork, unitNorms } from './group-norms.js';
import { denseLayer, LAYER_NAMES, type LayerName, setRegularizer } from './network.js';
import type { Run } from './run.js';
import { absCosines, histogram, meanOffDiagonal, NEAR_ZERO, nearZeroShare } from './weight-stats.js';
import { drawGram, drawHistogram, drawTiles } from './weight-views.js';

const HISTOGRAM_BINS = 61;
const TILE_COLUMNS = 8;

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text = '',
): HTMLElementTagNameMap[K] {
  return Object.assign(document.createElement(tag), { className, textContent: text });
}

function percent(share: number): string {
  return `${(100 * share).toFixed(1)}%`;
}

export class RunPanel {
  readonly element = element('section', 'run');
  readonly controls: RegularizerControls;
  readonly #summary = element('p', 'summary');
  readonly #tiles = element('canvas', 'tiles');
  readonly #tilesCaption = element('figcaption', '');
  readonly #histogram = element('canvas', 'histogram');
  readonly #histogramCaption = element('figcaption', '');
  readonly #sparsity = element('p', 'sparsity');
  readonly #gram = element('canvas', 'gram');
  readonly #gramCaption = element('figcaption', '');
  readonly #exportStatus = element('span', 'export-status');
  readonly #norms = element('canvas', 'group-norms');
  readonly #normsCaption = element('figcaption', '');
  readonly #pruneStatus = element('span', 'prune-status');

  constructor(
    readonly run: Run,
    readonly color: string,
  ) {
    this.element.id = `run-${run.id.toLowerCase()}`;
    this.element.style.setProperty('--run-color', color);
    this.controls = new RegularizerControls((layer, slot, regularizer) =>
      setRegularizer(this.run.model, layer, slot, regularizer),
    );
    const header = element('header', '');
    const exportButton = element('button', 'export', 'Export .keras');
    exportButton.addEventListener('click', () => void this.#export());
    const pruneButton = element('button', 'prune', 'Prune → .keras');
    pruneButton.addEventListener('click', () => void this.#prune());
    header.append(element('h2', '', `Run ${run.id}`), exportButton, this.#exportStatus, pruneButton, this.#pruneStatus);
    const figure = (canvas: HTMLCanvasElement, caption: HTMLElement, ...extra: HTMLElement[]) => {
      const box = element('figure', '');
      box.append(caption, canvas, ...extra);
      return box;
    };
    const inspected = element('div', 'inspected');
    inspected.append(
      figure(this.#histogram, this.#histogramCaption, this.#sparsity),
      figure(this.#gram, this.#gramCaption),
      figure(this.#norms, this.#normsCaption),
    );
    this.element.append(
      header,
      this.controls.element,
      this.#summary,
      figure(this.#tiles, this.#tilesCaption),
      inspected,
    );
  }

  async #export(): Promise<void> {
    this.#exportStatus.textContent = 'saving…';
    try {
      const step = this.run.train.at(-1)?.step ?? 0;
      await this.run.exportKeras(`playground-run-${this.run.id.toLowerCase()}-step-${step}.keras`);
      this.#exportStatus.textContent = `exported at step ${step}`;
    } catch (error) {
      this.#exportStatus.textContent = error instanceof Error ? error.message : String(error);
    }
  }

  /** Prunes the network as it is now (models.prune) and offers the smaller model as a `.keras` file. */
  async #prune(): Promise<void> {
    this.#pruneStatus.textContent = 'pruning…';
    try {
      const { model, summary } = pruneNetwork(this.run.model);
      const step = this.run.train.at(-1)?.step ?? 0;
      try {
        await saving.downloadModel(model, `playground-run-${this.run.id.toLowerCase()}-step-${step}-pruned.keras`);
      } finally {
        model.dispose();
      }
      this.#pruneStatus.textContent = summary;
    } catch (error) {
      this.#pruneStatus.textContent = error instanceof Error ? error.message : String(error);
    }
  }

  /** The latest training and validation numbers. */
  renderSummary(): void {
    const train = this.run.train.at(-1);
    const validation = this.run.validation.at(-1);
    const parts = [];
    if (train != null)
      parts.push(
        `step ${train.step}: batch accuracy ${percent(train.accuracy)}, penalty ${train.penalty.toPrecision(3)}`,
      );
    if (validation != null) {
      parts.push(
        `validation (step ${validation.step}): accuracy ${percent(validation.accuracy)}, data loss ${validation.dataLoss.toFixed(3)}`,
      );
    }
    this.#summary.textContent = parts.join(' · ');
  }

  /** Weight images of the first layer; histogram, near-zero share and Gram matrix of `inspect`. */
  renderWeights(inspect: LayerName): void {
    const first = this.run.kernel('hidden_1');
    let limit = 0;
    for (const v of first.values) limit = Math.max(limit, Math.abs(v));
    drawTiles(this.#tiles, first.values, first.units, TILE_COLUMNS, limit || 1);
    this.#tilesCaption.textContent = `hidden_1: each unit's 784 input weights as a 28×28 image (blue < 0 < red, scale ±${limit.toPrecision(2)})`;

    const kernel = this.run.kernel(inspect);
    this.#histogramCaption.textContent = `${inspect} kernel weights (${kernel.values.length})`;
    drawHistogram(this.#histogram, histogram(kernel.values, HISTOGRAM_BINS), this.color);
    const shares = LAYER_NAMES.map((name) => `${name} ${percent(nearZeroShare(this.run.kernel(name).values))}`);
    this.#sparsity.textContent = `Near zero (|w| < ${NEAR_ZERO}, shaded): ${shares.join(' · ')}`;

    const regularizer = denseLayer(this.run.model, inspect).kernelRegularizer;
    const mode = regularizer instanceof OrthogonalRegularizer ? regularizer.mode : 'columns';
    const cosines = absCosines(kernel.values, kernel.inputs, kernel.units, mode);
    drawGram(this.#gram, cosines);
    const norms = unitNorms(kernel.values, kernel.inputs, kernel.units);
    drawGroupNorms(this.#norms, norms, this.color);
    const zero = norms.filter((n) => n === 0).length;
    this.#normsCaption.textContent = `${inspect}: L2 norm of each unit's incoming weights (${zero} of ${kernel.units} exactly 0, which prune removes)`;
    const vectors = mode === 'columns' ? `its ${kernel.units} units` : `its ${kernel.inputs} input rows`;
    this.#gramCaption.textContent = `Gram matrix of ${inspect}'s kernel, |cos| between ${vectors} (white 0, black 1; mean off-diagonal ${meanOffDiagonal(cosines).toFixed(3)})`;
  }
}
