/**
 * The gradient of every loss with respect to `yPred`, against central
 * differences of a float64 reference written here in plain numbers (the
 * loss as Keras's source computes it, reduced with "sum_over_batch_size").
 * The reference's value is checked against ours first (float32 rtol 1e-5),
 * so that a wrong reference cannot pass; inputs keep away from the kinks
 * (clipping bounds, hinge margins, Huber's delta, ties of a max).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { losses } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertNoLeak } from './helpers/leaks.js';

const EPS = 1e-7;
type Ref = (y: number[], p: number[]) => number;

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: number[]) => sum(xs) / xs.length;
const clip = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);
const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const logSumExp = (xs: number[]) => {
  const top = Math.max(...xs);
  return top + Math.log(sum(xs.map((x) => Math.exp(x - top))));
};
const rowsOf = (xs: number[], k: number) =>
  Array.from({ length: xs.length / k }, (_, i) => xs.slice(i * k, (i + 1) * k));

/** A loss of each row of `k` values, then the mean over the rows. */
const rowwise =
  (k: number, fn: (y: number[], p: number[]) => number): Ref =>
  (y, p) => {
    const [ys, ps] = [rowsOf(y, k), rowsOf(p, k)];
    return mean(ps.map((row, i) => fn(ys[i] as number[], row)));
  };
const zip = (a: number[], b: number[]) => a.map((x, i) => [x, b[i] as number] as const);

const bce = (y: number, p: number) => {
  const q = clip(p, EPS, 1 - EPS);
  return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
};
const bceLogits = (y: number, z: number) => y * softplus(-z) + (1 - y) * softplus(z);
const normalise = (xs: number[]) => {
  const s = sum(xs);
  return xs.map((x) => clip(x / s, EPS, 1 - EPS));
};
const logSoftmax = (xs: number[]) => {
  const l = logSumExp(xs);
  return xs.map((x) => x - l);
};
const l2 = (xs: number[]) => {
  const n = Math.sqrt(Math.max(sum(xs.map((x) => x * x)), EPS * EPS));
  return xs.map((x) => x / n);
};
const hingeLabels = (y: number[]) => y;

function huberRef(delta: number): Ref {
  return rowwise(3, (y, p) =>
    mean(
      zip(y, p).map(([t, q]) => {
        const e = Math.abs(q - t);
        return e <= delta ? 0.5 * e * e : delta * e - 0.5 * delta * delta;
      }),
    ),
  );
}

function binaryFocal(
  y: number[],
  p: number[],
  o: { gamma: number; alpha?: number; logits?: boolean; smoothing?: number },
) {
  return mean(
    zip(y, p).map(([t0, z]) => {
      const t = o.smoothing ? t0 * (1 - o.smoothing) + 0.5 * o.smoothing : t0;
      const q = o.logits ? sigmoid(z) : z;
      const pt = t * q + (1 - t) * (1 - q);
      const w = o.alpha == null ? 1 : t * o.alpha + (1 - t) * (1 - o.alpha);
      return w * (1 - pt) ** o.gamma * bce(t, q);
    }),
  );
}

/** CTC by the textbook forward recursion (blank 0) over the extended label sequence, in probabilities. */
function ctcRef(labels: number[], logits: number[], steps: number, classes: number): number {
  const l = labels.filter((x) => x !== 0);
  const ext = [0];
  for (const c of l) ext.push(c, 0);
  const probs = rowsOf(logits, classes).map((row) => logSoftmax(row).map(Math.exp));
  let alpha = ext.map((_, s) =>
    s === 0 ? (probs[0] as number[])[0] : s === 1 ? (probs[0] as number[])[ext[1] as number] : 0,
  ) as number[];
  for (let t = 1; t < steps; t++) {
    const p = probs[t] as number[];
    alpha = ext.map((c, s) => {
      let a = (alpha[s] as number) + (s > 0 ? (alpha[s - 1] as number) : 0);
      if (s > 1 && c !== 0 && c !== ext[s - 2]) a += alpha[s - 2] as number;
      return a * (p[c] as number);
    });
  }
  const last = ext.length - 1;
  return -Math.log((alpha[last] as number) + (last > 0 ? (alpha[last - 1] as number) : 0));
}

