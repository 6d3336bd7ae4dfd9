/** Sequential configs from files: linear time, unique names, build shapes that are shapes, inputs that fit the weights. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { layers, models } from 'keras-regularizers';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';

const dense = (name: string, units = 4, extra: Record<string, unknown> = {}) => ({
  module: 'keras.layers',
  class_name: 'Dense',
  config: { name, units, ...extra },
  registered_name: null,
});
const input = (shape: (number | null)[]) => ({
  module: 'keras.layers',
  class_name: 'InputLayer',
  config: { batch_shape: shape, dtype: 'float32', name: 'in' },
  registered_name: null,
});
const sequential = (layerJsons: unknown[], extra: Record<string, unknown> = {}) => ({
  module: 'keras',
  class_name: 'Sequential',
  config: { name: 'seq', layers: layerJsons, ...extra },
  registered_name: null,
});

describeEachBackend('Sequential configs', () => {
  it('builds in linear work: each added layer is built and shaped once, earlier layers are not redone', () => {
    // Counting the shape computations, not timing them: a rebuild per add would make n(n+1)/2.
    const original = layers.Dense.prototype.computeOutputShape;
    let calls = 0;
    layers.Dense.prototype.computeOutputShape = function (this: layers.Dense, shape: layers.Shape) {
      calls++;
      return original.call(this, shape);
    };
    try {
      const n = 300;
      const model = models.modelFromJSON(
        sequential([input([null, 2]), ...Array.from({ length: n }, (_, i) => dense(`d${i}`, 2))]),
        { compile: false },
      );
      assert.equal(model.weights.length, 2 * n);
      assert.ok(calls <= 2 * n, `${calls} shape computations for ${n} layers`);
      model.dispose();
    } finally {
      layers.Dense.prototype.computeOutputShape = original;
    }
  });

  it('two layers with one name are refused, in Keras words', () => {
    expectValueError(
      () => models.modelFromJSON(sequential([input([null, 2]), dense('twin'), dense('twin')]), { compile: false }),
      'All layers added to a Sequential model should have unique names. Name "twin" is already the name of a layer in this model. Update the `name` argument to pass a unique name.',
    );
    const model = new models.Sequential([new layers.Dense({ units: 1, name: 'x1' })]);
    expectValueError(
      () => model.add(new layers.Dense({ units: 1, name: 'x1' })),
      /^All layers added to a Sequential model should have unique names\. Name "x1"/,
    );
    model.dispose();
  });

  it('build_input_shape must be a shape', () => {
    for (const bad of [['a', 3], [null, [3]], 'shape', [null, 0]]) {
      expectValueError(
        () => models.modelFromJSON(sequential([dense('d')], { build_input_shape: bad }), { compile: false }),
        /^Invalid value for argument build_input_shape: expected one shape: an array of positive integers or null\. Received: build_input_shape=/,
      );
    }
  });

  it('an Input whose shape does not fit the weights a layer was built for is refused at load, as Keras does', () => {
    const built = { ...dense('d', 3), build_config: { input_shape: [null, 5] } };
    expectValueError(
      () => models.modelFromJSON(sequential([input([null, 4]), built]), { compile: false }),
      'Layer "d" was built for inputs of shape [null, 5] but receives [null, 4] in this model.',
    );
  });
});
