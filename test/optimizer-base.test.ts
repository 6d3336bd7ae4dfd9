import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { KerasTypeError, L2, layers, models, optimizers, ValueError } from 'keras-regularizers';
import { assertAllClose, FLOAT32 } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';

/** One `optimizer.variables` entry as Keras listed it. */
interface KerasVariable {
  name: string;
  path: string;
  shape: number[];
  dtype: string;
  values: number[];
}

interface Step {
  variables: Record<string, number[]>;
  iterations: number;
  optimizer_variables?: KerasVariable[];
}

interface Case {
  class_name: string;
  options: Record<string, unknown>;
  steps: Step[];
  config: Record<string, unknown>;
  serialized: Record<string, unknown>;
  finalized?: Record<string, number[]>;
  /** Steps (1-based, as strings) where these variables had no gradient. */
  missing?: Record<string, string[]>;
}

interface ModelCase {
  class_name: string;
  options: Record<string, unknown>;
  initial_weights: number[][];
  x: number[];
  y: number[];
  steps: { loss: number; weights: number[][] }[];
  optimizer_variables: KerasVariable[];
}

interface Fixture {
  keras_version: string;
  models: Record<string, ModelCase>;
  shapes: Record<string, number[]>;
  initial: Record<string, number[]>;
  gradients: Record<string, number[]>[];
  cases: Record<string, Case>;
}

const FIXTURE = JSON.parse(
  readFileSync(new URL('./fixtures/keras-optimizer-base.json', import.meta.url), 'utf8'),
) as Fixture;
const NAMES = Object.keys(FIXTURE.shapes);

function variablesAt(values: Record<string, number[]>): tf.Variable[] {
  return NAMES.map((name) =>
    tf.tidy(() => tf.variable(tf.tensor(values[name] as number[], FIXTURE.shapes[name]), true)),
  );
}

/** The optimizer the case describes, from Keras's own options (as its config would hold them). */
function optimizerOf(c: Case): optimizers.Optimizer {
  return optimizers.deserialize({ class_name: c.class_name, config: c.options });
}

/** Applies Keras's gradients of steps `from..to` (1-based), checking the variables after each against Keras's. */
function replay(optimizer: optimizers.Optimizer, variables: tf.Variable[], c: Case, from: number, label: string) {
  for (let step = from; step <= c.steps.length; step++) {
    const gradients = FIXTURE.gradients[step - 1] as Record<string, number[]>;
    const missing = c.missing?.[String(step)] ?? [];
    tf.tidy(() => {
      optimizer.applyGradients(
        variables.map((v, i) => {
          const name = NAMES[i] as string;
          if (missing.includes(name)) return [undefined, v] as const;
          return [tf.tensor(gradients[name] as number[], FIXTURE.shapes[name]), v] as const;
        }),
      );
    });
    const expected = c.steps[step - 1] as Step;
    variables.forEach((v, i) => {
      const name = NAMES[i] as string;
      assertAllClose(v.dataSync(), expected.variables[name] as number[], FLOAT32, `${label} step ${step} ${name}`);
    });
    assert.equal(optimizer.iterations, expected.iterations, `${label} step ${step} iterations`);
    if (expected.optimizer_variables != null)
      assertState(optimizer, expected.optimizer_variables, `${label} step ${step}`);
  }
}

function assertState(optimizer: optimizers.Optimizer, expected: KerasVariable[], label: string): void {
  const actual = optimizer.variables;
  assert.deepEqual(
    optimizer.variableNames,
    expected.map((v) => v.name),
    `${label}: optimizer.variables names`,
  );
  assert.equal(actual.length, expected.length, `${label}: number of optimizer variables`);
  actual.forEach((variable, i) => {
    const keras = expected[i] as KerasVariable;
    assert.deepEqual(variable.shape, keras.shape, `${label}: ${keras.name} shape`);
    assert.equal(variable.dtype, keras.dtype, `${label}: ${keras.name} dtype`);
    assertAllClose(variable.dataSync(), keras.values, FLOAT32, `${label}: ${keras.name}`);
  });
}

