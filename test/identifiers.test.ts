/** regularizers.get / serialize / deserialize and the registry: SEMANTICS §2 and §3, hostile input included. */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  L1,
  L1L2,
  L2,
  layers,
  OrthogonalRegularizer,
  ops,
  Regularizer,
  regularizers,
  saving,
} from 'keras-regularizers';
import { expectValueError, unknownRegularizerName } from './helpers/errors.js';

const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
function assertPrototypeUntouched(): void {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeKeys);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
}

class ScaledL2 extends Regularizer {
  scale: number;
  constructor({ scale = 1 }: { scale?: number } = {}) {
    super();
    this.scale = scale;
  }
  override apply(x: tf.Tensor): tf.Scalar {
    return ops.multiply(this.scale, ops.sum(ops.square(x))) as tf.Scalar;
  }
  override getConfig() {
    return { scale: this.scale };
  }
}

afterEach(() => {
  saving.unregisterSerializable(ScaledL2);
  assertPrototypeUntouched();
});

describe('regularizers.get', () => {
  it('null and undefined give null', () => {
    assert.equal(regularizers.get(null), null);
    assert.equal(regularizers.get(undefined), null);
  });

  it('each string name gives a new instance with its defaults; the L1L2 names give 0.01 and 0.01', () => {
    const expected: [string, string, Record<string, unknown> | null][] = [
      ['L1', 'L1', { l1: 0.01 }],
      ['l1', 'L1', { l1: 0.01 }],
      ['L2', 'L2', { l2: 0.01 }],
      ['l2', 'L2', { l2: 0.01 }],
      ['L1L2', 'L1L2', { l1: 0.01, l2: 0.01 }],
      ['l1l2', 'L1L2', { l1: 0.01, l2: 0.01 }],
      ['l1_l2', 'L1L2', { l1: 0.01, l2: 0.01 }],
      ['OrthogonalRegularizer', 'OrthogonalRegularizer', { factor: 0.01, mode: 'rows' }],
      ['orthogonal_regularizer', 'OrthogonalRegularizer', { factor: 0.01, mode: 'rows' }],
      ['Regularizer', 'Regularizer', null],
      ['regularizer', 'Regularizer', null],
    ];
    for (const [name, className, config] of expected) {
      const first = regularizers.get(name) as Regularizer;
      assert.equal(saving.classNameOf(first), className, name);
      assert.notEqual(regularizers.get(name), first, `${name} gives a new instance each call`);
      if (config != null) assert.deepEqual(first.getConfig(), config, name);
    }
  });

  it('unknown strings, prototype names included, are a ValueError quoting the string', () => {
    for (const name of [
      'l3',
      'L1_L2',
      'l2 ',
      '',
      'toString',
      'constructor',
      '__proto__',
      'hasOwnProperty',
      'valueOf',
    ]) {
      expectValueError(() => regularizers.get(name), unknownRegularizerName(name));
    }
  });

  it('an instance or a function is returned as is; a class gives a new instance with defaults', () => {
    const l2 = new L2(0.3);
    assert.equal(regularizers.get(l2), l2);
    const fn = (x: tf.Tensor) => tf.sum(x);
    assert.equal(regularizers.get(fn), fn);
    const fromClass = regularizers.get(L1L2);
    assert.ok(fromClass instanceof L1L2);
    assert.deepEqual(fromClass.getConfig(), { l1: 0, l2: 0 });
    assert.ok(regularizers.get(ScaledL2) instanceof ScaledL2);
    assert.ok(regularizers.get(Regularizer) instanceof Regularizer);
  });

  it('Keras JSON and tfjs-style JSON are deserialized', () => {
    const keras = regularizers.get({
      module: 'keras.regularizers',
      class_name: 'L1L2',
      config: { l1: 0.1, l2: 0.2 },
      registered_name: null,
    });
    assert.deepEqual((keras as L1L2).getConfig(), { l1: 0.1, l2: 0.2 });
    const tfjs = regularizers.get({ className: 'L1L2', config: { l1: 0.3, l2: 0 } });
    assert.deepEqual((tfjs as L1L2).getConfig(), { l1: 0.3, l2: 0 });
    const snake = regularizers.get({ class_name: 'orthogonal_regularizer', config: { factor: 0.5, mode: 'columns' } });
    assert.deepEqual((snake as OrthogonalRegularizer).getConfig(), { factor: 0.5, mode: 'columns' });
  });

  it('anything else is a ValueError showing what was received', () => {
    const cases: [unknown, string][] = [
      [42, '42'],
      [0.5, '0.5'],
      [true, 'true'],
      [[], '[]'],
      [['l1'], '["l1"]'],
      [{}, '{}'],
      [{ l1: 0.1 }, '{"l1":0.1}'],
      [new Map(), '[object Map]'],
      [tf.zeros([2, 3]), 'Tensor(shape=[2, 3], dtype=float32)'],
      [Symbol('l1'), 'Symbol(l1)'],
    ];
    for (const [identifier, shown] of cases) {
      expectValueError(
        () => regularizers.get(identifier as string),
        `Could not interpret regularizer identifier: ${shown}`,
      );
    }
  });
});

