/**
 * Writes the pruned model: every layer again, of its own class, from its
 * config with the kept units, and weights sliced (constants folded into the
 * biases that read them). Inputs keep their names; a Sequential stays a
 * Sequential and a Functional keeps its input and output structure.
 */
import * as tf from '@tensorflow/tfjs-core';
import { InputLayer } from '../../layers/core/input-layer.js';
import type { Layer } from '../../layers/layer.js';
import type { Shape } from '../../layers/layer-types.js';
import type { KerasTensor } from '../../layers/symbolic/keras-tensor.js';
import { Functional, restructure } from '../functional/functional.js';
import type { Model } from '../model.js';
import { Sequential } from '../sequential.js';
import type { Analysis, Rule } from './analyze.js';
import { type HostArray, hostArray, kept, toTensor } from './arrays.js';
import type { Step } from './graph-view.js';
import type { RewrittenLayer } from './weight-rules.js';

/** The new layer of each call, with the weights to give it once built. */
export interface Rewritten {
  readonly model: Model;
  readonly layers: ReadonlyMap<Step, Layer>;
}

function rewriteStep(step: Step, rule: Rule, analysis: Analysis): RewrittenLayer {
  const keepOf = (t: number) => kept(analysis.keep[t] as boolean[]);
  if (rule.kind === 'unsupported') {
    return { config: step.layer.getConfig(), weights: step.layer.weights.map((w) => hostArray(w)) };
  }
  if (rule.kind === 'link') return rule.rewrite(keepOf(step.inputs[0] as number));
  const input = step.inputs[0] as number;
  const keepIn = analysis.keep[input] as boolean[];
  const values = analysis.values[input] as Float64Array;
  // The constants of the dropped inputs this layer reads: their share moves into its bias.
  const constants = new Float64Array(values.length).fill(Number.NaN);
  keepIn.forEach((k, f) => {
    if (!k && !rule.ignores(f)) constants[f] = values[f] as number;
  });
  return rule.rewrite(keepOf(input), keepOf(step.outputs[0] as number), rule.fold(constants));
}

function inputLayer(layer: InputLayer, shape: Shape, width: number): InputLayer {
  const config = layer.getConfig();
  const batchShape = [...shape];
  batchShape[batchShape.length - 1] = width;
  return InputLayer.fromConfig({ ...config, batchShape }) as InputLayer;
}

/** A config without its regularizers: every `...Regularizer` key null. */
function withoutRegularizers(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === 'activityRegularizer') continue;
    out[key] = /Regularizer$/.test(key) ? null : value;
  }
  return out;
}

/** The pruned model of `analysis`; its layers keep their regularizers only when `keepRegularizers`. */
export function rewrite(analysis: Analysis, keepRegularizers = false): Rewritten {
  const { view } = analysis;
  const made = new Map<Step, { layer: Layer; weights: HostArray[] }>();
  for (const step of view.steps) {
    const { config, weights } = rewriteStep(step, analysis.rules.get(step) as Rule, analysis);
    const cls = step.layer.constructor as typeof Layer;
    made.set(step, { layer: cls.fromConfig(keepRegularizers ? config : withoutRegularizers(config)), weights });
  }
  const widthOf = (t: number) => kept(analysis.keep[t] as boolean[]).length;
  const inputs = view.inputs.map(({ layer, tensor }) =>
    inputLayer(layer, view.shapes[tensor] as Shape, widthOf(tensor)),
  );
  let model: Model;
  if (view.kind === 'sequential') {
    model = new Sequential([inputs[0] as InputLayer, ...view.steps.map((s) => made.get(s)?.layer as Layer)], {
      name: view.model.name,
      trainable: view.model.trainable,
    });
  } else {
    const old = view.model as Functional;
    const tensors = new Map<number, KerasTensor>();
    view.inputs.forEach(({ tensor }, i) => {
      tensors.set(tensor, (inputs[i] as InputLayer).output);
    });
    for (const step of view.steps) {
      const args = step.inputs.map((t) => tensors.get(t) as KerasTensor);
      const layer = made.get(step)?.layer as Layer;
      const out = layer.apply(step.inputsAsList ? args : (args[0] as KerasTensor), { ...step.options });
      const list = Array.isArray(out) ? out : [out];
      step.outputs.forEach((t, i) => {
        tensors.set(t, list[i] as KerasTensor);
      });
    }
    model = new Functional({
      inputs: restructure(
        view.inputs.map(({ tensor }) => tensors.get(tensor) as KerasTensor),
        old.inputStructure,
      ),
      outputs: restructure(
        view.outputs.map((t) => tensors.get(t) as KerasTensor),
        old.outputStructure,
      ),
      name: old.name,
      trainable: old.trainable,
    });
  }
  for (const { layer, weights } of made.values()) {
    if (weights.length > 0) tf.tidy(() => layer.setWeights(weights.map(toTensor)));
  }
  return { model, layers: new Map([...made].map(([s, m]) => [s, m.layer])) };
}
