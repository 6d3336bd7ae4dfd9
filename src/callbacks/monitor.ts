/**
 * Keras's `MonitorCallback`: the monitored quantity, whether lower or higher
 * is better, and what counts as an improvement. The base of EarlyStopping,
 * ModelCheckpoint and ReduceLROnPlateau.
 */
import { invalidArgument, ValueError } from '../errors.js';
import { LOSS_NAMES } from '../losses/index.js';
import { formatValue } from '../utils/format.js';
import { Callback, type Logs } from './callback.js';

/** How the monitored quantity improves: `min` (lower is better), `max`, or `auto` (from its name). */
export type MonitorMode = 'auto' | 'min' | 'max';

/** Metrics Keras marks `_direction = "up"` (higher is better), by their names in the logs. */
const HIGHER_IS_BETTER = new Set([
  'accuracy',
  'acc',
  'binary_accuracy',
  'categorical_accuracy',
  'sparse_categorical_accuracy',
  'top_k_categorical_accuracy',
  'sparse_top_k_categorical_accuracy',
  'auc',
  'precision',
  'recall',
  'f1_score',
  'fbeta_score',
  'r2_score',
  'iou',
  'mean_iou',
  'cosine_similarity',
  'pearson_correlation',
  'concordance_correlation',
]);

/** Metrics that are losses (Keras's `_direction = "down"`), with Keras's short names. */
const LOWER_IS_BETTER = new Set([...LOSS_NAMES, 'mse', 'mae', 'mape', 'msle', 'rmse', 'root_mean_squared_error']);

/**
 * Whether `monitor` improves downwards (`less`) or upwards (`greater`), as
 * Keras's `_set_monitor_op` decides in `auto` mode: `loss` (and its `val_`
 * form) is minimised, a metric follows its direction; null when unknown.
 * A multi-output model's `<output>_<metric>` keys follow their metric, and
 * `regularization_loss` is minimised (beyond Keras, which has no such log).
 */
export function directionOf(monitor: string): 'less' | 'greater' | null {
  const name = monitor.startsWith('val_') ? monitor.slice(4) : monitor;
  if (name === 'loss' || name.endsWith('_loss') || name.startsWith('regularization_loss')) return 'less';
  for (const [names, direction] of [
    [HIGHER_IS_BETTER, 'greater'],
    [LOWER_IS_BETTER, 'less'],
  ] as const) {
    if (names.has(name)) return direction;
    for (const known of names) if (name.endsWith(`_${known}`)) return direction;
  }
  return null;
}

/** The options every monitoring callback reads. */
export interface MonitorOptions {
  monitor?: string;
  mode?: MonitorMode;
}

export function checkMode(value: unknown): MonitorMode {
  if (value === 'auto' || value === 'min' || value === 'max') return value;
  // Keras warns and falls back to auto; a typo here silently changes what training keeps, so we refuse it.
  throw new ValueError(
    `Invalid value for argument mode: expected one of "auto", "min", "max". Received: mode=${formatValue(value)}`,
    { argument: 'mode', expected: '"auto", "min" or "max"', received: formatValue(value) },
  );
}

export function checkMonitor(value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw invalidArgument('monitor', 'a log name such as "val_loss"', value);
  return value;
}

/** A finite number, for `minDelta`, `baseline` and the like. */
export function checkFinite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidArgument(name, 'a finite number', value);
  return value;
}

/** A non-negative integer, for `patience`, `cooldown`, `startFromEpoch`. */
export function checkCount(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalidArgument(name, 'a non-negative integer', value);
  }
  return value;
}

/** Keras's `verbose`: 0 (silent) or 1 (prints). */
export function checkVerbose(value: unknown): 0 | 1 {
  if (value !== 0 && value !== 1) throw invalidArgument('verbose', '0 or 1', value);
  return value;
}

/** `console.log` unless the options give a `print` function. */
export function checkPrint(value: unknown): (line: string) => void {
  if (value == null) return (line) => console.log(line);
  if (typeof value !== 'function') throw invalidArgument('print', 'a function (line) => void', value);
  return value as (line: string) => void;
}

/**
 * The base of the monitoring callbacks (Keras's `MonitorCallback`): `best`
 * so far and `isImprovement`. Comparisons are in float32, as Keras's
 * `ops.less`/`ops.greater` compare the Python floats it is given.
 */
export abstract class MonitorCallback extends Callback {
  readonly monitor: string;
  readonly mode: MonitorMode;
  /** `abs(minDelta)`, negated once the direction is known to be `less` (as Keras does). */
  protected minDelta: number;
  /** The best value so far, or null before the first. */
  best: number | null;
  protected monitorOp: 'less' | 'greater' | null = null;
  readonly #className: string;

  protected constructor(className: string, monitor: unknown, mode: unknown, baseline: unknown, minDelta: unknown) {
    super();
    this.#className = className;
    this.monitor = checkMonitor(monitor ?? 'val_loss');
    this.mode = checkMode(mode ?? 'auto');
    this.best = baseline == null ? null : checkFinite(baseline, 'baseline');
    this.minDelta = Math.abs(checkFinite(minDelta ?? 0, 'minDelta'));
  }

  /** Keras's `_set_monitor_op`, which throws when `auto` cannot tell the direction. */
  protected setMonitorOp(): void {
    if (this.mode === 'min') this.monitorOp = 'less';
    else if (this.mode === 'max') this.monitorOp = 'greater';
    else {
      this.monitorOp = directionOf(this.monitor);
      if (this.monitorOp == null) {
        throw new ValueError(
          `${this.#className} callback received monitor=${this.monitor}, but Keras isn't able to automatically determine whether that metric should be maximized or minimized. Pass \`mode='max'\` in order to monitor based on the highest metric value, or pass \`mode='min'\` in order to use the lowest value.`,
          { argument: 'mode', expected: '"min" or "max" for this metric', received: '"auto"' },
        );
      }
    }
    if (this.monitorOp === 'less') this.minDelta *= -1;
  }

  /** Keras's `_is_improvement`: `monitorOp(value - minDelta, reference)`; anything beats null. */
  protected isImprovement(value: number, reference: number | null): boolean {
    if (reference == null) return true;
    const shifted = Math.fround(value - this.minDelta);
    const against = Math.fround(reference);
    return this.monitorOp === 'less' ? shifted < against : shifted > against;
  }

  /** The monitored value in `logs`, or undefined (with Keras's warning) when it is missing. */
  protected monitorValue(logs: Logs | undefined, warning: (available: string) => string): number | undefined {
    const value = logs?.[this.monitor];
    if (value === undefined) console.warn(warning(Object.keys(logs ?? {}).join(',')));
    return value;
  }
}