describeEachBackend("the optimizer base against real Keras's apply_gradients", () => {
  for (const [name, c] of Object.entries(FIXTURE.cases)) {
    it(`${name}: five steps give Keras's variables, optimizer.variables and iterations`, () => {
      const before = tf.memory().numTensors;
      const optimizer = optimizerOf(c);
      const variables = variablesAt(FIXTURE.initial);
      optimizer.build(variables, NAMES);
      replay(optimizer, variables, c, 1, name);
      if (c.finalized != null) {
        optimizer.finalizeVariableValues(variables);
        variables.forEach((v, i) => {
          const key = NAMES[i] as string;
          assertAllClose(v.dataSync(), c.finalized?.[key] as number[], FLOAT32, `${name} finalized ${key}`);
        });
      }
      optimizer.dispose();
      tf.dispose(variables);
      assert.equal(tf.memory().numTensors, before, `${name}: tensors left`);
    });

    it(`${name}: Keras's state after step 2, loaded, gives Keras's steps 3 to 5`, () => {
      const optimizer = optimizerOf(c);
      const step2 = c.steps[1] as Step;
      const variables = variablesAt(step2.variables);
      optimizer.build(variables, NAMES);
      const state = (step2.optimizer_variables as KerasVariable[]).map((v) =>
        tf.tensor(v.values, v.shape, v.dtype === 'int32' || v.dtype === 'int64' ? 'int32' : 'float32'),
      );
      optimizer.loadVariables(state);
      tf.dispose(state);
      assert.equal(optimizer.iterations, step2.iterations);
      replay(optimizer, variables, c, 3, `${name} (loaded)`);
      optimizer.dispose();
      tf.dispose(variables);
    });
  }
});

describeEachBackend('a Dense model with an L2 kernel trained by trainOnBatch', () => {
  for (const [name, c] of Object.entries(FIXTURE.models)) {
    it(`${name}: four steps give Keras's losses, weights and optimizer.variables`, () => {
      const before = tf.memory().numTensors;
      const model = new models.Sequential([
        layers.Input({ shape: [4] }),
        new layers.Dense({ units: 3, kernelRegularizer: new L2(0.05), name: 'dense' }),
      ]);
      const initial = c.initial_weights.map((w, i) => tf.tensor(w, model.weights[i]?.shape));
      model.setWeights(initial);
      tf.dispose(initial);
      model.compile({
        optimizer: optimizers.deserialize({ class_name: c.class_name, config: c.options }),
        loss: 'mse',
      });
      const [x, y] = [tf.tensor(c.x, [6, 4]), tf.tensor(c.y, [6, 3])];
      c.steps.forEach((step, i) => {
        const logs = model.trainOnBatch(x, y);
        assertAllClose(logs.loss as number, step.loss, FLOAT32, `${name} step ${i + 1} loss`);
        model.weights.forEach((w, j) => {
          assertAllClose(w.dataSync(), step.weights[j] as number[], FLOAT32, `${name} step ${i + 1} weight ${j}`);
        });
      });
      const state = (model.optimizer as optimizers.Optimizer).variables;
      assert.equal(state.length, c.optimizer_variables.length, `${name}: optimizer.variables`);
      state.forEach((v, i) => {
        const keras = c.optimizer_variables[i] as KerasVariable;
        assertAllClose(v.dataSync(), keras.values, FLOAT32, `${name}: ${keras.name}`);
      });
      model.dispose();
      tf.dispose([x, y]);
      assert.equal(tf.memory().numTensors, before, `${name}: tensors left`);
    });
  }
});

