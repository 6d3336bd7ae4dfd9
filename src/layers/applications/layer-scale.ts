/** LayerScale: ConvNeXt's learned per-channel scale (keras.src.applications.convnext). */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../../errors.js';
import * as initializers from '../../initializers/index.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';

/** The options of `LayerScale`, Keras's `LayerScale(init_values, projection_dim)` camelCased. */
export interface LayerScaleOptions extends LayerOptions {
  /** The scale's initial value on every channel (ConvNeXt uses 1e-6). */
  initValues: number;
  /** The number of channels: the size of the last input axis. */
  projectionDim: number;
}

/**
 * `x * gamma`, with `gamma` a trainable weight of `projectionDim` values
 * started at `initValues`: the layer scale of ConvNeXt's blocks
 * (arXiv:2103.17239). Saved as Keras saves it, under
 * `keras.src.applications.convnext` with registered name `LayerScale`, so
 * Keras's ConvNeXt files load and ours load in Keras.
 *
 * @example new layers.LayerScale({ initValues: 1e-6, projectionDim: 96 }).apply(x)
 */
export class LayerScale extends Layer {
  static override readonly className: string = 'LayerScale';
  /** The module and registered name Keras writes for this class. */
  static readonly kerasModule = 'keras.src.applications.convnext';
  static readonly kerasRegisteredName = 'LayerScale';
  readonly initValues: number;
  readonly projectionDim: number;
  gamma: tf.Variable | null = null;

  constructor(options: LayerScaleOptions) {
    super(layerOptionsOf('LayerScale', options, ['initValues', 'projectionDim']));
    const { initValues, projectionDim } = options;
    if (typeof initValues !== 'number' || !Number.isFinite(initValues)) {
      throw invalidArgument('initValues', 'a finite number', initValues);
    }
    if (!Number.isInteger(projectionDim) || projectionDim < 1) {
      throw invalidArgument('projectionDim', 'a positive integer', projectionDim);
    }
    this.initValues = initValues;
    this.projectionDim = projectionDim;
  }

  override build(_inputShape: Shape | Shape[]): void {
    // Keras's add_weight without a name: the variable is called "variable".
    this.gamma = this.addWeight({
      name: 'variable',
      shape: [this.projectionDim],
      initializer: new initializers.Constant({ value: this.initValues }),
    });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    const gamma = this.gamma;
    if (gamma == null) throw new Error(`LayerScale "${this.name}" was called before it was built.`);
    const channels = x.shape[x.shape.length - 1];
    if (channels !== this.projectionDim && channels !== 1) {
      throw invalidArgument('inputs', `a last axis of ${this.projectionDim} (projectionDim)`, `shape [${x.shape}]`);
    }
    return tf.mul(x, gamma);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initValues: this.initValues, projectionDim: this.projectionDim };
  }

  override dispose(): void {
    super.dispose();
    this.gamma = null;
  }
}
