// A user's page, built by esbuild, Vite and webpack with their default
// settings (test/browser/bundlers.test.ts): the Keras page's first example
// at load, and, when asked, a .keras round trip, which is when h5wasm loads.
import { backend, L1, L2, layers, models, ops, saving } from 'keras-regularizers';

async function pageExample() {
  await backend.ready();
  const layer = new layers.Dense({
    units: 5,
    inputDim: 5,
    kernelInitializer: 'ones',
    kernelRegularizer: new L1(0.01),
    activityRegularizer: new L2(0.01),
  });
  layer.apply(ops.multiply(ops.ones([5, 5]), 2));
  return { backend: backend.getBackend(), total: ops.sum(layer.losses).dataSync()[0] };
}

async function roundTrip() {
  const model = new models.Sequential([
    layers.Input({ shape: [3] }),
    new layers.Dense({ units: 2, kernelRegularizer: new L1(0.01) }),
  ]);
  const bytes = await saving.saveModelToBytes(model);
  const loaded = await saving.loadModelFrom(new Blob([bytes]));
  const x = ops.ones([1, 3]);
  const before = Array.from(model.predict(x).dataSync());
  const after = Array.from(loaded.predict(x).dataSync());
  return { bytes: bytes.length, before, after };
}

globalThis.app = { example: pageExample(), roundTrip };
