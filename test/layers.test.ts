/** Layer semantics of SEMANTICS §4: apply, losses, nesting, trainability, weights, errors, leaks. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  KerasTypeError,
  L1,
  L2,
  layers,
  NotImplementedError,
  OrthogonalRegularizer,
  ops,
  type regularizers,
} from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';

/** Values of a layer's `losses`, freeing the returned tensors. */
function lossesOf(layer: layers.Layer): number[] {
  const losses = layer.losses;
  const values = losses.map((l) => l.dataSync()[0] as number);
  tf.dispose(losses);
  return values;
}

class Identity extends layers.Layer {
  override call(inputs: layers.LayerInputs): layers.LayerOutputs {
    return inputs;
  }
}

class Transpose extends layers.Layer {
  override call(inputs: layers.LayerInputs): layers.LayerOutputs {
    return tf.transpose(inputs as tf.Tensor);
  }
}

class SumToScalar extends layers.Layer {
  override call(inputs: layers.LayerInputs): layers.LayerOutputs {
    return tf.sum(inputs as tf.Tensor);
  }
}

class TwoOutputs extends layers.Layer {
  override call(inputs: layers.LayerInputs): layers.LayerOutputs {
    const x = inputs as tf.Tensor;
    return [x, tf.mul(x, 2)];
  }
}

/** Adds its own loss in call, holds a Dense, and is used as the outer layer. */
class Block extends layers.Layer {
  dense = new layers.Dense({
    units: 2,
    kernelInitializer: 'ones',
    kernelRegularizer: new L1(0.5),
    activityRegularizer: new L1(0.1),
  });
  inner = new Identity({ activityRegularizer: new L2(1) });
  override call(inputs: layers.LayerInputs): layers.LayerOutputs {
    this.addLoss(tf.scalar(7));
    return this.inner.apply(this.dense.apply(inputs));
  }
}

describeEachBackend('activity penalties', () => {
  it('are divided by the first axis of each output, not of the input', () => {
    const layer = new Transpose({ activityRegularizer: new L1(1) });
    tf.tidy(() => {
      layer.apply(tf.ones([2, 5]));
    });
    assertAllClose(lossesOf(layer), [10 / 5]);
  });

  it('are not divided for a scalar output; a batch of 0 gives 0', () => {
    const scalar = new SumToScalar({ activityRegularizer: new L2(1) });
    tf.tidy(() => {
      scalar.apply(tf.ones([3, 2]));
    });
    assertAllClose(lossesOf(scalar), [36]);
    const empty = new Identity({ activityRegularizer: new L2(1) });
    tf.tidy(() => {
      empty.apply(tf.zeros([0, 4]));
    });
    assertAllClose(lossesOf(empty), [0]);
  });

  it('are one per output tensor', () => {
    const layer = new TwoOutputs({ activityRegularizer: new L1(1) });
    tf.tidy(() => {
      layer.apply(tf.ones([4, 3]));
    });
    assertAllClose(lossesOf(layer), [12 / 4, 24 / 4]);
  });

  it('are computed on the output after the activation', () => {
    const layer = new layers.Dense({
      units: 1,
      kernelInitializer: 'ones',
      activation: 'relu',
      activityRegularizer: new L1(1),
    });
    tf.tidy(() => {
      layer.apply(tf.tensor([[1], [-3]]));
    });
    assertAllClose(lossesOf(layer), [(1 + 0) / 2]);
  });

  it('accept every identifier kind through the settable property, on any layer', () => {
    const layer = new Identity();
    const x = tf.ones([2, 2]);
    const expectations: [regularizers.RegularizerIdentifier, number][] = [
      ['l1', (0.01 * 4) / 2],
      [{ module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.5 }, registered_name: null }, (0.5 * 4) / 2],
      [new L1(2), (2 * 4) / 2],
      [(t: tf.Tensor) => ops.sum(t), 4 / 2],
    ];
    for (const [identifier, expected] of expectations) {
      layer.activityRegularizer = identifier;
      tf.tidy(() => {
        layer.apply(x);
      });
      assertAllClose(lossesOf(layer), [expected]);
    }
    layer.activityRegularizer = null;
    assert.equal(layer.activityRegularizer, null);
    tf.tidy(() => {
      layer.apply(x);
    });
    assert.deepEqual(lossesOf(layer), []);
    assert.throws(() => {
      layer.activityRegularizer = 'l3';
    }, /Could not interpret regularizer identifier: "l3"/);
    x.dispose();
  });
});

