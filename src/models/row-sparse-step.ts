/**
 * The training step's side of row-sparse embedding updates
 * (src/layers/core/sparse-rows.ts): which tables qualify, and turning the
 * collected rows into in-place updates or, where a backend cannot write in
 * place, into the dense gradient the optimizer applies as usual.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { variableConstraint } from '../constraints/variable-constraints.js';
import { Embedding } from '../layers/core/embedding.js';
import { type RowGradients, subtractRowsInPlace } from '../layers/core/sparse-rows.js';
import type { Layer } from '../layers/layer.js';
import type { Optimizer } from '../optimizers/optimizer.js';

/**
 * The trainable Embedding tables of `model` whose update can skip unused
 * rows: the optimizer's update is `w -= lr * g` alone, and the table has no
 * regularizer (a penalty's gradient reaches every row) and no constraint.
 * A constrained table takes the dense path, where the optimizer applies its
 * constraint after the update, as Keras does: a norm constraint's default
 * axis 0 runs over the vocabulary, so every row changes with any update
 * anyway, and the in-place path would skip the constraint.
 */
export function rowSparseTables(model: Layer, optimizer: Optimizer | null | undefined): Set<tf.Variable> {
  if (optimizer?.rowSparseLearningRate() == null) return new Set();
  const tables = model
    .trainableWeightRecords()
    .filter(
      (w) =>
        w.layer instanceof Embedding &&
        w.name === 'embeddings' &&
        w.regularizer == null &&
        variableConstraint(w.variable) == null,
    );
  return new Set(tables.map((w) => w.variable));
}

type GradientPair = readonly [gradient: tf.Tensor | null | undefined, variable: tf.Variable];

/**
 * Applies each collected table's rows in place and drops its pair, or, when
 * the backend cannot write in place or the table also got a dense gradient
 * (used outside a lookup), puts the rows into that pair's gradient.
 */
export function withRowUpdates(pairs: GradientPair[], rows: RowGradients | null, optimizer: Optimizer): GradientPair[] {
  if (rows == null) return pairs;
  const learningRate = optimizer.rowSparseLearningRate() as number;
  const done = new Set<tf.Variable>();
  const extra = new Map<tf.Variable, tf.Tensor>();
  for (const table of rows.tables()) {
    const dense = pairs.find(([, v]) => v === table)?.[0];
    if (dense == null && subtractRowsInPlace(table, rows.summedRows(table), learningRate)) done.add(table);
    else extra.set(table, dense == null ? rows.dense(table) : dense.add(rows.dense(table)));
  }
  return pairs.flatMap(([gradient, variable]): GradientPair[] => {
    if (done.has(variable)) return [];
    return [[extra.get(variable) ?? gradient, variable]];
  });
}
