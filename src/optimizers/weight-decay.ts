/**
 * Keras's decoupled weight decay (`weight_decay`): `w -= w * decay * lr`
 * before the update, for every weight not excluded by
 * `exclude_from_weight_decay`.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The weights kept out of the decay: by variable, or by a pattern on their name. */
export interface DecayExclusions {
  readonly variables: ReadonlySet<tf.Variable>;
  readonly names: RegExp | null;
}

/** Keras's `exclude_from_weight_decay(var_list, var_names)` as exclusions (`names` joined as one alternation). */
export function decayExclusions(variables: readonly tf.Variable[], names: readonly string[]): DecayExclusions {
  return {
    variables: new Set(variables),
    names: names.length > 0 ? new RegExp([...new Set(names)].join('|')) : null,
  };
}

/**
 * `w = w - w * decay * lr` (float32 products in Keras's order) for each of
 * `targets` that `exclusions` lets through; `pathOf` gives a weight's path,
 * whose last part is Keras's `variable.name`. Call inside `tf.tidy`.
 */
export function applyWeightDecay(
  targets: readonly tf.Variable[],
  decay: number,
  learningRate: number,
  exclusions: DecayExclusions | null,
  pathOf: (variable: tf.Variable) => string,
): void {
  for (const variable of targets) {
    if (exclusions != null && excluded(variable, exclusions, pathOf)) continue;
    variable.assign(tf.sub(variable, tf.mul(tf.mul(variable, decay), learningRate)));
  }
}

function excluded(variable: tf.Variable, exclusions: DecayExclusions, pathOf: (v: tf.Variable) => string): boolean {
  if (exclusions.variables.has(variable)) return true;
  return exclusions.names?.test(pathOf(variable).split('/').pop() as string) === true;
}
