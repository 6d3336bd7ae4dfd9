/**
 * The `optimizers` namespace, Keras's `keras.optimizers`: Keras 3's update
 * rules (SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Lion,
 * Ftrl, Adafactor, Lamb) with Keras's base options (clipping, weight decay,
 * moving averages, gradient accumulation, loss scale), by class or by name,
 * and learning-rate schedules (`optimizers.schedules`).
 *
 * @packageDocumentation
 * @example model.compile({ optimizer: new optimizers.Adam({ learningRate: 1e-3, clipnorm: 1 }), loss: 'mse' })
 */
import { ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';
import { isPlainObject } from '../utils/objects.js';
import { Optimizer } from './optimizer.js';
import { OPTIMIZER_CLASSES, OPTIMIZER_NAMES } from './registry.js';
import { deserialize } from './serialization.js';

export { Adadelta, type AdadeltaOptions } from './adadelta.js';
export { Adafactor, type AdafactorOptions } from './adafactor.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { Adam, type AdamOptions, AdamW } from './adam.js';
export { Adamax, type AdamaxOptions } from './adamax.js';
export { Ftrl, type FtrlOptions } from './ftrl.js';
export { Lamb, type LambOptions } from './lamb.js';
export { Lion, type LionOptions } from './lion.js';
export { Nadam, type NadamOptions } from './nadam.js';
export { Optimizer, type OptimizerOptions } from './optimizer.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export * as schedules from './schedules/index.js';
export { deserialize, serialize } from './serialization.js';
export { SGD, type SGDOptions } from './sgd.js';

/** An optimizer's Keras JSON, as `serialize` writes it and `get`/`deserialize` read it. */
export interface OptimizerJson {
  class_name: string;
  config: Record<string, unknown>;
  module?: string;
  registered_name?: string | null;
}

/** Keras's optimizer names, for autocompletion (case-insensitive at run time). */
export type OptimizerName =
  | 'sgd'
  | 'adam'
  | 'adamw'
  | 'rmsprop'
  | 'adagrad'
  | 'adadelta'
  | 'adamax'
  | 'nadam'
  | 'lion'
  | 'ftrl'
  | 'adafactor'
  | 'lamb';

/**
 * An optimizer by Keras name (`"sgd"`, `"adam"`, `"rmsprop"`, ..., any case;
 * a new one with Keras's defaults), from its Keras JSON (`{ class_name, config }`),
 * or as is. Keras's `keras.optimizers.get`.
 *
 * @example optimizers.get('adam') // new Adam({ learningRate: 0.001 })
 */
export function get(identifier: OptimizerName | (string & {}) | Optimizer | OptimizerJson): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (isPlainObject(identifier)) return deserialize(identifier);
  const make = typeof identifier === 'string' ? OPTIMIZER_CLASSES.get(identifier.toLowerCase()) : undefined;
  if (make == null) {
    const names = OPTIMIZER_NAMES.map((n) => `"${n}"`).join(', ');
    throw new ValueError(
      `Could not interpret optimizer identifier: ${formatValue(identifier)}. Expected one of ${names} or an Optimizer.`,
      {
        argument: 'optimizer',
        expected: `${OPTIMIZER_NAMES.join(', ')} or an Optimizer`,
        received: formatValue(identifier),
      },
    );
  }
  return new make();
}
