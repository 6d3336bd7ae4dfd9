import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { KerasTypeError, layers, models, optimizers, ValueError } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import { expectValueError } from './helpers/errors.js';

/** One `optimizer.variables` entry as Keras listed it. */
interface KerasVariable {
  path: string;
  shape: number[];
  dtype: string;
  values: number[];
}

interface StepCase {
  name: string;
  kind: 'step';
  class_name: string;
  options: Record<string, unknown>;
  config: Record<string, unknown>;
  config_after: Record<string, unknown>;
  steps: number[][][];
  state_after_2: KerasVariable[];
  state_after_5: KerasVariable[];
}

interface ModelCase {
  name: string;
  kind: 'model';
  class_name: string;
  options: Record<string, unknown>;
  initial_weights: number[][];
  x: { shape: number[]; values: number[] };
  y: { shape: number[]; values: number[] };
  steps: { loss: number; weights: number[][] }[];
  optimizer_variables: KerasVariable[];
}

interface Fixture {
  keras_version: string;
  initial: Record<string, { shape: number[]; values: number[] }>;
  gradients: Record<string, number[]>[];
  cases: (StepCase | ModelCase)[];
}

const FIXTURE = JSON.parse(
  readFileSync(new URL('./fixtures/keras-optimizers.json', import.meta.url), 'utf8'),
) as Fixture;
const STEP_CASES = FIXTURE.cases.filter((c): c is StepCase => c.kind === 'step');
const MODEL_CASES = FIXTURE.cases.filter((c): c is ModelCase => c.kind === 'model');
const NAMES = Object.keys(FIXTURE.initial);

const CLASSES: Record<string, new (options?: never) => optimizers.Optimizer> = {
  Adagrad: optimizers.Adagrad,
  Adadelta: optimizers.Adadelta,
  Adamax: optimizers.Adamax,
  Nadam: optimizers.Nadam,
  Lion: optimizers.Lion,
  Ftrl: optimizers.Ftrl,
  Adafactor: optimizers.Adafactor,
  Lamb: optimizers.Lamb,
};

/** Keras's keyword arguments as our options: `beta_2_decay` → `beta2Decay`. */
function camelOptions(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(options).map(([key, value]) => [
      key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
      value,
    ]),
  );
}

function make(className: string, options: Record<string, unknown>): optimizers.Optimizer {
  const Class = CLASSES[className];
  assert.ok(Class, `no class ${className}`);
  return new Class(camelOptions(options) as never);
}

/** The three weights of a step case, at `values` (the initial ones by default). */
function weights(values?: number[][]): tf.Variable[] {
  return NAMES.map((name, i) => {
    const { shape, values: initial } = FIXTURE.initial[name] as { shape: number[]; values: number[] };
    return tf.tidy(() => tf.variable(tf.tensor(values?.[i] ?? initial, shape), true));
  });
}

/** Applies the fixture's gradients of steps `from..to` (1-based, inclusive). */
function applySteps(
  optimizer: optimizers.Optimizer,
  variables: tf.Variable[],
  from: number,
  to: number,
  check?: (step: number) => void,
): void {
  for (let step = from; step <= to; step++) {
    const gradients = NAMES.map((name, i) =>
      tf.tensor(FIXTURE.gradients[step - 1]?.[name] as number[], variables[i]?.shape),
    );
    optimizer.applyGradients(gradients.map((g, i) => [g, variables[i] as tf.Variable] as const));
    tf.dispose(gradients);
    check?.(step);
  }
}

/** `optimizer.variables` against Keras's list: same count, shapes and values, entry by entry. */
function assertState(optimizer: optimizers.Optimizer, expected: KerasVariable[], label: string): void {
  const actual = optimizer.variables;
  assert.deepEqual(
    actual.map((v) => v.shape),
    expected.map((v) => v.shape),
    `${label}: shapes of optimizer.variables`,
  );
  actual.forEach((v, i) => {
    const want = expected[i] as KerasVariable;
    assertAllClose(v, want.values, {}, `${label}: ${want.path}`);
  });
}

