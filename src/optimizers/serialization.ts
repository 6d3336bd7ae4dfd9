/** Optimizers in Keras 3 JSON, as `compile_config.optimizer` holds them. */
import { KerasTypeError, ValueError } from '../errors.js';
import { camelToSnake, snakeToCamel } from '../serialization/case.js';
import type { KerasObjectJson } from '../serialization/keras-json.js';
import type { DeserializeOptions } from '../serialization/serialization.js';
import { classNameOfInstance } from '../utils/class-name.js';
import { formatValue } from '../utils/format.js';
import { isPlainObject, ownValue } from '../utils/objects.js';
import type { Optimizer } from './optimizer.js';
import { OPTIMIZER_CLASSES } from './registry.js';
import { deserializeSchedule, serializeSchedule } from './schedules/index.js';
import { LearningRateSchedule } from './schedules/learning-rate-schedule.js';

/** Base options Keras writes as null when they are off. */
const NULLABLE = new Set([
  'weight_decay',
  'clipnorm',
  'clipvalue',
  'global_clipnorm',
  'ema_overwrite_frequency',
  'loss_scale_factor',
  'gradient_accumulation_steps',
  'name',
]);

/**
 * Keras's `keras.optimizers.serialize`: an optimizer as Keras 3 JSON, its
 * `get_config` keys in Keras's order; the learning rate as Keras writes it
 * (the float32 value of its variable, e.g. 0.009999999776482582 for 0.01)
 * or as the schedule's JSON.
 *
 * @example optimizers.serialize(new optimizers.SGD({ momentum: 0.9 })) // { module: 'keras.optimizers', class_name: 'SGD', config: { ... } }
 */
export function serialize(optimizer: Optimizer): KerasObjectJson<Record<string, unknown>> {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(optimizer.getConfig())) {
    if (key === 'learningRate') {
      config.learning_rate =
        value instanceof LearningRateSchedule ? serializeSchedule(value) : Math.fround(value as number);
    } else {
      config[camelToSnake(key)] = value;
    }
  }
  return { module: 'keras.optimizers', class_name: classNameOfInstance(optimizer), config, registered_name: null };
}

/**
 * Rebuilds an optimizer from Keras JSON (Keras's `keras.optimizers.deserialize`):
 * any of the built-in optimizers by `class_name` (any case), with a
 * schedule as `learning_rate` rebuilt by `optimizers.schedules.deserialize`
 * (`options.customObjects` reach a custom schedule).
 *
 * @example optimizers.deserialize({ class_name: 'Adam', config: { learning_rate: 0.01, clipnorm: 1 } })
 */
export function deserialize(json: unknown, options: DeserializeOptions = {}): Optimizer {
  const className = isPlainObject(json) ? ownValue(json, 'class_name') : undefined;
  const make = typeof className === 'string' ? OPTIMIZER_CLASSES.get(className.toLowerCase()) : undefined;
  const config = isPlainObject(json) ? ownValue(json, 'config') : undefined;
  if (make == null || !isPlainObject(config)) {
    const names = [...OPTIMIZER_CLASSES.values()].map((cls) => (cls as unknown as { className: string }).className);
    throw new ValueError(
      `Could not interpret optimizer config: expected {class_name: ${names.map((n) => JSON.stringify(n)).join(' | ')}, config: {...}}. Received: ${formatValue(json)}`,
      { argument: 'optimizer', expected: `one of ${names.join(', ')}`, received: formatValue(json) },
    );
  }
  const name = (make as unknown as { className: string }).className;
  const camelOptions: Record<string, unknown> = {};
  const snakeOf = new Map<string, string>();
  for (const [key, value] of Object.entries(config)) {
    if (value === null && !NULLABLE.has(key)) {
      // Keras refuses these too (`learning_rate=None` is "should be float").
      throw new ValueError(
        `Invalid value for argument ${key} in the ${name} config: expected a number. Received: ${key}=null`,
        { argument: key, expected: 'a number', received: 'null' },
      );
    }
    const camel = snakeToCamel(key);
    snakeOf.set(camel, key);
    camelOptions[camel] = key === 'learning_rate' && isPlainObject(value) ? deserializeSchedule(value, options) : value;
  }
  try {
    return new make(camelOptions);
  } catch (error) {
    // An unknown key is named as the config spells it.
    if (error instanceof KerasTypeError && error.argument != null && snakeOf.has(error.argument)) {
      const key = snakeOf.get(error.argument) as string;
      throw new KerasTypeError(`${name} got an unexpected option ${JSON.stringify(key)} in its config.`, {
        argument: key,
        received: formatValue(config[key]),
      });
    }
    throw error;
  }
}
