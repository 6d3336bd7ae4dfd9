/**
 * Which features of which tensors pruning removes. Three passes:
 *
 * 1. Each weight layer zeroes its groups at or under the threshold.
 * 2. Values, from the inputs down: a feature is live, or a constant known
 *    exactly (a unit that reads no live input is `activation(bias + what
 *    the constants add)`, found by running the layer on constant inputs and
 *    checking every position agrees; a recurrent unit only when it stays 0).
 * 3. Decisions: features tied by layers that carry them (BatchNormalization,
 *    pooling, Add, Flatten, ...) form classes; a class is removed unless one
 *    member must stay: a model output, a model input (unless `inputs`), the
 *    output of a layer named in `keep`, a recurrent unit that feeds the
 *    others, or a feature some consumer reads (a nonzero row) that is not a
 *    constant it can fold into its bias.
 *
 * Removing a class never changes predictions at threshold 0: what is removed
 * is either read by nobody (zero rows) or a constant folded into the bias of
 * each layer reading it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import type { Layer } from '../../layers/layer.js';
import type { Shape } from '../../layers/layer-types.js';
import { toTensor } from './arrays.js';
import type { GraphView, Step } from './graph-view.js';
import { type LinkRule, linkRule } from './link-rules.js';
import { type WeightRule, weightRule } from './weight-rules.js';

/** A layer pruning cannot rewrite, and why. */
export interface Unsupported {
  readonly kind: 'unsupported';
  readonly reason: string;
}
export type Rule = WeightRule | LinkRule | Unsupported;

/** What `prune` decided. */
export interface Analysis {
  readonly view: GraphView;
  readonly rules: ReadonlyMap<Step, Rule>;
  /** Per tensor, per feature: the constant it always holds, or NaN when live. */
  readonly values: readonly Float64Array[];
  /** Per tensor, per feature: whether it stays. */
  readonly keep: readonly boolean[][];
  /** How many groups the threshold zeroed. */
  readonly zeroedGroups: number;
}

/** The analysis settings `prune` reads from its options. */
export interface AnalysisSettings {
  threshold: number;
  inputs: boolean;
  keep: ReadonlySet<string>;
}

const classNameOf = (layer: Layer) => (layer.constructor as typeof Layer).className;
const width = (shape: Shape) => shape[shape.length - 1] as number;

function ruleFor(step: Step, view: GraphView): Rule {
  const className = classNameOf(step.layer);
  if ((view.callCount.get(step.layer) ?? 0) > 1) {
    return { kind: 'unsupported', reason: 'it is called more than once in the model (shared weights)' };
  }
  if (Object.values(step.options).some((v) => v instanceof Object && !Array.isArray(v))) {
    return { kind: 'unsupported', reason: 'it is called with tensor options' };
  }
  if (step.outputs.length !== 1) return { kind: 'unsupported', reason: 'it has several outputs' };
  const weights = weightRule(step.layer, className);
  if (weights != null) return weights;
  const link = linkRule(step.layer, className);
  return typeof link === 'string' ? { kind: 'unsupported', reason: link } : link;
}

/** A concrete shape for a run: batch 1, unknown lengths 2. */
const concrete = (shape: Shape, steps?: number) =>
  shape.map((d, i) => (i === 0 ? 1 : i === 1 && steps != null ? steps : (d ?? 2)));

/** A tensor of `shape` whose last-axis feature `f` holds `values[f]` everywhere (0 where live). */
function constantInput(shape: number[], values: Float64Array, dtype: tf.DataType): tf.Tensor {
  const n = values.length;
  const total = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(total);
  for (let i = 0; i < total; i++) {
    const v = values[i % n] as number;
    data[i] = Number.isNaN(v) ? 0 : v;
  }
  return tf.tensor(data, shape, dtype === 'int32' ? 'int32' : 'float32');
}