/**
 * Keras's variable name from its path: `nadam_3/variable_3` → `variable`,
 * `adagrad/a_accumulator` → `a_accumulator`. Adafactor's `r` and `c` are
 * named as their weight in Keras (`adafactor/b` twice); ours say which is
 * which (`b_r`, `b_c`), a difference COMPATIBILITY.md records.
 */
function kerasName(path: string, previous?: string): string {
  const name = (path.split('/').pop() as string).replace(/^variable_\d+$/, 'variable');
  if (!NAMES.includes(name)) return name;
  return previous != null && previous.split('/').pop() === name ? `${name}_c` : `${name}_r`;
}

/** Keras's `optimizer.iterations` after `applied` calls: the updates made, with gradient accumulation. */
function updatesAfter(c: StepCase, applied: number): number {
  return Math.floor(applied / ((c.options.gradient_accumulation_steps as number | undefined) ?? 1));
}

const tensorsAtStart = tf.memory().numTensors;
after(() => {
  assert.equal(tf.memory().numTensors, tensorsAtStart, 'the whole file leaked tensors');
});

describeEachBackend('Keras 3 optimizers replayed from real Keras', () => {
  for (const c of STEP_CASES) {
    it(`${c.name}: five steps give Keras's weights and optimizer.variables`, () => {
      const before = tf.memory().numTensors;
      const variables = weights();
      const optimizer = make(c.class_name, c.options);
      // Built on the weights' paths, the slots take Keras's names.
      optimizer.build(variables, NAMES);
      // Built (slots and the two scalars of `variables` made), a step leaves no tensor behind.
      const built = optimizer.variables.length > 0 ? tf.memory().numTensors : 0;
      applySteps(optimizer, variables, 1, 5, (step) => {
        variables.forEach((v, i) => {
          assertAllClose(v, c.steps[step - 1]?.[i] as number[], {}, `${c.name} step ${step} ${NAMES[i]}`);
        });
        assert.equal(tf.memory().numTensors, built, `step ${step} leaked tensors`);
        if (step === 2) assertState(optimizer, c.state_after_2, `${c.name} after step 2`);
      });
      assertState(optimizer, c.state_after_5, `${c.name} after step 5`);
      assert.equal(optimizer.iterations, updatesAfter(c, 5));
      assert.deepEqual(
        optimizer.variableNames,
        c.state_after_5.map((v, i) => kerasName(v.path, c.state_after_5[i - 1]?.path)),
        'variableNames are Keras’s',
      );
      optimizer.dispose();
      tf.dispose(variables);
      assert.equal(tf.memory().numTensors, before, 'leaked tensors');
    });

    it(`${c.name}: Keras's state after step 2, loaded, gives Keras's steps 3 to 5`, () => {
      const before = tf.memory().numTensors;
      const variables = weights(c.steps[1]);
      const optimizer = make(c.class_name, c.options);
      optimizer.build(variables, NAMES);
      const state = c.state_after_2.map((v) => tf.tensor(v.values, v.shape));
      optimizer.loadVariables(state);
      tf.dispose(state);
      assert.equal(optimizer.iterations, updatesAfter(c, 2));
      applySteps(optimizer, variables, 3, 5, (step) => {
        variables.forEach((v, i) => {
          assertAllClose(v, c.steps[step - 1]?.[i] as number[], {}, `${c.name} resumed step ${step} ${NAMES[i]}`);
        });
      });
      assertState(optimizer, c.state_after_5, `${c.name} resumed, after step 5`);
      optimizer.dispose();
      tf.dispose(variables);
      assert.equal(tf.memory().numTensors, before, 'leaked tensors');
    });
  }

  for (const c of MODEL_CASES) {
    it(`${c.name}: a Dense model compiled with ${c.class_name} takes Keras's three trainOnBatch steps`, () => {
      const before = tf.memory().numTensors;
      const model = new models.Sequential([
        layers.Input({ shape: [3] }),
        new layers.Dense({ units: 2, activation: 'tanh' }),
        new layers.Dense({ units: 1 }),
      ]);
      const initial = c.initial_weights.map((w, i) => tf.tensor(w, model.weights[i]?.shape));
      model.setWeights(initial);
      tf.dispose(initial);
      model.compile({ optimizer: make(c.class_name, c.options), loss: 'mse' });
      const x = tf.tensor(c.x.values, c.x.shape);
      const y = tf.tensor(c.y.values, c.y.shape);
      for (const [i, step] of c.steps.entries()) {
        const logs = model.trainOnBatch(x, y);
        assertAllClose(logs.loss as number, step.loss, {}, `${c.name} step ${i + 1} loss`);
        model.weights.forEach((w, j) => {
          assertAllClose(w, step.weights[j] as number[], {}, `${c.name} step ${i + 1} weight ${j}`);
        });
      }
      assertState(model.optimizer as optimizers.Optimizer, c.optimizer_variables, `${c.name} optimizer`);
      model.dispose();
      tf.dispose([x, y]);
      assert.equal(tf.memory().numTensors, before, 'leaked tensors');
    });
  }
});

