/** Bidirectional: a recurrent layer run forwards and backwards, the outputs merged. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import type { DeserializeOptions } from '../../serialization/serialization.js';
import { formatValue } from '../../utils/format.js';
import { inNameScope } from '../call-context.js';
import { Layer } from '../layer.js';
import {
  type CallOptions,
  type LayerInputs,
  type LayerOptions,
  type LayerOutputs,
  layerOptionsOf,
  type Mask,
  type Masks,
  type Shape,
} from '../layer-types.js';
import { deserializeUnbuilt, layerCodec, splitNestedLayer } from './layer-codec.js';
import { RNN } from './rnn.js';

/** Keras's `merge_mode` of `Bidirectional`: how the forward and backward outputs combine; null returns both. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

/** The options of `Bidirectional`, Keras's `Bidirectional(layer, merge_mode="concat", backward_layer=None)` camelCased. */
export interface BidirectionalOptions extends LayerOptions {
  /** The recurrent layer; the wrapper runs a copy of it forwards and a copy (or `backwardLayer`) backwards. */
  layer: RNN;
  /** How the two outputs combine; default `"concat"`; `null` returns both. */
  mergeMode?: MergeMode;
  /** The backward layer, with `goBackwards: true`; default a copy of `layer`. */
  backwardLayer?: RNN | null;
}

const MERGE_MODES: readonly MergeMode[] = ['sum', 'mul', 'ave', 'concat', null];

/** A fresh layer from `layer`'s config, renamed and changed by `edit`; built in `scope` when `layer` was. */
function copyOf(layer: RNN, name: string, edit: Record<string, unknown>, scope: string): RNN {
  const json = layerCodec().serialize(layer) as { config: Record<string, unknown>; build_config?: unknown };
  const { build_config: _built, ...rest } = json;
  const copy = layerCodec().deserialize({ ...rest, config: { ...json.config, name, ...edit } });
  if (!(copy instanceof RNN)) throw new Error('Bidirectional: the copied layer is not an RNN.');
  const shape = layer.buildInputShape;
  if (shape != null) inNameScope(scope, () => copy.ensureBuilt(shape));
  return copy;
}

const stripPrefix = (name: string, prefix: string) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);

/**
 * Runs `layer` over the sequence forwards and a copy backwards, and merges
 * the two outputs (`concat` on the last axis, `sum`, `mul`, `ave`, or both
 * as a list for `null`). With `returnSequences` the backward outputs are
 * put back in time order, and masked steps output zeros in both. Weights:
 * the forward layer's, then the backward layer's.
 *
 * @example new layers.Bidirectional({ layer: new layers.LSTM({ units: 32, returnSequences: true }), mergeMode: 'sum' })
 */
export class Bidirectional extends Layer {
  static override readonly className: string = 'Bidirectional';
  /** One tensor in may give a list out (see `OneInputResult`). */
  declare readonly outputArity: 'one' | 'many';
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: MergeMode;

  constructor(options: BidirectionalOptions) {
    super(layerOptionsOf('Bidirectional', options, ['layer', 'mergeMode', 'backwardLayer']));
    const { layer, backwardLayer } = options;
    if (!(layer instanceof RNN)) {
      throw new ValueError(
        `Please initialize \`Bidirectional\` layer with a recurrent layer (an RNN, LSTM, GRU or SimpleRNN). Received: ${formatValue(layer)}`,
        { argument: 'layer', expected: 'an RNN layer', received: formatValue(layer) },
      );
    }
    if (backwardLayer != null && !(backwardLayer instanceof RNN)) {
      throw new ValueError(
        `\`backwardLayer\` need to be a recurrent layer instance. Received: ${formatValue(backwardLayer)}`,
        {
          argument: 'backwardLayer',
          expected: 'an RNN layer',
          received: formatValue(backwardLayer),
        },
      );
    }
    const mergeMode = options.mergeMode === undefined ? 'concat' : options.mergeMode;
    if (!MERGE_MODES.includes(mergeMode)) {
      throw new ValueError(
        `Invalid merge mode. Received: ${formatValue(mergeMode)}. Merge mode should be one of {"sum", "mul", "ave", "concat", null}`,
        { argument: 'mergeMode', expected: '"sum", "mul", "ave", "concat" or null', received: formatValue(mergeMode) },
      );
    }
    this.mergeMode = mergeMode;
    this.forwardLayer = copyOf(layer, `forward_${stripPrefix(layer.name, 'forward_')}`, {}, this.name);
    this.backwardLayer =
      backwardLayer ??
      copyOf(layer, `backward_${stripPrefix(layer.name, 'backward_')}`, { go_backwards: true }, this.name);
    this.#verify();
    // Keras: masked steps output zeros in both directions when the sequences are returned.
    this.forwardLayer.zeroOutputForMask = this.forwardLayer.returnSequences;
    this.backwardLayer.zeroOutputForMask = this.backwardLayer.returnSequences;
    this.supportsMasking = true;
  }

