/** The constraints namespace (Keras's keras.constraints) against real Keras: values, identifiers, configs, errors. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { constraints, KerasTypeError, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';

// biome-ignore lint/suspicious/noExplicitAny: fixture JSON is read as data.
type Case = { name: string; kind: string } & Record<string, any>;
const CASES = (
  JSON.parse(readFileSync(new URL('./fixtures/keras-constraints.json', import.meta.url), 'utf8')) as { cases: Case[] }
).cases;
const APPLY = CASES.filter((c) => c.kind === 'apply');

function tensorOf(spec: { shape: number[]; values: number[] }): tf.Tensor {
  return tf.tensor(spec.values, spec.shape);
}

describeEachBackend('constraints on tensors equal Keras', () => {
  for (const fixture of APPLY) {
    it(fixture.name, async () => {
      // Keras's own JSON for the constraint goes through `get`, as a layer's option does.
      const constraint = constraints.get(fixture.constraint) as constraints.Constraint;
      assert.deepEqual(constraints.serialize(constraint), fixture.constraint);
      const w = tensorOf(fixture.w);
      await assertNoLeak(() => {
        const out = constraints.applyConstraint(constraint, w);
        assertAllClose(out, fixture.expected, { rtol: 1e-6, atol: 1e-7 }, fixture.name);
        out.dispose();
      });
      w.dispose();
    });
  }
});

describeEachBackend('norm constraints over the leading axes of larger weights (the wasm column kernels)', () => {
  /** float64 reference: each column c of w viewed as [rows, cols], scaled by desired(norm)/(1e-7 + norm). */
  function reference(values: Float32Array, cols: number, desired: (norm: number) => number): number[] {
    const rows = values.length / cols;
    const out = Array.from(values);
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += (values[r * cols + c] as number) ** 2;
      const norm = Math.sqrt(sum);
      const factor = desired(norm) / (1e-7 + norm);
      for (let r = 0; r < rows; r++) out[r * cols + c] = (values[r * cols + c] as number) * factor;
    }
    return out;
  }

  for (const [shape, axis] of [
    [[97, 12], 0],
    [
      [3, 3, 5, 8],
      [2, 0, 1],
    ],
    [[40, 6], -2],
  ] as const) {
    it(`MaxNorm and MinMaxNorm on ${JSON.stringify(shape)}, axis ${JSON.stringify(axis)}`, async () => {
      const w = tf.mul(tf.randomNormal([...shape], 0, 1, 'float32', 11), 0.3);
      const values = w.dataSync() as Float32Array;
      const cols = shape[shape.length - 1] as number;
      await assertNoLeak(() => {
        tf.tidy(() => {
          const maxNorm = constraints.applyConstraint(new constraints.MaxNorm(1.5, axis as never), w);
          assertAllClose(
            maxNorm,
            reference(values, cols, (n) => Math.min(n, 1.5)),
            { rtol: 1e-6, atol: 1e-7 },
          );
          const minMax = new constraints.MinMaxNorm({ minValue: 1, maxValue: 2, rate: 0.5, axis: axis as never });
          assertAllClose(
            constraints.applyConstraint(minMax, w),
            reference(values, cols, (n) => 0.5 * Math.min(Math.max(n, 1), 2) + 0.5 * n),
            { rtol: 1e-6, atol: 1e-7 },
          );
        });
      });
      w.dispose();
    });
  }
});

