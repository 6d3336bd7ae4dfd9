/**
 * Hostile legacy whole-model `.h5` files (Keras's `model.save('m.h5')`
 * layout): each is loaded or refused with the library's error naming what
 * was wrong, quickly, in bounded memory, leaving no tensor and no HDF5
 * handle behind; a valid file loads after thousands of refusals. The
 * `.keras` counterpart is test/hostile-files.test.ts.
 *
 * The files of test/fixtures/hostile-h5/ are made by
 * scripts/generate_hostile_h5_fixtures.py from valid.h5, which real Keras 3
 * saved: Sequential "small" of Dense(2) on 3 inputs, kernel arange(6)/10 by
 * rows, bias [0.5, -0.5]. Cases too large to commit are made here with
 * h5wasm. HOSTILE_ROUNDS sets how many refusals the leak test makes
 * (default 500, cycling through every hostile file):
 * `HOSTILE_ROUNDS=5000 node scripts/run-tests.mjs hostile-h5`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';
import { unzipSync, zipSync } from 'fflate';
import h5wasm from 'h5wasm';
import { KerasTypeError, layers, models, saving, ValueError } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertNoLeak } from './helpers/leaks.js';

const ROUNDS = Number(process.env.HOSTILE_ROUNDS ?? 500);
const FIXTURES = new URL('./fixtures/hostile-h5/', import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`${name}.h5`, FIXTURES)));
const MiB = 1 << 20;
const KERNEL = 'model_weights/dense/small/dense/kernel';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** RSS after a full collection, in bytes. */
function settledRss(): number {
  gc();
  gc();
  return process.memoryUsage().rss;
}

/** What a refusal must say: its message, and the argument, expected and received it names. */
interface Refusal {
  message: RegExp;
  argument: string;
  expected: string;
  /** Null where the error comes from the shared config reader, which names no received value. */
  received: string | null;
}

async function refuses(body: () => Promise<unknown>, refusal: Refusal, label: string): Promise<void> {
  await assert.rejects(body, (error: Error) => {
    assert.ok(error instanceof ValueError, `${label}: expected ValueError, got ${error.name}: ${error.message}`);
    assert.match(error.message, refusal.message, label);
    assert.equal(error.argument, refusal.argument, `${label}: argument`);
    assert.equal(error.expected, refusal.expected, `${label}: expected`);
    if (refusal.received != null) assert.equal(error.received, refusal.received, `${label}: received`);
    return true;
  });
}

/** Predictions of a loaded model for one input. */
function predict(model: models.Model, input: number[]): number[] {
  return tf.tidy(() => Array.from((model.apply(tf.tensor([input]), { training: false }) as tf.Tensor).dataSync()));
}

const TYPE = (kind: string): Refusal => ({
  message: new RegExp(`^Weight /${KERNEL} in the \\.h5 file is ${kind}; expected float32 or float64\\.$`),
  argument: `/${KERNEL}`,
  expected: 'float32 or float64',
  received: kind,
});
const SHAPE = (shape: string): Refusal => ({
  message: new RegExp(
    `^Weight ${KERNEL} of layer "dense" has shape ${shape.replace(/[[\]]/g, '\\$&')}; the layer expects \\[3, 2\\]\\.$`,
  ),
  argument: KERNEL,
  expected: '[3, 2]',
  received: shape,
});
const NOT_A_MODEL = (received: string): Refusal => ({
  message:
    /^The \.h5 file's model_config is not a Keras model config: expected \{"class_name": "Sequential" \| "Functional" \| "Model", "config": \{\.\.\.\}\}\. Received: /,
  argument: 'model_config',
  expected: '{"class_name": "Sequential" | "Functional" | "Model", "config": {...}}',
  received,
});

