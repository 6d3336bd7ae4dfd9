/**
 * Property-based fuzzing of every deserializer with hostile configs: each
 * either builds an object or throws one of the library's own errors, never
 * anything else, and Object.prototype is never touched. 10,000 runs each.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { strToU8, unzipSync, zipSync } from 'fflate';
import {
  initializers,
  KerasTypeError,
  layers,
  models,
  NotImplementedError,
  optimizers,
  regularizers,
  saving,
  ValueError,
} from 'keras-regularizers';

import { mutated, validLayerJsons, validModelJsons } from './helpers/fuzz-seeds.js';

const RUNS = 10_000;
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort().join();

const KEYS = [
  'module',
  'class_name',
  'className',
  'config',
  'registered_name',
  'build_config',
  'compile_config',
  'input_shape',
  'batch_shape',
  'layers',
  'name',
  'units',
  'filters',
  'kernel_size',
  'strides',
  'padding',
  'data_format',
  'dilation_rate',
  'groups',
  'activation',
  'use_bias',
  'kernel_regularizer',
  'bias_regularizer',
  'activity_regularizer',
  'kernel_initializer',
  'l1',
  'l2',
  'factor',
  'mode',
  'rate',
  'pool_size',
  'optimizer',
  'loss',
  'metrics',
  'learning_rate',
  'momentum',
  'seed',
  'trainable',
  'dtype',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
];
const NAMES = [
  'L1',
  'L2',
  'L1L2',
  'l1l2',
  'l1_l2',
  'OrthogonalRegularizer',
  'Regularizer',
  'function',
  'builtins',
  'Dense',
  'Conv1D',
  'Conv2D',
  'Conv3D',
  'InputLayer',
  'Flatten',
  'Dropout',
  'Activation',
  'MaxPooling2D',
  'GlobalAveragePooling2D',
  'Sequential',
  'Functional',
  'SGD',
  'Adam',
  'AdamW',
  'RMSprop',
  'GlorotUniform',
  'Zeros',
  'keras.regularizers',
  'keras.layers',
  'keras',
  'my_pkg>MyScaledL1',
  'rows',
  'columns',
  'same',
  'valid',
  'causal',
  'relu',
  'mse',
  'float32',
  'channels_last',
  'channels_first',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '',
];

const scalar = fc.oneof(
  fc.constantFrom(...NAMES),
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -3, max: 12 }),
  fc.constantFrom(0, 0.5, 1e-7, -0.1, 1e12, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 40),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
);

/** JSON-like values whose objects may hold prototype-named keys as own properties (as JSON.parse makes them). */
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 5 },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })), tie('value')), { maxLength: 6 })
      .map((entries) => {
        const object: Record<string, unknown> = {};
        for (const [key, item] of entries)
          Object.defineProperty(object, key, { value: item, enumerable: true, writable: true, configurable: true });
        return object;
      }),
  ),
}));

/** Keras-JSON-shaped values: the right keys with hostile contents, so the fuzz reaches past the first check. */
const kerasObject = fc.record(
  {
    module: fc.oneof(fc.constantFrom('keras', 'keras.layers', 'keras.regularizers', 'keras.optimizers'), scalar),
    class_name: fc.oneof(fc.constantFrom(...NAMES), scalar),
    config: fc.oneof(value, fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 8 })),
    registered_name: fc.oneof(fc.constant(null), scalar),
    build_config: fc.oneof(
      fc.constant(undefined),
      fc.record({
        input_shape: fc.array(fc.oneof(fc.constant(null), fc.integer({ min: -2, max: 9 })), { maxLength: 5 }),
      }),
      value,
    ),
  },
  { requiredKeys: ['class_name', 'config'] },
);
const hostile = fc.oneof(
  value,
  kerasObject,
  kerasObject.map((json) => JSON.parse(JSON.stringify(json).replace('"config"', '"__proto__"'))),
);
/** Valid layer or model JSON with a few hostile edits: half of the runs, so the fuzz reaches deep. */
const mutatedLayers = mutated(validLayerJsons(), fc.oneof(scalar, value), KEYS);
const mutatedModels = mutated(validModelJsons(), fc.oneof(scalar, value), KEYS);
const regularizerJsons = validLayerJsons().flatMap((json) =>
  Object.values((json as { config: Record<string, unknown> }).config).filter(
    (v) => v !== null && typeof v === 'object' && (v as { module?: unknown }).module === 'keras.regularizers',
  ),
);
const mutatedRegularizers = mutated(regularizerJsons, fc.oneof(scalar, value), KEYS);

