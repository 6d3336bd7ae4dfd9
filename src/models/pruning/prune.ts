/**
 * `models.prune`: a regularized model made smaller. Units, filters and
 * input features whose weights are zero (or whose group's L2 norm is at most
 * `threshold`) leave the model; the layers that read them are rewritten; the
 * result is a new model of standard Keras layers, savable as a plain
 * `.keras` file.
 */
import { invalidArgument } from '../../errors.js';
import { readOptions } from '../../utils/options.js';
import type { Model } from '../model.js';
import { analyze } from './analyze.js';
import { graphView } from './graph-view.js';
import { type PruneReport, pruneReport } from './report.js';
import { rewrite } from './rewrite.js';

/** The options of `prune`. */
export interface PruneOptions {
  /**
   * Groups (a unit's or filter's incoming weights; an input feature's row of
   * a kernel) whose L2 norm is at most this are set to zero first; default 0:
   * only exact zeros, and the predictions do not change.
   */
  threshold?: number;
  /**
   * Whether the model's own input features may go too (feature selection):
   * the pruned model then takes only the features `report.inputs[i].kept`
   * lists. Default false: the inputs keep their shape.
   */
  inputs?: boolean;
  /** Names of layers whose outputs stay whole (e.g. one feeding a layer prune cannot rewrite). */
  keep?: string[];
  /**
   * Whether the new layers keep their regularizers (and activity
   * regularizers). Default false: the pruned model is for inference, and
   * without them its `.keras` file is plain Keras (no class of this package,
   * such as a proximal L1 or GroupLasso, for Keras to look up).
   */
  keepRegularizers?: boolean;
}

/** The pruned model and what was removed. */
export interface PruneResult {
  readonly model: Model;
  readonly report: PruneReport;
}

/**
 * Removes dead units, filters and input features from `model` and returns a
 * new, smaller model with the same predictions (at `threshold` 0).
 *
 * A feature is removed when every layer that reads it ignores it (its row of
 * their kernels is zero) or reads a constant it can fold into its bias: a
 * Dense unit or a filter with zero incoming weights outputs
 * `activation(bias)` at every position, which the next Dense (or `valid`
 * convolution, or recurrent layer) adds to its own bias; a `same`-padded
 * convolution folds only a constant 0, since its zero padding sees the
 * constant at the borders. Recurrent units go when they stay 0 (all their
 * incoming weights zero, and their candidate's bias too) or when no one reads
 * them. BatchNormalization, activations, pooling, Dropout, Flatten, depthwise
 * convolutions, Add (and the other element-wise merges) and Concatenate carry
 * a feature through; one is removed only when all the features they tie to
 * it can be. Model outputs are never removed.
 *
 * The new layers drop their regularizers unless `keepRegularizers`.
 *
 * Throws when a removable unit feeds a layer prune cannot rewrite (named,
 * with the reason); `keep: [name]` keeps that unit's layer whole.
 *
 * @example
 * const { model: smaller, report } = models.prune(model);
 * console.log(report.paramsBefore, '->', report.paramsAfter, smaller.countParams());
 */
export function prune(model: Model, options: PruneOptions = {}): PruneResult {
  const read = readOptions<PruneOptions>('prune', options, ['threshold', 'inputs', 'keep', 'keepRegularizers']);
  const threshold = read.threshold ?? 0;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0) {
    throw invalidArgument('threshold', 'a finite number >= 0', threshold);
  }
  const inputs = read.inputs ?? false;
  if (typeof inputs !== 'boolean') throw invalidArgument('inputs', 'a boolean', inputs);
  const keep = read.keep ?? [];
  if (!Array.isArray(keep) || !keep.every((k) => typeof k === 'string')) {
    throw invalidArgument('keep', 'an array of layer names', keep);
  }
  const keepRegularizers = read.keepRegularizers ?? false;
  if (typeof keepRegularizers !== 'boolean') throw invalidArgument('keepRegularizers', 'a boolean', keepRegularizers);
  const view = graphView(model);
  const names = new Set(view.steps.map((s) => s.layer.name));
  const unknown = keep.find((k) => !names.has(k));
  if (unknown != null)
    throw invalidArgument('keep', `names of layers of the model (${[...names].join(', ')})`, unknown);
  const analysis = analyze(view, { threshold, inputs, keep: new Set(keep) });
  const { model: pruned, layers } = rewrite(analysis, keepRegularizers);
  return { model: pruned, report: pruneReport(analysis, layers, threshold) };
}
