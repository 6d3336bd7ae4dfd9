/**
 * What SimpleRNNCell, LSTMCell and GRUCell share: Keras's cell options, the
 * three weights (`kernel`, `recurrent_kernel`, `bias`) with their
 * regularizers, dropout masks, and the run over a whole sequence (the
 * fused recurrence where it applies, else a loop of backend ops).
 */

import * as tf from '@tensorflow/tfjs-core';
import * as activations from '../../activations/index.js';
import type { ConstraintIdentifier } from '../../constraints/identifiers.js';
import { ValueError } from '../../errors.js';
import * as initializers from '../../initializers/index.js';
import { dense } from '../../ops/dense.js';
import * as regularizers from '../../regularizers/index.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { nextSeed } from '../../utils/random.js';
import { checkBoolean } from '../layer-checks.js';
import {
  type CallOptions,
  type LayerInputs,
  type LayerOptions,
  type LayerOutputs,
  layerOptionsOf,
  type Shape,
} from '../layer-types.js';
import { activationCode } from './activation-math.js';
import { type FastCellKind, fastRecurrence, gateCount, type RecurrenceResult } from './fast-recurrence.js';
import { loopRecurrence } from './recurrence.js';
import { RecurrentCell } from './recurrent-cell.js';

/** The options of `SimpleRNNCell`, and those every built-in cell shares: Keras's `SimpleRNNCell(units, activation="tanh", use_bias=True, ..., dropout=0.0, recurrent_dropout=0.0, seed=None)` camelCased. */
export interface RNNCellOptions extends LayerOptions {
  /** Size of the output and of each state. */
  units: number;
  /** Default `"tanh"`; `null` is linear. */
  activation?: activations.ActivationIdentifier;
  useBias?: boolean;
  /** Default `"glorot_uniform"`. */
  kernelInitializer?: initializers.InitializerIdentifier;
  /** Default `"orthogonal"`. */
  recurrentInitializer?: initializers.InitializerIdentifier;
  /** Default `"zeros"`. */
  biasInitializer?: initializers.InitializerIdentifier;
  /** Penalty on the input kernel `(inputDim, gates * units)`. */
  kernelRegularizer?: regularizers.RegularizerIdentifier;
  /** Penalty on the recurrent kernel `(units, gates * units)`. */
  recurrentRegularizer?: regularizers.RegularizerIdentifier;
  biasRegularizer?: regularizers.RegularizerIdentifier;
  /** Applied to the input kernel after each optimizer update: a constraint, its name or JSON, a function, or null. */
  kernelConstraint?: ConstraintIdentifier;
  /** Applied to the recurrent kernel after each optimizer update. */
  recurrentConstraint?: ConstraintIdentifier;
  /** Applied to the bias after each optimizer update. */
  biasConstraint?: ConstraintIdentifier;
  /** Fraction of the inputs dropped in training (one mask for all steps of a call). */
  dropout?: number;
  /** Fraction of the recurrent state dropped in training (one mask for all steps of a call). */
  recurrentDropout?: number;
  seed?: number | null;
}

export const RNN_CELL_OPTION_NAMES = [
  'units',
  'activation',
  'useBias',
  'kernelInitializer',
  'recurrentInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'recurrentRegularizer',
  'biasRegularizer',
  'kernelConstraint',
  'recurrentConstraint',
  'biasConstraint',
  'dropout',
  'recurrentDropout',
  'seed',
] as const;

/** How a sequence is run: the RNN layer's settings for one call. */
export interface SequenceSettings {
  training: boolean;
  goBackwards: boolean;
  zeroOutputForMask: boolean;
}

/** Dropout masks of one call, one per gate or one for all (Keras's `implementation` 1 or 2). */
export interface DropoutMasks {
  input: tf.Tensor[] | null;
  recurrent: tf.Tensor[] | null;
}

/** A recurrent cell: one step of a recurrent layer, with its weights. */
export abstract class RNNCellBase extends RecurrentCell {
  /** One tensor in gives `[output, ...states]` (see `OneInputResult`). */
  declare readonly outputArity: 'one' | 'many';
  readonly units: number;
  readonly activation: activations.Activation;
  readonly useBias: boolean;
  kernel: tf.Variable | null = null;
  recurrentKernel: tf.Variable | null = null;
  bias: tf.Variable | null = null;
  /** The kind of gates, for the fused recurrence. */
  protected abstract readonly kind: FastCellKind;