/** Every committed hostile file, with its refusal. */
const HOSTILE: Record<string, Refusal> = {
  // Links: a weight, a group or model_weights itself behind a soft or external link.
  'self-soft-link': {
    message:
      /^The \.h5 file has a soft link at \/model_weights\/dense\/small\/dense\/kernel \(to "\/model_weights\/dense\/small\/dense\/kernel"\); Keras writes weights behind hard links only\.$/,
    argument: `/${KERNEL}`,
    expected: 'a group or dataset (a hard link)',
    received: `a soft link to /${KERNEL}`,
  },
  'soft-link-loop': {
    message:
      /^The \.h5 file has a soft link at \/model_weights\/dense\/small\/dense\/kernel \(to "\/model_weights\/dense\/small\/dense\/other"\)/,
    argument: `/${KERNEL}`,
    expected: 'a group or dataset (a hard link)',
    received: 'a soft link to /model_weights/dense/small/dense/other',
  },
  'soft-link-model-weights': {
    message: /^The \.h5 file has a soft link at \/model_weights \(to "\/elsewhere"\)/,
    argument: '/model_weights',
    expected: 'a group or dataset (a hard link)',
    received: 'a soft link to /elsewhere',
  },
  'external-link': {
    message:
      /^The \.h5 file has an external link at \/model_weights\/dense\/small\/dense\/kernel, where Keras writes a dataset\.$/,
    argument: `/${KERNEL}`,
    expected: 'a dataset',
    received: 'an external link',
  },
  'external-link-group': {
    message: /^The \.h5 file has an external link at \/model_weights\/dense\/small, where Keras writes a group\.$/,
    argument: '/model_weights/dense/small',
    expected: 'a group',
    received: 'an external link',
  },
  'external-storage': {
    message:
      /^The \.h5 file stores \/model_weights\/dense\/small\/dense\/kernel in an external file; only data inside the file is read\./,
    argument: `/${KERNEL}`,
    expected: 'data stored in the file',
    received: 'external storage',
  },
  'external-device': {
    message: /^The \.h5 file stores \/model_weights\/dense\/small\/dense\/kernel in an external file/,
    argument: `/${KERNEL}`,
    expected: 'data stored in the file',
    received: 'external storage',
  },
  virtual: {
    message:
      /^The \.h5 file has a virtual dataset at \/model_weights\/dense\/small\/dense\/kernel \(mapped from absent-source\.h5:kernel\); only data inside the file is read\.$/,
    argument: `/${KERNEL}`,
    expected: 'a dataset stored in the file',
    received: 'a virtual dataset',
  },
  'hard-link-cycle': {
    message:
      /^The \.h5 file lists a name 2004 levels deep at model_weights\/dense@weight_names, deeper than its config could need: over 9 levels \(model_config declares 2 layers, models nested 1 deep\): "model_weights\/dense\/loop\/loop\//,
    argument: 'model_weights/dense@weight_names',
    expected: 'names at most 9 levels deep',
    received: '2004 levels',
  },
  // Types of weights and of the attributes Keras writes as strings.
  'int-kernel': TYPE('int32'),
  'float16-kernel': TYPE('float16'),
  'string-kernel': TYPE('string'),
  'compound-kernel': TYPE('HDF5 type class 6'),
  'int-model-config': {
    message: /^The \.h5 file has int64 attribute @model_config; Keras writes strings there\.$/,
    argument: '@model_config',
    expected: 'strings',
    received: 'int64',
  },
  'two-model-configs': {
    message: /^model_config in the \.h5 file holds 2 strings; Keras writes one JSON text\.$/,
    argument: 'model_config',
    expected: 'one JSON string',
    received: '2 strings',
  },
  'int-layer-names': {
    message: /^The \.h5 file has int32 attribute \/model_weights@layer_names; Keras writes strings there\.$/,
    argument: '/model_weights@layer_names',
    expected: 'strings',
    received: 'int32',
  },
  'float-weight-names': {
    message: /^The \.h5 file has float64 attribute \/model_weights\/dense@weight_names; Keras writes strings there\.$/,
    argument: '/model_weights/dense@weight_names',
    expected: 'strings',
    received: 'float64',
  },
  // Absurd dimensions: refused from the header, or by the config's weight limit, before a byte is read.
  'huge-kernel': SHAPE('[1048576, 1048576]'),
  'astronomical-kernel': SHAPE('[2147483648, 2147483648]'),
  'scalar-kernel': SHAPE('[]'),
  'kernel-wrong-shape': SHAPE('[4, 2]'),
  'huge-config': {
    message:
      /^Weight kernel of layer "dense" would have 1099511627776 elements, over the limit of 268435456 \(1 GiB of float32\)\./,
    argument: 'shape',
    expected: 'at most 268435456 elements',
    received: '[1048576,1048576]',
  },
  'huge-config-and-kernel': {
    message: /^Weight kernel of layer "dense" would have 1099511627776 elements, over the limit of 268435456/,
    argument: 'shape',
    expected: 'at most 268435456 elements',
    received: '[1048576,1048576]',
  },
  // The JSON of model_config and training_config.
  'not-json': {
    message: /^model_config in the \.h5 file is not valid JSON: /,
    argument: 'model_config',
    expected: 'JSON text',
    received: "Expected property name or '}' in JSON at position 40",
  },
  'not-utf8': {
    message: /^model_config in the \.h5 file is not valid JSON: Unexpected token/,
    argument: 'model_config',
    expected: 'JSON text',
    received: null,
  },
  'json-array': NOT_A_MODEL('[1,2,3]'),
  'json-null': NOT_A_MODEL('null'),
  'nested-json': {
    message:
      /^Invalid model\.config\.layers\[1\]\.config\.kernel_regularizer\.config\.l2(\[0\]){58}: nested deeper than 64 levels\.$/,
    argument: `model.config.layers[1].config.kernel_regularizer.config.l2${'[0]'.repeat(58)}`,
    expected: 'at most 64 levels of nesting',
    received: null,
  },
  'no-model-config': {
    message: /^No model config found in the \.h5 file: it has no model_config attribute \(a weights-only file\?\)\.$/,
    argument: 'model_config',
    expected: 'a model_config attribute',
    received: 'nothing',
  },
  'training-config-not-json': {
    message: /^training_config in the \.h5 file is not valid JSON: /,
    argument: 'training_config',
    expected: 'JSON text',
    received: "Expected property name or '}' in JSON at position 1",
  },
  'training-config-no-optimizer': {
    message: /^The \.h5 file's training_config has no optimizer_config object\. Received: optimizer_config=undefined$/,
    argument: 'training_config.optimizer_config',
    expected: '{"class_name": ..., "config": {...}}',
    received: 'undefined',
  },
  // Weights missing, or more or fewer than the model's.
  'bias-wrong-shape': {
    message:
      /^Weight model_weights\/dense\/small\/dense\/bias of layer "dense" has shape \[3\]; the layer expects \[2\]\.$/,
    argument: 'model_weights/dense/small/dense/bias',
    expected: '[2]',
    received: '[3]',
  },
  'missing-kernel': {
    message:
      /^The \.h5 file lists weight model_weights\/dense\/small\/dense\/kernel for layer "dense" but has no dataset there\.$/,
    argument: KERNEL,
    expected: 'a dataset',
    received: 'nothing',
  },
  'kernel-is-group': {
    message:
      /^The \.h5 file has a group at \/model_weights\/dense\/small\/dense\/kernel, where Keras writes a dataset\.$/,
    argument: `/${KERNEL}`,
    expected: 'a dataset',
    received: 'a group',
  },
  'weight-name-escapes': {
    message:
      /^The \.h5 file lists weight model_weights\/dense\/\.\.\/\.\.\/\.\.\/model_weights\/dense\/small\/dense\/kernel for layer "dense" but has no dataset there\.$/,
    argument: 'model_weights/dense/../../../model_weights/dense/small/dense/kernel',
    expected: 'a dataset',
    received: 'nothing',
  },
  'one-weight-name': {
    message:
      /^Weight count mismatch for layer #0 \(named dense in the model, dense in the \.h5 file\): the layer expects 2 weights, the file has 1\.$/,
    argument: 'model_weights/dense',
    expected: '2 weights',
    received: '1',
  },
  'no-weight-names': {
    message:
      /^Layer count mismatch when loading weights from the \.h5 file: the model has 1 layers with weights, the file 0\.$/,
    argument: 'model_weights',
    expected: '1 layers with weights',
    received: '0',
  },
  'no-model-weights': {
    message: /^The \.h5 file has no model_weights group\.$/,
    argument: 'model_weights',
    expected: 'a group of the layers\u2019 weights',
    received: 'nothing',
  },
  'ghost-layer': {
    message: /^The \.h5 file lists layer "ghost" in layer_names but has no group for it\.$/,
    argument: 'model_weights/ghost',
    expected: 'a group',
    received: 'nothing',
  },
  'top-level-weight': {
    message: /^The \.h5 file holds 1 top-level weights; the model has none of its own\.$/,
    argument: 'model_weights/top_level_model_weights',
    expected: '0 weights',
    received: '1 weights',
  },
};