function circleRef(
  labels: number[],
  emb: number[],
  dim: number,
  gamma: number,
  margin: number,
  removeDiagonal: boolean,
) {
  const rows = rowsOf(emb, dim);
  const values = rows.map((a, i) => {
    const pos: number[] = [];
    const neg: number[] = [];
    rows.forEach((b, j) => {
      const d = Math.max(1 - sum(a.map((x, k) => x * (b[k] as number))), 0);
      if (labels[i] === labels[j]) {
        if (removeDiagonal && i === j) return;
        pos.push(-gamma * Math.max(margin + d, 0) * (margin - d));
      } else {
        neg.push(gamma * Math.max(1 + margin - d, 0) * (1 - margin - d));
      }
    });
    return pos.length === 0 || neg.length === 0 ? 0 : softplus(logSumExp(pos) + logSumExp(neg));
  });
  const kept = values.filter((v) => v > 0);
  return kept.length === 0 ? 0 : mean(kept);
}

interface GradCase {
  name: string;
  loss: () => losses.Loss;
  yTrue: [number[], number[]];
  yPred: [number[], number[]];
  ref: Ref;
}

const Y34 = [0.2, -1.1, 0.7, 1.5, -0.3, 0.8, 2.1, -0.6, 0.4, 1.2, -1.7, 0.05];
const P34 = [0.5, -0.4, 1.3, 0.9, 0.6, -0.2, 1.6, -1.4, 0.1, 0.3, -1.0, 0.75];
const POS_Y = [0.2, 1.1, 0.7, 1.5, 0.3, 0.8, 2.1, 0.6, 0.4];
const POS_P = [0.5, 0.4, 1.3, 0.9, 0.6, 0.2, 1.6, 1.4, 0.1];
const BIN_Y = [1, 0, 1, 0, 0, 1];
const PROB = [0.8, 0.3, 0.45, 0.6, 0.1, 0.9];
const LOGITS = [1.5, -0.5, 0.3, 2.2, -1.7, 0.9];
const ONEHOT = [1, 0, 0, 0, 0, 1, 0, 1, 0];
const CAT_P = [0.5, 0.3, 0.2, 0.1, 0.3, 0.6, 0.25, 0.45, 0.3];
const CAT_Z = [2.0, -1.0, 0.5, 0.1, 0.3, 1.9, -0.4, 0.9, 0.2];
const SPARSE = [0, 2, 1];
const pick = (rows: number[][], labels: number[]) => rows.map((r, i) => r[labels[i] as number] as number);

