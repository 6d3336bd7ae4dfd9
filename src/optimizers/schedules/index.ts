/**
 * The `optimizers.schedules` namespace, Keras's
 * `keras.optimizers.schedules`: learning rates as functions of the
 * optimizer's step, given as an optimizer's `learningRate`, and their Keras
 * JSON (as it sits in an optimizer's config).
 *
 * @packageDocumentation
 * @example new optimizers.SGD({ learningRate: new optimizers.schedules.CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 }) })
 */
import { ValueError } from '../../errors.js';
import type { KerasObjectJson } from '../../serialization/keras-json.js';
import {
  type DeserializableClass,
  type DeserializeOptions,
  deserializeKerasObject,
  type ObjectFamily,
  serializeKerasObject,
} from '../../serialization/serialization.js';
import { formatValue } from '../../utils/format.js';
import { CosineDecay } from './cosine-decay.js';
import { CosineDecayRestarts } from './cosine-decay-restarts.js';
import { ExponentialDecay } from './exponential-decay.js';
import { InverseTimeDecay } from './inverse-time-decay.js';
import { LearningRateSchedule } from './learning-rate-schedule.js';
import { PiecewiseConstantDecay } from './piecewise-constant-decay.js';
import { PolynomialDecay } from './polynomial-decay.js';

export { CosineDecay, type CosineDecayOptions } from './cosine-decay.js';
export { CosineDecayRestarts, type CosineDecayRestartsOptions } from './cosine-decay-restarts.js';
export { ExponentialDecay, type ExponentialDecayOptions } from './exponential-decay.js';
export { InverseTimeDecay, type InverseTimeDecayOptions } from './inverse-time-decay.js';
export { LearningRateSchedule } from './learning-rate-schedule.js';
export { PiecewiseConstantDecay, type PiecewiseConstantDecayOptions } from './piecewise-constant-decay.js';
export { PolynomialDecay, type PolynomialDecayOptions } from './polynomial-decay.js';

/** Keras's built-in schedules, by the `class_name` Keras writes (Keras resolves them from its module globals). */
const SCHEDULES: ObjectFamily = {
  kind: 'learning rate schedule',
  module: 'keras.optimizers.schedules',
  classes: new Map<string, DeserializableClass>([
    ['ExponentialDecay', ExponentialDecay],
    ['PiecewiseConstantDecay', PiecewiseConstantDecay],
    ['PolynomialDecay', PolynomialDecay],
    ['InverseTimeDecay', InverseTimeDecay],
    ['CosineDecay', CosineDecay],
    ['CosineDecayRestarts', CosineDecayRestarts],
  ]),
};

/**
 * A schedule as Keras JSON, `{ module, class_name, config, registered_name }`,
 * exactly as Keras writes it as an optimizer's `learning_rate`. A custom
 * schedule registered with `saving.registerSerializable` carries its
 * registered name.
 *
 * @example optimizers.schedules.serializeSchedule(new optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.9 }))
 * // { module: 'keras.optimizers.schedules', class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 100, decay_rate: 0.9, staircase: false, name: 'ExponentialDecay' }, registered_name: null }
 */
export function serializeSchedule(schedule: LearningRateSchedule): KerasObjectJson<Record<string, unknown>> {
  if (!(schedule instanceof LearningRateSchedule)) {
    throw new ValueError(`Cannot serialize ${formatValue(schedule)}: expected a LearningRateSchedule.`, {
      argument: 'schedule',
      expected: 'a LearningRateSchedule',
      received: formatValue(schedule),
    });
  }
  return serializeKerasObject(schedule, SCHEDULES) as KerasObjectJson<Record<string, unknown>>;
}

/**
 * Rebuilds a schedule from Keras JSON (Keras's
 * `keras.optimizers.schedules.deserialize`): a built-in by class name, a
 * registered class, or one of `customObjects`.
 *
 * @example optimizers.schedules.deserializeSchedule({ class_name: 'CosineDecay', config: { initial_learning_rate: 0.1, decay_steps: 1000 } })
 */
export function deserializeSchedule(json: unknown, options: DeserializeOptions = {}): LearningRateSchedule {
  const schedule = deserializeKerasObject(json, SCHEDULES, options);
  if (!(schedule instanceof LearningRateSchedule)) {
    throw new ValueError(
      `Could not interpret learning rate schedule config: it did not make a LearningRateSchedule. Received: ${formatValue(json)}`,
      { argument: 'schedule', expected: 'a LearningRateSchedule config', received: formatValue(json) },
    );
  }
  return schedule;
}

/** Keras's name for `serializeSchedule`: `keras.optimizers.schedules.serialize`. */
export const serialize = serializeSchedule;
/** Keras's name for `deserializeSchedule`: `keras.optimizers.schedules.deserialize`. */
export const deserialize = deserializeSchedule;
