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
  it('builds in time linear in the number of layers: each add builds only the new layer', () => {
    const time = (n: number) => {
      const json = sequential([input([null, 2]), ...Array.from({ length: n }, (_, i) => dense(`d${i}`, 2))]);
      const start = performance.now();
      const model = models.modelFromJSON(json, { compile: false });
      const elapsed = performance.now() - start;
      model.dispose();
      return elapsed;
    };
    time(50); // warm-up
    const small = Math.min(time(200), time(200));
    const large = Math.min(time(800), time(800));
    // Quadratic building would make 4x the layers cost 16x; linear, about 4x.
    assert.ok(large / small < 9, `800 layers took ${large.toFixed(0)} ms, 200 took ${small.toFixed(0)} ms`);
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
