/**
 * A bridge to tfjs-layers, for code that uses `@tensorflow/tfjs-layers`
 * (which this library does not depend on: pass its module in).
 *
 * - `registerTfjsLayersRegularizers(tfl)` registers Keras-compatible `L1`,
 *   `L2`, `L1L2` and `OrthogonalRegularizer` with tfjs's serialization, so
 *   `tfl.loadLayersModel` reads model.json files whose regularizers Keras
 *   wrote (tfjs-layers alone knows only `L1L2` and fails on "Unknown
 *   regularizer: L2").
 * - `toTfjsLayersRegularizer(reg, tfl)` wraps any of our regularizers (or a
 *   plain function) as a tfjs-layers regularizer, for `kernelRegularizer` of
 *   a tfjs-layers layer.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import {
  computePenalty,
  L1,
  L1L2,
  L2,
  OrthogonalRegularizer,
  Regularizer,
  type RegularizerClass,
  type RegularizerLike,
} from '../regularizers/index.js';
import { classNameOfInstance } from '../utils/class-name.js';

/** The part of the `@tensorflow/tfjs-layers` module the bridge uses. */
export interface TfjsLayersModule {
  regularizers: { l1l2(config?: { l1?: number; l2?: number }): object };
}

/** A tfjs-layers regularizer: what its layers call and serialize. */
export interface TfjsLayersRegularizer {
  apply(x: tf.Tensor): tf.Scalar;
  getConfig(): tf.serialization.ConfigDict;
  getClassName(): string;
}

type BridgeClass = (new (
  config?: tf.serialization.ConfigDict,
  inner?: RegularizerLike,
) => TfjsLayersRegularizer) & { className: string };

const BUILTINS: readonly RegularizerClass[] = [L1, L2, L1L2, OrthogonalRegularizer];
const bridges = new WeakMap<object, Map<string, BridgeClass>>();

/** tfjs-layers does not export its Regularizer base; it is the parent of its L1L2 class. */
function tfjsRegularizerBase(tfl: TfjsLayersModule): new () => object {
  const sample = tfl?.regularizers?.l1l2?.();
  const base = sample == null ? null : Object.getPrototypeOf(sample.constructor);
  if (typeof base !== 'function') {
    throw invalidArgument('tfl', 'the @tensorflow/tfjs-layers module', tfl);
  }
  return base as new () => object;
}

/** One tfjs-layers class per (tfjs-layers module, class name), wrapping ours. */
function bridgeClass(
  tfl: TfjsLayersModule,
  className: string,
  make: (config: Record<string, unknown>) => RegularizerLike,
): BridgeClass {
  let classes = bridges.get(tfl);
  if (classes == null) {
    classes = new Map();
    bridges.set(tfl, classes);
  }
  const existing = classes.get(className);
  if (existing != null) return existing;
  const Base = tfjsRegularizerBase(tfl);
  const Bridge = class extends Base {
    static className = className;
    readonly inner: RegularizerLike;

    constructor(config: tf.serialization.ConfigDict = {}, inner?: RegularizerLike) {
      super();
      // tfjs-layers passes its customObjects inside the config; they are not an option.
      const { customObjects: _, ...options } = config as Record<string, unknown>;
      this.inner = inner ?? make(options);
    }

    apply(x: tf.Tensor): tf.Scalar {
      return computePenalty(this.inner, x);
    }

    getConfig(): tf.serialization.ConfigDict {
      return this.inner instanceof Regularizer ? (this.inner.getConfig() as tf.serialization.ConfigDict) : {};
    }

    getClassName(): string {
      return className;
    }

    static fromConfig<T>(cls: new (config: tf.serialization.ConfigDict) => T, config: tf.serialization.ConfigDict): T {
      return new cls(config);
    }
  } as unknown as BridgeClass;
  classes.set(className, Bridge);
  return Bridge;
}

/**
 * Registers Keras-compatible `L1`, `L2`, `L1L2` and `OrthogonalRegularizer`
 * with tfjs's serialization registry (which tfjs-layers reads). Keras's
 * `L1L2` replaces tfjs-layers' own (same math; Keras's defaults).
 */
export function registerTfjsLayersRegularizers(tfl: TfjsLayersModule): void {
  for (const cls of BUILTINS) {
    const className = cls.className as string;
    tf.serialization.registerClass(
      bridgeClass(tfl, className, (config) =>
        cls.fromConfig(config),
      ) as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
    );
  }
}

/** Our regularizer (or function) as a tfjs-layers regularizer, e.g. for `tfl.layers.dense({ kernelRegularizer })`. */
export function toTfjsLayersRegularizer(regularizer: RegularizerLike, tfl: TfjsLayersModule): TfjsLayersRegularizer {
  if (!(regularizer instanceof Regularizer) && typeof regularizer !== 'function') {
    throw invalidArgument('regularizer', 'a Regularizer or a function', regularizer);
  }
  const className =
    regularizer instanceof Regularizer ? classNameOfInstance(regularizer) : regularizer.name || 'function';
  const Bridge = bridgeClass(tfl, `keras-regularizers:${className}`, () => {
    throw new ValueError(`A wrapped ${className} cannot be rebuilt from a tfjs-layers config; register it instead.`);
  });
  return new Bridge({}, regularizer);
}