const CASES: GradCase[] = [
  {
    name: 'MeanSquaredError',
    loss: () => new losses.MeanSquaredError(),
    yTrue: [Y34, [3, 4]],
    yPred: [P34, [3, 4]],
    ref: rowwise(4, (y, p) => mean(zip(y, p).map(([t, q]) => (t - q) ** 2))),
  },
  {
    name: 'MeanAbsoluteError',
    loss: () => new losses.MeanAbsoluteError(),
    yTrue: [Y34, [3, 4]],
    yPred: [P34, [3, 4]],
    ref: rowwise(4, (y, p) => mean(zip(y, p).map(([t, q]) => Math.abs(t - q)))),
  },
  {
    name: 'MeanAbsolutePercentageError',
    loss: () => new losses.MeanAbsolutePercentageError(),
    yTrue: [Y34, [3, 4]],
    yPred: [P34, [3, 4]],
    ref: rowwise(4, (y, p) => 100 * mean(zip(y, p).map(([t, q]) => Math.abs((t - q) / Math.max(Math.abs(t), EPS))))),
  },
  {
    name: 'MeanSquaredLogarithmicError',
    loss: () => new losses.MeanSquaredLogarithmicError(),
    yTrue: [POS_Y, [3, 3]],
    yPred: [POS_P, [3, 3]],
    ref: rowwise(3, (y, p) =>
      mean(zip(y, p).map(([t, q]) => (Math.log(Math.max(q, EPS) + 1) - Math.log(Math.max(t, EPS) + 1)) ** 2)),
    ),
  },
  {
    name: 'CosineSimilarity',
    loss: () => new losses.CosineSimilarity(),
    yTrue: [Y34, [3, 4]],
    yPred: [P34, [3, 4]],
    ref: rowwise(4, (y, p) => -sum(zip(l2(y), l2(p)).map(([a, b]) => a * b))),
  },
  {
    name: 'Huber',
    loss: () => new losses.Huber(),
    yTrue: [POS_Y, [3, 3]],
    yPred: [P34.slice(0, 9), [3, 3]],
    ref: huberRef(1),
  },
  {
    name: 'Huber(delta=0.5)',
    loss: () => new losses.Huber({ delta: 0.5 }),
    yTrue: [POS_Y, [3, 3]],
    yPred: [P34.slice(0, 9), [3, 3]],
    ref: huberRef(0.5),
  },
  {
    name: 'LogCosh',
    loss: () => new losses.LogCosh(),
    yTrue: [Y34, [3, 4]],
    yPred: [P34, [3, 4]],
    ref: rowwise(4, (y, p) => mean(zip(y, p).map(([t, q]) => Math.log(Math.cosh(q - t))))),
  },
  {
    name: 'KLDivergence',
    loss: () => new losses.KLDivergence(),
    yTrue: [CAT_P, [3, 3]],
    yPred: [
      [0.3, 0.3, 0.4, 0.2, 0.5, 0.3, 0.1, 0.6, 0.3],
      [3, 3],
    ],
    ref: rowwise(3, (y, p) =>
      sum(
        zip(y, p).map(([t, q]) => {
          const a = clip(t, EPS, 1);
          return a * Math.log(a / clip(q, EPS, 1));
        }),
      ),
    ),
  },
  {
    name: 'Poisson',
    loss: () => new losses.Poisson(),
    yTrue: [POS_Y, [3, 3]],
    yPred: [POS_P, [3, 3]],
    ref: rowwise(3, (y, p) => mean(zip(y, p).map(([t, q]) => q - t * Math.log(q + EPS)))),
  },
  {
    name: 'Hinge',
    loss: () => new losses.Hinge(),
    yTrue: [
      [1, -1, 1, -1, -1, 1],
      [2, 3],
    ],
    yPred: [
      [0.3, 0.2, -0.4, -2.0, 0.6, 1.7],
      [2, 3],
    ],
    ref: rowwise(3, (y, p) => mean(zip(hingeLabels(y), p).map(([t, q]) => Math.max(1 - t * q, 0)))),
  },
  {
    name: 'SquaredHinge (0/1 labels)',
    loss: () => new losses.SquaredHinge(),
    yTrue: [BIN_Y, [2, 3]],
    yPred: [
      [0.3, 0.2, -0.4, -2.0, 0.6, 0.7],
      [2, 3],
    ],
    ref: rowwise(3, (y, p) =>
      mean(
        zip(
          y.map((t) => 2 * t - 1),
          p,
        ).map(([t, q]) => Math.max(1 - t * q, 0) ** 2),
      ),
    ),
  },
  {
    name: 'CategoricalHinge',
    loss: () => new losses.CategoricalHinge(),
    yTrue: [ONEHOT, [3, 3]],
    yPred: [CAT_Z, [3, 3]],
    ref: rowwise(3, (y, p) =>
      Math.max(Math.max(...zip(y, p).map(([t, q]) => (1 - t) * q)) - sum(zip(y, p).map(([t, q]) => t * q)) + 1, 0),
    ),
  },
  {
    name: 'BinaryCrossentropy',
    loss: () => new losses.BinaryCrossentropy(),
    yTrue: [BIN_Y, [2, 3]],
    yPred: [PROB, [2, 3]],
    ref: rowwise(3, (y, p) => mean(zip(y, p).map(([t, q]) => bce(t, q)))),
  },
  {
    name: 'BinaryCrossentropy(labelSmoothing=0.2)',
    loss: () => new losses.BinaryCrossentropy({ labelSmoothing: 0.2 }),
    yTrue: [BIN_Y, [2, 3]],
    yPred: [PROB, [2, 3]],
    ref: rowwise(3, (y, p) => mean(zip(y, p).map(([t, q]) => bce(t * 0.8 + 0.1, q)))),
  },
  {
    name: 'BinaryCrossentropy(fromLogits)',
    loss: () => new losses.BinaryCrossentropy({ fromLogits: true }),
    yTrue: [BIN_Y, [2, 3]],
    yPred: [LOGITS, [2, 3]],
    ref: rowwise(3, (y, p) => mean(zip(y, p).map(([t, z]) => bceLogits(t, z)))),
  },
  {
    name: 'BinaryFocalCrossentropy',
    loss: () => new losses.BinaryFocalCrossentropy(),
    yTrue: [BIN_Y, [2, 3]],
    yPred: [PROB, [2, 3]],
    ref: rowwise(3, (y, p) => binaryFocal(y, p, { gamma: 2 })),
  },
  {
    name: 'BinaryFocalCrossentropy(balanced, logits)',
    loss: () =>
      new losses.BinaryFocalCrossentropy({
        applyClassBalancing: true,
        alpha: 0.3,
        gamma: 1.5,
        fromLogits: true,
        labelSmoothing: 0.1,
      }),
    yTrue: [BIN_Y, [2, 3]],
    yPred: [LOGITS, [2, 3]],
    ref: rowwise(3, (y, p) => binaryFocal(y, p, { gamma: 1.5, alpha: 0.3, logits: true, smoothing: 0.1 })),
  },
  {
    name: 'CategoricalCrossentropy',
    loss: () => new losses.CategoricalCrossentropy(),
    yTrue: [ONEHOT, [3, 3]],
    yPred: [CAT_P.map((x) => x * 2), [3, 3]],
    ref: rowwise(3, (y, p) => -sum(zip(y, normalise(p)).map(([t, q]) => t * Math.log(q)))),
  },
  {
    name: 'CategoricalCrossentropy(fromLogits, labelSmoothing=0.1)',
    loss: () => new losses.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
    yTrue: [ONEHOT, [3, 3]],
    yPred: [CAT_Z, [3, 3]],
    ref: rowwise(3, (y, p) => -sum(zip(y, logSoftmax(p)).map(([t, q]) => (t * 0.9 + 0.1 / 3) * q))),
  },
  {
    name: 'CategoricalFocalCrossentropy(fromLogits)',
    loss: () => new losses.CategoricalFocalCrossentropy({ fromLogits: true, alpha: 0.5, gamma: 1.5 }),
    yTrue: [ONEHOT, [3, 3]],
    yPred: [CAT_Z, [3, 3]],
    ref: rowwise(3, (y, p) => {
      const q = normalise(logSoftmax(p).map(Math.exp));
      return sum(zip(y, q).map(([t, o]) => 0.5 * (1 - o) ** 1.5 * -t * Math.log(o)));
    }),
  },
  {
    name: 'SparseCategoricalCrossentropy',
    loss: () => new losses.SparseCategoricalCrossentropy(),
    yTrue: [SPARSE, [3]],
    yPred: [CAT_P, [3, 3]],
    ref: (y, p) => mean(pick(rowsOf(p, 3).map(normalise), y).map((q) => -Math.log(q))),
  },
  {
    name: 'SparseCategoricalCrossentropy(fromLogits, ignoreClass=2)',
    loss: () => new losses.SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: 2 }),
    yTrue: [SPARSE, [3]],
    yPred: [CAT_Z, [3, 3]],
    ref: (y, p) => {
      const rows = rowsOf(p, 3).map(logSoftmax);
      const kept = y.map((l, i) => (l === 2 ? null : -((rows[i] as number[])[l] as number))).filter((v) => v != null);
      return mean(kept as number[]);
    },
  },
  {
    // Probabilities with an ignored class: its rows give 0 and a zero gradient, not NaN.
    name: 'SparseCategoricalCrossentropy(ignoreClass=1)',
    loss: () => new losses.SparseCategoricalCrossentropy({ ignoreClass: 1 }),
    yTrue: [[0, 1, 2], [3]],
    yPred: [CAT_P, [3, 3]],
    ref: (y, p) => {
      const rows = rowsOf(p, 3).map(normalise);
      const kept = y.map((l, i) => (l === 1 ? null : -Math.log((rows[i] as number[])[l] as number)));
      return mean(kept.filter((v) => v != null) as number[]);
    },
  },
  {
    name: 'CategoricalGeneralizedCrossEntropy(q=0.3)',
    loss: () => new losses.CategoricalGeneralizedCrossEntropy({ q: 0.3 }),
    yTrue: [SPARSE, [3]],
    yPred: [CAT_P, [3, 3]],
    ref: (y, p) => mean(pick(rowsOf(p, 3), y).map((q) => (1 - q ** 0.3) / 0.3)),
  },
  {
    name: 'Dice',
    loss: () => new losses.Dice(),
    yTrue: [BIN_Y, [2, 3]],
    yPred: [PROB, [2, 3]],
    ref: (y, p) => 1 - (2 * sum(zip(y, p).map(([t, q]) => t * q))) / (sum(y) + sum(p) + EPS),
  },
  {
    name: 'Dice(axis=1)',
    loss: () => new losses.Dice({ axis: 1 }),
    yTrue: [BIN_Y, [2, 3]],
    yPred: [PROB, [2, 3]],
    ref: rowwise(3, (y, p) => 1 - (2 * sum(zip(y, p).map(([t, q]) => t * q))) / (sum(y) + sum(p) + EPS)),
  },
  {
    name: 'Tversky(alpha=0.7, beta=0.3)',
    loss: () => new losses.Tversky({ alpha: 0.7, beta: 0.3 }),
    yTrue: [BIN_Y, [2, 3]],
    yPred: [PROB, [2, 3]],
    ref: (y, p) => {
      const i = sum(zip(y, p).map(([t, q]) => t * q));
      const fp = sum(zip(y, p).map(([t, q]) => (1 - q) * t));
      const fn = sum(zip(y, p).map(([t, q]) => q * (1 - t)));
      return 1 - i / (i + 0.7 * fp + 0.3 * fn + EPS);
    },
  },
  {
    name: 'Circle(gamma=4, margin=0.25)',
    loss: () => new losses.Circle({ gamma: 4, margin: 0.25 }),
    yTrue: [[0, 1, 0, 1], [4]],
    yPred: [
      [0.6, 0.8, 0, 0.8, 0, 0.6, 0.48, 0.64, 0.6, 0, 0.6, 0.8],
      [4, 3],
    ],
    ref: (y, p) => circleRef(y, p, 3, 4, 0.25, true),
  },
  {
    name: 'CTC',
    loss: () => new losses.CTC(),
    yTrue: [
      [1, 2, 0, 2, 2, 1],
      [2, 3],
    ],
    yPred: [
      [
        0.3, -0.2, 0.5, 1.1, 0.0, -0.7, 0.2, 0.4, 0.9, -0.3, 0.6, 0.1, 0.5, -1.0, 0.3, 0.8, 0.7, 0.2, -0.4, 0.1, 0.6,
        0.0, 1.2, -0.5, 0.3, 0.3, 0.2, -0.1, 0.9, 0.4,
      ],
      [2, 5, 3],
    ],
    ref: (y, p) => mean([ctcRef(y.slice(0, 3), p.slice(0, 15), 5, 3), ctcRef(y.slice(3), p.slice(15), 5, 3)]),
  },
];