describeEachBackend('layer.losses', () => {
  it('lists own losses, then nested layers depth first, then weight penalties', () => {
    const block = new Block();
    tf.tidy(() => {
      block.apply(tf.ones([2, 3]));
    });
    // addLoss 7; dense activity 0.1 * |3|*4 / 2 = 0.6; inner activity 1 * 9*4 / 2 = 18; kernel 0.5 * 6 = 3.
    assertAllClose(lossesOf(block), [7, 0.6, 18, 3]);
    assertAllClose(lossesOf(block.dense), [0.6, 3]);
    assertAllClose(lossesOf(block.inner), [18]);
  });

  it('an outermost call replaces the previous losses, in nested layers too', () => {
    const block = new Block();
    for (let i = 0; i < 3; i++)
      tf.tidy(() => {
        block.apply(tf.ones([2, 3]));
      });
    assert.equal(lossesOf(block).length, 4);
    // Calling the nested layer alone is an outermost call for it.
    tf.tidy(() => {
      block.dense.apply(tf.mul(tf.ones([4, 3]), 2));
    });
    // 8 outputs of 6: 0.1 * 48 / batch 4 = 1.2. Only the called layer (and its nested ones) drop
    // their previous losses, as in Keras: the block keeps its own 7 and the inner layer's 18.
    assertAllClose(lossesOf(block.dense), [1.2, 3]);
    assertAllClose(lossesOf(block), [7, 1.2, 18, 3]);
  });

  it('weight penalties exist once built, before any call, and follow the current values', () => {
    const dense = new layers.Dense({
      units: 2,
      kernelInitializer: 'ones',
      kernelRegularizer: new L2(0.1),
      biasRegularizer: new L1(1),
    });
    assert.deepEqual(lossesOf(dense), []);
    dense.ensureBuilt([1, 3]);
    assertAllClose(lossesOf(dense), [0.6, 0]);
    dense.setWeights([tf.fill([3, 2], 2), tf.tensor([1, -3])]);
    assertAllClose(lossesOf(dense), [2.4, 4]);
    dense.dispose();
  });

  it('a regularizer assigned to a built layer takes effect at once', () => {
    const dense = new layers.Dense({ units: 2, kernelInitializer: 'ones' });
    dense.ensureBuilt([1, 3]);
    assert.deepEqual(lossesOf(dense), []);
    dense.kernelRegularizer = 'l2';
    assertAllClose(lossesOf(dense), [0.06]);
    dense.biasRegularizer = new L1(1);
    assertAllClose(lossesOf(dense), [0.06, 0]);
    dense.kernelRegularizer = null;
    assertAllClose(lossesOf(dense), [0]);
    dense.dispose();
  });

  it('a layer used twice adds its activity penalty per call but its weight penalty once', () => {
    class Twice extends layers.Layer {
      shared = new layers.Dense({
        units: 3,
        kernelInitializer: 'ones',
        kernelRegularizer: new L1(1),
        activityRegularizer: new L1(1),
      });
      again = [this.shared];
      override call(inputs: layers.LayerInputs): layers.LayerOutputs {
        return this.shared.apply(this.shared.apply(inputs));
      }
    }
    const model = new Twice();
    tf.tidy(() => {
      model.apply(tf.ones([1, 3]));
    });
    // first call: outputs 3 each -> 9; second: 9 each -> 27; kernel |1| * 9 = 9, once.
    assertAllClose(lossesOf(model), [9, 27, 9]);
    assert.equal(model.weights.length, 2);
    assert.equal(model.trainableWeights.length, 2);
  });

  it('non-trainable weights and frozen layers add no weight penalty; activity penalties stay', () => {
    class WithFrozenWeight extends layers.Layer {
      override build(): void {
        this.addWeight({ name: 'frozen', shape: [2], initializer: 'ones', regularizer: new L1(1), trainable: false });
        this.addWeight({ name: 'free', shape: [2], initializer: 'ones', regularizer: new L1(1) });
      }
      override call(inputs: layers.LayerInputs): layers.LayerOutputs {
        return inputs;
      }
    }
    const layer = new WithFrozenWeight();
    layer.ensureBuilt([1, 2]);
    assertAllClose(lossesOf(layer), [2]);
    assert.equal(layer.nonTrainableWeights.length, 1);

    const block = new Block();
    tf.tidy(() => {
      block.apply(tf.ones([2, 3]));
    });
    block.dense.trainable = false;
    assertAllClose(lossesOf(block), [7, 0.6, 18]);
    block.dense.trainable = true;
    block.trainable = false;
    assert.equal(block.dense.trainable, false, 'freezing a layer freezes its nested layers');
    assertAllClose(lossesOf(block), [7, 0.6, 18]);
    assert.deepEqual(block.trainableWeights, []);
  });

  it('addLoss takes scalar tensors only', () => {
    const layer = new Identity();
    expectValueError(
      () => layer.addLoss(tf.ones([2])),
      'addLoss() accepts scalar tensors only. Received: a tensor of shape [2]',
    );
    expectValueError(() => layer.addLoss(3 as never), 'addLoss() accepts scalar tensors only. Received: 3');
  });
});

