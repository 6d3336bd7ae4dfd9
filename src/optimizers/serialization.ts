/** Optimizers in Keras 3 JSON, as `compile_config.optimizer` holds them. */
import { KerasTypeError, ValueError } from '../errors.js';
import { classNameToSnake, configToSnake, snakeToCamel } from '../serialization/case.js';
import type { KerasObjectJson } from '../serialization/keras-json.js';
import { classNameOfInstance } from '../utils/class-name.js';
import { formatValue } from '../utils/format.js';
import { isPlainObject, ownValue } from '../utils/objects.js';
import { Adam, AdamW } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/** The options each optimizer takes (camelCase); the JSON spells them as Keras does. */
const OPTION_NAMES = new Set([
  'learningRate',
  'weightDecay',
  'momentum',
  'nesterov',
  'beta1',
  'beta2',
  'epsilon',
  'rho',
]);

/** Keras options we do not implement, with the value that means "off". */
const UNSUPPORTED_DEFAULTS: Readonly<Record<string, unknown>> = {
  clipnorm: null,
  global_clipnorm: null,
  clipvalue: null,
  use_ema: false,
  ema_momentum: 0.99,
  ema_overwrite_frequency: null,
  loss_scale_factor: null,
  gradient_accumulation_steps: null,
  amsgrad: false,
  centered: false,
};

const CLASSES = new Map<string, (options: Record<string, unknown>) => Optimizer>([
  ['SGD', (o) => new SGD(o)],
  ['Adam', (o) => new Adam(o)],
  ['AdamW', (o) => new AdamW(o)],
  ['RMSprop', (o) => new RMSprop(o)],
]);

const EXTRAS: Readonly<Record<string, string[]>> = { Adam: ['amsgrad'], AdamW: ['amsgrad'], RMSprop: ['centered'] };

/**
 * Keras's `keras.optimizers.serialize`: an optimizer as Keras 3 JSON, with
 * every option Keras writes (those we do not implement at their "off" value).
 *
 * @example optimizers.serialize(new optimizers.SGD({ momentum: 0.9 })) // { module: 'keras.optimizers', class_name: 'SGD', config: { ... } }
 */
export function serialize(optimizer: Optimizer): KerasObjectJson<Record<string, unknown>> {
  const className = classNameOfInstance(optimizer);
  // Keras's key order: the base optimizer's options, then the class's own.
  const { learning_rate, weight_decay, ...own } = configToSnake(optimizer.getConfig());
  const config: Record<string, unknown> = { name: classNameToSnake(className), learning_rate, weight_decay };
  for (const key of [
    'clipnorm',
    'global_clipnorm',
    'clipvalue',
    'use_ema',
    'ema_momentum',
    'ema_overwrite_frequency',
    'loss_scale_factor',
    'gradient_accumulation_steps',
  ]) {
    config[key] = UNSUPPORTED_DEFAULTS[key];
  }
  Object.assign(config, own);
  for (const key of EXTRAS[className] ?? []) config[key] = false;
  return { module: 'keras.optimizers', class_name: className, config, registered_name: null };
}

/**
 * Rebuilds an optimizer from Keras JSON (Keras's `keras.optimizers.deserialize`);
 * options we do not implement must be off.
 */
export function deserialize(json: unknown): Optimizer {
  const className = isPlainObject(json) ? ownValue(json, 'class_name') : undefined;
  const make = typeof className === 'string' ? CLASSES.get(className) : undefined;
  const config = isPlainObject(json) ? ownValue(json, 'config') : undefined;
  if (make == null || !isPlainObject(config)) {
    throw new ValueError(
      `Could not interpret optimizer config: expected {class_name: "SGD" | "Adam" | "AdamW" | "RMSprop", config: {...}}. Received: ${formatValue(json)}`,
      { argument: 'optimizer', expected: 'SGD, Adam, AdamW or RMSprop', received: formatValue(json) },
    );
  }
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === 'name') continue;
    if (Object.hasOwn(UNSUPPORTED_DEFAULTS, key)) {
      if (value !== UNSUPPORTED_DEFAULTS[key] && !(key === 'ema_momentum')) {
        throw new ValueError(
          `Unsupported optimizer option ${key}=${formatValue(value)} in ${className}: only ${formatValue(UNSUPPORTED_DEFAULTS[key])} is supported.`,
          { argument: key, expected: formatValue(UNSUPPORTED_DEFAULTS[key]), received: formatValue(value) },
        );
      }
      continue;
    }
    const camel = snakeToCamel(key);
    if (!OPTION_NAMES.has(camel)) {
      throw new KerasTypeError(`${className} got an unexpected option ${JSON.stringify(key)} in its config.`, {
        argument: key,
        received: formatValue(value),
      });
    }
    if (value === null && camel !== 'weightDecay') {
      // Keras refuses these too (`learning_rate=None` is "should be float").
      throw new ValueError(
        `Invalid value for argument ${key} in the ${className} config: expected a number. Received: ${key}=null`,
        { argument: key, expected: 'a number', received: 'null' },
      );
    }
    options[camel] = value;
  }
  return make(options);
}