it('each config is Keras’s: the same keys in the same order, the same values', () => {
  for (const c of STEP_CASES) {
    const optimizer = make(c.class_name, c.options);
    const json = optimizers.serialize(optimizer);
    assert.equal(json.class_name, c.class_name);
    // Keras names the optimizer after its class; counters (`adagrad_1`) are its own bookkeeping.
    const { name: _ours, ...config } = json.config;
    const { name: theirs, ...expected } = c.config;
    assert.equal(json.config.name, (theirs as string).replace(/_\d+$/, ''), `${c.name}: name`);
    assert.deepEqual(Object.keys(config), Object.keys(expected), `${c.name}: keys in Keras's order`);
    assertConfigClose(config, expected, c.name);
    optimizer.dispose();
  }
});

it('Keras’s own configs deserialize to the same optimizer, and ours round-trip', () => {
  for (const c of STEP_CASES) {
    const fromKeras = optimizers.deserialize({ class_name: c.class_name, config: c.config });
    assert.equal(fromKeras.constructor, CLASSES[c.class_name], `${c.name}: class`);
    const { name: _a, ...again } = optimizers.serialize(fromKeras).config;
    const { name: _b, ...expected } = c.config;
    assertConfigClose(again, expected, `${c.name} from Keras`);
    const ours = make(c.class_name, c.options);
    const roundTrip = optimizers.deserialize(optimizers.serialize(ours));
    // Keras writes the learning rate as its float32 variable holds it: the JSON is the same after a round trip.
    assert.deepEqual(optimizers.serialize(roundTrip), optimizers.serialize(ours), `${c.name}: round trip`);
    assertConfigClose(roundTrip.getConfig(), ours.getConfig(), `${c.name}: round trip`);
    for (const o of [fromKeras, ours, roundTrip]) o.dispose();
  }
});

it('optimizers.get knows the eight by Keras name, any case, with Keras’s defaults', () => {
  for (const [className, Class] of Object.entries(CLASSES)) {
    for (const name of [className.toLowerCase(), className.toUpperCase(), className]) {
      const optimizer = optimizers.get(name);
      assert.ok(optimizer instanceof Class, `${name}`);
      assert.deepEqual(optimizer.getConfig(), new Class().getConfig(), `${name}: defaults`);
      optimizer.dispose();
    }
  }
});

it('each class has Keras’s defaults', () => {
  const defaults = STEP_CASES.filter((c) => c.name.endsWith('_default'));
  assert.equal(defaults.length, 8);
  for (const c of defaults) {
    const { name: _n, ...config } = optimizers.serialize(make(c.class_name, {})).config;
    const { name: _m, ...expected } = c.config;
    assertConfigClose(config, expected, `${c.class_name} defaults`);
  }
});