// ---------------------------------------------------------------------------------------------
// Files made here with h5wasm.

const runtime = (await h5wasm.ready) as unknown as {
  FS: { readFile(p: string): Uint8Array; writeFile(p: string, d: Uint8Array): void; unlink(p: string): void };
};
let crafted = 0;
/** An .h5 file written by `write` with h5wasm. */
function craft(write: (file: InstanceType<typeof h5wasm.File>) => void): Uint8Array {
  const path = `/hostile-h5-${++crafted}.h5`;
  const file = new h5wasm.File(path, 'w');
  try {
    write(file);
  } finally {
    file.close();
  }
  const bytes = runtime.FS.readFile(path);
  runtime.FS.unlink(path);
  return bytes;
}

const VALID = fixture('valid');
const VALID_CONFIG: { config: { layers: Record<string, unknown>[] } } = (() => {
  runtime.FS.writeFile('/hostile-h5-valid.h5', VALID);
  const file = new h5wasm.File('/hostile-h5-valid.h5', 'r');
  try {
    return JSON.parse(String(file.attrs.model_config?.value));
  } finally {
    file.close();
    runtime.FS.unlink('/hostile-h5-valid.h5');
  }
})();

/** A Sequential config of `count` Dense(units) layers on `inputs` inputs. */
function denseStack(count: number, units = 1, inputs = 1): string {
  const layers: unknown[] = [{ class_name: 'InputLayer', config: { batch_input_shape: [null, inputs], name: 'in' } }];
  for (let i = 0; i < count; i++) layers.push({ class_name: 'Dense', config: { name: `d${i}`, units } });
  return JSON.stringify({ class_name: 'Sequential', config: { name: 's', layers } });
}