  constructor(className: string, options: RNNCellOptions, ownOptionNames: readonly string[]) {
    super(layerOptionsOf(className, options, [...RNN_CELL_OPTION_NAMES, ...ownOptionNames]), options);
    const units = options.units;
    if (!Number.isInteger(units) || units <= 0) {
      throw new ValueError(
        `Received an invalid value for argument \`units\`, expected a positive integer, got ${formatValue(units)}.`,
        { argument: 'units', expected: 'a positive integer', received: formatValue(units) },
      );
    }
    this.units = units;
    this.activation = activations.get(options.activation === undefined ? 'tanh' : options.activation);
    this.useBias = checkBoolean(options.useBias ?? true, 'useBias');
  }

  /** The size of each state: `[units]`, or `[units, units]` for LSTM's h and c. */
  get stateSize(): number[] {
    return this.kind === 'lstm' ? [this.units, this.units] : [this.units];
  }

  get outputSize(): number {
    return this.units;
  }

  /** The bias's shape and initializer (LSTM's forget-gate ones, GRU's two rows). */
  protected biasSpec(): { shape: number[]; initializer: initializers.Initializer } {
    return { shape: [gateCount(this.kind) * this.units], initializer: this.biasInitializer };
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const inputDim = shape[shape.length - 1];
    if (inputDim == null || inputDim <= 0) {
      throw new ValueError(
        `Input of layer "${this.name}" must have a known, non-zero last axis. Received: input shape ${formatShape(shape)}`,
        { argument: 'inputs', expected: 'a known last axis', received: formatShape(shape) },
      );
    }
    const width = gateCount(this.kind) * this.units;
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [inputDim, width],
      initializer: this.kernelInitializer,
      regularizer: this.regularizerOf('kernel'),
      constraint: this.constraintOf('kernel'),
    });
    this.recurrentKernel = this.addWeight({
      name: 'recurrent_kernel',
      shape: [this.units, width],
      initializer: this.recurrentInitializer,
      regularizer: this.regularizerOf('recurrent_kernel'),
      constraint: this.constraintOf('recurrent_kernel'),
    });
    if (this.useBias) {
      const { shape: biasShape, initializer } = this.biasSpec();
      this.bias = this.addWeight({
        name: 'bias',
        shape: biasShape,
        initializer,
        regularizer: this.regularizerOf('bias'),
        constraint: this.constraintOf('bias'),
      });
    }
  }

  /** The zero states for a batch of `batch`. */
  getInitialState(batch: number): tf.Tensor[] {
    return this.stateSize.map((size) => tf.zeros([batch, size]));
  }

  /**
   * Keras's cell call, on `[x, ...states]` (x `(batch, inputDim)`): returns
   * `[output, ...newStates]`. A step of one; dropout applies in training.
   */
  override call(inputs: LayerInputs, options: CallOptions = {}): LayerOutputs {
    const [x, ...states] = (Array.isArray(inputs) ? inputs : [inputs]) as [tf.Tensor, ...tf.Tensor[]];
    return tf.tidy(() => {
      const initial = states.length > 0 ? states : this.getInitialState(x.shape[0] as number);
      const settings = { training: options.training ?? false, goBackwards: false, zeroOutputForMask: false };
      const result = this.runSequence(tf.expandDims(x, 1), initial, null, settings);
      return [result.last, ...result.states];
    });
  }

  /** The input bias: what the projection adds (GRU's first row). */
  protected inputBias(): tf.Tensor | null {
    return this.bias;
  }

  /** GRU's second bias row (added to the recurrent product), else null. */
  protected recurrentBias(): tf.Tensor | null {
    return null;
  }

  /** One step of the loop on backend ops: `[output, ...states]` from the step's projected inputs. */
  protected abstract recurrentStep(projected: tf.Tensor, states: tf.Tensor[], masks: tf.Tensor[] | null): tf.Tensor[];

  /** Whether the fused recurrence computes this cell (its activations, and GRU's `resetAfter`). */
  protected fusable(): boolean {
    return this.activationName(this.activation) != null;
  }

  /** The name of a built-in activation the fused recurrence computes, else null. */
  protected activationName(fn: activations.Activation): string | null {
    const name = activations.serialize(fn);
    return activationCode(name) != null && activations.names().includes(name) && activations.get(name) === fn
      ? name
      : null;
  }

  /** The recurrent activation (LSTM, GRU), or the activation. */
  protected get gateActivation(): activations.Activation {
    return this.activation;
  }

  /**
   * Keras's dropout masks for one call: one per gate when recurrent dropout
   * is on (Keras's `implementation=1`), else one for all.
   */
  protected dropoutMasks(batch: number, inputDim: number, training: boolean): DropoutMasks {
    const perGate = this.kind !== 'simple' && this.recurrentDropout > 0 ? gateCount(this.kind) : 1;
    const make = (rate: number, size: number) =>
      training && rate > 0 && rate < 1
        ? Array.from({ length: perGate }, () =>
            tf.tidy(() =>
              tf.div(
                tf.cast(
                  tf.greaterEqual(tf.randomUniform([batch, size], 0, 1, 'float32', this.seed ?? nextSeed()), rate),
                  'float32',
                ),
                1 - rate,
              ),
            ),
          )
        : null;
    return { input: make(this.dropout, inputDim), recurrent: make(this.recurrentDropout, this.units) };
  }

  /** `x @ kernel + inputBias` for every step at once, `(batch, timesteps, gates * units)`; input dropout applied. */
  protected project(x: tf.Tensor, masks: tf.Tensor[] | null): tf.Tensor {
    const [batch, steps, inputDim] = x.shape as [number, number, number];
    const kernel = this.kernel as tf.Variable;
    const bias = this.inputBias();
    const width = kernel.shape[1] as number;
    const flat = tf.reshape(x, [batch * steps, inputDim]);
    let projected: tf.Tensor;
    if (masks == null || masks.length === 1) {
      const input =
        masks == null
          ? flat
          : tf.reshape(tf.mul(x, tf.expandDims(masks[0] as tf.Tensor, 1)), [batch * steps, inputDim]);
      projected = dense(input, kernel, { bias }).y;
    } else {
      // One mask per gate: each gate's columns see their own dropped inputs.
      const blocks = tf.split(kernel, masks.length, 1);
      const parts = masks.map((mask, g) =>
        tf.matMul(tf.reshape(tf.mul(x, tf.expandDims(mask, 1)), [batch * steps, inputDim]), blocks[g] as tf.Tensor),
      );
      projected = tf.concat(parts, 1);
      if (bias != null) projected = tf.add(projected, bias);
    }
    return tf.reshape(projected, [batch, steps, width]);
  }

  /**
   * Runs the cell over `x` `(batch, timesteps, inputDim)` from `initialStates`;
   * `mask` is `(batch, timesteps)` as 0/1, or null.
   */
  runSequence(
    x: tf.Tensor,
    initialStates: tf.Tensor[],
    mask: Uint8Array | null,
    settings: SequenceSettings,
  ): RecurrenceResult {
    const [batch, steps, inputDim] = x.shape as [number, number, number];
    const masks = this.dropoutMasks(batch, inputDim, settings.training);
    try {
      return tf.tidy(() => {
        const projected = this.project(x, masks.input);
        const recurrentKernel = this.recurrentKernel as tf.Variable;
        if (masks.recurrent == null && this.fusable()) {
          const spec = {
            kind: this.kind,
            units: this.units,
            activation: activationCode(activations.serialize(this.activation)) as number,
            recurrentActivation: activationCode(activations.serialize(this.gateActivation)) as number,
            goBackwards: settings.goBackwards,
            zeroOutputForMask: settings.zeroOutputForMask,
          };
          return fastRecurrence(spec, projected, recurrentKernel, initialStates, this.recurrentBias(), mask);
        }
        const perStep = tf.unstack(projected, 1);
        return loopRecurrence(
          (t, states) => this.recurrentStep(perStep[t] as tf.Tensor, states, masks.recurrent),
          initialStates,
          mask,
          {
            steps,
            batch,
            goBackwards: settings.goBackwards,
            zeroOutputForMask: settings.zeroOutputForMask,
          },
        );
      });
    } finally {
      tf.dispose([...(masks.input ?? []), ...(masks.recurrent ?? [])]);
    }
  }

  /** The config keys every cell writes, in Keras's names; subclasses place them in Keras's order. */
  protected cellConfig(): Record<string, unknown> {
    return {
      units: this.units,
      activation: activations.serialize(this.activation),
      useBias: this.useBias,
      kernelInitializer: initializers.serialize(this.kernelInitializer),
      recurrentInitializer: initializers.serialize(this.recurrentInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      kernelRegularizer: regularizers.serialize(this.regularizerOf('kernel')),
      recurrentRegularizer: regularizers.serialize(this.regularizerOf('recurrent_kernel')),
      biasRegularizer: regularizers.serialize(this.regularizerOf('bias')),
      ...this.constraintConfig(),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed,
    };
  }
}

/** Keras's `get_config` order: picks `keys` from `config`, in that order. */
export function ordered(config: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of keys) if (key in config) result[key] = config[key];
  return result;
}
