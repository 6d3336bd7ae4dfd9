/**
 * The `activations` namespace, Keras's `keras.activations`: the activation
 * functions by name. A layer's `activation` option takes one of these names
 * or any function.
 *
 * @packageDocumentation
 * @example const relu = activations.get('relu');
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';

/** An activation function: a tensor in, a tensor of the same shape out. */
export type Activation = (x: tf.Tensor) => tf.Tensor;

/** Keras name → function. Each is one line of math, as Keras defines it. */
const ACTIVATIONS = new Map<string, Activation>([
  ['linear', (x) => x],
  ['relu', (x) => tf.relu(x)],
  ['relu6', (x) => tf.relu6(x)],
  ['leaky_relu', (x) => tf.leakyRelu(x, 0.2)],
  ['elu', (x) => tf.elu(x)],
  ['selu', (x) => tf.selu(x)],
  ['sigmoid', (x) => tf.sigmoid(x)],
  ['hard_sigmoid', (x) => tf.div(tf.relu6(tf.add(x, 3)), 6)],
  // MobileNetV3's activation: x * hard_sigmoid(x), as jax.nn.hard_silu.
  ['hard_silu', (x) => tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6))],
  ['tanh', (x) => tf.tanh(x)],
  ['softmax', (x) => tf.softmax(x, -1)],
  ['log_softmax', (x) => tf.logSoftmax(x, -1)],
  ['softplus', (x) => tf.softplus(x)],
  ['softsign', (x) => tf.div(x, tf.add(tf.abs(x), 1))],
  ['silu', (x) => tf.mul(x, tf.sigmoid(x))],
  ['gelu', (x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))))],
  ['exponential', (x) => tf.exp(x)],
  ['mish', (x) => tf.mul(x, tf.tanh(tf.softplus(x)))],
]);
// Keras serializes `swish` as `silu`: the same function.
const ALIASES = new Map<string, string>([
  ['swish', 'silu'],
  ['hard_swish', 'hard_silu'],
]);
const NAMES = new Map<Activation, string>([...ACTIVATIONS].map(([name, fn]) => [fn, name]));

/** Keras's activation names, for autocompletion (`get` checks them at run time). */
export const ACTIVATION_NAMES = [
  'linear',
  'relu',
  'relu6',
  'leaky_relu',
  'elu',
  'selu',
  'sigmoid',
  'hard_sigmoid',
  'hard_silu',
  'tanh',
  'softmax',
  'log_softmax',
  'softplus',
  'softsign',
  'silu',
  'gelu',
  'exponential',
  'mish',
  'swish',
  'hard_swish',
] as const;

/** An activation by Keras name; any string is accepted by the type, so a misspelling is a run-time error that lists the names. */
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** What a layer's `activation` option takes: a Keras name, a function, or null (linear). */
// `string & {}` keeps the names offered by editors while any string still type-checks.
export type ActivationIdentifier = ActivationName | (string & {}) | Activation | null | undefined;

/** The names `get` accepts. */
export function names(): string[] {
  return [...ACTIVATIONS.keys(), ...ALIASES.keys()];
}

/** Resolves an activation: `null`/`undefined` → `linear`; a name; or a function (returned as is). */
export function get(identifier: ActivationIdentifier): Activation {
  if (identifier == null) return ACTIVATIONS.get('linear') as Activation;
  if (typeof identifier === 'function') return identifier;
  if (typeof identifier === 'string') {
    const fn = ACTIVATIONS.get(ALIASES.get(identifier) ?? identifier);
    if (fn != null) return fn;
  }
  throw new ValueError(
    `Could not interpret activation function identifier: ${formatValue(identifier)}. Expected one of ${names().join(', ')} or a function.`,
    { argument: 'activation', expected: names().join(', '), received: formatValue(identifier) },
  );
}

/** The Keras name of a built-in activation; a custom function serializes by its own name. */
export function serialize(activation: Activation): string {
  return NAMES.get(activation) ?? activation.name;
}