/** model_weights with one layer group `dense` whose weights are Keras's kernel and bias (8 elements). */
function keras3Weights(file: InstanceType<typeof h5wasm.File>): void {
  const weights = file.create_group('model_weights');
  weights.create_attribute('layer_names', ['dense']);
  const dense = weights.create_group('dense');
  dense.create_attribute('weight_names', ['small/dense/kernel', 'small/dense/bias']);
  const inner = dense.create_group('small').create_group('dense');
  inner.create_dataset({ name: 'kernel', data: new Float32Array(6), shape: [3, 2], dtype: '<f4' });
  inner.create_dataset({ name: 'bias', data: new Float32Array(2), shape: [2], dtype: '<f4' });
}

/**
 * model_weights for `layers` layer groups, each listing `perLayer` names
 * `depth` levels deep that go round a group holding hard links to itself
 * (`a` and `b`): every name a different path.
 */
function cycleWeights(file: InstanceType<typeof h5wasm.File>, layers: number, perLayer: number, depth: number): void {
  const weights = file.create_group('model_weights');
  const cycle = weights.create_group('cycle');
  cycle.create_hard_link('/model_weights/cycle', 'a');
  cycle.create_hard_link('/model_weights/cycle', 'b');
  const layerNames: string[] = [];
  let n = 0;
  for (let j = 0; j < layers; j++) {
    const group = weights.create_group(`d${j}`);
    layerNames.push(`d${j}`);
    group.create_hard_link('/model_weights/cycle', 'c');
    const names: string[] = [];
    for (let i = 0; i < perLayer; i++, n++) {
      names.push(['c', ...Array.from({ length: depth - 2 }, (_, k) => ((n >> k) & 1 ? 'a' : 'b')), 'k'].join('/'));
    }
    group.create_attribute('weight_names', names);
  }
  weights.create_attribute('layer_names', layerNames);
}

/** valid.h5 with the first object of its first global heap collection rewritten by `edit(bytes, objectStart)`. */
function withHeapObject(edit: (bytes: Uint8Array, object: number) => void): Uint8Array {
  const bytes = VALID.slice();
  const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf('GCOL\x01\0\0\0', 0, 'latin1');
  assert.ok(at > 0, 'valid.h5 holds a global heap collection');
  // The collection's header is 16 bytes (8-byte lengths); its first object follows.
  edit(bytes, at + 16);
  return bytes;
}