it('Nadam keeps u_product last in variables, after the slots, as Keras does', () => {
  const variables = weights();
  const optimizer = new optimizers.Nadam({ useEma: true });
  optimizer.build(variables);
  const names = optimizer.variableNames;
  assert.equal(names.at(-1), 'variable');
  assert.deepEqual(optimizer.variables.at(-1)?.shape, []);
  assert.equal(optimizer.variables.at(-1)?.dataSync()[0], 1);
  optimizer.dispose();
  tf.dispose(variables);
});

it('Nadam loads u_product with the rest, checks its shape first, and replays from a state loaded twice', () => {
  const c = STEP_CASES.find((s) => s.name === 'nadam_options_1') as StepCase;
  const before = tf.memory().numTensors;
  const variables = weights(c.steps[1]);
  const optimizer = make(c.class_name, c.options);
  optimizer.build(variables, NAMES);
  const state = c.state_after_2.map((v) => tf.tensor(v.values, v.shape));
  // u_product is the last entry: a vector there is refused and nothing changes.
  const bad = [...state.slice(0, -1), tf.zeros([2])];
  expectValueError(
    () => optimizer.loadVariables(bad),
    "Optimizer variable 8 (variable) has shape [], not compatible with the given value's shape [2].",
  );
  assert.equal(optimizer.iterations, 0);
  assert.equal(optimizer.variables.at(-1)?.dataSync()[0], 1);
  expectValueError(
    () => optimizer.loadVariables(state.slice(0, -1)),
    /^Nadam has 9 variables \(.*, variable\) but 8 values were given\.$/,
  );
  for (let round = 0; round < 2; round++) {
    tf.tidy(() => {
      variables.forEach((v, i) => {
        v.assign(tf.tensor(c.steps[1]?.[i] as number[], v.shape));
      });
    });
    optimizer.loadVariables(state);
    applySteps(optimizer, variables, 3, 5);
    variables.forEach((v, i) => {
      assertAllClose(v, c.steps[4]?.[i] as number[], {}, `round ${round} ${NAMES[i]}`);
    });
    assertState(optimizer, c.state_after_5, `round ${round}`);
  }
  tf.dispose([...state, bad.at(-1) as tf.Tensor]);
  optimizer.dispose();
  tf.dispose(variables);
  assert.equal(tf.memory().numTensors, before, 'leaked tensors');
});

it('Adafactor factors the last two axes and keeps Keras’s scalar placeholders for a 1-D weight', () => {
  const c = STEP_CASES.find((s) => s.name === 'adafactor_default') as StepCase;
  const variables = weights();
  const optimizer = new optimizers.Adafactor();
  optimizer.build(variables);
  assert.deepEqual(
    optimizer.variables.map((v) => v.shape),
    c.state_after_5.map((v) => v.shape),
  );
  assert.deepEqual(
    optimizer.variables.slice(2).map((v) => v.shape),
    [[], [], [3], [2], [3], [2, 3], [2, 2], [2, 3], [2, 2, 3]],
  );
  optimizer.dispose();
  tf.dispose(variables);
});