describe('regularizers.serialize / deserialize', () => {
  it('serializes built-ins as Keras does, exact numbers', () => {
    assert.deepEqual(regularizers.serialize(new L1L2(0.1, 0.2)), {
      module: 'keras.regularizers',
      class_name: 'L1L2',
      config: { l1: 0.1, l2: 0.2 },
      registered_name: null,
    });
    assert.equal(regularizers.serialize(null), null);
    for (const reg of [new L1(0.3), new L2(), new L1L2(0, 0.4), new OrthogonalRegularizer(0.2, 'columns')]) {
      const back = regularizers.deserialize(JSON.parse(JSON.stringify(regularizers.serialize(reg))));
      assert.equal(saving.classNameOf(back as object), saving.classNameOf(reg));
      assert.deepEqual((back as Regularizer).getConfig(), reg.getConfig());
    }
  });

  it('a registered class serializes as "package>Name" with its package as module, and comes back', () => {
    saving.registerSerializable(ScaledL2, { package: 'my_pkg' });
    const json = regularizers.serialize(new ScaledL2({ scale: 3 }));
    assert.deepEqual(json, {
      module: 'my_pkg',
      class_name: 'ScaledL2',
      config: { scale: 3 },
      registered_name: 'my_pkg>ScaledL2',
    });
    const back = regularizers.deserialize(json);
    assert.ok(back instanceof ScaledL2);
    assert.equal(back.scale, 3);
    saving.registerSerializable(ScaledL2, { package: 'other', name: 'Renamed' });
    assert.equal(regularizers.serialize(new ScaledL2())?.registered_name, 'other>Renamed');
  });

  it('an unregistered subclass serializes with its class name; loading it needs customObjects, and the error says how', () => {
    const json = regularizers.serialize(new ScaledL2({ scale: 2 }));
    assert.deepEqual(json, { module: null, class_name: 'ScaledL2', config: { scale: 2 }, registered_name: 'ScaledL2' });
    expectValueError(
      () => regularizers.deserialize(json),
      'Cannot deserialize regularizer of class_name "ScaledL2" (registered_name "ScaledL2"): it is not a built-in, registered or custom object. If "ScaledL2" is a custom class, register it with saving.registerSerializable(ScaledL2, { package: "..." }) or pass it as customObjects: { ScaledL2 }.',
    );
    const back = regularizers.deserialize(json, { customObjects: { ScaledL2 } });
    assert.ok(back instanceof ScaledL2);
  });

  it('a plain function serializes by name and is found among registered functions or customObjects', () => {
    function myPenalty(x: tf.Tensor) {
      return ops.sum(ops.absolute(x));
    }
    const json = regularizers.serialize(myPenalty);
    assert.deepEqual(json, {
      module: 'builtins',
      class_name: 'function',
      config: 'myPenalty',
      registered_name: 'function',
    });
    expectValueError(
      () => regularizers.deserialize(json),
      'Unknown regularizer function "myPenalty": register it with saving.registerSerializable(fn) or pass it in customObjects: { "myPenalty": fn }.',
    );
    assert.equal(regularizers.deserialize(json, { customObjects: { myPenalty } }), myPenalty);
    saving.registerSerializable(myPenalty, { package: 'fns' });
    const registered = regularizers.serialize(myPenalty);
    assert.equal(registered?.config, 'fns>myPenalty');
    assert.equal(regularizers.deserialize(registered), myPenalty);
    saving.unregisterSerializable(myPenalty);
  });

  it('malformed JSON is a ValueError naming the field; nothing is built', () => {
    const cases: [unknown, string | RegExp][] = [
      [{ config: {} }, /expected class_name to be a non-empty string\. Received: class_name=undefined/],
      [{ class_name: 7, config: {} }, /Received: class_name=7/],
      [
        { class_name: 'L2', config: 0.1 },
        'Invalid regularizer config for L2: expected config to be an object. Received: config=0.1',
      ],
      [
        { class_name: 'L2', config: {}, module: 3 },
        'Invalid regularizer config: expected module to be a string or null. Received: module=3',
      ],
      [
        { class_name: 'L2', config: {}, registered_name: [] },
        'Invalid regularizer config: expected registered_name to be a string or null. Received: registered_name=[]',
      ],
      [
        { class_name: 'L2', config: { l2: -1 } },
        'Invalid value for argument l2: expected a non-negative float. Received: l2=-1',
      ],
      [
        { class_name: 'function', config: 42 },
        "Invalid regularizer config: a function's config must be its name. Received: config=42",
      ],
      ['l9', unknownRegularizerName('l9')],
      [[1, 2], /^Could not interpret regularizer config: expected an object/],
    ];
    for (const [json, message] of cases) expectValueError(() => regularizers.deserialize(json), message);
  });

  it('never follows prototypes: __proto__, constructor and prototype keys are rejected anywhere', () => {
    const hostile = [
      '{"class_name":"L2","config":{"__proto__":{"polluted":1}}}',
      '{"class_name":"L2","config":{"l2":0.1},"__proto__":{"polluted":1}}',
      '{"class_name":"L2","config":{"constructor":{"prototype":{"polluted":1}}}}',
      '{"class_name":"L1L2","config":{"l1":0.1,"nested":[{"prototype":1}]}}',
    ];
    for (const text of hostile) {
      expectValueError(
        () => regularizers.deserialize(JSON.parse(text)),
        /^Invalid key "(__proto__|constructor|prototype)" in regularizer/,
      );
      assertPrototypeUntouched();
    }
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expectValueError(
        () => regularizers.deserialize({ class_name: name, config: {} }, { customObjects: {} }),
        new RegExp(`^Cannot deserialize regularizer of class_name "${name}"`),
      );
      expectValueError(
        () =>
          regularizers.deserialize({
            class_name: 'function',
            config: name,
            module: 'builtins',
            registered_name: 'function',
          }),
        `Unknown regularizer function "${name}": register it with saving.registerSerializable(fn) or pass it in customObjects: { "${name}": fn }.`,
      );
    }
  });

  it('deeply nested hostile input is refused, not a stack overflow', () => {
    let nested: Record<string, unknown> = {};
    for (let i = 0; i < 1000; i++) nested = { a: nested };
    expectValueError(
      () => regularizers.deserialize({ class_name: 'L2', config: nested }),
      /nested deeper than 64 levels/,
    );
  });

  it('registerSerializable checks its arguments', () => {
    expectValueError(
      () => saving.registerSerializable(42 as never),
      'Invalid value for argument object: expected a class or a function. Received: object=42',
    );
    expectValueError(
      () => saving.registerSerializable(ScaledL2, { package: 'a>b' }),
      'Invalid value for argument package: expected a non-empty string without ">". Received: package="a>b"',
    );
    expectValueError(
      () => saving.registerSerializable(ScaledL2, { name: '' }),
      'Invalid value for argument name: expected a non-empty string without ">". Received: name=""',
    );
    assert.equal(saving.registerSerializable(ScaledL2), ScaledL2);
    assert.equal(saving.getRegisteredName(ScaledL2), 'Custom>ScaledL2');
  });

  it('layers.deserialize rejects prototype keys and builds nested custom regularizers from customObjects', () => {
    const hostile = JSON.parse(
      '{"class_name":"Dense","config":{"units":2,"kernel_regularizer":{"class_name":"L2","config":{"__proto__":{"x":1}}}}}',
    );
    expectValueError(
      () => layers.deserialize(hostile),
      /^Invalid key "__proto__" in layer\.config\.kernel_regularizer\.config/,
    );
    const layer = layers.deserialize(
      {
        module: 'keras.layers',
        class_name: 'Dense',
        config: {
          units: 2,
          kernel_regularizer: {
            module: null,
            class_name: 'ScaledL2',
            config: { scale: 4 },
            registered_name: 'ScaledL2',
          },
        },
        registered_name: null,
      },
      { customObjects: { ScaledL2 } },
    ) as layers.Dense;
    assert.ok(layer.kernelRegularizer instanceof ScaledL2);
    assert.equal(layer.kernelRegularizer.scale, 4);
  });
});