const CRAFTED: [string, () => Uint8Array, Refusal][] = [
  [
    'a 17 MiB model_config',
    () =>
      craft((file) => {
        file.create_attribute('model_config', JSON.stringify({ ...VALID_CONFIG, pad: 'x'.repeat(17 * MiB) }));
        keras3Weights(file);
      }),
    {
      message: /^The \.h5 file has an attribute @model_config of over 16777216 bytes\.$/,
      argument: '@model_config',
      expected: 'at most 16777216 bytes',
      received: 'over 16777216 bytes',
    },
  ],
  [
    'a model_config of 10,001 layers',
    () =>
      craft((file) => {
        file.create_attribute('model_config', denseStack(10_000));
        keras3Weights(file);
      }),
    {
      message: /^model_config declares over 10000 layers \(nested models' included\); a load builds at most 10000\.$/,
      argument: 'model_config',
      expected: 'at most 10000 layers',
      received: 'over 10000 layers',
    },
  ],
  [
    'Sequential models nested 1000 deep',
    () =>
      craft((file) => {
        let inner: unknown = VALID_CONFIG;
        for (let i = 0; i < 1000; i++) {
          const input = { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], name: `in${i}` } };
          inner = { class_name: 'Sequential', config: { name: `s${i}`, layers: [input, inner] } };
        }
        file.create_attribute('model_config', JSON.stringify(inner));
        keras3Weights(file);
      }),
    {
      message:
        /^Invalid model(\.config\.layers\[1\]){20}\.config\.layers\[0\]\.config\.batch_input_shape: nested deeper than 64 levels\.$/,
      argument: `model${'.config.layers[1]'.repeat(20)}.config.layers[0].config.batch_input_shape`,
      expected: 'at most 64 levels of nesting',
      received: null,
    },
  ],
  [
    'a config asking for 2^24 weight elements from a file holding 8',
    () =>
      craft((file) => {
        file.create_attribute('model_config', denseStack(1, 4096, 4096));
        keras3Weights(file);
      }),
    {
      message:
        /^The model's weights are over the budget of 1048592 elements \(The \.h5 file holds 8 elements\): weight kernel of layer "d0" would add 16777216 elements to the 0 already created \(1048592 left\)\. Refused before allocating\.$/,
      argument: 'weight kernel of layer "d0"',
      expected: 'at most 1048592 more elements (a budget of 1048592 in all)',
      received: '16777216 elements',
    },
  ],
  [
    'a name going 200,000 times round a hard-link cycle',
    () =>
      craft((file) => {
        file.create_attribute('model_config', JSON.stringify(VALID_CONFIG));
        const weights = file.create_group('model_weights');
        weights.create_attribute('layer_names', ['dense']);
        const dense = weights.create_group('dense');
        dense.create_hard_link('/model_weights/dense', 'loop');
        dense.create_attribute('weight_names', [`${'loop/'.repeat(200_000)}kernel`, 'bias']);
      }),
    {
      message:
        /^The \.h5 file lists a name 200002 levels deep at model_weights\/dense@weight_names, deeper than its config could need: over 9 levels/,
      argument: 'model_weights/dense@weight_names',
      expected: 'names at most 9 levels deep',
      received: '200002 levels',
    },
  ],
  [
    '2,000 layers of names going round a cycle by 16,000 different paths',
    () =>
      craft((file) => {
        file.create_attribute('model_config', denseStack(2000));
        cycleWeights(file, 2001, 8, 8);
      }),
    {
      message:
        /^The \.h5 file lists weights at more places than its config could need: over 32144 groups and datasets \(model_config declares 2001 layers, models nested 1 deep\); refused at model_weights\/d\d+@weight_names\.$/,
      argument: 'model_weights/d669@weight_names',
      expected: 'at most 32144 places',
      received: 'over 32144',
    },
  ],
  [
    'a global heap object of 2^64 - 1 bytes (HDF5 would loop forever)',
    () => withHeapObject((bytes, object) => bytes.fill(0xff, object + 8, object + 16)),
    {
      message:
        /^The \.h5 file is not a readable HDF5 file: its global heap collection at byte 2048 \(4096 bytes\) declares object 1 of \d+ bytes at byte 2064, which overruns the collection\.$/,
      argument: 'the .h5 file',
      expected: 'heap objects within their collection',
      received: null,
    },
  ],
  [
    'a global heap free space of 0 bytes before the end (HDF5 would stall)',
    () =>
      withHeapObject((bytes, object) => {
        bytes.fill(0, object, object + 2);
        bytes.fill(0, object + 8, object + 16);
      }),
    {
      message:
        /^The \.h5 file is not a readable HDF5 file: its global heap collection at byte 2048 \(4096 bytes\) declares object 0 of 0 bytes at byte 2064, which takes no room\.$/,
      argument: 'the .h5 file',
      expected: 'heap objects within their collection',
      received: 'object 0 of 0 bytes at byte 2064',
    },
  ],
];