/** Each last-axis feature of `output`: its value when the same at every position, else NaN. */
function perFeature(output: tf.Tensor): Float64Array {
  const n = output.shape[output.shape.length - 1] as number;
  const data = output.dataSync();
  const result = new Float64Array(n);
  for (let f = 0; f < n; f++) {
    const first = data[f] as number;
    let same = Number.isFinite(first);
    for (let i = f + n; same && i < data.length; i += n) {
      const v = data[i] as number;
      same = Math.abs(v - first) <= 1e-6 * Math.max(1, Math.abs(first));
    }
    result[f] = same ? first : Number.NaN;
  }
  return result;
}

/** Runs `layer` (or a copy of it with `weights`) on constant inputs. */
function run(step: Step, view: GraphView, values: readonly Float64Array[], rule: Rule): Float64Array {
  const recurrent = rule.kind === 'weights' && rule.recurrent;
  let result: Float64Array = new Float64Array(0);
  tf.tidy(() => {
    result = runInScope();
  });
  return result;
  function runInScope(): Float64Array {
    const inputs = step.inputs.map((t) =>
      constantInput(concrete(view.shapes[t] as Shape, recurrent ? 1 : undefined), values[t] as Float64Array, 'float32'),
    );
    const arg = step.inputsAsList ? inputs : (inputs[0] as tf.Tensor);
    if (rule.kind !== 'weights') return perFeature(step.layer.apply(arg) as tf.Tensor);
    const { config, weights } = rule.current();
    const copy = (step.layer.constructor as typeof Layer).fromConfig(config);
    try {
      copy.ensureBuilt(concrete(view.shapes[step.inputs[0] as number] as Shape, recurrent ? 1 : undefined));
      copy.setWeights(weights.map(toTensor));
      return perFeature(copy.apply(arg) as tf.Tensor);
    } finally {
      copy.dispose();
    }
  }
}

class Classes {
  readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r] as number;
    while (this.parent[i] !== r) {
      const next = this.parent[i] as number;
      this.parent[i] = r;
      i = next;
    }
    return r;
  }
  union(a: number, b: number): void {
    this.parent[this.find(a)] = this.find(b);
  }
}

