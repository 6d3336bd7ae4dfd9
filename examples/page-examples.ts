/**
 * The Keras page "Layer weight regularizers", line for line in TypeScript,
 * printing what Keras prints. Run with `npm run example:page`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend, L1, L2, layers, ops, Regularizer, regularizers } from 'keras-regularizers';

const print = (label: string, tensors: tf.Tensor[]) =>
  console.log(label.padEnd(58), `[${tensors.map((t) => (t.dataSync()[0] as number).toFixed(4)).join(', ')}]`);

console.log(`keras-regularizers on the ${backend.getBackend()} backend\n`);

// layer = layers.Dense(5, input_dim=5, kernel_initializer='ones', kernel_regularizer=L1(0.01), activity_regularizer=L2(0.01))
const layer = new layers.Dense({
  units: 5,
  inputDim: 5,
  kernelInitializer: 'ones',
  kernelRegularizer: new L1(0.01),
  activityRegularizer: new L2(0.01),
});
tf.tidy(() => {
  const tensor = tf.mul(tf.ones([5, 5]), 2);
  layer.apply(tensor);
  // The kernel penalty is 0.25; the activity penalty is 25 / batch size 5 = 5.
  const losses = layer.losses;
  print('Dense(5) with L1(0.01) kernel, L2(0.01) activity: losses', losses);
  print('  sum(layer.losses)                         (Keras: 5.25)', [ops.sum(losses)]);
});

// regularizer = L2(2.); tensor = ops.ones(shape=(5, 5)); out = regularizer(tensor)  # 50.0
tf.tidy(() => print('L2(2.)(ones((5, 5)))                        (Keras: 50.0)', [new L2(2).apply(ops.ones([5, 5]))]));

// A plain function as a regularizer.
function l1Reg(weightMatrix: tf.Tensor): tf.Tensor {
  return ops.multiply(0.01, ops.sum(ops.absolute(weightMatrix)));
}
const withFunction = new layers.Dense({ units: 5, inputDim: 5, kernelInitializer: 'ones', kernelRegularizer: l1Reg });
tf.tidy(() => {
  withFunction.apply(ops.ones([5, 5]));
  print('Dense(5) with a function regularizer: losses (Keras: [0.25])', withFunction.losses);
});

// A Regularizer subclass with getConfig, so models that use it can be saved.
class L2Regularizer extends Regularizer {
  readonly l2: number;
  constructor({ l2 = 0 }: { l2?: number } = {}) {
    super();
    this.l2 = l2;
  }
  override apply(x: tf.Tensor): tf.Scalar {
    return ops.multiply(this.l2, ops.sum(ops.square(x))) as tf.Scalar;
  }
  override getConfig() {
    return { l2: this.l2 };
  }
}
const withSubclass = new layers.Dense({
  units: 5,
  inputDim: 5,
  kernelInitializer: 'ones',
  kernelRegularizer: new L2Regularizer({ l2: 0.5 }),
});
tf.tidy(() => {
  withSubclass.apply(ops.ones([5, 5]));
  print('Dense(5) with L2Regularizer(0.5): losses   (Keras: [12.5])', withSubclass.losses);
});

console.log('\nSerialized in Keras 3 JSON:');
console.log(JSON.stringify(regularizers.serialize(new regularizers.L1L2(0.1, 0.2))));
console.log(JSON.stringify(layers.serialize(layer).config.kernel_regularizer));

for (const l of [layer, withFunction, withSubclass]) l.dispose();