it('bad options are refused with errors naming the option', () => {
  const cases: [() => unknown, string][] = [
    [
      () => new optimizers.Adagrad({ initialAccumulatorValue: -0.1 }),
      'Invalid value for argument initialAccumulatorValue: expected a non-negative number. Received: initialAccumulatorValue=-0.1',
    ],
    [
      () => new optimizers.Adagrad({ epsilon: Number.NaN }),
      'Invalid value for argument epsilon: expected a non-negative number. Received: epsilon=NaN',
    ],
    [
      () => new optimizers.Adadelta({ rho: 1.5 }),
      'Invalid value for argument rho: expected a number in [0, 1). Received: rho=1.5',
    ],
    [
      () => new optimizers.Adamax({ beta1: -1 }),
      'Invalid value for argument beta1: expected a number in [0, 1). Received: beta1=-1',
    ],
    [
      () => new optimizers.Nadam({ beta2: 1 }),
      'Invalid value for argument beta2: expected a number in [0, 1). Received: beta2=1',
    ],
    [
      () => new optimizers.Lion({ beta1: 0 }),
      'Invalid value for argument beta1: expected a number in (0, 1] (at 0 Lion degenerates to SignSGD). Received: beta1=0',
    ],
    [
      () => new optimizers.Lion({ beta1: 1.1 }),
      'Invalid value for argument beta1: expected a number in (0, 1] (at 0 Lion degenerates to SignSGD). Received: beta1=1.1',
    ],
    [
      () => new optimizers.Ftrl({ learningRatePower: 0.5 }),
      'Invalid value for argument learningRatePower: expected a number <= 0. Received: learningRatePower=0.5',
    ],
    [
      () => new optimizers.Ftrl({ initialAccumulatorValue: -1 }),
      'Invalid value for argument initialAccumulatorValue: expected a non-negative number. Received: initialAccumulatorValue=-1',
    ],
    [
      () => new optimizers.Ftrl({ l1RegularizationStrength: -1 }),
      'Invalid value for argument l1RegularizationStrength: expected a non-negative number. Received: l1RegularizationStrength=-1',
    ],
    [
      () => new optimizers.Ftrl({ l2RegularizationStrength: -1 }),
      'Invalid value for argument l2RegularizationStrength: expected a non-negative number. Received: l2RegularizationStrength=-1',
    ],
    [
      () => new optimizers.Ftrl({ l2ShrinkageRegularizationStrength: -1 }),
      'Invalid value for argument l2ShrinkageRegularizationStrength: expected a non-negative number. Received: l2ShrinkageRegularizationStrength=-1',
    ],
    [
      () => new optimizers.Ftrl({ beta: Number.POSITIVE_INFINITY }),
      'Invalid value for argument beta: expected a finite number. Received: beta=Infinity',
    ],
    [
      () => new optimizers.Adafactor({ beta2Decay: 0.5 }),
      'Invalid value for argument beta2Decay: expected a number <= 0. Received: beta2Decay=0.5',
    ],
    [
      () => new optimizers.Adafactor({ epsilon1: -1 }),
      'Invalid value for argument epsilon1: expected a non-negative number. Received: epsilon1=-1',
    ],
    [
      () => new optimizers.Adafactor({ epsilon2: -1 }),
      'Invalid value for argument epsilon2: expected a non-negative number. Received: epsilon2=-1',
    ],
    [
      () => new optimizers.Adafactor({ clipThreshold: 0 }),
      'Invalid value for argument clipThreshold: expected a positive number. Received: clipThreshold=0',
    ],
    [
      () => new optimizers.Adafactor({ relativeStep: 'yes' as never }),
      'Invalid value for argument relativeStep: expected a boolean. Received: relativeStep="yes"',
    ],
    [
      () => new optimizers.Lamb({ epsilon: -1 }),
      'Invalid value for argument epsilon: expected a non-negative number. Received: epsilon=-1',
    ],
    [
      () => new optimizers.Lamb({ learningRate: -1 }),
      'Invalid value for argument learningRate: expected a non-negative number. Received: learningRate=-1',
    ],
  ];
  for (const [body, message] of cases) expectValueError(body, message);
  // A Keras spelling or a typo is an unknown option, with the name it meant.
  assert.throws(
    () => new optimizers.Ftrl({ l1_regularization_strength: 0.1 } as never),
    (e: Error) => e instanceof KerasTypeError && /Did you mean "l1RegularizationStrength"\?$/.test(e.message),
  );
  assert.throws(
    () => new optimizers.Adafactor({ epsilon_1: 0.1 } as never),
    (e: Error) => e instanceof KerasTypeError && /Did you mean "epsilon1"\?$/.test(e.message),
  );
  // A Keras config with a bad value is refused by the same check.
  assert.throws(
    () => optimizers.deserialize({ class_name: 'Ftrl', config: { learning_rate_power: 1 } }),
    (e: Error) => e instanceof ValueError && e.message.includes('learningRatePower'),
  );
});