/** Central differences of `ref` in float64. */
function numericGradient(ref: Ref, y: number[], p: number[]): number[] {
  const h = 1e-6;
  return p.map((_, i) => {
    const up = [...p];
    const down = [...p];
    up[i] = (p[i] as number) + h;
    down[i] = (p[i] as number) - h;
    return (ref(y, up) - ref(y, down)) / (2 * h);
  });
}

describeEachBackend('loss gradients against float64 central differences', () => {
  it('covers every Keras loss class', () => {
    const names = new Set(CASES.map((c) => c.name.replace(/[ (].*$/, '')));
    assert.equal(names.size, 22);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const y = c.yTrue[0].map(Math.fround);
      const p = c.yPred[0].map(Math.fround);
      await assertNoLeak(() => {
        const yTrue = tf.tensor(y, c.yTrue[1]);
        const yPred = tf.tensor(p, c.yPred[1]);
        const loss = c.loss();
        const value = loss.apply(yTrue, yPred);
        assertAllClose(value, [c.ref(y, p)], {}, 'value against the float64 reference');
        const grad = tf.grad((x: tf.Tensor) => loss.apply(yTrue, x))(yPred);
        assertAllClose(grad, numericGradient(c.ref, y, p), { rtol: 1e-4, atol: 1e-5 }, 'gradient');
        tf.dispose([yTrue, yPred, value, grad]);
      });
    });
  }
});
