import { invalidArgument, ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';
import { readOptions } from '../utils/options.js';
import type { Logs } from './callback.js';
import { type FilepathTemplate, formatFilepath, parseFilepathTemplate } from './filepath-template.js';
import { callbackFiles } from './files.js';
import { checkPrint, checkVerbose, MonitorCallback, type MonitorMode } from './monitor.js';
import { formatNumber, parseFormatSpec } from './python-format.js';

/** The options of `ModelCheckpoint`, Keras's `ModelCheckpoint(filepath, monitor="val_loss", verbose=0, save_best_only=False, save_weights_only=False, mode="auto", save_freq="epoch", initial_value_threshold=None)` camelCased. */
export interface ModelCheckpointOptions {
  /**
   * Where to save: `.keras` (or legacy `.h5`) for the whole model,
   * `.weights.h5` with `saveWeightsOnly`. A Python format template of
   * `epoch` (1-based), `batch` (1-based, with an integer `saveFreq`) and the
   * logs: `"ckpt/{epoch:02d}-{val_loss:.2f}.keras"`. Missing folders are made.
   */
  filepath: string;
  /** The log `saveBestOnly` watches; default `"val_loss"`. */
  monitor?: string;
  /** 1 prints each decision; default 0. */
  verbose?: 0 | 1;
  /** Save only when the monitored log improves; default false. */
  saveBestOnly?: boolean;
  /** `model.saveWeights` instead of `model.save`; default false. */
  saveWeightsOnly?: boolean;
  /** `min`, `max`, or `auto` (from the monitor's name); default `auto`. */
  mode?: MonitorMode;
  /** `"epoch"` (at each epoch's end) or every this many batches; default `"epoch"`. */
  saveFreq?: 'epoch' | number;
  /** With `saveBestOnly`, the value to beat at first; default null. */
  initialValueThreshold?: number | null;
  /** Where messages go; default `console.log`. */
  print?: (line: string) => void;
}

const OPTIONS = [
  'filepath',
  'monitor',
  'verbose',
  'saveBestOnly',
  'saveWeightsOnly',
  'mode',
  'saveFreq',
  'initialValueThreshold',
  'print',
];

const FIVE_PLACES = parseFormatSpec('.5f');
const fivePlaces = (value: number) => formatNumber(value, FIVE_PLACES, false);

/**
 * Keras's `ModelCheckpoint`: saves the model (or its weights) at each
 * epoch's end or every `saveFreq` batches, to a file name made from the
 * epoch and the logs; with `saveBestOnly`, only when the monitored log
 * improves. Node only. Every file written is listed in `saved`.
 *
 * @example new callbacks.ModelCheckpoint({ filepath: 'checkpoints/model-{epoch:02d}-{val_loss:.2f}.keras', saveBestOnly: true })
 */
export class ModelCheckpoint extends MonitorCallback {
  readonly filepath: string;
  readonly verbose: 0 | 1;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly saveFreq: 'epoch' | number;
  /** The files written so far, in order. */
  readonly saved: string[] = [];
  readonly #template: FilepathTemplate;
  readonly #print: (line: string) => void;
  #batchesSinceSave = 0;
  #lastBatchSeen: number | null = null;
  #currentEpoch = 0;

  constructor(options: ModelCheckpointOptions) {
    const read = readOptions<ModelCheckpointOptions>('ModelCheckpoint', options, OPTIONS);
    const threshold = read.initialValueThreshold ?? null;
    if (threshold !== null && (typeof threshold !== 'number' || !Number.isFinite(threshold))) {
      throw invalidArgument('initialValueThreshold', 'a finite number or null', threshold);
    }
    super('ModelCheckpoint', read.monitor, read.mode, threshold, 0);
    if (typeof read.filepath !== 'string' || read.filepath === '') {
      throw invalidArgument('filepath', 'a file path ending in .keras or .weights.h5', read.filepath);
    }
    this.filepath = read.filepath;
    this.verbose = checkVerbose(read.verbose ?? 0);
    for (const name of ['saveBestOnly', 'saveWeightsOnly'] as const) {
      if (read[name] != null && typeof read[name] !== 'boolean') throw invalidArgument(name, 'a boolean', read[name]);
    }
    this.saveBestOnly = read.saveBestOnly ?? false;
    this.saveWeightsOnly = read.saveWeightsOnly ?? false;
    const saveFreq = read.saveFreq ?? 'epoch';
    if (saveFreq !== 'epoch' && !(typeof saveFreq === 'number' && Number.isInteger(saveFreq) && saveFreq > 0)) {
      throw new ValueError(
        `Unrecognized save_freq: ${formatValue(saveFreq)}. Expected save_freq are 'epoch' or integer values`,
        { argument: 'saveFreq', expected: '"epoch" or a positive integer', received: formatValue(saveFreq) },
      );
    }
    this.saveFreq = saveFreq;
    if (this.saveWeightsOnly && !this.filepath.endsWith('.weights.h5')) {
      throw new ValueError(
        `When using \`saveWeightsOnly: true\` in \`ModelCheckpoint\`, the filepath provided must end in \`.weights.h5\` (Keras weights format). Received: filepath=${this.filepath}`,
        { argument: 'filepath', expected: 'a path ending in .weights.h5', received: this.filepath },
      );
    }
    if (!this.saveWeightsOnly && !this.filepath.endsWith('.keras') && !this.filepath.endsWith('.h5')) {
      throw new ValueError(
        `The filepath provided must end in \`.keras\` (Keras model format). Received: filepath=${this.filepath}`,
        { argument: 'filepath', expected: 'a path ending in .keras (or .h5)', received: this.filepath },
      );
    }
    this.#template = parseFilepathTemplate(this.filepath);
    this.#print = checkPrint(read.print);
  }

  override onEpochBegin(epoch: number): void {
    this.#currentEpoch = epoch;
  }

  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    if (this.shouldSaveOnBatch(batch)) await this.save(this.#currentEpoch, batch, logs ?? {});
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (this.monitorOp == null) this.setMonitorOp();
    if (this.saveFreq === 'epoch') await this.save(epoch, null, logs ?? {});
  }

  /** Keras's `_should_save_on_batch`: counts batches (a lower index means a new epoch). */
  private shouldSaveOnBatch(batch: number): boolean {
    if (this.saveFreq === 'epoch') return false;
    const added = this.#lastBatchSeen == null || batch <= this.#lastBatchSeen ? batch + 1 : batch - this.#lastBatchSeen;
    this.#batchesSinceSave += added;
    this.#lastBatchSeen = batch;
    if (this.#batchesSinceSave >= this.saveFreq) {
      this.#batchesSinceSave = 0;
      return true;
    }
    return false;
  }

  /** The file name for this epoch (0-based) and batch (0-based, or null at an epoch's end). */
  filepathFor(epoch: number, batch: number | null, logs: Logs): string {
    const integers: Record<string, number> = { epoch: epoch + 1 };
    if (batch != null && !Object.hasOwn(logs, 'batch')) integers.batch = batch + 1;
    return formatFilepath(this.#template, integers, logs);
  }

  /** Keras's `_should_save_model`: always, or with `saveBestOnly` when the monitor improved. */
  private shouldSave(epoch: number, logs: Logs, filepath: string): boolean {
    if (!this.saveBestOnly) {
      if (this.verbose > 0) this.#print(`\nEpoch ${epoch + 1}: saving model to ${filepath}`);
      return true;
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(`Can save best model only with ${this.monitor} available.`);
      return true;
    }
    if (this.monitorOp == null) this.setMonitorOp();
    const bestText = this.best == null ? 'None' : fivePlaces(this.best);
    if (this.isImprovement(current, this.best)) {
      if (this.verbose > 0) {
        this.#print(
          `\nEpoch ${epoch + 1}: ${this.monitor} improved from ${bestText} to ${fivePlaces(current)}, saving model to ${filepath}`,
        );
      }
      this.best = current;
      return true;
    }
    if (this.verbose > 0) this.#print(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${bestText}`);
    return false;
  }

  private async save(epoch: number, batch: number | null, logs: Logs): Promise<void> {
    const filepath = this.filepathFor(epoch, batch, logs);
    if (!this.shouldSave(epoch, logs, filepath)) return;
    const model = this.model;
    if (model == null) return;
    const files = callbackFiles('ModelCheckpoint');
    // As Keras: a missing folder is made; a folder where the file should go is an error.
    const folder = files.dirname(filepath);
    if (folder !== '' && folder !== '.' && !(await files.exists(folder))) await files.makeDirectories(folder);
    if (await files.isDirectory(filepath)) {
      throw new ValueError(
        `Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing directory: ${filepath}`,
        { argument: 'filepath', expected: 'a file path', received: filepath },
      );
    }
    if (this.saveWeightsOnly) await model.saveWeights(filepath, { overwrite: true });
    else await model.save(filepath, { overwrite: true });
    this.saved.push(filepath);
    if (this.verbose > 0) this.#print(`\nEpoch ${epoch + 1}: finished saving model to ${filepath}`);
  }
}
