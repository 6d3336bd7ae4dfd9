/** The generic recurrent layer: Keras's `RNN(cell)`. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import type { DeserializeOptions } from '../../serialization/serialization.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { inNameScope } from '../call-context.js';
import { Layer } from '../layer.js';
import { checkBoolean } from '../layer-checks.js';
import {
  type CallOptions,
  type LayerInputs,
  type LayerOptions,
  type LayerOutputs,
  layerOptionsOf,
  type Masks,
  type Shape,
} from '../layer-types.js';
import type { RecurrenceResult } from './fast-recurrence.js';
import { layerCodec, splitNestedLayer } from './layer-codec.js';
import { loopRecurrence } from './recurrence.js';
import { RNNCellBase } from './rnn-cell.js';
import { StackedRNNCells } from './stacked-rnn-cells.js';

/**
 * A cell: a layer with `stateSize` whose `call([x, ...states])` returns
 * `[output, ...newStates]` for one step. SimpleRNNCell, LSTMCell and
 * GRUCell are cells; so is any layer written this way.
 */
export type RNNCell = Layer & { readonly stateSize: number | number[]; readonly outputSize?: number };

/** The options every recurrent layer takes (RNN, SimpleRNN, LSTM, GRU, ConvLSTM): Keras's `return_sequences`, `return_state`, `go_backwards`, ... camelCased. */
export interface RNNSettings {
  /** Return the output of every step `(batch, timesteps, units)` rather than the last `(batch, units)`. */
  returnSequences?: boolean;
  /** Also return the final states: `[output, ...states]`. */
  returnState?: boolean;
  /** Run the sequence backwards; with `returnSequences`, the outputs come in that (reversed) order. */
  goBackwards?: boolean;
  /** Only false: stateful RNNs are not supported. */
  stateful?: false;
  /** Accepted for Keras configs; the steps run as a loop either way. */
  unroll?: boolean;
  /** With a mask and `returnSequences`, masked steps output zeros instead of the previous output. */
  zeroOutputForMask?: boolean;
}

/** The options of `RNN`, Keras's `RNN(cell, return_sequences=False, return_state=False, ...)` camelCased. */
export interface RNNOptions extends LayerOptions, RNNSettings {
  /** The cell, or a list of cells (run as a `StackedRNNCells`). */
  cell: RNNCell | RNNCell[];
}

export const RNN_SETTING_NAMES = [
  'returnSequences',
  'returnState',
  'goBackwards',
  'stateful',
  'unroll',
  'zeroOutputForMask',
] as const;

/** The first shape of a layer called on `[x, ...initialStates]`. */
function sequenceShape(inputShape: Shape | Shape[]): Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
}

/**
 * Runs a cell over the time axis of `(batch, timesteps, features)` inputs.
 * Call it on `x`, or on `[x, ...initialStates]` to start from given states.
 * A mask (from `Embedding({ maskZero: true })`, `Masking`, or
 * `apply(x, { mask })`, `(batch, timesteps)`) skips steps: a masked step
 * keeps the states and repeats the previous output.
 *
 * @example new layers.RNN({ cell: new layers.LSTMCell({ units: 16 }), returnSequences: true })
 */
export class RNN extends Layer {
  static override readonly className: string = 'RNN';
  /** One tensor in may give a list out (see `OneInputResult`). */
  declare readonly outputArity: 'one' | 'many';
  /** Keras's `call(sequences, initial_state=None)`: `[x, ...states]` here, `initial_state=[...]` in Keras JSON. */
  static readonly kerasCallArguments = ['sequences', '...initial_state'];
  readonly cell: RNNCell;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful = false;
  readonly unroll: boolean;
  /** Bidirectional sets it to `returnSequences`, as Keras does. */
  zeroOutputForMask: boolean;

