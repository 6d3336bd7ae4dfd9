/** The kernel/bias options that Dense and the Conv layers share, and their checks. */
import * as activations from '../activations/index.js';
import { ValueError } from '../errors.js';
import * as initializers from '../initializers/index.js';
import * as regularizers from '../regularizers/index.js';
import { formatValue } from '../utils/format.js';

export interface KernelBiasOptions {
  /** A Keras activation name or a function; default `"linear"`. */
  activation?: string | activations.Activation | null;
  useBias?: boolean;
  kernelInitializer?: initializers.InitializerIdentifier;
  biasInitializer?: initializers.InitializerIdentifier;
  kernelRegularizer?: regularizers.RegularizerIdentifier;
  biasRegularizer?: regularizers.RegularizerIdentifier;
  /** Constraints are not supported; only `null` is accepted (what Keras writes when unset). */
  kernelConstraint?: null;
  biasConstraint?: null;
}

export const KERNEL_BIAS_OPTION_NAMES = [
  'activation',
  'useBias',
  'kernelInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'biasRegularizer',
  'kernelConstraint',
  'biasConstraint',
] as const;

/** The resolved form of {@link KernelBiasOptions}. */
export interface KernelBiasSettings {
  activation: activations.Activation;
  useBias: boolean;
  kernelInitializer: initializers.Initializer;
  biasInitializer: initializers.Initializer;
  kernelRegularizer: regularizers.RegularizerLike | null;
  biasRegularizer: regularizers.RegularizerLike | null;
}

export function resolveKernelBiasOptions(options: KernelBiasOptions): KernelBiasSettings {
  for (const name of ['kernelConstraint', 'biasConstraint'] as const) {
    if (options[name] != null) {
      throw new ValueError(
        `Invalid value for argument ${name}: constraints are not supported, expected null. Received: ${name}=${formatValue(options[name])}`,
        { argument: name, expected: 'null', received: formatValue(options[name]) },
      );
    }
  }
  const useBias = options.useBias ?? true;
  if (typeof useBias !== 'boolean') {
    throw new ValueError(
      `Invalid value for argument useBias: expected a boolean. Received: useBias=${formatValue(useBias)}`,
      {
        argument: 'useBias',
        expected: 'a boolean',
        received: formatValue(useBias),
      },
    );
  }
  return {
    activation: activations.get(options.activation),
    useBias,
    kernelInitializer: initializers.get(options.kernelInitializer ?? 'glorot_uniform') as initializers.Initializer,
    biasInitializer: initializers.get(options.biasInitializer ?? 'zeros') as initializers.Initializer,
    kernelRegularizer: regularizers.get(options.kernelRegularizer),
    biasRegularizer: regularizers.get(options.biasRegularizer),
  };
}

/** The shared keys of a Dense or Conv config, Keras's order and form. */
export function kernelBiasConfig(settings: KernelBiasSettings): Record<string, unknown> {
  return {
    activation: activations.serialize(settings.activation),
    useBias: settings.useBias,
    kernelInitializer: initializers.serialize(settings.kernelInitializer),
    biasInitializer: initializers.serialize(settings.biasInitializer),
    kernelRegularizer: regularizers.serialize(settings.kernelRegularizer),
    biasRegularizer: regularizers.serialize(settings.biasRegularizer),
  };
}

export function positiveInteger(value: unknown, name: string): number {
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw new ValueError(
      `Invalid value for argument \`${name}\`. Expected a strictly positive value. Received ${name}=${formatValue(value)}.`,
      { argument: name, expected: 'a strictly positive integer', received: formatValue(value) },
    );
  }
  return value as number;
}
