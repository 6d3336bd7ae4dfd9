/**
 * Learning-rate schedules against real Keras 3.15.1
 * (scripts/generate_keras_schedules_fixtures.py): each schedule's value at
 * steps 0..999, its Keras JSON both ways, custom schedules, bad input.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { KerasTypeError, optimizers, saving, ValueError } from 'keras-regularizers';
import { expectValueError } from './helpers/errors.js';

const { schedules } = optimizers;

interface ScheduleCase {
  name: string;
  schedule: { module: string; class_name: string; config: Record<string, unknown>; registered_name: null };
  optimizer: { config: { learning_rate: unknown } };
  values: (number | 'NaN')[];
}

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-schedules.json', import.meta.url), 'utf8')) as {
  keras_version: string;
  steps: number;
  cases: ScheduleCase[];
};

/** The largest rate a schedule reaches: the scale of its float32 rounding errors. */
function scaleOf(config: Record<string, unknown>): number {
  const candidates = [config.initial_learning_rate, config.warmup_target, ...((config.values as number[]) ?? [])];
  return Math.max(...candidates.filter((v): v is number => typeof v === 'number'));
}

describe('schedules: values at steps 0..999 equal real Keras', () => {
  it('covers every schedule with several option sets', () => {
    const classes = new Set(FIXTURE.cases.map((c) => c.schedule.class_name));
    assert.deepEqual([...classes].sort(), [
      'CosineDecay',
      'CosineDecayRestarts',
      'ExponentialDecay',
      'InverseTimeDecay',
      'PiecewiseConstantDecay',
      'PolynomialDecay',
    ]);
    assert.equal(FIXTURE.steps, 1000);
  });

  for (const c of FIXTURE.cases) {
    it(`${c.name}: ${JSON.stringify(c.schedule.config)}`, () => {
      const schedule = schedules.deserializeSchedule(c.schedule);
      const scale = scaleOf(c.schedule.config);
      let exact = 0;
      for (let step = 0; step < FIXTURE.steps; step++) {
        const ours = schedule.call(step);
        const expected = c.values[step] as number | 'NaN';
        if (expected === 'NaN') {
          // Keras on JAX (jitted): step * (1 / decay_steps) > 1 makes a negative base for power 0.5.
          // The schedule's value there is end_learning_rate (eager Keras gives it too).
          assert.equal(ours, Math.fround(c.schedule.config.end_learning_rate as number), `step ${step}`);
          continue;
        }
        const keras = Math.fround(expected);
        if (ours === keras) exact++;
        // Keras's float32 ops under XLA: a division by a constant is a multiply by its float32
        // reciprocal and cos is XLA's own, each an ulp off the float32 formula; near a cancellation
        // (1 + cos near pi, 1 - p near 1) that ulp is one of the schedule's scale, not of the value.
        const tolerance = 1e-6 * Math.abs(keras) + 5e-7 * scale;
        assert.ok(
          Math.abs(ours - keras) <= tolerance,
          `step ${step}: ours ${ours}, Keras ${keras}, difference ${Math.abs(ours - keras)} > ${tolerance}`,
        );
      }
      // Most steps are bit-for-bit the float32 value Keras computes.
      assert.ok(exact >= 0.15 * FIXTURE.steps, `only ${exact} exact`);
    });
  }

  it('PiecewiseConstantDecay, ExponentialDecay(staircase) and InverseTimeDecay are exact at every step', () => {
    for (const c of FIXTURE.cases.filter((c) => /piecewise|staircase|inverse/.test(c.name))) {
      const schedule = schedules.deserializeSchedule(c.schedule);
      c.values.forEach((v, step) => {
        assert.equal(schedule.call(step), Math.fround(v as number), `${c.name} step ${step}`);
      });
    }
  });
});