  constructor(options: RNNOptions) {
    super(layerOptionsOf('RNN', options, ['cell', ...RNN_SETTING_NAMES]));
    // A list of cells runs as Keras's StackedRNNCells.
    const cell = Array.isArray(options.cell) ? new StackedRNNCells({ cells: options.cell }) : options.cell;
    if (!(cell instanceof Layer) || !isStateSize((cell as { stateSize?: unknown }).stateSize)) {
      throw new ValueError(
        `The RNN cell should be a layer with a \`stateSize\` attribute (single integer or list of integers, one integer per RNN state). Received: cell=${formatValue(cell)}`,
        { argument: 'cell', expected: 'a layer with stateSize', received: formatValue(cell) },
      );
    }
    this.cell = cell;
    this.returnSequences = checkBoolean(options.returnSequences ?? false, 'returnSequences');
    this.returnState = checkBoolean(options.returnState ?? false, 'returnState');
    this.goBackwards = checkBoolean(options.goBackwards ?? false, 'goBackwards');
    if (options.stateful != null && options.stateful !== false) {
      throw new ValueError(
        `Invalid value for argument stateful: stateful RNNs are not supported, expected false. Received: stateful=${formatValue(options.stateful)}`,
        { argument: 'stateful', expected: 'false', received: formatValue(options.stateful) },
      );
    }
    this.unroll = checkBoolean(options.unroll ?? false, 'unroll');
    this.zeroOutputForMask = checkBoolean(options.zeroOutputForMask ?? false, 'zeroOutputForMask');
    this.supportsMasking = true;
  }

  /** The size of each state, as a list. */
  get stateSize(): number[] {
    const size = this.cell.stateSize;
    return Array.isArray(size) ? [...size] : [size];
  }

  get outputSize(): number {
    return this.cell.outputSize ?? (this.stateSize[0] as number);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = this.checkRank(sequenceShape(inputShape));
    // Keras's name scope: the cell's weights are `lstm/lstm_cell/kernel`.
    inNameScope(this.name, () => this.cell.ensureBuilt([shape[0] ?? null, ...shape.slice(2)]));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const [batch, steps] = sequenceShape(inputShape) as [number | null, number | null];
    const output = this.returnSequences ? [batch, steps, this.outputSize] : [batch, this.outputSize];
    return this.returnState ? [output, ...this.stateSize.map((size) => [batch, size])] : output;
  }

  /** The mask goes on with the sequence output (`returnSequences`); states carry none. */
  override computeMask(_inputs: LayerInputs, mask: Masks): Masks {
    const first = Array.isArray(mask) ? (mask[0] ?? null) : mask;
    const output = this.returnSequences ? first : null;
    return this.returnState ? [output, ...this.stateSize.map(() => null)] : output;
  }

  /** A recurrent layer computes on float32: integer sequences are cast. */
  protected override keepsInputDtypes(): boolean {
    return false;
  }

  /** The rank of the sequences and their axes; ConvLSTM's steps have spatial axes. */
  protected sequenceLayout(): { rank: number; axes: string } {
    return { rank: 3, axes: '(batch, timesteps, features)' };
  }

  private checkRank(shape: Shape | readonly number[]): Shape {
    const { rank, axes } = this.sequenceLayout();
    if (shape.length !== rank) {
      throw new ValueError(
        `Input 0 of layer "${this.name}" is incompatible with the layer: expected ndim=${rank}, found ndim=${shape.length}. Full shape received: ${formatShape(shape as Shape)}`,
        { argument: 'inputs', expected: `ndim=${rank} ${axes}`, received: formatShape(shape as Shape) },
      );
    }
    return shape as Shape;
  }

  /** The shape of each state for the sequence `x`: `(batch, size)`; ConvLSTM's have spatial axes. */
  protected stateShapes(x: tf.Tensor): number[][] {
    const batch = x.shape[0] as number;
    return this.stateSize.map((size) => [batch, size]);
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): LayerOutputs {
    const [x, ...given] = (Array.isArray(inputs) ? inputs : [inputs]) as [tf.Tensor, ...tf.Tensor[]];
    this.checkRank(x.shape);
    const [batch, steps] = x.shape as [number, number];
    if (steps === 0) {
      throw new ValueError(
        `Layer "${this.name}" needs sequences of at least one timestep. Received: inputs of shape ${formatShape(x.shape)}`,
        { argument: 'inputs', expected: 'at least one timestep', received: formatShape(x.shape) },
      );
    }
    const mask = this.maskValues(options.mask, batch, steps);
    const settings = {
      training: options.training ?? false,
      goBackwards: this.goBackwards,
      zeroOutputForMask: this.zeroOutputForMask,
    };
    return tf.tidy(() => {
      const shapes = this.stateShapes(x);
      const states = given.length > 0 ? this.checkedStates(given, shapes) : shapes.map((s) => tf.zeros(s));
      const result = this.runCell(x, states, mask, settings);
      const output = this.returnSequences ? result.sequence : result.last;
      return this.returnState ? [output, ...result.states] : output;
    });
  }