// ---------------------------------------------------------------------------------------------

describeEachBackend('valid legacy .h5 files beside the hostile ones', () => {
  it("valid.h5 (Keras 3's saver) and rebuilt.h5 (the generator's layout, HDF5's latest format) load with their weights", async () => {
    for (const name of ['valid', 'rebuilt']) {
      await assertNoLeak(async () => {
        const model = await saving.loadModelFromBytes(fixture(name));
        try {
          // Kernel [[0, .1], [.2, .3], [.4, .5]], bias [.5, -.5].
          assertAllClose(predict(model, [1, 1, 1]), [1.1, 0.4], { rtol: 1e-6 }, name);
          assertAllClose(predict(model, [1, 0, 0]), [0.5, -0.4], { rtol: 1e-6 }, name);
        } finally {
          model.dispose();
        }
      }, name);
    }
  });
});

describe('hostile legacy .h5 files', () => {
  it('the fixtures folder holds exactly the files this test knows', () => {
    const files = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.h5'))
      .map((f) => f.slice(0, -3))
      .sort();
    assert.deepEqual(files, [...Object.keys(HOSTILE), 'rebuilt', 'valid'].sort());
  });

  it('each is refused with a ValueError naming the argument, what was expected and what was received, within 10 s', async (t) => {
    let slowest: [number, string] = [0, ''];
    const cases: [string, () => Uint8Array, Refusal][] = [
      ...Object.entries(HOSTILE).map(([name, refusal]): [string, () => Uint8Array, Refusal] => [
        name,
        () => fixture(name),
        refusal,
      ]),
      ...CRAFTED,
    ];
    for (const [label, make, refusal] of cases) {
      const bytes = make();
      const start = performance.now();
      await assertNoLeak(() => refuses(() => saving.loadModelFromBytes(bytes), refusal, label), label);
      const seconds = (performance.now() - start) / 1000;
      assert.ok(seconds < 10, `${label}: ${seconds.toFixed(1)} s`);
      slowest = seconds > slowest[0] ? [seconds, label] : slowest;
    }
    const peak = process.resourceUsage().maxRSS * 1024;
    t.diagnostic(`slowest: ${slowest[1]}, ${slowest[0].toFixed(2)} s; peak RSS ${(peak / MiB).toFixed(0)} MB`);
    assert.ok(peak < 1024 * MiB, `peak RSS ${(peak / MiB).toFixed(0)} MB`);
  });

  it('every truncation and every 8-byte corruption of valid.h5 and rebuilt.h5 loads or is refused with the library’s error', async (t) => {
    const start = performance.now();
    const outcomes = new Map<string, number>();
    for (const name of ['valid', 'rebuilt']) {
      const valid = fixture(name);
      const variants: [string, Uint8Array][] = [];
      for (let at = 0; at < valid.length; at += 128) variants.push([`${name} truncated to ${at}`, valid.slice(0, at)]);
      for (let at = 0; at < valid.length; at += 32) {
        const flipped = valid.slice();
        for (let i = at; i < Math.min(at + 8, valid.length); i++) flipped[i] = (flipped[i] as number) ^ 0xff;
        variants.push([`${name} with bytes ${at} to ${at + 7} flipped`, flipped]);
        const zeroed = valid.slice();
        zeroed.fill(0, at, at + 8);
        variants.push([`${name} with bytes ${at} to ${at + 7} zeroed`, zeroed]);
      }
      for (const [label, bytes] of variants) {
        const before = tf.memory().numTensors;
        const variantStart = performance.now();
        let outcome = 'loaded';
        try {
          (await saving.loadModelFromBytes(bytes)).dispose();
        } catch (error) {
          // A mangled option name in the config is the library's KerasTypeError, naming it.
          if (!(error instanceof ValueError || error instanceof KerasTypeError)) {
            assert.fail(`${label}: ${(error as Error).name}: ${(error as Error).message}`);
          }
          outcome = error.constructor.name;
        }
        assert.equal(tf.memory().numTensors, before, `${label} left tensors`);
        assert.ok(performance.now() - variantStart < 10_000, `${label} took over 10 s`);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    }
    const summary = [...outcomes].map(([k, v]) => `${v} ${k}`).join(', ');
    t.diagnostic(`${summary} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    // Some corruptions hit only weight values or padding, and load; most are refused.
    assert.ok((outcomes.get('ValueError') ?? 0) > 100, summary);
    assert.ok((outcomes.get('loaded') ?? 0) > 100, summary);
  });

  it(`${ROUNDS} refusals in one process leave the HDF5 runtime working and RSS within 50 MB`, async (t) => {
    const hostile = Object.entries(HOSTILE).map(([name, refusal]): [string, Uint8Array, RegExp] => [
      name,
      fixture(name),
      refusal.message,
    ]);
    // Warm up: the runtime, the engine and the JIT reach their working size first.
    for (const [, bytes] of hostile) for (let i = 0; i < 5; i++) await saving.loadModelFromBytes(bytes).catch(() => {});
    const tensors = tf.memory().numTensors;
    const rss = settledRss();
    const start = performance.now();
    for (let round = 0; round < ROUNDS; round++) {
      const [name, bytes, message] = hostile[round % hostile.length] as [string, Uint8Array, RegExp];
      await assert.rejects(
        () => saving.loadModelFromBytes(bytes),
        (error: Error) => error instanceof ValueError && message.test(error.message),
        name,
      );
    }
    const model = await saving.loadModelFromBytes(VALID);
    assertAllClose(predict(model, [0, 0, 1]), [0.9, 0], { rtol: 1e-6 }, 'valid after the refusals');
    model.dispose();
    const growth = settledRss() - rss;
    const seconds = (performance.now() - start) / 1000;
    t.diagnostic(
      `${ROUNDS} refusals of ${hostile.length} files in ${seconds.toFixed(1)} s (${((1000 * seconds) / ROUNDS).toFixed(1)} ms each), RSS ${growth >= 0 ? '+' : ''}${(growth / MiB).toFixed(1)} MB`,
    );
    assert.ok(growth < 50 * MiB, `RSS grew ${(growth / MiB).toFixed(1)} MB`);
    assert.equal(tf.memory().numTensors, tensors, 'tensors left behind');
  });

  it('a .keras file whose model.weights.h5 has the same broken global heap is refused too (the reader is shared)', async () => {
    const model = new models.Sequential([layers.Input({ shape: [3] }), new layers.Dense({ units: 2 })]);
    const entries = unzipSync(await saving.saveModelToBytes(model));
    model.dispose();
    const weights = (entries['model.weights.h5'] as Uint8Array).slice();
    const at = Buffer.from(weights.buffer, weights.byteOffset, weights.length).indexOf('GCOL\x01\0\0\0', 0, 'latin1');
    assert.ok(at > 0, 'h5wasm keeps attribute strings in a global heap');
    weights.fill(0xff, at + 24, at + 32);
    const archive = zipSync({ ...entries, 'model.weights.h5': weights }, { level: 0 });
    await assertNoLeak(() =>
      refuses(
        () => saving.loadModelFromBytes(archive),
        {
          message: new RegExp(
            `^model\\.weights\\.h5 is not a readable HDF5 file: its global heap collection at byte ${at} \\(\\d+ bytes\\) declares object 1 of \\d+ bytes at byte ${at + 16}, which overruns the collection\\.$`,
          ),
          argument: 'model.weights.h5',
          expected: 'heap objects within their collection',
          received: null,
        },
        '.keras',
      ),
    );
  });

  it('loadModel refuses the same files on disk, naming the same place', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'hostile-h5-'));
    for (const name of ['external-link', 'huge-kernel', 'not-json']) {
      const path = join(folder, `${name}.h5`);
      writeFileSync(path, fixture(name));
      await assertNoLeak(() => refuses(() => saving.loadModel(path), HOSTILE[name] as Refusal, name));
    }
  });
});