/** Decides what `prune` removes from `view`. */
export function analyze(view: GraphView, settings: AnalysisSettings): Analysis {
  const rules = new Map<Step, Rule>(view.steps.map((s) => [s, ruleFor(s, view)]));
  let zeroedGroups = 0;
  if (settings.threshold > 0) {
    for (const [step, rule] of rules) {
      if (rule.kind === 'weights' && !settings.keep.has(step.layer.name))
        zeroedGroups += rule.zeroGroups(settings.threshold);
    }
  }
  const values: Float64Array[] = view.shapes.map((s) => new Float64Array(width(s)).fill(Number.NaN));
  const producer = new Map<number, Step>();
  const consumers = new Map<number, { step: Step; index: number }[]>();
  for (const step of view.steps) {
    for (const t of step.outputs) producer.set(t, step);
    step.inputs.forEach((t, index) => {
      consumers.set(t, [...(consumers.get(t) ?? []), { step, index }]);
    });
  }
  // Pass 2: values.
  for (const step of view.steps) {
    const rule = rules.get(step) as Rule;
    const out = values[step.outputs[0] as number] as Float64Array;
    if (rule.kind === 'unsupported') continue;
    let candidates: boolean[];
    if (rule.kind === 'weights') {
      const live = Array.from(values[step.inputs[0] as number] as Float64Array, Number.isNaN);
      candidates = rule.independent(live);
    } else {
      candidates = new Array(out.length).fill(true);
      const shapes = step.inputs.map((t) => view.shapes[t] as Shape);
      for (const [i, f, o] of rule.ties(shapes, view.shapes[step.outputs[0] as number] as Shape)) {
        if (Number.isNaN((values[step.inputs[i] as number] as Float64Array)[f] as number)) candidates[o] = false;
      }
    }
    if (!candidates.some(Boolean)) continue;
    const isEmbedding = classNameOf(step.layer) === 'Embedding';
    const ran = isEmbedding ? new Float64Array(out.length) : run(step, view, values, rule);
    candidates.forEach((c, o) => {
      if (!c) return;
      const v = ran[o] as number;
      // A recurrent unit is constant only when it stays 0 (its state starts at 0).
      out[o] = rule.kind === 'weights' && rule.recurrent && v !== 0 ? Number.NaN : v;
    });
  }
  // Pass 3: decisions.
  const offsets: number[] = [];
  let total = 0;
  for (const shape of view.shapes) {
    offsets.push(total);
    total += width(shape);
  }
  const classes = new Classes(total);
  const hard = new Uint8Array(total);
  const soft = new Map<number, { producer: string; consumer: Step; reason: string }>();
  for (const [step, rule] of rules) {
    if (rule.kind !== 'link') continue;
    const shapes = step.inputs.map((t) => view.shapes[t] as Shape);
    for (const [i, f, o] of rule.ties(shapes, view.shapes[step.outputs[0] as number] as Shape)) {
      classes.union(
        (offsets[step.inputs[i] as number] as number) + f,
        (offsets[step.outputs[0] as number] as number) + o,
      );
    }
  }
  const outputs = new Set(view.outputs);
  const inputs = new Set(view.inputs.map((i) => i.tensor));
  view.shapes.forEach((shape, t) => {
    const from = producer.get(t);
    const rule = from == null ? null : (rules.get(from) as Rule);
    const tensorValues = values[t] as Float64Array;
    for (let f = 0; f < width(shape); f++) {
      const id = (offsets[t] as number) + f;
      const v = tensorValues[f] as number;
      let stays = outputs.has(t) || (inputs.has(t) && !settings.inputs);
      if (from != null && rule != null) {
        stays ||= rule.kind === 'unsupported' || (rule.kind === 'weights' && settings.keep.has(from.layer.name));
        stays ||= rule.kind === 'weights' && rule.recurrent && Number.isNaN(v) && rule.feedsRecurrence(f);
      }
      for (const { step } of consumers.get(t) ?? []) {
        const use = rules.get(step) as Rule;
        if (use.kind === 'weights') stays ||= !(use.ignores(f) || (!Number.isNaN(v) && use.folds(v)));
        else if (use.kind === 'unsupported') {
          if (Number.isNaN(v)) stays = true;
          else if (!soft.has(id))
            soft.set(id, { producer: from?.layer.name ?? 'input', consumer: step, reason: use.reason });
        }
      }
      if (stays) hard[classes.find(id)] = 1;
    }
  });
  for (const [id, { producer: name, consumer, reason }] of soft) {
    if (hard[classes.find(id)] === 1) continue;
    throw new ValueError(
      `prune: layer "${name}" has units that can be removed (their weights are zero), but it feeds layer "${consumer.layer.name}" (${classNameOf(consumer.layer)}), which prune cannot rewrite: ${reason}. Keep "${name}" whole with prune(model, { keep: ["${name}"] }).`,
      {
        argument: 'model',
        expected: `a layer prune can rewrite after "${name}"`,
        received: `${classNameOf(consumer.layer)} "${consumer.layer.name}"`,
      },
    );
  }
  // A layer keeps at least one unit (Keras has no layer of 0 units): a tensor that would lose every
  // feature keeps its first one's class. Keeping never changes predictions.
  view.shapes.forEach((shape, t) => {
    const ids = Array.from({ length: width(shape) }, (_, f) => classes.find((offsets[t] as number) + f));
    if (ids.length > 0 && ids.every((c) => hard[c] !== 1)) hard[ids[0] as number] = 1;
  });
  const keep = view.shapes.map((shape, t) =>
    Array.from({ length: width(shape) }, (_, f) => hard[classes.find((offsets[t] as number) + f)] === 1),
  );
  return { view, rules, values, keep, zeroedGroups };
}