describe("optimizer configs as Keras's get_config writes them", () => {
  for (const [name, c] of Object.entries(FIXTURE.cases)) {
    it(`${name}: serialize equals Keras's, key order included, and round-trips`, () => {
      const optimizer = optimizerOf(c);
      const json = optimizers.serialize(optimizer);
      assert.deepEqual(json, c.serialized);
      assert.equal(JSON.stringify(json), JSON.stringify(c.serialized), 'key order');
      const again = optimizers.deserialize(JSON.parse(JSON.stringify(json)));
      assert.equal(JSON.stringify(optimizers.serialize(again)), JSON.stringify(json));
      assert.ok(again instanceof optimizer.constructor);
      optimizer.dispose();
      again.dispose();
    });
  }

  it('the constructors take the same options camelCased, giving the same config', () => {
    const json = optimizers.serialize(
      new optimizers.RMSprop({
        learningRate: 0.05,
        centered: true,
        momentum: 0.3,
        rho: 0.8,
        epsilon: 1e-3,
        gradientAccumulationSteps: 2,
        clipvalue: 0.3,
        useEma: true,
        emaOverwriteFrequency: 3,
      }),
    );
    assert.deepEqual(json.config, {
      name: 'rm_sprop',
      learning_rate: Math.fround(0.05),
      weight_decay: null,
      clipnorm: null,
      global_clipnorm: null,
      clipvalue: 0.3,
      use_ema: true,
      ema_momentum: 0.99,
      ema_overwrite_frequency: 3,
      loss_scale_factor: null,
      gradient_accumulation_steps: 2,
      rho: 0.8,
      momentum: 0.3,
      epsilon: 1e-3,
      centered: true,
    });
  });

  it('get knows every name Keras accepts, in any case', () => {
    const names = [
      'sgd',
      'adam',
      'adamw',
      'rmsprop',
      'adagrad',
      'adadelta',
      'adamax',
      'nadam',
      'lion',
      'ftrl',
      'adafactor',
    ];
    for (const name of [...names, 'SGD', 'RMSProp', 'AdamW', 'ADAM', 'lamb']) {
      const optimizer = optimizers.get(name);
      assert.equal(optimizer.constructor.name.toLowerCase(), name.toLowerCase());
    }
    const fromJson = optimizers.get({ class_name: 'adam', config: { learning_rate: 0.5, amsgrad: true } });
    assert.ok(fromJson instanceof optimizers.Adam && fromJson.amsgrad && fromJson.learningRate === 0.5);
    expectValueError(
      () => optimizers.get('adagradd'),
      'Could not interpret optimizer identifier: "adagradd". Expected one of "sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "lion", "ftrl", "adafactor", "lamb" or an Optimizer.',
    );
  });
});