describe('schedules: Keras JSON', () => {
  for (const c of FIXTURE.cases) {
    it(`${c.name}: serializes back to Keras's JSON, also as Keras nests it in an optimizer config`, () => {
      const schedule = schedules.deserializeSchedule(c.schedule);
      assert.deepEqual(schedules.serializeSchedule(schedule), c.schedule);
      assert.deepEqual(schedules.serializeSchedule(schedule), c.optimizer.config.learning_rate);
      // Keras's public names for the same pair.
      assert.deepEqual(schedules.serialize(schedules.deserialize(c.schedule)), c.schedule);
    });
  }

  it('the constructors take the camelCase options and give Keras defaults', () => {
    const exponential = new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.96 });
    assert.deepEqual(schedules.serializeSchedule(exponential), FIXTURE.cases[0]?.schedule);
    assert.deepEqual(new schedules.PolynomialDecay({ initialLearningRate: 0.5, decaySteps: 1000 }).getConfig(), {
      initialLearningRate: 0.5,
      decaySteps: 1000,
      endLearningRate: 0.0001,
      power: 1,
      cycle: false,
      name: 'PolynomialDecay',
    });
    assert.deepEqual(new schedules.CosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }).getConfig(), {
      initialLearningRate: 0.1,
      decaySteps: 10,
      alpha: 0,
      name: 'CosineDecay',
      warmupTarget: null,
      warmupSteps: 0,
    });
    assert.deepEqual(new schedules.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10 }).getConfig(), {
      initialLearningRate: 0.1,
      firstDecaySteps: 10,
      tMul: 2,
      mMul: 1,
      alpha: 0,
      name: 'SGDRDecay',
    });
    assert.equal(new schedules.PiecewiseConstantDecay({ boundaries: [1], values: [1, 2] }).name, 'PiecewiseConstant');
    assert.equal(
      new schedules.InverseTimeDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 1 }).name,
      'InverseTimeDecay',
    );
  });

  it('reads Keras JSON without module and registered_name, and tfjs-style {className, config}', () => {
    const schedule = schedules.deserializeSchedule({
      class_name: 'CosineDecay',
      config: { initial_learning_rate: 0.1, decay_steps: 1000 },
    });
    assert.ok(schedule instanceof schedules.CosineDecay);
    assert.equal(schedule.call(0), Math.fround(0.1));
    const tfjs = schedules.deserializeSchedule({
      className: 'ExponentialDecay',
      config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5 },
    });
    assert.equal(tfjs.call(10), Math.fround(0.05));
  });
});

/** A user's schedule: halves the rate every `every` steps. */
class Halving extends schedules.LearningRateSchedule {
  readonly start: number;
  readonly every: number;
  constructor(config: { start?: number; every?: number } = {}) {
    super();
    this.start = config.start ?? 0.1;
    this.every = config.every ?? 10;
  }
  override call(step: number): number {
    return this.start * 0.5 ** Math.floor(step / this.every);
  }
  override getConfig() {
    return { start: this.start, every: this.every };
  }
}

describe('schedules: custom schedules', () => {
  it('a registered schedule serializes under its registered name and comes back', () => {
    saving.registerSerializable(Halving, { package: 'my_pkg' });
    try {
      const json = schedules.serializeSchedule(new Halving({ start: 0.2, every: 5 }));
      // Keras writes module null for a class of __main__; the project's registry writes the package, as for regularizers.
      assert.deepEqual(json, {
        module: 'my_pkg',
        class_name: 'Halving',
        config: { start: 0.2, every: 5 },
        registered_name: 'my_pkg>Halving',
      });
      const back = schedules.deserializeSchedule(JSON.parse(JSON.stringify(json)));
      assert.ok(back instanceof Halving);
      assert.equal(back.call(12), 0.05);
    } finally {
      saving.unregisterSerializable(Halving);
    }
  });

  it('an unregistered schedule comes back through customObjects, and without them the error says how to register it', () => {
    const json = schedules.serializeSchedule(new Halving());
    assert.equal(json.registered_name, 'Halving');
    assert.ok(schedules.deserializeSchedule(json, { customObjects: { Halving } }) instanceof Halving);
    expectValueError(
      () => schedules.deserializeSchedule(json),
      /Cannot deserialize learning rate schedule of class_name "Halving".*registerSerializable/,
    );
  });

  it('a class that is not a LearningRateSchedule is refused', () => {
    class NotASchedule {
      static fromConfig() {
        return new NotASchedule();
      }
    }
    expectValueError(
      () =>
        schedules.deserializeSchedule({ class_name: 'NotASchedule', config: {} }, { customObjects: { NotASchedule } }),
      /did not make a LearningRateSchedule/,
    );
  });

  it('unknown built-in names list the built-ins', () => {
    expectValueError(
      () => schedules.deserializeSchedule({ module: 'keras.optimizers.schedules', class_name: 'Cosine', config: {} }),
      /Expected one of the built-in learning rate schedules \(ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay, CosineDecayRestarts\)/,
    );
    assert.throws(() => schedules.serializeSchedule({ call: () => 1 } as never), ValueError);
  });
});

