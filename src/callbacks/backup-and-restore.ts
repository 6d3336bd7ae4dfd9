import type * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';
import { isPlainObject } from '../utils/objects.js';
import { readOptions } from '../utils/options.js';
import { getRandomState, setRandomState } from '../utils/random.js';
import { Callback } from './callback.js';
import { type CallbackFiles, callbackFiles } from './files.js';

/** The options of `BackupAndRestore`, Keras's `BackupAndRestore(backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True)` camelCased. */
export interface BackupAndRestoreOptions {
  /** The folder of the backup (made if missing); one per training run. */
  backupDir: string;
  /** `"epoch"` (back up at each epoch's end) or every this many batches; default `"epoch"`. */
  saveFreq?: 'epoch' | number;
  /** Keep the backup before the latest (`*.bkp`), used when the latest cannot be read; default false. */
  doubleCheckpoint?: boolean;
  /** Remove the backup folder when training ends normally; default true. */
  deleteCheckpoint?: boolean;
}

/**
 * What the backup records besides the weights. `epoch` and `batch` are
 * Keras's (`training_metadata.json`: the epoch to resume at and the last
 * batch index seen); `step` (batches of that epoch already trained) and
 * `random_state` are ours, so that the resumed run starts at that batch
 * with the shuffle order and random draws of the interrupted one. Keras
 * ignores the extra keys; a Keras backup (no `step`) resumes at its
 * epoch's start, as Keras does.
 */
export interface TrainingMetadata {
  epoch: number;
  batch: number;
  step?: number;
  random_state?: { epoch_start: number; current: number };
}

interface OptimizerWithBuild {
  built?: boolean;
  build?(variables: tf.Variable[]): void;
}

/**
 * Keras's `BackupAndRestore`: backs up the model's weights and optimizer
 * state (`latest.weights.h5`) and where training stands
 * (`training_metadata.json`) in `backupDir`; a `fit` that starts with a
 * backup there restores it and resumes. Beyond Keras, which restarts the
 * interrupted epoch from its first batch, training resumes at the epoch
 * **and batch** it stopped at, with the same shuffle order and random
 * draws, so an interrupted run ends with the weights of an uninterrupted
 * one (it sets `model.resumeAt`, which `fit` reads after `onTrainBegin`).
 * Node only.
 *
 * @example await model.fit(x, y, { epochs: 50, callbacks: [new callbacks.BackupAndRestore({ backupDir: '/tmp/backup', saveFreq: 100 })] });
 */
