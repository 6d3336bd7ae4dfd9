/** The regularizer classes against float64 references and the rules of SEMANTICS §1. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { KerasTypeError, L1, L1L2, L2, OrthogonalRegularizer, Regularizer, regularizers } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';
import * as reference from './helpers/reference.js';

function penaltyOf(reg: regularizers.RegularizerLike, x: tf.Tensor): number {
  return tf.tidy(() => regularizers.computePenalty(reg, x).dataSync()[0] as number);
}

function gradientOf(reg: Regularizer, x: tf.Tensor): Float32Array {
  return tf.tidy(
    () =>
      tf
        .grad((t: tf.Tensor) => reg.apply(t))(x)
        .dataSync() as Float32Array,
  );
}

describeEachBackend('regularizer values against a float64 reference', () => {
  const values = reference.randomValues(3 * 7 * 5, 7, 3);
  const x = tf.tensor(values, [3, 7, 5]);

  it('L1, L2 and L1L2 over a rank-3 tensor', () => {
    assertAllClose(penaltyOf(new L1(0.3), x), reference.l1(0.3, values));
    assertAllClose(penaltyOf(new L2(0.07), x), reference.l2(0.07, values));
    assertAllClose(penaltyOf(new L1L2(0.3, 0.07), x), reference.l1(0.3, values) + reference.l2(0.07, values));
    assertAllClose(penaltyOf(new L1L2({ l2: 0.5 }), x), reference.l2(0.5, values));
  });

  it('L1L2 with both factors 0 is 0', () => {
    assert.equal(penaltyOf(new L1L2(), x), 0);
  });

  for (const mode of ['rows', 'columns'] as const) {
    it(`OrthogonalRegularizer(${mode}) is the mean |cosine| over pairs`, () => {
      for (const [rows, columns, seed] of [
        [4, 6, 1],
        [9, 3, 2],
        [2, 2, 3],
      ] as const) {
        const data = reference.randomValues(rows * columns, seed);
        const m = reference.matrix(rows, columns, data);
        const expected = reference.orthogonal(0.2, m, mode);
        assertAllClose(penaltyOf(new OrthogonalRegularizer(0.2, mode), tf.tensor(data, [rows, columns])), expected, {
          rtol: 2e-5,
        });
      }
    });
  }

  it('OrthogonalRegularizer on more vectors than the Gram matrix may hold (blocked) matches the reference', () => {
    const data = reference.randomValues(2500 * 3, 21);
    const m = reference.matrix(2500, 3, data);
    assertAllClose(
      penaltyOf(new OrthogonalRegularizer(0.5, 'rows'), tf.tensor(data, [2500, 3])),
      reference.orthogonal(0.5, m, 'rows'),
      {
        rtol: 1e-4,
      },
    );
  });

  it('OrthogonalRegularizer folds leading axes of a conv kernel into rows (differs from Keras, which throws)', () => {
    const data = reference.randomValues(3 * 3 * 2 * 4, 11);
    const kernel = tf.tensor(data, [3, 3, 2, 4]);
    const folded = reference.matrix(18, 4, data);
    assertAllClose(
      penaltyOf(new OrthogonalRegularizer(0.1, 'rows'), kernel),
      reference.orthogonal(0.1, folded, 'rows'),
      {
        rtol: 2e-5,
      },
    );
    assertAllClose(
      penaltyOf(new OrthogonalRegularizer(0.1, 'columns'), kernel),
      reference.orthogonal(0.1, folded, 'columns'),
      { rtol: 2e-5 },
    );
    kernel.dispose();
  });

  it('OrthogonalRegularizer gives 0 without a pair of vectors (differs from Keras: NaN)', () => {
    assert.equal(penaltyOf(new OrthogonalRegularizer(0.1, 'rows'), tf.tensor([[1, 2, 3]])), 0);
    assert.equal(penaltyOf(new OrthogonalRegularizer(0.1, 'columns'), tf.tensor([[1], [2]])), 0);
  });

  it('OrthogonalRegularizer rejects rank < 2 with the shape in the message', () => {
    expectValueError(
      () => new OrthogonalRegularizer().apply(tf.zeros([7])),
      'Inputs to OrthogonalRegularizer must have rank >= 2. Received: inputs.shape=[7]',
    );
  });

  it('an all-zero row adds 0 to the value and 0 to the gradient, never NaN', () => {
    const data = [0, 0, 0, 1, 2, 3, -2, 0.5, 1];
    const x0 = tf.tensor(data, [3, 3]);
    const reg = new OrthogonalRegularizer(1, 'rows');
    assertAllClose(penaltyOf(reg, x0), reference.orthogonal(1, reference.matrix(3, 3, data), 'rows'));
    const grad = gradientOf(reg, x0);
    assert.ok(grad.every(Number.isFinite), `gradient has non-finite entries: ${grad}`);
    assert.deepEqual(Array.from(grad.slice(0, 3)), [0, 0, 0]);
    const allZero = gradientOf(reg, tf.zeros([3, 3]));
    assert.deepEqual(Array.from(allZero), new Array(9).fill(0));
  });

  it('OrthogonalRegularizer gradient equals a float64 finite-difference gradient', () => {
    for (const mode of ['rows', 'columns'] as const) {
      const data = reference.randomValues(4 * 3, 5);
      const numeric = reference.numericGradient(
        (v) => reference.orthogonal(0.5, reference.matrix(4, 3, v), mode),
        data,
      );
      const grad = gradientOf(new OrthogonalRegularizer(0.5, mode), tf.tensor(data, [4, 3]));
      assertAllClose(grad, numeric, { rtol: 1e-3, atol: 1e-5 }, mode);
    }
  });

  it('L1 has gradient 0 at 0 and l1*sign(x) elsewhere; L2 has gradient 2*l2*x', () => {
    const point = tf.tensor([-2, 0, 0.5, -0]);
    assertAllClose(gradientOf(new L1(0.1), point), [-0.1, 0, 0.1, 0]);
    assertAllClose(gradientOf(new L2(0.1), point), [-0.4, 0, 0.1, 0]);
    assertAllClose(gradientOf(new L1L2(0.1, 0.1), point), [-0.5, 0, 0.2, 0]);
  });

  it('apply leaves only its result behind', async () => {
    for (const reg of [new L1(), new L2(), new L1L2(0.1, 0.2), new OrthogonalRegularizer()]) {
      await assertNoLeak(() => {
        reg.apply(x).dispose();
      }, reg.constructor.name);
    }
  });
});

describeEachBackend('factors changed between computations', () => {
  it('take effect on the next computation', () => {
    const x = tf.ones([2, 3]);
    const l1 = new L1(0.1);
    assertAllClose(penaltyOf(l1, x), 0.6);
    l1.l1 = 0.5;
    assertAllClose(penaltyOf(l1, x), 3);
    const both = new L1L2(0.1, 0);
    both.l2 = 1;
    assertAllClose(penaltyOf(both, x), 0.6 + 6);
    const orth = new OrthogonalRegularizer(0.5, 'rows');
    assertAllClose(penaltyOf(orth, x), 0.5);
    orth.factor = 0.25;
    assertAllClose(penaltyOf(orth, x), 0.25);
    assert.deepEqual(orth.getConfig(), { factor: 0.25, mode: 'rows' });
    x.dispose();
  });
});

describe('regularizer arguments', () => {
  it('defaults: L1 0.01, L2 0.01, L1L2 0 and 0, Orthogonal 0.01 rows', () => {
    assert.deepEqual(new L1().getConfig(), { l1: 0.01 });
    assert.deepEqual(new L1(null).getConfig(), { l1: 0.01 });
    assert.deepEqual(new L1({}).getConfig(), { l1: 0.01 });
    assert.deepEqual(new L2({ l2: null }).getConfig(), { l2: 0.01 });
    assert.deepEqual(new L1L2().getConfig(), { l1: 0, l2: 0 });
    assert.deepEqual(new L1L2(null, 0.2).getConfig(), { l1: 0, l2: 0.2 });
    assert.deepEqual(new OrthogonalRegularizer().getConfig(), { factor: 0.01, mode: 'rows' });
    assert.deepEqual(new OrthogonalRegularizer({ mode: 'columns' }).getConfig(), { factor: 0.01, mode: 'columns' });
  });

  it('the lower-case factories take the same arguments', () => {
    assert.deepEqual(regularizers.l1(0.2).getConfig(), new L1(0.2).getConfig());
    assert.deepEqual(regularizers.l2({ l2: 0.3 }).getConfig(), { l2: 0.3 });
    assert.deepEqual(regularizers.l1l2(0.1, 0.2).getConfig(), { l1: 0.1, l2: 0.2 });
    assert.deepEqual(regularizers.l1L2({ l1: 0.4 }).getConfig(), { l1: 0.4, l2: 0 });
    assert.deepEqual(regularizers.orthogonalRegularizer(0.5, 'columns').getConfig(), { factor: 0.5, mode: 'columns' });
  });

  const badFactors: [unknown, string][] = [
    [-1, '-1'],
    [-0.001, '-0.001'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    ['0.1', '"0.1"'],
    [true, 'true'],
    [[0.1], '[0.1]'],
  ];
  const makers: [string, string, (value: unknown) => unknown][] = [
    ['new L1(v)', 'l1', (v) => new L1(v as number)],
    ['new L1({ l1: v })', 'l1', (v) => new L1({ l1: v as number })],
    ['new L2(v)', 'l2', (v) => new L2(v as number)],
    ['new L1L2(v, 0)', 'l1', (v) => new L1L2(v as number, 0)],
    ['new L1L2(0, v)', 'l2', (v) => new L1L2(0, v as number)],
    ['new L1L2({ l2: v })', 'l2', (v) => new L1L2({ l2: v as number })],
    ['new OrthogonalRegularizer(v)', 'factor', (v) => new OrthogonalRegularizer(v as number)],
    ['new OrthogonalRegularizer({ factor: v })', 'factor', (v) => new OrthogonalRegularizer({ factor: v as number })],
  ];
  for (const [label, name, make] of makers) {
    it(`${label}: anything but a finite number >= 0 is a ValueError naming ${name} and the value`, () => {
      for (const [value, shown] of badFactors) {
        expectValueError(
          () => make(value),
          `Invalid value for argument ${name}: expected a non-negative float. Received: ${name}=${shown}`,
        );
      }
    });
  }

  it('factor setters validate like the constructors and keep the old value on error', () => {
    const l2 = new L2(0.1);
    expectValueError(() => {
      l2.l2 = -3;
    }, 'Invalid value for argument l2: expected a non-negative float. Received: l2=-3');
    assert.equal(l2.l2, 0.1);
    const l1 = new L1();
    expectValueError(() => {
      l1.l1 = Number.NaN;
    }, 'Invalid value for argument l1: expected a non-negative float. Received: l1=NaN');
    const orth = new OrthogonalRegularizer();
    expectValueError(() => {
      orth.factor = -1;
    }, 'Invalid value for argument factor: expected a non-negative float. Received: factor=-1');
    expectValueError(() => {
      orth.mode = 'diagonal' as 'rows';
    }, 'Invalid value for argument `mode`. Expected one of {"rows", "columns"}. Received: mode=diagonal');
    assert.equal(orth.mode, 'rows');
  });

  it('OrthogonalRegularizer: mode is case-sensitive; factor null is an error; the factor is checked first', () => {
    expectValueError(
      () => new OrthogonalRegularizer(0.01, 'ROWS' as 'rows'),
      'Invalid value for argument `mode`. Expected one of {"rows", "columns"}. Received: mode=ROWS',
    );
    expectValueError(
      () => new OrthogonalRegularizer({ factor: null as unknown as number }),
      'Invalid value for argument factor: expected a non-negative float. Received: factor=null',
    );
    expectValueError(
      () => new OrthogonalRegularizer(-1, 'bad' as 'rows'),
      'Invalid value for argument factor: expected a non-negative float. Received: factor=-1',
    );
  });

  it('an unknown option or a non-object options argument is a TypeError naming it', () => {
    const cases: [() => unknown, string][] = [
      [
        () => new L1({ l2: 0.1 } as never),
        'L1 got an unexpected option "l2". Expected: l1, proximal. Received: {"l2":0.1}',
      ],
      [() => new L2({ l1: 0.1 } as never), 'L2 got an unexpected option "l1". Expected: l2. Received: {"l1":0.1}'],
      [
        () => new L1L2({ l3: 1 } as never),
        'L1L2 got an unexpected option "l3". Expected: l1, l2, proximal. Received: {"l3":1}',
      ],
      [
        () => new OrthogonalRegularizer({ factor: 0.1, axis: 0 } as never),
        'OrthogonalRegularizer got an unexpected option "axis". Expected: factor, mode. Received: {"factor":0.1,"axis":0}',
      ],
      [() => L2.fromConfig({ bogus: 1 }), 'L2 got an unexpected option "bogus". Expected: l2. Received: {"bogus":1}'],
      [
        () => new Regularizer({ x: 1 } as never),
        'Regularizer got an unexpected option "x". Expected: no options. Received: {"x":1}',
      ],
    ];
    for (const [make, message] of cases) {
      assert.throws(make, (error: Error) => {
        assert.ok(error instanceof KerasTypeError && error instanceof TypeError, `got ${error.name}`);
        assert.equal(error.message, message);
        return true;
      });
    }
  });

  it('getConfig returns the constructor options with exact numbers, and fromConfig rebuilds', () => {
    for (const reg of [new L1(0.3), new L2(0.01), new L1L2(0.1, 0.2), new OrthogonalRegularizer(0.07, 'columns')]) {
      const Cls = reg.constructor as typeof L1;
      const copy = Cls.fromConfig(reg.getConfig());
      assert.ok(copy instanceof Cls);
      assert.notEqual(copy, reg);
      assert.deepEqual(copy.getConfig(), reg.getConfig());
    }
    // Keras's float32-rounded factors are accepted on input.
    assert.deepEqual(L1.fromConfig({ l1: 0.009999999776482582 }).getConfig(), { l1: 0.009999999776482582 });
  });

  it('the base Regularizer gives a float32 scalar 0 (Keras: the Python float 0.0)', () => {
    const zero = new Regularizer().apply(tf.ones([3]));
    assert.equal(zero.rank, 0);
    assert.equal(zero.dtype, 'float32');
    assert.equal(zero.dataSync()[0], 0);
    zero.dispose();
  });

  it('a regularizer function must return a scalar; a number is accepted', () => {
    const x = tf.ones([2, 2]);
    const vector = function rowSums(t: tf.Tensor) {
      return tf.sum(t, 1);
    };
    expectValueError(
      () => regularizers.computePenalty(vector, x),
      'Regularizer rowSums must return a scalar tensor or a number. Received: a tensor of shape [2]',
    );
    const constant = regularizers.computePenalty(() => 3, x);
    assert.equal(constant.dataSync()[0], 3);
    tf.dispose([x, constant]);
  });
});
