import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../errors.js';
import { readOptions } from '../utils/options.js';
import { checkNonNegative, type OptimizerOptions, optimizerOptionNames } from './base-options.js';
import { Optimizer } from './optimizer.js';

/**
 * The options of `Adafactor`, Keras's `Adafactor(learning_rate=0.001, beta_2_decay=-0.8,
 * epsilon_1=1e-30, epsilon_2=1e-3, clip_threshold=1.0, relative_step=True, ...)` camelCased.
 */
export interface AdafactorOptions extends OptimizerOptions {
  /** Exponent of the second moment's decay, `β2ₜ = 1 - t^beta2Decay`; at most 0, default -0.8. */
  beta2Decay?: number;
  /** Added to the squared gradients; default 1e-30. */
  epsilon1?: number;
  /** Floor of the weight's RMS that scales the step; default 1e-3. */
  epsilon2?: number;
  /** The step's RMS is clipped to this, positive; default 1. */
  clipThreshold?: number;
  /** Cap the learning rate by `1/√t`; default true (Keras caps it in either case, see the class). */
  relativeStep?: boolean;
}

const ADAFACTOR_OPTIONS = optimizerOptionNames(['beta2Decay', 'epsilon1', 'epsilon2', 'clipThreshold', 'relativeStep']);

/** Root mean square of every element, a scalar. */
const rms = (x: tf.Tensor) => tf.sqrt(tf.mean(tf.square(x)));

/**
 * Keras's Adafactor (Shazeer & Stern 2018): the second moment of a weight
 * with 2 or more dimensions is kept factored over its last two, as row
 * means `r` (shape without the last axis) and column means `c` (shape
 * without the second-last), `v = r / mean(r) ⊗ c`; a 0-D or 1-D weight keeps
 * `v` in full, and Keras still creates two scalar placeholders for its `r`
 * and `c`, which this class keeps so that `variables` matches Keras's list.
 * With `β2ₜ = 1 - t^beta2Decay`, `u = g / √v` is clipped to RMS
 * `clipThreshold` and `w -= max(ε₂, rms(w)) · min(lr, 1/√t) · u`. Keras
 * applies the `min(lr, 1/√t)` cap whatever `relativeStep` says, and so does
 * this class. Keras's `keras.optimizers.Adafactor`.
 *
 * @example new optimizers.Adafactor({ learningRate: 0.01 })
 */
export class Adafactor extends Optimizer {
  static override readonly className: string = 'Adafactor';
  readonly beta2Decay: number;
  readonly epsilon1: number;
  readonly epsilon2: number;
  readonly clipThreshold: number;
  readonly relativeStep: boolean;

  constructor(options: AdafactorOptions = {}) {
    const read = readOptions<AdafactorOptions>('Adafactor', options, ADAFACTOR_OPTIONS);
    super(read, 0.001);
    const decay = read.beta2Decay === undefined ? -0.8 : read.beta2Decay;
    // A positive exponent makes β2ₜ negative from the second step on.
    if (typeof decay !== 'number' || !Number.isFinite(decay) || decay > 0) {
      throw invalidArgument('beta2Decay', 'a number <= 0', decay);
    }
    this.beta2Decay = decay;
    this.epsilon1 = checkNonNegative(read.epsilon1 === undefined ? 1e-30 : read.epsilon1, 'epsilon1');
    this.epsilon2 = checkNonNegative(read.epsilon2 === undefined ? 1e-3 : read.epsilon2, 'epsilon2');
    const clip = read.clipThreshold === undefined ? 1 : read.clipThreshold;
    if (typeof clip !== 'number' || !(clip > 0) || !Number.isFinite(clip)) {
      throw invalidArgument('clipThreshold', 'a positive number', clip);
    }
    this.clipThreshold = clip;
    const relative = read.relativeStep === undefined ? true : read.relativeStep;
    if (typeof relative !== 'boolean') throw invalidArgument('relativeStep', 'a boolean', relative);
    this.relativeStep = relative;
  }

  protected override slotGroups(): readonly (readonly string[])[] {
    return [['r', 'c', 'velocity']];
  }

  protected override slotShape(variable: tf.Variable, slot: string): number[] {
    const shape = variable.shape;
    if (slot === 'velocity') return [...shape];
    // Keras's placeholders for a weight it does not factor are scalars.
    if (shape.length < 2) return [];
    return slot === 'r' ? shape.slice(0, -1) : [...shape.slice(0, -2), shape[shape.length - 1] as number];
  }

  protected override update(
    variable: tf.Variable,
    gradient: tf.Tensor,
    slots: Readonly<Record<string, tf.Variable>>,
    step: number,
    learningRate: number,
  ): void {
    const v = slots.velocity as tf.Variable;
    const rho = Math.min(learningRate, 1 / Math.sqrt(step));
    const alpha = tf.mul(tf.maximum(rms(variable), this.epsilon2), rho);
    const squared = tf.add(tf.square(gradient), this.epsilon1);
    const beta2 = 1 - step ** this.beta2Decay;
    if (variable.rank >= 2) {
      const r = slots.r as tf.Variable;
      const c = slots.c as tf.Variable;
      r.assign(tf.add(tf.mul(r, beta2), tf.mul(tf.mean(squared, -1), 1 - beta2)));
      c.assign(tf.add(tf.mul(c, beta2), tf.mul(tf.mean(squared, -2), 1 - beta2)));
      const rows = tf.expandDims(tf.div(r, tf.mean(r, -1, true)), -1);
      v.assign(tf.mul(rows, tf.expandDims(c, -2)));
    } else {
      v.assign(tf.add(tf.mul(v, beta2), tf.mul(squared, 1 - beta2)));
    }
    const u = tf.div(gradient, tf.sqrt(v));
    const clipped = tf.div(u, tf.maximum(tf.div(rms(u), this.clipThreshold), 1));
    variable.assign(tf.sub(variable, tf.mul(clipped, alpha)));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      beta2Decay: this.beta2Decay,
      epsilon1: this.epsilon1,
      epsilon2: this.epsilon2,
      clipThreshold: this.clipThreshold,
      relativeStep: this.relativeStep,
    };
  }
}
