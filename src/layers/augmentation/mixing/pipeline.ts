/** Pipeline: a list of layers applied in order, as one layer (Keras's `keras.layers.Pipeline`). */
import { ValueError } from '../../../errors.js';
import type { DeserializeOptions } from '../../../serialization/serialization.js';
import { formatValue } from '../../../utils/format.js';
import { Layer } from '../../layer.js';
import {
  type CallOptions,
  type LayerInputs,
  type LayerOptions,
  type LayerOutputs,
  layerOptionsOf,
  type Shape,
} from '../../layer-types.js';
import { deserializeUnbuilt, layerCodec } from '../../rnn/layer-codec.js';

/** The options of `Pipeline`, Keras's `Pipeline(layers, name=None)`. */
export interface PipelineOptions extends LayerOptions {
  /** The layers, applied in this order. */
  layers: Layer[];
}

function layersOption(value: unknown): Layer[] {
  if (!Array.isArray(value) || !value.every((layer) => layer instanceof Layer)) {
    throw new ValueError(`Pipeline takes a list of layers. Received: layers=${formatValue(value)}`, {
      argument: 'layers',
      expected: 'an array of Layer instances',
      received: formatValue(value),
    });
  }
  return [...value];
}

/**
 * Applies its layers one after the other (Keras's Pipeline): a plain layer,
 * not a model, typically an image augmentation pipeline placed in front of
 * a model. The call's `training` flag reaches every layer, so the random
 * layers augment in `fit` and pass images through in `predict`. Its config
 * nests its layers' configs as Keras writes them (`{ layers, name }`).
 *
 * @example new layers.Pipeline({ layers: [new layers.RandomErasing({ seed: 1 }), new layers.MixUp({ seed: 2 })] })
 */
export class Pipeline extends Layer {
  static override readonly className: string = 'Pipeline';
  /** The layers, in order (Keras's `pipeline.layers`). */
  readonly layers: Layer[];

  constructor(options: PipelineOptions) {
    super(layerOptionsOf('Pipeline', options, ['layers']));
    this.layers = layersOption((options as Partial<PipelineOptions> | undefined)?.layers);
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    let shape: Shape | Shape[] | null = inputShape;
    for (const layer of this.layers) {
      if (shape == null) return;
      layer.ensureBuilt(shape);
      shape = layer.computeOutputShape(shape);
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] | null {
    let shape: Shape | Shape[] | null = inputShape;
    for (const layer of this.layers) {
      if (shape == null) return null;
      shape = layer.computeOutputShape(shape);
    }
    return shape;
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): LayerOutputs {
    const given = new Set(Array.isArray(inputs) ? inputs : [inputs]);
    let x: LayerOutputs = inputs;
    for (const layer of this.layers) {
      const y: LayerOutputs = layer.apply(x, { training: options.training });
      // The previous layer's outputs are this call's own: freed once used, unless passed on as they are.
      const next = new Set(Array.isArray(y) ? y : [y]);
      for (const t of Array.isArray(x) ? x : [x]) if (!given.has(t) && !next.has(t)) t.dispose();
      x = y;
    }
    return x;
  }

  /** Keras's config: the layers as Keras JSON, and the name (Keras writes no `trainable` or `dtype` here). */
  override getConfig(): Record<string, unknown> {
    return { layers: this.layers.map((layer) => layerCodec().serialize(layer)), name: this.name };
  }

  static override fromConfig<T extends Layer>(
    this: new (
      config: never,
    ) => T,
    config: Record<string, unknown>,
    options: DeserializeOptions = {},
  ): T {
    const { layers, ...rest } = config;
    if (!Array.isArray(layers)) {
      throw new ValueError(
        `\`Pipeline\` config must contain a \`layers\` key mapping to a list of serialized layers. Received config with layers=${formatValue(layers)}.`,
        { argument: 'layers', expected: 'a list of serialized layers', received: formatValue(layers) },
      );
    }
    const inner = layers.map((json) => deserializeUnbuilt(json, options));
    return new Pipeline({ ...(rest as LayerOptions), layers: inner }) as unknown as T;
  }
}