describe('schedules: bad input is refused with a clear error', () => {
  const exp = (options: unknown) => () => new schedules.ExponentialDecay(options as never);

  it('wrong types name the option', () => {
    expectValueError(
      exp({ initialLearningRate: '0.1', decaySteps: 10, decayRate: 0.5 }),
      'Invalid value for argument initialLearningRate: expected a non-negative number. Received: initialLearningRate="0.1"',
    );
    expectValueError(
      exp({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: 1 }),
      'Invalid value for argument staircase: expected a boolean. Received: staircase=1',
    );
    expectValueError(
      exp({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, name: 3 }),
      'Invalid value for argument name: expected a string. Received: name=3',
    );
    expectValueError(
      () => new schedules.CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupTarget: 'x' as never }),
      'Invalid value for argument warmupTarget: expected a non-negative number. Received: warmupTarget="x"',
    );
    expectValueError(
      () => new schedules.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, cycle: 'yes' as never }),
      'Invalid value for argument cycle: expected a boolean. Received: cycle="yes"',
    );
  });

  it('decay steps must be > 0, as Keras requires', () => {
    expectValueError(
      exp({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 }),
      'Invalid value for argument decaySteps: expected a number > 0. Received: decaySteps=0',
    );
    expectValueError(
      () => new schedules.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: -5 }),
      'Invalid value for argument firstDecaySteps: expected a number > 0. Received: firstDecaySteps=-5',
    );
    expectValueError(
      () => new schedules.CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupSteps: -1 }),
      'Invalid value for argument warmupSteps: expected a non-negative number. Received: warmupSteps=-1',
    );
  });

  it('a missing required option and an unknown option are named', () => {
    expectValueError(
      exp({ initialLearningRate: 0.1, decayRate: 0.5 }),
      'Invalid value for argument decaySteps: expected a number (ExponentialDecay requires initialLearningRate, decaySteps, decayRate). Received: decaySteps=undefined',
    );
    assert.throws(exp({ initialLearningRate: 0.1, decay_steps: 10, decayRate: 0.5 }), (error: Error) => {
      assert.ok(error instanceof KerasTypeError);
      assert.match(
        error.message,
        /ExponentialDecay got an unexpected option "decay_steps".*Did you mean "decaySteps"\?/,
      );
      return true;
    });
    assert.throws(() => new schedules.ExponentialDecay(0.1 as never), KerasTypeError);
  });

  it('boundaries and values must fit, as Keras says', () => {
    expectValueError(
      () => new schedules.PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5] }),
      'The length of boundaries should be 1 less than the length of values. Received: boundaries=[10,20] of length 2, and values=[1,0.5] of length 2.',
    );
    expectValueError(
      () => new schedules.PiecewiseConstantDecay({ boundaries: [20, 10], values: [1, 0.5, 0.1] }),
      'Invalid value for argument boundaries: expected strictly increasing numbers. Received: boundaries=[20,10]',
    );
    expectValueError(
      () => new schedules.PiecewiseConstantDecay({ boundaries: [], values: [1] }),
      'Invalid value for argument boundaries: expected at least one boundary. Received: boundaries=[]',
    );
    expectValueError(
      () => new schedules.PiecewiseConstantDecay({ boundaries: [10], values: [1, '0.5'] as never }),
      'Invalid value for argument values: expected an array of finite numbers. Received: values=[1,"0.5"]',
    );
  });

  it('a negative, fractional or non-number step is refused', () => {
    const schedule = new schedules.InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    for (const [step, shown] of [
      [-1, '-1'],
      [1.5, '1.5'],
      ['3', '"3"'],
      [Number.NaN, 'NaN'],
    ] as const) {
      expectValueError(
        () => schedule.call(step as number),
        `Invalid value for argument step: expected a non-negative integer (the optimizer step). Received: step=${shown}`,
      );
    }
  });

  it('a hostile config is refused before anything is built', () => {
    expectValueError(
      () =>
        schedules.deserializeSchedule(
          JSON.parse('{"class_name":"ExponentialDecay","config":{"__proto__":{"x":1},"initial_learning_rate":0.1}}'),
        ),
      /Invalid key "__proto__"/,
    );
    expectValueError(() => schedules.deserializeSchedule(3), /Could not interpret learning rate schedule config/);
  });
});
