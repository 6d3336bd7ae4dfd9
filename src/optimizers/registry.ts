/**
 * Keras's built-in optimizers by the lower-case class name that
 * `keras.optimizers.get` and `deserialize` accept (Keras lower-cases a
 * built-in `class_name` before looking it up).
 */
import { Adadelta } from './adadelta.js';
import { Adafactor } from './adafactor.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { Adamax } from './adamax.js';
import { Ftrl } from './ftrl.js';
import { Lamb } from './lamb.js';
import { Lion } from './lion.js';
import { Nadam } from './nadam.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/** An optimizer class as the registry sees it: options in, optimizer out. */
export type OptimizerClass = new (options?: Record<string, unknown>) => Optimizer;

/** Every built-in optimizer by its lower-case class name. */
export const OPTIMIZER_CLASSES: ReadonlyMap<string, OptimizerClass> = new Map<string, OptimizerClass>([
  ['sgd', SGD],
  ['adam', Adam as OptimizerClass],
  ['adamw', AdamW],
  ['rmsprop', RMSprop],
  ['adagrad', Adagrad],
  ['adadelta', Adadelta],
  ['adamax', Adamax],
  ['nadam', Nadam],
  ['lion', Lion],
  ['ftrl', Ftrl],
  ['adafactor', Adafactor],
  // Keras 3.15.1 reads Lamb's JSON (`module: keras.optimizers`) but its get('lamb') does not; ours takes both.
  ['lamb', Lamb],
]);

/** The names `get` accepts, in the order the error message lists them. */
export const OPTIMIZER_NAMES: readonly string[] = [...OPTIMIZER_CLASSES.keys()];