  #verify(): void {
    const [forward, backward] = [this.forwardLayer, this.backwardLayer];
    if (forward.goBackwards === backward.goBackwards) {
      throw new ValueError(
        `Forward layer and backward layer should have different \`goBackwards\` value. Received: forwardLayer.goBackwards=${forward.goBackwards}, backwardLayer.goBackwards=${backward.goBackwards}`,
        {
          argument: 'backwardLayer',
          expected: 'goBackwards opposite to the forward layer',
          received: String(backward.goBackwards),
        },
      );
    }
    for (const key of ['returnSequences', 'returnState'] as const) {
      if (forward[key] !== backward[key]) {
        throw new ValueError(
          `Forward layer and backward layer are expected to have the same value for attribute "${key}", got "${forward[key]}" for forward layer and "${backward[key]}" for backward layer`,
          { argument: 'backwardLayer', expected: `${key}=${forward[key]}`, received: `${key}=${backward[key]}` },
        );
      }
    }
  }

  get returnSequences(): boolean {
    return this.forwardLayer.returnSequences;
  }

  get returnState(): boolean {
    return this.forwardLayer.returnState;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    inNameScope(this.name, () => {
      this.forwardLayer.ensureBuilt(shape);
      this.backwardLayer.ensureBuilt(shape);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const computed = this.forwardLayer.computeOutputShape(shape);
    const [output, ...states] = (this.returnState ? computed : [computed]) as Shape[];
    const merged = [...(output as Shape)];
    if (this.mergeMode === 'concat') merged[merged.length - 1] = (merged[merged.length - 1] as number) * 2;
    const outputs = this.mergeMode === null ? [merged, [...merged]] : [merged];
    if (!this.returnState) return outputs.length === 1 ? (outputs[0] as Shape) : outputs;
    return [...outputs, ...states, ...states.map((s) => [...s])];
  }

  /** Keras: the sequence mask goes on with the merged sequence output (each of the two for `mergeMode: null`). */
  override computeMask(_inputs: LayerInputs, mask: Masks): Masks {
    const first: Mask = Array.isArray(mask) ? (mask[0] ?? null) : mask;
    if (this.returnSequences) return this.mergeMode === null ? [first, first] : first;
    return this.mergeMode === null ? [null, null] : null;
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): LayerOutputs {
    const [x, ...states] = (Array.isArray(inputs) ? inputs : [inputs]) as [tf.Tensor, ...tf.Tensor[]];
    const mask = Array.isArray(options.mask) ? (options.mask[0] ?? null) : (options.mask ?? null);
    const half = states.length / 2;
    const run = (layer: RNN, initial: tf.Tensor[]) =>
      layer.apply(initial.length > 0 ? [x, ...initial] : x, { training: options.training, mask });
    return tf.tidy(() => {
      const forward = run(this.forwardLayer, states.slice(0, half));
      const backward = run(this.backwardLayer, states.slice(half));
      const [y, ...forwardStates] = (Array.isArray(forward) ? forward : [forward]) as tf.Tensor[];
      const [yBack, ...backwardStates] = (Array.isArray(backward) ? backward : [backward]) as tf.Tensor[];
      const yRev = this.returnSequences ? tf.reverse(yBack as tf.Tensor, 1) : (yBack as tf.Tensor);
      const merged = this.merge(y as tf.Tensor, yRev);
      const outputs = Array.isArray(merged) ? merged : [merged];
      const all = [...outputs, ...forwardStates, ...backwardStates];
      return all.length === 1 ? (all[0] as tf.Tensor) : all;
    });
  }

  private merge(y: tf.Tensor, yRev: tf.Tensor): tf.Tensor | tf.Tensor[] {
    switch (this.mergeMode) {
      case 'concat':
        return tf.concat([y, yRev], -1);
      case 'sum':
        return tf.add(y, yRev);
      case 'ave':
        return tf.div(tf.add(y, yRev), 2);
      case 'mul':
        return tf.mul(y, yRev);
      default:
        return [y, yRev];
    }
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      mergeMode: this.mergeMode,
      layer: layerCodec().serialize(this.forwardLayer),
      backwardLayer: layerCodec().serialize(this.backwardLayer),
    };
  }

  static override fromConfig<T extends Layer>(
    this: new (
      config: never,
    ) => T,
    config: Record<string, unknown>,
    options: DeserializeOptions = {},
  ): T {
    const [forwardLayer, { backwardLayer, ...rest }] = splitNestedLayer(config, 'layer', options);
    const forward = forwardLayer as RNN;
    const backward = backwardLayer == null ? null : (deserializeUnbuilt(backwardLayer, options) as RNN);
    try {
      return new Bidirectional({ ...(rest as LayerOptions), layer: forward, backwardLayer: backward }) as unknown as T;
    } catch (error) {
      backward?.dispose();
      throw error;
    } finally {
      // The wrapper runs a copy of the forward layer: this one was only its config.
      forward.dispose();
    }
  }
}
