/** Keras's recurrent cells: SimpleRNNCell, LSTMCell, GRUCell. */
import * as tf from '@tensorflow/tfjs-core';
import * as activations from '../../activations/index.js';
import * as initializers from '../../initializers/index.js';
import { checkBoolean } from '../layer-checks.js';
import { ordered, RNNCellBase, type RNNCellOptions } from './rnn-cell.js';

const BASE_KEYS = ['name', 'trainable', 'dtype'];
const WEIGHT_KEYS = [
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
];

/** `tensor * mask` when there is a mask. */
function masked(tensor: tf.Tensor, mask: tf.Tensor | undefined): tf.Tensor {
  return mask == null ? tensor : tf.mul(tensor, mask);
}

/**
 * The cell of SimpleRNN: `h = activation(x @ kernel + bias + h_prev @ recurrentKernel)`.
 *
 * @example new layers.RNN({ cell: new layers.SimpleRNNCell({ units: 8 }) })
 */
export class SimpleRNNCell extends RNNCellBase {
  static override readonly className: string = 'SimpleRNNCell';
  protected readonly kind = 'simple' as const;

  constructor(options: RNNCellOptions) {
    super('SimpleRNNCell', options, []);
  }

  protected override recurrentStep(projected: tf.Tensor, states: tf.Tensor[], masks: tf.Tensor[] | null): tf.Tensor[] {
    const h = masked(states[0] as tf.Tensor, masks?.[0]);
    const output = this.activation(tf.add(projected, tf.matMul(h, this.recurrentKernel as tf.Variable)));
    return [output, output];
  }

  override getConfig(): Record<string, unknown> {
    const config = { ...super.getConfig(), ...this.cellConfig() };
    return ordered(config, [...BASE_KEYS, 'units', 'activation', 'useBias', ...WEIGHT_KEYS, 'seed']);
  }
}

/** The options of `LSTMCell`, Keras's `LSTMCell(units, activation="tanh", recurrent_activation="sigmoid", unit_forget_bias=True, ...)` camelCased. */
export interface LSTMCellOptions extends RNNCellOptions {
  /** The gates' activation; default `"sigmoid"`. */
  recurrentActivation?: string | activations.Activation | null;
  /** Add 1 to the forget gate's bias at initialization (default true), as Jozefowicz et al. recommend. */
  unitForgetBias?: boolean;
}

/** LSTM's bias with `unitForgetBias`: the initializer's values, but ones for the forget gate. */
export class UnitForgetBias extends initializers.Initializer {
  constructor(
    private readonly base: initializers.Initializer,
    private readonly units: number,
  ) {
    super();
  }

  override apply(): tf.Tensor {
    const u = this.units;
    return tf.tidy(() => tf.concat([this.base.apply([u]), tf.ones([u]), this.base.apply([2 * u])]));
  }
}

/**
 * The cell of LSTM, gates in Keras's order i, f, c, o:
 * `c = f * c_prev + i * activation(z_c)`, `h = o * activation(c)`.
 *
 * @example new layers.RNN({ cell: new layers.LSTMCell({ units: 8, recurrentRegularizer: new L2(1e-4) }) })
 */
export class LSTMCell extends RNNCellBase {
  static override readonly className: string = 'LSTMCell';
  protected readonly kind = 'lstm' as const;
  readonly recurrentActivation: activations.Activation;
  readonly unitForgetBias: boolean;

  constructor(options: LSTMCellOptions) {
    super('LSTMCell', options, ['recurrentActivation', 'unitForgetBias']);
    this.recurrentActivation = activations.get(
      options.recurrentActivation === undefined ? 'sigmoid' : options.recurrentActivation,
    );
    this.unitForgetBias = checkBoolean(options.unitForgetBias ?? true, 'unitForgetBias');
  }

  protected override get gateActivation(): activations.Activation {
    return this.recurrentActivation;
  }

  protected override fusable(): boolean {
    return super.fusable() && this.activationName(this.recurrentActivation) != null;
  }

  protected override biasSpec(): { shape: number[]; initializer: initializers.Initializer } {
    const initializer = this.unitForgetBias
      ? new UnitForgetBias(this.biasInitializer, this.units)
      : this.biasInitializer;
    return { shape: [4 * this.units], initializer };
  }

  protected override recurrentStep(projected: tf.Tensor, states: tf.Tensor[], masks: tf.Tensor[] | null): tf.Tensor[] {
    const [h, c] = states as [tf.Tensor, tf.Tensor];
    const kernel = this.recurrentKernel as tf.Variable;
    const recurrent =
      masks == null
        ? tf.matMul(h, kernel)
        : tf.concat(
            tf.split(kernel, 4, 1).map((block, g) => tf.matMul(masked(h, masks[g]), block)),
            1,
          );
    const [zi, zf, zc, zo] = tf.split(tf.add(projected, recurrent), 4, 1) as [
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
    ];
    const ra = this.recurrentActivation;
    const cNext = tf.add(tf.mul(ra(zf), c), tf.mul(ra(zi), this.activation(zc)));
    const hNext = tf.mul(ra(zo), this.activation(cNext));
    return [hNext, hNext, cNext];
  }

