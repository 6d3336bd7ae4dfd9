/**
 * The options MultiHeadAttention and GroupedQueryAttention share, as Keras
 * has them: dropout, bias, gate, sliding window, and the initializers and
 * regularizers and constraints every projection gets (Keras's
 * `_get_common_kwargs_for_sublayer`).
 */

import { constraintOption } from '../../constraints/identifiers.js';
import * as constraints from '../../constraints/index.js';
import { invalidArgument, ValueError } from '../../errors.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import { formatValue } from '../../utils/format.js';
import { checkBoolean } from '../layer-checks.js';
import type { LayerOptions } from '../layer-types.js';
import { cloneInitializer } from './attention-core.js';

/** Options shared by MultiHeadAttention and GroupedQueryAttention. */
export interface AttentionOptions extends LayerOptions {
  /** Dropout of the attention weights, in [0, 1); default 0. */
  dropout?: number;
  /** Whether the projections have biases; default true. */
  useBias?: boolean;
  /** Attend only to keys within `slidingWindow - 1` positions of the query; default null (all). */
  slidingWindow?: number | null;
  /** Gate the attention output by `sigmoid` of another projection of the query; default false. */
  useGate?: boolean;
  kernelInitializer?: initializers.InitializerIdentifier;
  biasInitializer?: initializers.InitializerIdentifier;
  /** The penalty of every projection's kernel. */
  kernelRegularizer?: regularizers.RegularizerIdentifier;
  /** The penalty of every projection's bias. */
  biasRegularizer?: regularizers.RegularizerIdentifier;
  /** Applied to every projection's kernel after each optimizer update: a constraint, its name or JSON, a function, or null. */
  kernelConstraint?: constraints.ConstraintIdentifier;
  /** Applied to every projection's bias after each optimizer update. */
  biasConstraint?: constraints.ConstraintIdentifier;
  /** Seed of the dropout. */
  seed?: number | null;
}

export const ATTENTION_OPTION_NAMES = [
  'dropout',
  'useBias',
  'slidingWindow',
  'useGate',
  'kernelInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'biasRegularizer',
  'kernelConstraint',
  'biasConstraint',
  'seed',
] as const;

/** The resolved shared options. */
export interface AttentionSettings {
  dropout: number;
  useBias: boolean;
  slidingWindow: number | null;
  useGate: boolean;
  kernelInitializer: initializers.Initializer;
  biasInitializer: initializers.Initializer;
  kernelRegularizer: regularizers.RegularizerLike | null;
  biasRegularizer: regularizers.RegularizerLike | null;
  activityRegularizer: regularizers.RegularizerLike | null;
  kernelConstraint: constraints.ConstraintLike | null;
  biasConstraint: constraints.ConstraintLike | null;
  seed: number | null;
}

export function positiveOption(value: unknown, name: string, orNull = false): number {
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw new ValueError(
      `Received an invalid value for argument \`${name}\`, expected a positive integer${orNull ? ' or null' : ''}. Received: ${name}=${formatValue(value)}`,
      {
        argument: name,
        expected: orNull ? 'a positive integer or null' : 'a positive integer',
        received: formatValue(value),
      },
    );
  }
  return value as number;
}

export function resolveAttentionOptions(options: AttentionOptions): AttentionSettings {
  const dropout = options.dropout ?? 0;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) {
    throw new ValueError(
      `Invalid value received for argument \`dropout\`. Expected a float value between 0 and 1. Received: dropout=${formatValue(dropout)}`,
      { argument: 'dropout', expected: 'a number in [0, 1)', received: formatValue(dropout) },
    );
  }
  const slidingWindow = options.slidingWindow ?? null;
  if (slidingWindow !== null && !(Number.isInteger(slidingWindow) && slidingWindow > 0)) {
    throw new ValueError(
      `\`slidingWindow\` must be null or a positive integer. Received: slidingWindow=${formatValue(slidingWindow)}`,
      { argument: 'slidingWindow', expected: 'null or a positive integer', received: formatValue(slidingWindow) },
    );
  }
  const seed = options.seed ?? null;
  if (seed !== null && !Number.isInteger(seed)) throw invalidArgument('seed', 'an integer or null', seed);
  return {
    dropout,
    useBias: checkBoolean(options.useBias ?? true, 'useBias'),
    slidingWindow,
    useGate: checkBoolean(options.useGate ?? false, 'useGate'),
    kernelInitializer: initializers.get(options.kernelInitializer ?? 'glorot_uniform') as initializers.Initializer,
    biasInitializer: initializers.get(options.biasInitializer ?? 'zeros') as initializers.Initializer,
    kernelRegularizer: regularizers.get(options.kernelRegularizer),
    biasRegularizer: regularizers.get(options.biasRegularizer),
    activityRegularizer: regularizers.get(
      (options as { activityRegularizer?: regularizers.RegularizerIdentifier }).activityRegularizer,
    ),
    kernelConstraint: constraintOption('kernelConstraint', options.kernelConstraint),
    biasConstraint: constraintOption('biasConstraint', options.biasConstraint),
    seed,
  };
}

/** What every projection gets (Keras's `_get_common_kwargs_for_sublayer`): the regularizers, constraints, fresh initializers. */
export function projectionOptions(settings: AttentionSettings) {
  return {
    kernelRegularizer: settings.kernelRegularizer,
    biasRegularizer: settings.biasRegularizer,
    activityRegularizer: settings.activityRegularizer,
    kernelConstraint: settings.kernelConstraint,
    biasConstraint: settings.biasConstraint,
    kernelInitializer: cloneInitializer(settings.kernelInitializer),
    biasInitializer: cloneInitializer(settings.biasInitializer),
  };
}

/** The keys of the shared options in a config, Keras's forms. */
export function attentionConfig(settings: AttentionSettings): Record<string, unknown> {
  return {
    kernelInitializer: initializers.serialize(settings.kernelInitializer),
    biasInitializer: initializers.serialize(settings.biasInitializer),
    kernelRegularizer: regularizers.serialize(settings.kernelRegularizer),
    biasRegularizer: regularizers.serialize(settings.biasRegularizer),
    activityRegularizer: regularizers.serialize(settings.activityRegularizer),
    kernelConstraint: constraints.serialize(settings.kernelConstraint),
    biasConstraint: constraints.serialize(settings.biasConstraint),
    seed: settings.seed,
  };
}
