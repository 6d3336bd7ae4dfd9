/**
 * The options every optimizer takes (Keras's `BaseOptimizer.__init__`
 * arguments, camelCased) and their checks: each bad value is an error naming
 * the option, and Keras's rule that only one of the three clippings is set.
 */
import { invalidArgument, KerasTypeError, ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';
import { LearningRateSchedule } from './schedules/learning-rate-schedule.js';

/** The options every optimizer takes, Keras's `BaseOptimizer` arguments camelCased. */
export interface OptimizerOptions {
  /** Step size, or a schedule of it evaluated at each step; default per optimizer (Keras: 0.01 for SGD, 0.001 for most). */
  learningRate?: number | LearningRateSchedule;
  /** Decoupled weight decay: `w -= learningRate * weightDecay * w` before each update (AdamW's, any optimizer's). */
  weightDecay?: number | null;
  /** Clips each gradient to this L2 norm (Keras's `clipnorm`). */
  clipnorm?: number | null;
  /** Clips each gradient element to `[-clipvalue, clipvalue]` (Keras's `clipvalue`). */
  clipvalue?: number | null;
  /** Scales all gradients together so that their joint L2 norm is at most this (Keras's `global_clipnorm`). */
  globalClipnorm?: number | null;
  /** Keeps an exponential moving average of the weights (Keras's `use_ema`); default false. */
  useEma?: boolean;
  /** `average = emaMomentum * average + (1 - emaMomentum) * weight`, in [0, 1]; default 0.99. */
  emaMomentum?: number;
  /** Every this many steps the weights are overwritten by their averages; default null (never: see `finalizeVariableValues`). */
  emaOverwriteFrequency?: number | null;
  /** Gradients are divided by this before the update (the training step multiplies the loss by it, `scaleLoss`). */
  lossScaleFactor?: number | null;
  /** Updates only every this many steps (>= 2), with the mean of the gradients since the last update. */
  gradientAccumulationSteps?: number | null;
  /** The optimizer's name (Keras's `name`); default the class name in snake_case as Keras's `auto_name` makes it (`"sgd"`, `"adam_w"`, `"rm_sprop"`). */
  name?: string;
}

/** The base options, validated: every one present, with Keras's defaults. */
export interface BaseSettings {
  learningRate: number | LearningRateSchedule;
  weightDecay: number | null;
  clipnorm: number | null;
  clipvalue: number | null;
  globalClipnorm: number | null;
  useEma: boolean;
  emaMomentum: number;
  emaOverwriteFrequency: number | null;
  lossScaleFactor: number | null;
  gradientAccumulationSteps: number | null;
  name: string | null;
}

/** The base options after the optimizer's own, in Keras's signature order. */
const AFTER_OWN = [
  'clipnorm',
  'clipvalue',
  'globalClipnorm',
  'useEma',
  'emaMomentum',
  'emaOverwriteFrequency',
  'lossScaleFactor',
  'gradientAccumulationSteps',
  'name',
];

/**
 * The option names of an optimizer in Keras's signature order:
 * `learningRate`, the optimizer's own, `weightDecay`, then the rest of the
 * base options (AdamW puts `weightDecay` right after `learningRate`, as Keras does).
 */
export function optimizerOptionNames(own: readonly string[], weightDecayFirst = false): string[] {
  return weightDecayFirst
    ? ['learningRate', 'weightDecay', ...own, ...AFTER_OWN]
    : ['learningRate', ...own, 'weightDecay', ...AFTER_OWN];
}

/** Checks the base options (Keras's rules) and fills in the defaults. */
export function readBaseSettings(options: OptimizerOptions, defaultLearningRate: number): BaseSettings {
  // Only a missing option takes the default: null is an error, as in Keras.
  const learningRate =
    options.learningRate instanceof LearningRateSchedule
      ? options.learningRate
      : checkLearningRate(options.learningRate === undefined ? defaultLearningRate : options.learningRate);
  const weightDecay = nullableNonNegative(options.weightDecay, 'weightDecay');
  const clipnorm = nullableNonNegative(options.clipnorm, 'clipnorm');
  const clipvalue = nullableNonNegative(options.clipvalue, 'clipvalue');
  const globalClipnorm = nullableNonNegative(options.globalClipnorm, 'globalClipnorm');
  if ([clipnorm, clipvalue, globalClipnorm].filter((v) => v != null).length > 1) {
    const received = `clipnorm=${formatValue(clipnorm)}, clipvalue=${formatValue(clipvalue)}, globalClipnorm=${formatValue(globalClipnorm)}`;
    throw new ValueError(`Only one of clipnorm, clipvalue and globalClipnorm can be set. Received: ${received}`, {
      argument: 'clipnorm',
      expected: 'at most one of clipnorm, clipvalue and globalClipnorm',
      received,
    });
  }
  const useEma = options.useEma === undefined ? false : options.useEma;
  if (typeof useEma !== 'boolean') throw invalidArgument('useEma', 'a boolean', useEma);
  const emaMomentum = options.emaMomentum === undefined ? 0.99 : options.emaMomentum;
  if (typeof emaMomentum !== 'number' || !(emaMomentum >= 0 && emaMomentum <= 1)) {
    throw invalidArgument('emaMomentum', 'a number in [0, 1]', emaMomentum);
  }
  const emaOverwriteFrequency = nullableInteger(options.emaOverwriteFrequency, 'emaOverwriteFrequency', 1);
  const lossScaleFactor = options.lossScaleFactor == null ? null : options.lossScaleFactor;
  if (
    lossScaleFactor != null &&
    !(typeof lossScaleFactor === 'number' && lossScaleFactor > 0 && Number.isFinite(lossScaleFactor))
  ) {
    throw invalidArgument('lossScaleFactor', 'a positive number or null', lossScaleFactor);
  }
  const gradientAccumulationSteps = nullableInteger(options.gradientAccumulationSteps, 'gradientAccumulationSteps', 2);
  const name = options.name == null ? null : options.name;
  if (name != null && (typeof name !== 'string' || name === '')) {
    throw invalidArgument('name', 'a non-empty string', name);
  }
  return {
    learningRate,
    weightDecay,
    clipnorm,
    clipvalue,
    globalClipnorm,
    useEma,
    emaMomentum,
    emaOverwriteFrequency,
    lossScaleFactor,
    gradientAccumulationSteps,
    name,
  };
}

/** A learning rate given as a number: finite and non-negative. */
export function checkLearningRate(value: unknown): number {
  return checkNonNegative(value, 'learningRate');
}

/** Keras's refusal to set a number on an optimizer built with a schedule. */
export function scheduleNotSettable(): KerasTypeError {
  return new KerasTypeError(
    'This optimizer was created with a LearningRateSchedule object as its learningRate constructor argument, hence its learning rate is not settable. If you need the learning rate to be settable, you should instantiate the optimizer with a number learningRate argument.',
    { argument: 'learningRate', expected: 'a LearningRateSchedule (the optimizer has one)', received: 'a number' },
  );
}

/** A finite number >= 0, else an error naming `name`. */
export function checkNonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(name, 'a non-negative number', value);
  }
  return value;
}