  /** Runs the cell over the whole sequence; ConvLSTM runs its own cell. */
  protected runCell(
    x: tf.Tensor,
    states: tf.Tensor[],
    mask: Uint8Array | null,
    settings: { training: boolean; goBackwards: boolean; zeroOutputForMask: boolean },
  ): RecurrenceResult {
    const cell = this.cell;
    if (cell instanceof RNNCellBase) return cell.runSequence(x, states, mask, settings);
    const [batch, steps] = x.shape as [number, number];
    const perStep = tf.unstack(x, 1);
    const step = (t: number, current: tf.Tensor[]) =>
      cell.apply([perStep[t] as tf.Tensor, ...current], { training: settings.training, mask: null }) as tf.Tensor[];
    return loopRecurrence(step, states, mask, { steps, batch, ...settings });
  }

  /** The mask of the sequence as 0/1 per (sample, step), checked against the inputs. */
  private maskValues(masks: Masks | undefined, batch: number, steps: number): Uint8Array | null {
    const mask = Array.isArray(masks) ? (masks[0] ?? null) : (masks ?? null);
    if (mask == null) return null;
    if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== steps) {
      throw new ValueError(
        `Invalid mask for layer "${this.name}": expected shape ${formatShape([batch, steps])} (batch, timesteps) for inputs of ${steps} steps. Received: mask.shape=${formatShape(mask.shape)}`,
        { argument: 'mask', expected: formatShape([batch, steps]), received: formatShape(mask.shape) },
      );
    }
    // Read outside tf.tidy, which would walk the array it returned.
    const flags = mask.dtype === 'bool' ? mask : tf.cast(mask, 'bool');
    const values = Uint8Array.from(flags.dataSync());
    if (flags !== mask) flags.dispose();
    return values;
  }

  private checkedStates(states: tf.Tensor[], shapes: number[][]): tf.Tensor[] {
    const ok =
      states.length === shapes.length &&
      states.every((s, i) => s.rank === shapes[i]?.length && s.shape.every((d, k) => d === shapes[i]?.[k]));
    if (!ok) {
      const expected = shapes.map((shape) => formatShape(shape)).join(', ');
      const received = states.map((s) => formatShape(s.shape)).join(', ');
      throw new ValueError(
        `Invalid initial state for layer "${this.name}": expected ${shapes.length} tensor(s) of shape ${expected}. Received: shapes ${received}`,
        { argument: 'initialState', expected, received },
      );
    }
    return states.map((s) => (s.dtype === 'float32' ? s : tf.cast(s, 'float32')));
  }

  protected settingsConfig(): Record<string, unknown> {
    return {
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: false,
      unroll: this.unroll,
      zeroOutputForMask: this.zeroOutputForMask,
    };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...this.settingsConfig(), cell: layerCodec().serialize(this.cell) };
  }

  static override fromConfig<T extends Layer>(
    this: new (
      config: never,
    ) => T,
    config: Record<string, unknown>,
    options: DeserializeOptions = {},
  ): T {
    if (config.cell == null) throw invalidArgument('cell', 'a cell config', config.cell);
    const [cell, rest] = splitNestedLayer(config, 'cell', options);
    return new RNN({ ...(rest as RNNSettings & LayerOptions), cell: cell as RNNCell }) as unknown as T;
  }
}

function isStateSize(value: unknown): boolean {
  const sizes = Array.isArray(value) ? value : [value];
  return sizes.length > 0 && sizes.every((s) => Number.isInteger(s) && (s as number) > 0);
}