describeEachBackend('weights', () => {
  it('getWeights returns copies; setWeights checks count and shapes', () => {
    const dense = new layers.Dense({ units: 2, name: 'weights_test', kernelInitializer: 'ones' });
    dense.ensureBuilt([1, 3]);
    const [kernel, bias] = dense.getWeights() as [tf.Tensor, tf.Tensor];
    dense.setWeights([tf.zeros([3, 2]), tf.ones([2])]);
    assert.deepEqual(Array.from(kernel.dataSync()), [1, 1, 1, 1, 1, 1]);
    assert.deepEqual(Array.from(bias.dataSync()), [0, 0]);
    tf.dispose([kernel, bias]);
    expectValueError(
      () => dense.setWeights([tf.zeros([3, 2])]),
      'Layer weights_test expects 2 weights. Received: 1 arrays',
    );
    expectValueError(
      () => dense.setWeights([tf.zeros([2, 3]), tf.zeros([2])]),
      'Invalid weight 0 for layer weights_test: expected shape [3, 2]. Received: shape [2, 3]',
    );
    dense.setWeights([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [0, 1],
    ]);
    const out = tf.tidy(() => Array.from((dense.apply(tf.ones([1, 3])) as tf.Tensor).dataSync()));
    assert.deepEqual(out, [9, 13]);
    dense.dispose();
  });

  it('dispose frees every tensor the layer holds', async () => {
    await assertNoLeak(() => {
      const layer = new layers.Conv2D({
        filters: 2,
        kernelSize: 2,
        activityRegularizer: 'l2',
        kernelRegularizer: 'l1',
      });
      tf.tidy(() => {
        layer.apply(tf.ones([1, 3, 3, 1]));
      });
      layer.dispose();
    });
  });
});

describeEachBackend('no tensor leaks', () => {
  const makers: [string, () => layers.Layer, number[]][] = [
    [
      'Dense with all three regularizers',
      () =>
        new layers.Dense({
          units: 4,
          kernelRegularizer: new L1(0.01),
          biasRegularizer: 'l2',
          activityRegularizer: new L2(0.01),
        }),
      [8, 5],
    ],
    [
      'Conv2D with Orthogonal kernel and L1 activity',
      () =>
        new layers.Conv2D({
          filters: 3,
          kernelSize: 2,
          kernelRegularizer: new OrthogonalRegularizer(0.1),
          activityRegularizer: 'l1',
        }),
      [2, 5, 5, 2],
    ],
  ];
  for (const [label, make, shape] of makers) {
    it(`${label}: numTensors is the same before and after 100 calls and reads of losses`, async () => {
      const layer = make();
      const x = tf.ones(shape);
      const once = () => {
        const y = layer.apply(x) as tf.Tensor;
        const losses = layer.losses;
        const total = ops.sum(losses);
        tf.dispose([y, total, ...losses]);
      };
      once(); // builds the weights and records the first call's loss, both kept by the layer
      await assertNoLeak(() => {
        for (let i = 0; i < 100; i++) once();
      }, label);
      layer.dispose();
      x.dispose();
    });
  }
});