function isLibraryError(error: unknown): boolean {
  return error instanceof ValueError || error instanceof KerasTypeError || error instanceof NotImplementedError;
}

function dispose(result: unknown): void {
  if (result instanceof layers.Layer) result.dispose();
  else if (result instanceof optimizers.Optimizer) result.dispose();
}

function checkDeserializer(name: string, deserialize: (input: unknown) => unknown, near: fc.Arbitrary<unknown>): void {
  it(`${name}: ${RUNS} hostile inputs give an object or a library error, and Object.prototype stays untouched`, () => {
    fc.assert(
      fc.property(fc.oneof(hostile, near), (input) => {
        try {
          dispose(deserialize(input));
        } catch (error) {
          if (!isLibraryError(error))
            throw new Error(`${name} threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
        }
        assert.equal(Object.getOwnPropertyNames(Object.prototype).sort().join(), prototypeKeys);
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
      }),
      { numRuns: RUNS, seed: 20261124 },
    );
  });
}

describe('fuzzing the deserializers', () => {
  checkDeserializer('regularizers.deserialize', (input) => regularizers.deserialize(input), mutatedRegularizers);
  checkDeserializer('regularizers.get', (input) => regularizers.get(input as never), mutatedRegularizers);
  checkDeserializer('initializers.deserialize', (input) => initializers.deserialize(input), mutatedLayers);
  checkDeserializer('layers.deserialize', (input) => layers.deserialize(input), mutatedLayers);
  checkDeserializer('models.modelFromJSON', (input) => models.modelFromJSON(input), mutatedModels);
  checkDeserializer(
    'models.modelFromJSON (text)',
    (input) => models.modelFromJSON(JSON.stringify(input) ?? 'null'),
    mutatedModels,
  );
  checkDeserializer(
    'optimizers.deserialize',
    (input) => optimizers.deserialize(input),
    mutatedModels.map((m) => (m as { compile_config?: { optimizer?: unknown } })?.compile_config?.optimizer),
  );

  it(`saving.loadModelFromBytes: ${RUNS} corrupted or hostile .keras archives give a library error`, async () => {
    const good = new Uint8Array(
      readFileSync(new URL('./fixtures/keras-models/dense_l1_l2_activity.keras', import.meta.url)),
    );
    const entries = unzipSync(good);
    const archive = fc.oneof(
      // bytes of the real file with some flipped
      fc
        .array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        })
        .map((flips) => {
          const bytes = good.slice();
          for (const [at, byte] of flips) bytes[at] = byte;
          return bytes;
        }),
      fc.nat({ max: good.length - 1 }).map((length) => good.slice(0, length)),
      fc
        .oneof(hostile, mutatedModels)
        .map((config) => zipSync({ ...entries, 'config.json': strToU8(JSON.stringify(config) ?? 'null') })),
      fc.uint8Array({ maxLength: 64 }),
    );
    await fc.assert(
      fc.asyncProperty(archive, async (bytes) => {
        try {
          dispose(await saving.loadModelFromBytes(bytes));
        } catch (error) {
          if (!isLibraryError(error))
            throw new Error(`loadModelFromBytes threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
        }
        assert.equal(Object.getOwnPropertyNames(Object.prototype).sort().join(), prototypeKeys);
      }),
      { numRuns: RUNS, seed: 20261124 },
    );
  });
});