describe('constraint classes', () => {
  it('have Keras defaults and configs', () => {
    assert.deepEqual(new constraints.MaxNorm().getConfig(), { maxValue: 2, axis: 0 });
    assert.deepEqual(new constraints.MinMaxNorm().getConfig(), { minValue: 0, maxValue: 1, rate: 1, axis: 0 });
    assert.deepEqual(new constraints.UnitNorm().getConfig(), { axis: 0 });
    assert.deepEqual(new constraints.NonNeg().getConfig(), {});
    assert.deepEqual(new constraints.Constraint().getConfig(), {});
    assert.deepEqual(constraints.maxNorm(3, [0, 1, 2]).getConfig(), { maxValue: 3, axis: [0, 1, 2] });
    assert.deepEqual(constraints.unitNorm(null).getConfig(), { axis: null });
    assert.deepEqual(constraints.minMaxNorm({ minValue: 1, maxValue: 2, rate: 0.5, axis: -1 }).getConfig(), {
      minValue: 1,
      maxValue: 2,
      rate: 0.5,
      axis: -1,
    });
    assert.ok(constraints.nonNeg() instanceof constraints.NonNeg);
  });

  it('serialize as Keras writes them, and deserialize back', () => {
    const json = constraints.serialize(new constraints.MaxNorm({ maxValue: 3, axis: [0, 1] }));
    assert.deepEqual(json, {
      module: 'keras.constraints',
      class_name: 'MaxNorm',
      config: { max_value: 3, axis: [0, 1] },
      registered_name: null,
    });
    const back = constraints.deserialize(json) as constraints.MaxNorm;
    assert.ok(back instanceof constraints.MaxNorm);
    assert.deepEqual(back.getConfig(), { maxValue: 3, axis: [0, 1] });
    assert.equal(constraints.serialize(null), null);
    const minMax = constraints.serialize(new constraints.MinMaxNorm({ minValue: 0.5, rate: 0.25 }));
    assert.deepEqual(minMax?.config, { min_value: 0.5, max_value: 1, rate: 0.25, axis: 0 });
    // tfjs-layers' JSON form.
    const tfjs = constraints.get({ className: 'UnitNorm', config: { axis: 1 } }) as constraints.UnitNorm;
    assert.deepEqual(tfjs.getConfig(), { axis: 1 });
  });

  it('get takes Keras names and aliases, instances, classes and functions', () => {
    for (const [name, cls] of [
      ['MaxNorm', constraints.MaxNorm],
      ['max_norm', constraints.MaxNorm],
      ['maxnorm', constraints.MaxNorm],
      ['maxNorm', constraints.MaxNorm],
      ['MinMaxNorm', constraints.MinMaxNorm],
      ['min_max_norm', constraints.MinMaxNorm],
      ['NonNeg', constraints.NonNeg],
      ['non_neg', constraints.NonNeg],
      ['nonneg', constraints.NonNeg],
      ['UnitNorm', constraints.UnitNorm],
      ['unit_norm', constraints.UnitNorm],
      ['unitnorm', constraints.UnitNorm],
      ['Constraint', constraints.Constraint],
    ] as const) {
      const made = constraints.get(name);
      assert.ok(made instanceof cls, name);
      assert.notEqual(constraints.get(name), made, 'a new instance each time');
    }
    const instance = new constraints.NonNeg();
    assert.equal(constraints.get(instance), instance);
    assert.ok(constraints.get(constraints.UnitNorm) instanceof constraints.UnitNorm);
    const fn = (w: tf.Tensor) => tf.abs(w);
    assert.equal(constraints.get(fn), fn);
    assert.equal(constraints.get(null), null);
    assert.equal(constraints.get(undefined), null);
  });

  it('a plain function and a custom subclass work as constraints and round-trip when registered', () => {
    class Clip extends constraints.Constraint {
      static override readonly className = 'Clip';
      readonly limit: number;
      constructor({ limit = 1 }: { limit?: number } = {}) {
        super();
        this.limit = limit;
      }
      override apply(w: tf.Tensor) {
        return tf.clipByValue(w, -this.limit, this.limit);
      }
      override getConfig() {
        return { limit: this.limit };
      }
    }
    function halve(w: tf.Tensor) {
      return tf.mul(w, 0.5);
    }
    saving.registerSerializable(Clip, { package: 'my_pkg' });
    saving.registerSerializable(halve, { package: 'my_pkg' });
    try {
      const json = constraints.serialize(new Clip({ limit: 0.5 }));
      assert.deepEqual(json, {
        module: 'my_pkg',
        class_name: 'Clip',
        config: { limit: 0.5 },
        registered_name: 'my_pkg>Clip',
      });
      const back = constraints.deserialize(json) as Clip;
      assert.equal(back.limit, 0.5);
      const x = tf.tensor([-2, 0.25, 3]);
      tf.tidy(() => assertAllClose(constraints.applyConstraint(back, x), [-0.5, 0.25, 0.5]));
      const fnJson = constraints.serialize(halve);
      assert.deepEqual(fnJson, {
        module: 'builtins',
        class_name: 'function',
        config: 'my_pkg>halve',
        registered_name: 'function',
      });
      assert.equal(constraints.deserialize(fnJson), halve);
      tf.tidy(() => assertAllClose(constraints.applyConstraint(halve, x), [-1, 0.125, 1.5]));
      x.dispose();
    } finally {
      saving.unregisterSerializable(Clip);
      saving.unregisterSerializable(halve);
    }
    // Unregistered: found through customObjects only.
    const json = { module: null, class_name: 'Clip', config: { limit: 2 }, registered_name: 'Clip' };
    assert.throws(() => constraints.deserialize(json), /register it with saving\.registerSerializable/);
    assert.equal((constraints.deserialize(json, { customObjects: { Clip } }) as Clip).limit, 2);
  });
});

