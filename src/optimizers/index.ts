/**
 * The `optimizers` namespace, Keras's `keras.optimizers`: Keras 3's update
 * rules (SGD, Adam, AdamW, RMSprop), by class or by name.
 *
 * @packageDocumentation
 * @example model.compile({ optimizer: new optimizers.Adam({ learningRate: 1e-3 }), loss: 'mse' })
 */
import { ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';
import { Adam, AdamW } from './adam.js';
import { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

export { Adam, type AdamOptions, AdamW } from './adam.js';
export { Optimizer, type OptimizerOptions } from './optimizer.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export * as schedules from './schedules/index.js';
export { deserialize, serialize } from './serialization.js';
export { SGD, type SGDOptions } from './sgd.js';

const BY_NAME = new Map<string, () => Optimizer>([
  ['sgd', () => new SGD()],
  ['adam', () => new Adam()],
  ['adamw', () => new AdamW()],
  ['rmsprop', () => new RMSprop()],
]);

/** Keras's optimizer names, for autocompletion (case-insensitive at run time). */
export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop';

/**
 * An optimizer by Keras name (`"sgd"`, `"adam"`, `"adamw"`, `"rmsprop"`, any
 * case; a new one with Keras's defaults) or as is. Keras's `keras.optimizers.get`.
 *
 * @example optimizers.get('adam') // new Adam({ learningRate: 0.001 })
 */
export function get(identifier: OptimizerName | (string & {}) | Optimizer): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  const make = typeof identifier === 'string' ? BY_NAME.get(identifier.toLowerCase()) : undefined;
  if (make == null) {
    throw new ValueError(
      `Could not interpret optimizer identifier: ${formatValue(identifier)}. Expected one of "sgd", "adam", "adamw", "rmsprop" or an Optimizer.`,
      {
        argument: 'optimizer',
        expected: 'sgd, adam, adamw, rmsprop or an Optimizer',
        received: formatValue(identifier),
      },
    );
  }
  return make();
}