  override getConfig(): Record<string, unknown> {
    const config = {
      ...super.getConfig(),
      ...this.cellConfig(),
      recurrentActivation: activations.serialize(this.recurrentActivation),
      unitForgetBias: this.unitForgetBias,
    };
    return ordered(config, [
      ...BASE_KEYS,
      'units',
      'activation',
      'recurrentActivation',
      'useBias',
      'unitForgetBias',
      ...WEIGHT_KEYS,
      'seed',
    ]);
  }
}

/** The options of `GRUCell`, Keras's `GRUCell(units, activation="tanh", recurrent_activation="sigmoid", reset_after=True, ...)` camelCased. */
export interface GRUCellOptions extends RNNCellOptions {
  /** The gates' activation; default `"sigmoid"`. */
  recurrentActivation?: string | activations.Activation | null;
  /**
   * Apply the reset gate after the recurrent matmul (default true, Keras 3's
   * and cuDNN's form), with a second bias row for the recurrent product.
   */
  resetAfter?: boolean;
}

/**
 * The cell of GRU, gates in Keras's order z, r, h:
 * `h = z * h_prev + (1 - z) * activation(x_h + r * (h_prev @ R_h + b_h))`
 * (`resetAfter`; else `r` multiplies `h_prev` before the matmul).
 *
 * @example new layers.RNN({ cell: new layers.GRUCell({ units: 8 }) })
 */
export class GRUCell extends RNNCellBase {
  static override readonly className: string = 'GRUCell';
  protected readonly kind = 'gru' as const;
  readonly recurrentActivation: activations.Activation;
  readonly resetAfter: boolean;

  constructor(options: GRUCellOptions) {
    super('GRUCell', options, ['recurrentActivation', 'resetAfter']);
    this.recurrentActivation = activations.get(
      options.recurrentActivation === undefined ? 'sigmoid' : options.recurrentActivation,
    );
    this.resetAfter = checkBoolean(options.resetAfter ?? true, 'resetAfter');
  }

  protected override get gateActivation(): activations.Activation {
    return this.recurrentActivation;
  }

  protected override fusable(): boolean {
    return this.resetAfter && super.fusable() && this.activationName(this.recurrentActivation) != null;
  }

  /** With `resetAfter`, two rows: the input bias and the recurrent bias. */
  protected override biasSpec(): { shape: number[]; initializer: initializers.Initializer } {
    const width = 3 * this.units;
    return { shape: this.resetAfter ? [2, width] : [width], initializer: this.biasInitializer };
  }

  /** A row of the `(2, 3 * units)` bias, as a slice of the flat bias (a rank-1 tensor of its own: wasm's fused matmul reads a bias's stored shape). */
  private biasRow(row: 0 | 1): tf.Tensor {
    const width = 3 * this.units;
    return tf.slice(tf.reshape(this.bias as tf.Variable, [2 * width]), [row * width], [width]);
  }

  protected override inputBias(): tf.Tensor | null {
    if (this.bias == null || !this.resetAfter) return this.bias;
    return this.biasRow(0);
  }

  protected override recurrentBias(): tf.Tensor | null {
    if (this.bias == null || !this.resetAfter) return null;
    return this.biasRow(1);
  }

  protected override recurrentStep(projected: tf.Tensor, states: tf.Tensor[], masks: tf.Tensor[] | null): tf.Tensor[] {
    const h = states[0] as tf.Tensor;
    const [kz, kr, kh] = tf.split(this.recurrentKernel as tf.Variable, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const [xz, xr, xh] = tf.split(projected, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const bias = this.recurrentBias();
    const [bz, br, bh] = bias == null ? [null, null, null] : (tf.split(bias, 3) as [tf.Tensor, tf.Tensor, tf.Tensor]);
    const plus = (t: tf.Tensor, b: tf.Tensor | null) => (b == null ? t : tf.add(t, b));
    const ra = this.recurrentActivation;
    const z = ra(tf.add(xz, plus(tf.matMul(masked(h, masks?.[0]), kz), bz)));
    const r = ra(tf.add(xr, plus(tf.matMul(masked(h, masks?.[1]), kr), br)));
    const recurrentH = this.resetAfter
      ? tf.mul(r, plus(tf.matMul(masked(h, masks?.[2]), kh), bh))
      : tf.matMul(tf.mul(r, masked(h, masks?.[2])), kh);
    const candidate = this.activation(tf.add(xh, recurrentH));
    const hNext = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
    return [hNext, hNext];
  }

  override getConfig(): Record<string, unknown> {
    const config = {
      ...super.getConfig(),
      ...this.cellConfig(),
      recurrentActivation: activations.serialize(this.recurrentActivation),
      resetAfter: this.resetAfter,
    };
    return ordered(config, [
      ...BASE_KEYS,
      'units',
      'activation',
      'recurrentActivation',
      'useBias',
      ...WEIGHT_KEYS,
      'resetAfter',
      'seed',
    ]);
  }
}