describe('constraint errors', () => {
  it('refuse bad bounds, rates and axes', () => {
    expectValueError(
      () => new constraints.MaxNorm(-1),
      'Invalid value for argument maxValue: expected a non-negative number. Received: maxValue=-1',
    );
    expectValueError(
      () => new constraints.MaxNorm({ maxValue: Number.NaN }),
      'Invalid value for argument maxValue: expected a non-negative number. Received: maxValue=NaN',
    );
    expectValueError(
      () => new constraints.MinMaxNorm({ minValue: 2, maxValue: 1 }),
      'Invalid value for argument minValue: expected minValue <= maxValue (1). Received: minValue=2',
    );
    expectValueError(
      () => new constraints.MinMaxNorm({ minValue: -0.5 }),
      'Invalid value for argument minValue: expected a non-negative number. Received: minValue=-0.5',
    );
    for (const rate of [-0.1, 1.5, Number.NaN]) {
      expectValueError(
        () => new constraints.MinMaxNorm({ rate }),
        `Invalid value for argument rate: expected a number in [0, 1]. Received: rate=${rate}`,
      );
    }
    expectValueError(
      () => new constraints.UnitNorm(1.5),
      'Invalid value for argument axis: expected an integer, a non-empty list of distinct integers or null (UnitNorm). Received: axis=1.5',
    );
    expectValueError(
      () => new constraints.MaxNorm({ axis: [0, 0] }),
      'Invalid value for argument axis: expected an integer, a non-empty list of distinct integers or null (MaxNorm). Received: axis=[0,0]',
    );
    assert.throws(() => new constraints.MaxNorm({ max_value: 3 } as never), KerasTypeError);
  });

  it('an axis out of range names the axis and the rank at apply', () => {
    const w = tf.ones([3, 4]);
    expectValueError(
      () => new constraints.MaxNorm(1, 2).apply(w),
      'Invalid value for argument axis of MaxNorm: axis 2 is out of range for a weight of rank 2: expected an axis in [-2, 1]. Received: axis=2',
    );
    expectValueError(
      () => new constraints.UnitNorm([0, -3]).apply(w),
      'Invalid value for argument axis of UnitNorm: axis -3 is out of range for a weight of rank 2: expected an axis in [-2, 1]. Received: axis=[0,-3]',
    );
    expectValueError(
      () => new constraints.MinMaxNorm({ axis: [1, -1] }).apply(w),
      /axes \[1,-1\] name the same axis twice/,
    );
    w.dispose();
  });

  it('refuse identifiers that are no constraint', () => {
    expectValueError(
      () => constraints.get('max_nrom'),
      /^Could not interpret constraint identifier: "max_nrom"\. Did you mean "MaxNorm"\? Valid names: "Constraint", /,
    );
    expectValueError(() => constraints.get('toString'), /^Could not interpret constraint identifier: "toString"/);
    expectValueError(() => constraints.get(3 as never), /^Could not interpret constraint identifier: 3$/);
    expectValueError(() => constraints.get({ max_value: 2 } as never), /^Could not interpret constraint identifier/);
    expectValueError(
      () => constraints.get({ class_name: 'L2', config: {} }),
      /Cannot deserialize constraint of class_name "L2"/,
    );
  });

  it('a function that changes the shape is refused when applied', () => {
    const w = tf.ones([2, 3]);
    expectValueError(
      () =>
        constraints.applyConstraint(function flatten(x: tf.Tensor) {
          return tf.reshape(x, [-1]);
        }, w),
      "Constraint flatten must return a tensor of the weight's shape [2, 3]. Received: a tensor of shape [6]",
    );
    w.dispose();
  });
});
