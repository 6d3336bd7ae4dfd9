/**
 * Row-sparse embedding updates. A training step whose optimizer can update
 * only the rows a batch used (plain SGD: `w -= lr * g` touches nothing else)
 * asks the Embedding layers to hand over their gradient as rows
 * `(ids, dy)` instead of a dense `(inputDim, outputDim)` scatter; the step
 * then subtracts those rows from the table in place. Without this, each
 * step of a 50k x 128 table costs a 25 MB gradient and a pass over the
 * whole table, even though a batch touches a few thousand rows.
 */
import * as tf from '@tensorflow/tfjs-core';
import { float32Memory, gatherRows, memoryHolders } from './gather-rows.js';

/** The gradient of one lookup: `dy[i]` belongs to row `ids[i]`. */
interface RowGradient {
  ids: Int32Array;
  dy: Float32Array;
}

/**
 * Collects the row gradients of the tables a step named. The lookups hang
 * off `anchor`, a scalar variable the step differentiates, so that the tape
 * reaches them without the table being an input of the lookup.
 */
export class RowGradients {
  readonly anchor: tf.Variable;
  readonly #tables: ReadonlySet<tf.Variable>;
  readonly #rows = new Map<tf.Variable, RowGradient[]>();

  constructor(tables: ReadonlySet<tf.Variable>) {
    this.#tables = tables;
    // In a tidy: the scalar the variable starts from is freed, the variable stays.
    this.anchor = tf.tidy(() => tf.variable(tf.scalar(0), true));
  }

  wants(table: tf.Variable): boolean {
    return this.#tables.has(table);
  }

  record(table: tf.Variable, ids: Int32Array, dy: Float32Array): void {
    this.#rows.set(table, [...(this.#rows.get(table) ?? []), { ids, dy }]);
  }

  /** The tables that received row gradients this step. */
  tables(): tf.Variable[] {
    return [...this.#rows.keys()];
  }

  /** The summed gradient of each row used (repeats summed in float32, in order of use). */
  summedRows(table: tf.Variable): Map<number, Float32Array> {
    const width = table.shape[1] as number;
    const sums = new Map<number, Float32Array>();
    for (const { ids, dy } of this.#rows.get(table) ?? []) {
      ids.forEach((id, i) => {
        let sum = sums.get(id);
        if (sum == null) {
          sum = new Float32Array(width);
          sums.set(id, sum);
        }
        for (let j = 0; j < width; j++) sum[j] = (sum[j] as number) + (dy[i * width + j] as number);
      });
    }
    return sums;
  }

  /** The row gradients as a dense `(inputDim, outputDim)` tensor: for backends without in-place writes. */
  dense(table: tf.Variable): tf.Tensor {
    const [rows, width] = table.shape as [number, number];
    const values = new Float32Array(rows * width);
    for (const [id, sum] of this.summedRows(table)) values.set(sum, id * width);
    return tf.tensor2d(values, [rows, width]);
  }

  dispose(): void {
    this.anchor.dispose();
    this.#rows.clear();
  }
}

let active: RowGradients | null = null;

/** Runs `body` (a step's forward and backward pass) with `rows` collecting the named tables' gradients. */
export function collectingRowGradients<T>(rows: RowGradients, body: () => T): T {
  const outer = active;
  active = rows;
  try {
    return body();
  } finally {
    active = outer;
  }
}

/**
 * `table[ids]` whose gradient goes to the active collector as rows, or null
 * when no step asked for this table's rows (then the caller's dense lookup
 * runs). The table is read by closure, not as an input: the tape sees only
 * the anchor, and no dense gradient of the table is ever made.
 */
export function rowSparseLookup(table: tf.Variable, ids: tf.Tensor): tf.Tensor | null {
  const rows = active;
  if (rows == null || !rows.wants(table)) return null;
  const lookup = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [anchor, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([ids]);
    return {
      value: gatherRows(table, ids),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        rows.record(table, (saved[0] as tf.Tensor).dataSync() as Int32Array, dy.dataSync() as Float32Array);
        return tf.zerosLike(anchor);
      },
    };
  });
  return lookup(rows.anchor);
}

/**
 * `table[row] -= learningRate * gradient[row]` for each row given, written
 * into the table's memory; false (nothing written) on a backend whose
 * memory is not reachable from JavaScript (webgl, webgpu). A table whose
 * memory another tensor shares is first copied, so only it changes.
 */
export function subtractRowsInPlace(
  table: tf.Variable,
  rows: ReadonlyMap<number, Float32Array>,
  learningRate: number,
): boolean {
  if (float32Memory(table) == null) return false;
  if (memoryHolders(table) > 1) table.assign(tf.tidy(() => tf.mul(table, 1)));
  const values = float32Memory(table);
  if (values == null) return false;
  const width = table.shape[1] as number;
  // Float32 products and differences, as the dense update computes them.
  const lr = Math.fround(learningRate);
  for (const [id, gradient] of rows) {
    const base = id * width;
    for (let j = 0; j < width; j++) {
      values[base + j] = (values[base + j] as number) - Math.fround(lr * (gradient[j] as number));
    }
  }
  return true;
}