describeEachBackend('optimizer state and options', () => {
  it('a schedule as learning rate is evaluated at the number of applies, and cannot be set to a number', () => {
    const schedule = new optimizers.schedules.ExponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 2,
      decayRate: 0.5,
    });
    const sgd = new optimizers.SGD({ learningRate: schedule });
    assert.equal(sgd.learningRateSchedule, schedule);
    assertAllClose(sgd.learningRate, 0.1);
    const w = tf.variable(tf.zeros([2]));
    sgd.applyGradients([[tf.ones([2]), w]]);
    assertAllClose(sgd.learningRate, 0.1 * 0.5 ** 0.5);
    assert.deepEqual(sgd.variableNames, ['iteration']);
    assert.throws(
      () => {
        sgd.learningRate = 0.5;
      },
      (error: Error) =>
        error instanceof KerasTypeError &&
        error.message.startsWith(
          'This optimizer was created with a LearningRateSchedule object as its learningRate constructor argument, hence its learning rate is not settable.',
        ),
    );
    // A number optimizer takes a schedule (Keras's setter does too), and drops learning_rate from its variables.
    const adam = new optimizers.Adam();
    assert.deepEqual(adam.variableNames, ['iteration', 'learning_rate']);
    adam.learningRate = schedule;
    assert.deepEqual(adam.variableNames, ['iteration']);
    sgd.dispose();
    adam.dispose();
    w.dispose();
  });

  it('loadVariables checks the count and every shape before changing anything', () => {
    const sgd = new optimizers.SGD({ momentum: 0.9, learningRate: 0.1 });
    const [a, b] = [tf.variable(tf.ones([3])), tf.variable(tf.ones([2, 2]))];
    sgd.build([a, b], ['dense/kernel', 'dense/bias']);
    assert.deepEqual(sgd.variableNames, ['iteration', 'learning_rate', 'dense_kernel_momentum', 'dense_bias_momentum']);
    // Built by a first step without paths, named when the paths come (the slots stay as they are).
    const adam = new optimizers.Adam();
    adam.applyGradients([[tf.ones([3]), a]]);
    const momentum = adam.variables[2];
    adam.build([a], ['model/dense_1/kernel']);
    assert.deepEqual(adam.variableNames, [
      'iteration',
      'learning_rate',
      'model_dense_1_kernel_momentum',
      'model_dense_1_kernel_velocity',
    ]);
    assert.equal(adam.variables[2], momentum);
    adam.dispose();
    a.assign(tf.ones([3]));
    expectValueError(
      () => sgd.loadVariables([tf.scalar(3, 'int32'), tf.scalar(0.5)]),
      'SGD has 4 variables (iteration, learning_rate, dense_kernel_momentum, dense_bias_momentum) but 2 values were given.',
    );
    expectValueError(
      () => sgd.loadVariables([tf.scalar(3, 'int32'), tf.scalar(0.5), tf.ones([3]), tf.ones([4])]),
      "Optimizer variable 3 (dense_bias_momentum) has shape [2, 2], not compatible with the given value's shape [4].",
    );
    assert.equal(sgd.iterations, 0);
    assertAllClose(sgd.learningRate, 0.1);
    assertAllClose(sgd.variables[2]?.dataSync() as Float32Array, [0, 0, 0]);
    sgd.loadVariables([tf.scalar(3, 'int32'), tf.scalar(0.5), tf.ones([3]), tf.fill([2, 2], 2)]);
    assert.equal(sgd.iterations, 3);
    assertAllClose(sgd.learningRate, 0.5);
    assertAllClose(sgd.variables[3]?.dataSync() as Float32Array, [2, 2, 2, 2]);
    const unbuilt = new optimizers.Adam();
    expectValueError(
      () => unbuilt.loadVariables([tf.scalar(1), tf.scalar(1), tf.ones([3])]),
      'Adam has 2 variables (iteration, learning_rate) but 3 values were given. Build it first: optimizer.build(model.trainableWeights).',
    );
    sgd.dispose();
    unbuilt.dispose();
    tf.dispose([a, b]);
  });

  it('swapEmaWeights exchanges the weights and their averages; without useEma it is refused', () => {
    const sgd = new optimizers.SGD({ learningRate: 0.5, useEma: true, emaMomentum: 0.5 });
    const w = tf.variable(tf.tensor([1, 2]));
    sgd.applyGradients([[tf.tensor([1, 1]), w]]); // w = [0.5, 1.5], average = w (first step)
    sgd.applyGradients([[tf.tensor([1, 1]), w]]); // w = [0, 1], average = 0.5 * [0.5, 1.5] + 0.5 * [0, 1]
    sgd.swapEmaWeights([w]);
    assertAllClose(w.dataSync(), [0.25, 1.25]);
    sgd.swapEmaWeights([w]);
    assertAllClose(w.dataSync(), [0, 1]);
    const plain = new optimizers.SGD();
    expectValueError(
      () => plain.swapEmaWeights([w]),
      'swapEmaWeights needs an optimizer with useEma: true. Received: useEma=false',
    );
    plain.finalizeVariableValues([w]);
    assertAllClose(w.dataSync(), [0, 1]);
    sgd.dispose();
    w.dispose();
  });

  it('apply takes gradients in the order of the variables the optimizer was built on', () => {
    const sgd = new optimizers.SGD({ learningRate: 0.5 });
    const w = tf.variable(tf.tensor([1, 2]));
    expectValueError(
      () => sgd.apply([tf.ones([2])]),
      'When passing gradients without variables, the optimizer must already be built on a list of variables. Call optimizer.build(trainableVariables) first.',
    );
    sgd.build([w]);
    sgd.apply([tf.ones([2])]);
    assertAllClose(w.dataSync(), [0.5, 1.5]);
    expectValueError(
      () => sgd.apply([tf.ones([2]), tf.ones([2])]),
      'apply() got 2 gradients for 1 variables: they must match one-to-one.',
    );
    assert.equal(sgd.scaleLoss(tf.scalar(2)).dataSync()[0], 2);
    const scaled = new optimizers.SGD({ lossScaleFactor: 8 });
    assert.equal(scaled.scaleLoss(tf.scalar(2)).dataSync()[0], 16);
    sgd.dispose();
    w.dispose();
  });

  it('weight decay leaves out the variables and names excluded', () => {
    const sgd = new optimizers.SGD({ learningRate: 0.1, weightDecay: 0.5 });
    const [kernel, bias] = [tf.variable(tf.ones([2])), tf.variable(tf.ones([2]))];
    sgd.build([kernel, bias], ['dense/kernel', 'dense/bias']);
    sgd.excludeFromWeightDecay({ names: ['bias'] });
    sgd.applyGradients([
      [tf.zeros([2]), kernel],
      [tf.zeros([2]), bias],
    ]);
    assertAllClose(kernel.dataSync(), [0.95, 0.95]);
    assertAllClose(bias.dataSync(), [1, 1]);
    sgd.excludeFromWeightDecay({ variables: [kernel] });
    sgd.applyGradients([
      [tf.zeros([2]), kernel],
      [tf.zeros([2]), bias],
    ]);
    assertAllClose(kernel.dataSync(), [0.95, 0.95]);
    assertAllClose(bias.dataSync(), [0.95, 0.95]);
    sgd.dispose();
    tf.dispose([kernel, bias]);
  });

  it('many steps leave the number of tensors flat; dispose frees every slot', () => {
    const schedule = new optimizers.schedules.ExponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 2,
      decayRate: 0.5,
    });
    const settings: optimizers.Optimizer[] = [
      new optimizers.SGD({ momentum: 0.9 }),
      new optimizers.Adam({ amsgrad: true, clipnorm: 1, useEma: true, emaOverwriteFrequency: 3 }),
      new optimizers.AdamW({ gradientAccumulationSteps: 3, globalClipnorm: 1, learningRate: schedule }),
      new optimizers.RMSprop({ centered: true, momentum: 0.5, lossScaleFactor: 2, clipvalue: 0.1 }),
    ];
    for (const optimizer of settings) {
      const before = tf.memory().numTensors;
      const variables = tf.tidy(() => [tf.variable(tf.ones([3, 2])), tf.variable(tf.zeros([2]))]);
      const step = () => tf.tidy(() => optimizer.applyGradients(variables.map((v) => [tf.onesLike(v), v] as const)));
      step();
      void optimizer.variables;
      const afterFirst = tf.memory().numTensors;
      for (let i = 0; i < 20; i++) step();
      void optimizer.variables;
      assert.equal(tf.memory().numTensors, afterFirst, `${optimizer} leaked`);
      optimizer.dispose();
      tf.dispose(variables);
      assert.equal(tf.memory().numTensors, before, `${optimizer}: dispose left tensors`);
    }
  });
});