export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | number;
  readonly doubleCheckpoint: boolean;
  readonly deleteCheckpoint: boolean;
  #batchesSinceSave = 0;
  #lastBatchSeen = 0;
  #currentEpoch = 0;
  #epochStartState = 0;
  /** A random state to take at the next batch: resuming mid-epoch, the draws after the skipped batches. */
  #pendingState: number | null = null;

  constructor(options: BackupAndRestoreOptions) {
    super();
    const read = readOptions<BackupAndRestoreOptions>('BackupAndRestore', options, [
      'backupDir',
      'saveFreq',
      'doubleCheckpoint',
      'deleteCheckpoint',
    ]);
    if (read.backupDir === '' || read.backupDir == null) {
      throw new ValueError('Empty `backupDir` argument passed', {
        argument: 'backupDir',
        expected: 'a folder path',
        received: formatValue(read.backupDir),
      });
    }
    if (typeof read.backupDir !== 'string') throw invalidArgument('backupDir', 'a folder path', read.backupDir);
    const saveFreq = read.saveFreq ?? 'epoch';
    if (saveFreq !== 'epoch' && !(typeof saveFreq === 'number' && Number.isInteger(saveFreq) && saveFreq > 0)) {
      throw new ValueError(
        `Invalid value for argument \`saveFreq\`. Received: saveFreq=${formatValue(saveFreq)}. Expected either 'epoch' or a positive integer value.`,
        { argument: 'saveFreq', expected: '"epoch" or a positive integer', received: formatValue(saveFreq) },
      );
    }
    for (const name of ['doubleCheckpoint', 'deleteCheckpoint'] as const) {
      if (read[name] != null && typeof read[name] !== 'boolean') throw invalidArgument(name, 'a boolean', read[name]);
    }
    this.backupDir = read.backupDir;
    this.saveFreq = saveFreq;
    this.doubleCheckpoint = read.doubleCheckpoint ?? false;
    this.deleteCheckpoint = read.deleteCheckpoint ?? true;
  }

  private paths(files: CallbackFiles) {
    const weights = files.join(this.backupDir, 'latest.weights.h5');
    const metadata = files.join(this.backupDir, 'training_metadata.json');
    return { weights, metadata, previousWeights: `${weights}.bkp`, previousMetadata: `${metadata}.bkp` };
  }

  override async onTrainBegin(): Promise<void> {
    const files = callbackFiles('BackupAndRestore');
    const paths = this.paths(files);
    this.#batchesSinceSave = 0;
    this.#lastBatchSeen = 0;
    this.#currentEpoch = 0;
    this.#pendingState = null;
    try {
      await this.load(files);
    } catch (error) {
      // Keras: the latest backup unreadable, the one before it (doubleCheckpoint) takes its place.
      // Only an unreadable weights file falls back (Keras catches OSError); a bad metadata file or model does not.
      if (error instanceof ValueError && /must be built|Invalid backup metadata/.test(error.message)) throw error;
      if (!(await files.exists(paths.previousWeights))) throw error;
      await files.copy(paths.previousWeights, paths.weights);
      if (await files.exists(paths.previousMetadata)) await files.copy(paths.previousMetadata, paths.metadata);
      else if (await files.exists(paths.metadata)) await files.remove(paths.metadata);
      await this.load(files);
    }
  }

  /** Keras's `_load_model`: weights (and optimizer state), then where to resume. */
  private async load(files: CallbackFiles): Promise<void> {
    const model = this.model;
    if (model == null) return;
    if (!model.built) {
      throw new ValueError(
        `To use the BackupAndRestore callback, your model must be built before you call \`fit()\`. Model ${model.name} is unbuilt. You can build it beforehand by calling it on a batch of data.`,
        { argument: 'model', expected: 'a built model', received: `${model.name} (unbuilt)` },
      );
    }
    const paths = this.paths(files);
    if (await files.exists(paths.weights)) {
      const optimizer = model.optimizer as unknown as OptimizerWithBuild | null;
      if (optimizer != null && optimizer.built === false && typeof optimizer.build === 'function') {
        optimizer.build(model.trainableWeights as tf.Variable[]);
      }
      await model.loadWeights(paths.weights);
    }
    if (!(await files.exists(paths.metadata))) return;
    const metadata = parseMetadata(await files.readText(paths.metadata), paths.metadata);
    const step = metadata.step ?? 0;
    model.resumeAt = { epoch: metadata.epoch, step };
    this.#currentEpoch = metadata.epoch;
    if (step > 0) {
      // The save happened right after batch `step - 1`: count from there, as the uninterrupted run did.
      this.#lastBatchSeen = step - 1;
    }
    if (metadata.random_state != null) {
      setRandomState(metadata.random_state.epoch_start);
      this.#pendingState = step > 0 ? metadata.random_state.current : null;
    }
  }

  override onEpochBegin(epoch: number): void {
    this.#currentEpoch = epoch;
    // The state the epoch's shuffle is drawn from (fit opens the epoch's data after this hook).
    this.#epochStartState = getRandomState();
  }

  override onBatchBegin(): void {
    if (this.#pendingState != null) {
      setRandomState(this.#pendingState);
      this.#pendingState = null;
    }
  }

  override async onBatchEnd(batch: number): Promise<void> {
    if (this.shouldSaveOnBatch(batch)) await this.save({ epoch: this.#currentEpoch, batch, step: batch + 1 });
  }

  override async onEpochEnd(epoch: number): Promise<void> {
    this.#currentEpoch = epoch + 1;
    this.#lastBatchSeen = 0;
    if (this.saveFreq === 'epoch') await this.save({ epoch: epoch + 1, batch: 0, step: 0 });
  }

  /** Keras's `_should_save_on_batch`. */
  private shouldSaveOnBatch(batch: number): boolean {
    if (this.saveFreq === 'epoch') return false;
    const added = batch <= this.#lastBatchSeen ? batch + 1 : batch - this.#lastBatchSeen;
    this.#batchesSinceSave += added;
    this.#lastBatchSeen = batch;
    if (this.#batchesSinceSave >= this.saveFreq) {
      this.#batchesSinceSave = 0;
      return true;
    }
    return false;
  }

  /** Keras's `_save_model`, with our resume point: weights first, then the metadata that points at them. */
  private async save(at: { epoch: number; batch: number; step: number }): Promise<void> {
    const model = this.model;
    if (model == null) return;
    const files = callbackFiles('BackupAndRestore');
    const paths = this.paths(files);
    if (!(await files.exists(this.backupDir))) await files.makeDirectories(this.backupDir);
    if (this.doubleCheckpoint && (await files.exists(paths.weights)))
      await files.copy(paths.weights, paths.previousWeights);
    if (this.doubleCheckpoint && (await files.exists(paths.metadata))) {
      await files.copy(paths.metadata, paths.previousMetadata);
    }
    await model.saveWeights(paths.weights, { overwrite: true });
    const current = getRandomState();
    const metadata: TrainingMetadata = {
      epoch: at.epoch,
      batch: at.batch,
      step: at.step,
      // At an epoch's end the next epoch starts from the state now.
      random_state: { epoch_start: at.step === 0 ? current : this.#epochStartState, current },
    };
    await files.writeText(paths.metadata, JSON.stringify(metadata));
  }

  override async onTrainEnd(): Promise<void> {
    const files = callbackFiles('BackupAndRestore');
    if (this.deleteCheckpoint && (await files.exists(this.backupDir))) await files.removeTree(this.backupDir);
  }
}

function parseMetadata(text: string, path: string): TrainingMetadata {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const bad = (why: string) =>
    new ValueError(`Invalid backup metadata in ${path}: ${why}. Received: ${text.slice(0, 200)}`, {
      argument: 'backupDir',
      expected: '{"epoch": n, "batch": n} as BackupAndRestore writes it',
      received: text.slice(0, 200),
    });
  if (!isPlainObject(json)) throw bad('not a JSON object');
  const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  const isState = (v: unknown) => isCount(v) && (v as number) <= 0xffffffff;
  if (!isCount(json.epoch)) throw bad('"epoch" is not a non-negative integer');
  if (json.step !== undefined && !isCount(json.step)) throw bad('"step" is not a non-negative integer');
  const random = json.random_state;
  if (random !== undefined && !(isPlainObject(random) && isState(random.epoch_start) && isState(random.current))) {
    throw bad('"random_state" is not {epoch_start, current}');
  }
  return json as unknown as TrainingMetadata;
}