/** A number in [0, 1), else an error naming `name`. */
export function checkUnitInterval(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw invalidArgument(name, 'a number in [0, 1)', value);
  }
  return value;
}

/** A boolean, else an error naming `name`. */
export function checkBooleanOption(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw invalidArgument(name, 'a boolean', value);
  return value;
}

function nullableNonNegative(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(name, 'a non-negative number or null', value);
  }
  return value;
}

function nullableInteger(value: unknown, name: string, min: number): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalidArgument(name, `an integer >= ${min} or null`, value);
  }
  return value;
}

/** The moment settings of the Adam family, read and checked. */
export interface MomentSettings {
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * `beta1` and `beta2` (in [0, 1); defaults 0.9 and 0.999) and `epsilon`
 * (>= 0; default 1e-7), as Adam, Adamax, Lamb and Nadam all read them.
 */
export function readMomentOptions(read: { beta1?: unknown; beta2?: unknown; epsilon?: unknown }): MomentSettings {
  return {
    beta1: checkUnitInterval(read.beta1 === undefined ? 0.9 : read.beta1, 'beta1'),
    beta2: checkUnitInterval(read.beta2 === undefined ? 0.999 : read.beta2, 'beta2'),
    epsilon: checkNonNegative(read.epsilon === undefined ? 1e-7 : read.epsilon, 'epsilon'),
  };
}
