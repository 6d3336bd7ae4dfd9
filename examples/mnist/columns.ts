/**
 * The results table's columns, for the console and the HTML report alike:
 * what each number is, how it is read off a run, and its mean ± spread over
 * the seeds (one seed's number alone cannot tell an effect from noise).
 */
import type { SeedRun } from './train-run.js';
import { SPARSITY_THRESHOLDS } from './weight-stats.js';

export interface Column {
  label: string;
  /** The unit of every number in the column, shown once in its header. */
  unit?: string;
  /** What the number is and how to read it: the header's tooltip and the legend under the table. */
  help: string;
  /** The run's number, given the unregularized run from the same seed; null where it has none. */
  value: (run: SeedRun, baseline: SeedRun | undefined) => number | null;
  format: (value: number) => string;
}

export interface Spread {
  mean: number;
  /** Sample standard deviation over the seeds (n - 1 in the denominator); 0 for one seed. */
  sd: number;
  values: number[];
}

export function spread(values: number[]): Spread {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const squares = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  return { mean, sd: values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0, values };
}

const percent = (digits: number) => (v: number) => (100 * v).toFixed(digits);
const fixed = (digits: number) => (v: number) => v.toFixed(digits);
const signedPercent = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(100 * v).toFixed(2)}`;

export const COLUMNS: Column[] = [
  {
    label: 'train acc',
    help: 'Accuracy on the training split after training (inference mode).',
    unit: '%',
    value: (r) => r.trainAccuracy,
    format: percent(2),
  },
  {
    label: 'test acc',
    help: 'Accuracy on the held-out test split (also the validation data of the curves).',
    unit: '%',
    value: (r) => r.testAccuracy,
    format: percent(2),
  },
  {
    label: 'gap',
    help: 'Train accuracy minus test accuracy, in percentage points (pp): what the network learned about its training digits that does not carry over. Regularization aims to shrink it.',
    unit: 'pp',
    value: (r) => r.trainAccuracy - r.testAccuracy,
    format: percent(2),
  },
  {
    label: 'Δ test acc vs none',
    help: 'Test accuracy minus that of the unregularized run from the same seed (same initial weights and batch order), in percentage points (pp). A difference smaller than its spread is noise, not an effect.',
    unit: 'pp',
    value: (r, baseline) => (baseline == null || baseline === r ? null : r.testAccuracy - baseline.testAccuracy),
    format: signedPercent,
  },
  {
    label: 'test data loss',
    help: 'Cross-entropy on the test split without the penalties, so that runs with and without regularizers compare.',
    value: (r) => r.testDataLoss,
    format: fixed(4),
  },
  {
    label: 'penalty',
    help: 'regularization_loss on the training split after training: the sum of the penalties the regularizers add to the loss (0 without regularizers).',
    value: (r) => r.penalty,
    format: fixed(4),
  },
  {
    label: 'weight norm',
    help: 'L2 norm of all kernels together (biases excluded). L1 and L2 penalties pull it down.',
    value: (r) => r.weights.norm,
    format: fixed(2),
  },
  {
    label: `|w|<${SPARSITY_THRESHOLDS[0]}`,
    help: `Share of all kernel weights within ${SPARSITY_THRESHOLDS[0]} of zero: L1 drives weights to zero. Per layer, at two thresholds, in the sparsity table below.`,
    unit: '%',
    value: (r) => r.weights.nearZero,
    format: percent(1),
  },
  {
    label: 'mean |cos| layer 1',
    help: "Mean absolute cosine between the first layer's units (columns of its kernel): 0 when they are orthogonal, 1 when parallel. OrthogonalRegularizer pulls it down.",
    value: (r) => r.weights.meanAbsCosine,
    format: fixed(4),
  },
  {
    label: 'time',
    help: 'Seconds of training per run on this machine (without the learning curves’ evaluations).',
    unit: 's',
    value: (r) => r.seconds,
    format: fixed(1),
  },
];

/** The column's values over `runs` (one per seed), paired by seed with `baselines`; null where no run has one. */
export function columnSpread(column: Column, runs: SeedRun[], baselines: SeedRun[]): Spread | null {
  const values = runs
    .map((run) =>
      column.value(
        run,
        baselines.find((b) => b.seed === run.seed),
      ),
    )
    .filter((v): v is number => v != null);
  return values.length === 0 ? null : spread(values);
}

/** The header with its unit: `test acc (%)`. */
export const heading = (column: Column): string =>
  column.unit == null ? column.label : `${column.label} (${column.unit})`;

/** `93.29 ± 0.12`: the mean and the spread in the column's format (the unit is in the header). */
export function formatSpread(column: Column, s: Spread): string {
  const sd = column.format(s.sd).replace(/^[+−]/, '');
  return `${column.format(s.mean)} ± ${sd}`;
}