describe('bad optimizer options are refused, naming the option', () => {
  const cases: [() => unknown, string][] = [
    [
      () => new optimizers.SGD({ clipnorm: 1, clipvalue: 1 }),
      'Only one of clipnorm, clipvalue and globalClipnorm can be set. Received: clipnorm=1, clipvalue=1, globalClipnorm=null',
    ],
    [
      () => new optimizers.Adam({ clipnorm: 1, globalClipnorm: 1 }),
      'Only one of clipnorm, clipvalue and globalClipnorm can be set. Received: clipnorm=1, clipvalue=null, globalClipnorm=1',
    ],
    [
      () => new optimizers.SGD({ clipnorm: -1 }),
      'Invalid value for argument clipnorm: expected a non-negative number or null. Received: clipnorm=-1',
    ],
    [
      () => new optimizers.SGD({ gradientAccumulationSteps: 1 }),
      'Invalid value for argument gradientAccumulationSteps: expected an integer >= 2 or null. Received: gradientAccumulationSteps=1',
    ],
    [
      () => new optimizers.SGD({ gradientAccumulationSteps: 2.5 }),
      'Invalid value for argument gradientAccumulationSteps: expected an integer >= 2 or null. Received: gradientAccumulationSteps=2.5',
    ],
    [
      () => new optimizers.SGD({ useEma: true, emaMomentum: 1.5 }),
      'Invalid value for argument emaMomentum: expected a number in [0, 1]. Received: emaMomentum=1.5',
    ],
    [
      () => new optimizers.SGD({ useEma: true, emaOverwriteFrequency: 0 }),
      'Invalid value for argument emaOverwriteFrequency: expected an integer >= 1 or null. Received: emaOverwriteFrequency=0',
    ],
    [
      () => new optimizers.SGD({ useEma: 'yes' as never }),
      'Invalid value for argument useEma: expected a boolean. Received: useEma="yes"',
    ],
    [
      () => new optimizers.SGD({ lossScaleFactor: 0 }),
      'Invalid value for argument lossScaleFactor: expected a positive number or null. Received: lossScaleFactor=0',
    ],
    [
      () => new optimizers.SGD({ weightDecay: -0.1 }),
      'Invalid value for argument weightDecay: expected a non-negative number or null. Received: weightDecay=-0.1',
    ],
    [
      () => new optimizers.SGD({ name: '' }),
      'Invalid value for argument name: expected a non-empty string. Received: name=""',
    ],
    [
      () => new optimizers.SGD({ learningRate: 'fast' as never }),
      'Invalid value for argument learningRate: expected a non-negative number. Received: learningRate="fast"',
    ],
    [
      () => new optimizers.Adam({ amsgrad: 1 as never }),
      'Invalid value for argument amsgrad: expected a boolean. Received: amsgrad=1',
    ],
    [
      () => new optimizers.RMSprop({ centered: 'no' as never }),
      'Invalid value for argument centered: expected a boolean. Received: centered="no"',
    ],
    [
      () => new optimizers.SGD({ nesterov: null as never }),
      'Invalid value for argument nesterov: expected a boolean. Received: nesterov=null',
    ],
    [
      () => optimizers.deserialize({ class_name: 'Adam', config: { clipnorm: 1, clipvalue: 2 } }),
      'Only one of clipnorm, clipvalue and globalClipnorm can be set. Received: clipnorm=1, clipvalue=2, globalClipnorm=null',
    ],
    [
      () => optimizers.deserialize({ class_name: 'SGD', config: { momentum: null } }),
      'Invalid value for argument momentum in the SGD config: expected a number. Received: momentum=null',
    ],
  ];
  for (const [body, message] of cases) {
    it(message, () => expectValueError(body, message));
  }

  it('an unknown key in a config is a TypeError naming it as the config spells it', () => {
    assert.throws(
      () => optimizers.deserialize({ class_name: 'SGD', config: { momentun: 0.9 } }),
      (error: Error) =>
        error instanceof KerasTypeError && error.message === 'SGD got an unexpected option "momentun" in its config.',
    );
    assert.throws(
      () => optimizers.deserialize({ class_name: 'Nope', config: {} }),
      (error: Error) => error instanceof ValueError && error.message.startsWith('Could not interpret optimizer config'),
    );
  });
});