describe('layer arguments', () => {
  it('unknown options are a TypeError naming the option', () => {
    assert.throws(
      () => new layers.Dense({ units: 2, kernelRegulariser: 'l2' } as never),
      (error: Error) =>
        error instanceof KerasTypeError &&
        error.message.startsWith(
          'Dense got an unexpected option "kernelRegulariser". Expected: name, trainable, dtype',
        ),
    );
    assert.throws(() => new Identity({ units: 3 } as never), /Identity got an unexpected option "units"/);
  });

  it('bad values are ValueErrors naming the argument', () => {
    expectValueError(
      () => new layers.Dense({ units: 0 }),
      'Invalid value for argument `units`. Expected a strictly positive value. Received units=0.',
    );
    expectValueError(
      () => new layers.Dense({ units: 2, useBias: 'yes' as never }),
      'Invalid value for argument useBias: expected a boolean. Received: useBias="yes"',
    );
    expectValueError(
      () => new layers.Dense({ units: 2, trainable: 1 as never }),
      'Invalid value for argument trainable: expected a boolean. Received: trainable=1',
    );
    expectValueError(
      () => new layers.Dense({ units: 2, dtype: 'float16' as never }),
      'Invalid value for argument dtype: expected "float32" (the only dtype policy supported). Received: dtype="float16"',
    );
    expectValueError(
      () => new layers.Dense({ units: 2, name: 'a/b' }),
      'Invalid value for argument name: expected a non-empty string without "/". Received: name="a/b"',
    );
    expectValueError(
      () => new layers.Dense({ units: 2, activation: 'swishy' }),
      'Could not interpret activation function identifier: "swishy". Expected one of linear, relu, relu6, leaky_relu, elu, selu, sigmoid, hard_sigmoid, hard_silu, tanh, softmax, log_softmax, softplus, softsign, silu, gelu, exponential, mish, swish, hard_swish or a function.',
    );
    expectValueError(
      () => new layers.Dense({ units: 2, kernelInitializer: 'glorot' }),
      /^Could not interpret initializer identifier: "glorot"\. Valid names: "Zeros", "zeros", .*"glorot_uniform".*\.$/,
    );
    expectValueError(
      () => new layers.Dense({ units: 2, kernelConstraint: 2 as never }),
      'Invalid value for argument kernelConstraint: Could not interpret constraint identifier: 2',
    );
  });

  it('inputs must be tensors of the shape the layer was built for', () => {
    const dense = new layers.Dense({ units: 2, name: 'shape_check' });
    expectValueError(
      () => dense.apply([[1, 2]] as never),
      'Invalid inputs for layer shape_check: expected a tensor or an array of tensors. Received: [[1,2]]',
    );
    tf.tidy(() => {
      dense.apply(tf.ones([1, 3]));
    });
    expectValueError(
      () => tf.tidy(() => dense.apply(tf.ones([1, 4]))),
      'Input 0 of layer "shape_check" is incompatible with the layer: expected axis -1 of input shape to have value 3, but received input with shape [1, 4]',
    );
    dense.dispose();
  });

  it('the base Layer has no call', () => {
    assert.throws(
      () => new layers.Layer().apply(tf.ones([1])),
      (error: Error) =>
        error instanceof NotImplementedError && error.message === 'Layer Layer does not implement call()',
    );
  });

  it('names follow Keras: the class in snake_case, numbered, unique', () => {
    const names = [
      new layers.Dense({ units: 1 }),
      new layers.Dense({ units: 1 }),
      new layers.Conv2D({ filters: 1, kernelSize: 1 }),
    ].map((l) => l.name);
    assert.match(names[0] as string, /^dense(_\d+)?$/);
    assert.match(names[2] as string, /^conv2d(_\d+)?$/);
    assert.equal(new Set(names).size, 3);
  });
});
