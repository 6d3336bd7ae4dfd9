import * as tf from '@tensorflow/tfjs-core';
import { NotImplementedError, ValueError } from '../errors.js';
import { classNameOfInstance } from '../utils/class-name.js';
import { formatShape, formatValue } from '../utils/format.js';
import { readOptions } from '../utils/options.js';

/** A regularizer's `getConfig()`: plain JSON-safe values, as the constructor takes them. */
export type RegularizerConfig = Record<string, unknown>;

/** A plain function used as a regularizer: maps a tensor to a scalar penalty. */
export type RegularizerFunction = (x: tf.Tensor) => tf.Scalar | tf.Tensor | number;

/** Anything a layer accepts once identifiers are resolved. */
export type RegularizerLike = Regularizer | RegularizerFunction;

/** The class side of a regularizer, as `fromConfig` and the registries see it. */
export interface RegularizerClass<T extends Regularizer = Regularizer> {
  new (...args: never[]): T;
  readonly name: string;
  readonly className?: string;
  fromConfig(config: RegularizerConfig): Regularizer;
}

/**
 * Base class of every regularizer, Keras's `keras.regularizers.Regularizer`:
 * `apply(x)` maps a tensor to a float32 scalar penalty. Subclass it for a
 * custom regularizer and override `apply` and `getConfig`.
 *
 * The base's own `apply` returns a scalar 0 tensor (Keras returns the Python
 * float 0.0, which crashes when used as an activity regularizer).
 *
 * The constructor takes the object `getConfig` returns (Keras's
 * `from_config` is `cls(**config)`; an options object is TypeScript's
 * keyword arguments). A class whose constructor takes something else gives
 * itself a `static fromConfig(config)`.
 *
 * @example
 * class L2Regularizer extends Regularizer {
 *   readonly l2: number;
 *   constructor({ l2 = 0.01 }: { l2?: number } = {}) { super(); this.l2 = l2; }
 *   override apply(x: tf.Tensor) { return ops.multiply(this.l2, ops.sum(ops.square(x))) as tf.Scalar; }
 *   override getConfig() { return { l2: this.l2 }; }
 * }
 */
export class Regularizer {
  static readonly className: string = 'Regularizer';

  constructor(options?: Record<string, never>) {
    if (options !== undefined) readOptions(classNameOfInstance(this), options, []);
  }

  /** The penalty for `x`; 0 for the base class. */
  apply(_x: tf.Tensor): tf.Scalar {
    return tf.scalar(0);
  }

  /** The constructor's options, so that `fromConfig(getConfig())` rebuilds this object. */
  getConfig(): RegularizerConfig {
    throw new NotImplementedError(`${classNameOfInstance(this)} does not implement getConfig()`);
  }

  /**
   * Keras's `from_config`: `new Cls(config)`, then a check that the rebuilt
   * object's `getConfig()` gives back every entry of `config`. A subclass
   * whose constructor takes positional arguments would otherwise be rebuilt
   * silently wrong (`new Cls({ l2: 0.5 })` holding `l2 = { l2: 0.5 }`).
   */
  // biome-ignore lint/suspicious/noExplicitAny: each subclass's constructor takes its own options type.
  static fromConfig<T extends Regularizer>(this: new (config: any) => T, config: Record<string, unknown>): T {
    const rebuilt = new this(config);
    const name = classNameOfInstance(rebuilt);
    let echoed: RegularizerConfig;
    try {
      echoed = rebuilt.getConfig();
    } catch {
      return rebuilt; // No getConfig: nothing to compare (and nothing that could save it again).
    }
    // null stands for a default (SEMANTICS.md), which the rebuilt object resolves.
    const differing = Object.keys(config).filter((key) => config[key] != null && !sameJson(config[key], echoed[key]));
    if (differing.length > 0) {
      throw new ValueError(
        `Cannot rebuild ${name} from its config: new ${name}(config).getConfig() gives ${formatValue(echoed)}, not the config. Give ${name} a constructor that takes the config object ({ ${differing.join(', ')} }), or a static fromConfig(config). Received: config=${formatValue(config)}`,
        { argument: 'config', expected: `a config that new ${name}(config) rebuilds`, received: formatValue(config) },
      );
    }
    return rebuilt;
  }
}

/**
 * Runs a regularizer or a plain function on `x` and checks that it gave a
 * scalar. A number result (as Keras's base class returns) becomes a tensor.
 */
export function computePenalty(regularizer: RegularizerLike, x: tf.Tensor): tf.Scalar {
  const result = regularizer instanceof Regularizer ? regularizer.apply(x) : regularizer(x);
  if (typeof result === 'number') return tf.scalar(result);
  if (result instanceof tf.Tensor && result.rank === 0) {
    return (result.dtype === 'float32' ? result : tf.cast(result, 'float32')) as tf.Scalar;
  }
  const name =
    regularizer instanceof Regularizer ? classNameOfInstance(regularizer) : regularizer.name || 'anonymous function';
  const received = result instanceof tf.Tensor ? `a tensor of shape ${formatShape(result.shape)}` : formatValue(result);
  throw new ValueError(`Regularizer ${name} must return a scalar tensor or a number. Received: ${received}`, {
    argument: 'regularizer',
    expected: 'a scalar tensor or a number',
    received,
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
