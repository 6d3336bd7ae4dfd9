/** PReLU: a leaky ReLU whose slopes are learned weights. */
import * as tf from '@tensorflow/tfjs-core';
import { constraintOption } from '../../constraints/identifiers.js';
import * as constraints from '../../constraints/index.js';
import { ValueError } from '../../errors.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkInputSpec } from '../normalization/axes.js';

/** The options of `PReLU`, Keras's `PReLU(alpha_initializer="Zeros", alpha_regularizer=None, shared_axes=None, ...)` camelCased. */
export interface PReLUOptions extends LayerOptions {
  /** Default `"Zeros"` (a plain ReLU to start with). */
  alphaInitializer?: initializers.InitializerIdentifier;
  alphaRegularizer?: regularizers.RegularizerIdentifier;
  /** Applied to `alpha` after each optimizer update: a constraint, its name or JSON, a function, or null. */
  alphaConstraint?: constraints.ConstraintIdentifier;
  /** Axes (1 = the first after the batch) along which one slope is shared, e.g. `[1, 2]` after a Conv2D. */
  sharedAxes?: number | number[] | null;
}

/**
 * `x` for `x >= 0`, `alpha * x` below, with `alpha` a weight of the input's
 * shape without the batch axis (size 1 along `sharedAxes`), computed as
 * Keras computes it: `relu(x) - alpha * relu(-x)`.
 *
 * @example new layers.PReLU({ sharedAxes: [1, 2], alphaRegularizer: new L2(1e-4) })
 */
export class PReLU extends Layer {
  static override readonly className: string = 'PReLU';
  readonly alphaInitializer: initializers.Initializer;
  readonly sharedAxes: number[] | null;
  #alphaRegularizer: regularizers.RegularizerLike | null;
  #alphaConstraint: constraints.ConstraintLike | null;
  alpha: tf.Variable | null = null;
  /** Set by build: the input rank, and the axes the slopes are not shared on, with their sizes. */
  #spec: { rank: number; axes: [number, number][] } | null = null;

  constructor(options: PReLUOptions = {}) {
    super(layerOptionsOf('PReLU', options, ['alphaInitializer', 'alphaRegularizer', 'alphaConstraint', 'sharedAxes']));
    this.#alphaConstraint = constraintOption('alphaConstraint', options.alphaConstraint);
    this.supportsMasking = true;
    this.alphaInitializer = initializers.get(options.alphaInitializer ?? 'Zeros') as initializers.Initializer;
    this.#alphaRegularizer = regularizers.get(options.alphaRegularizer);
    const shared = options.sharedAxes;
    const list = shared == null ? null : Array.isArray(shared) ? [...shared] : [shared];
    if (list != null && !list.every((a) => Number.isInteger(a) && a >= 1)) {
      throw new ValueError(
        `Invalid value for argument sharedAxes: expected axes after the batch axis (integers >= 1), or null. Received: sharedAxes=${formatValue(shared)}`,
        { argument: 'sharedAxes', expected: 'integers >= 1, or null', received: formatValue(shared) },
      );
    }
    this.sharedAxes = list;
  }

  get alphaRegularizer(): regularizers.RegularizerLike | null {
    return this.#alphaRegularizer;
  }

  /** Takes effect at once, also on a built layer. */
  set alphaRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.#alphaRegularizer = this.replaceWeightRegularizer('alpha', identifier);
  }

  get alphaConstraint(): constraints.ConstraintLike | null {
    return this.#alphaConstraint;
  }

  /** Applies from the next update, also on a built layer. */
  set alphaConstraint(identifier: constraints.ConstraintIdentifier) {
    this.#alphaConstraint = this.replaceWeightConstraint('alpha', identifier, 'alphaConstraint');
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const shared = this.sharedAxes ?? [];
    const outside = shared.find((a) => a >= shape.length);
    if (outside != null) {
      throw new ValueError(
        `Invalid value for argument sharedAxes: expected axes of inputs of rank ${shape.length}, in [1, ${shape.length - 1}]. Received: sharedAxes=${formatValue(this.sharedAxes)}`,
        {
          argument: 'sharedAxes',
          expected: `axes in [1, ${shape.length - 1}]`,
          received: formatValue(this.sharedAxes),
        },
      );
    }
    const axes: [number, number][] = [];
    const alphaShape = shape.slice(1).map((d, i) => {
      if (shared.includes(i + 1)) return 1;
      if (d == null || d <= 0) {
        throw new ValueError(
          `PReLU needs a known size on every axis it does not share. Received: input shape ${formatShape(shape)}, sharedAxes=${formatValue(this.sharedAxes)}`,
          { argument: 'inputs', expected: 'known sizes off sharedAxes', received: formatShape(shape) },
        );
      }
      axes.push([i + 1, d]);
      return d;
    });
    this.alpha = this.addWeight({
      name: 'alpha',
      shape: alphaShape,
      initializer: this.alphaInitializer,
      regularizer: this.#alphaRegularizer,
      constraint: this.#alphaConstraint,
    });
    this.#spec = { rank: shape.length, axes };
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    const spec = this.#spec;
    const alpha = this.alpha;
    if (spec == null || alpha == null) throw new Error(`PReLU "${this.name}" was called before it was built.`);
    checkInputSpec(this.name, x.shape, spec.rank, spec.axes);
    // Keras's form: its gradient is 0 at x = 0 (tfjs's prelu gives alpha there).
    return tf.tidy(() => tf.sub(tf.relu(x), tf.mul(alpha, tf.relu(tf.neg(x)))));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      alphaInitializer: initializers.serialize(this.alphaInitializer),
      alphaRegularizer: regularizers.serialize(this.#alphaRegularizer),
      alphaConstraint: constraints.serialize(this.#alphaConstraint),
      sharedAxes: this.sharedAxes == null ? null : [...this.sharedAxes],
    };
  }

  override dispose(): void {
    super.dispose();
    this.alpha = null;
    this.#spec = null;
  }
}
