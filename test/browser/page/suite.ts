/**
 * The page of the browser tests (bundled by esbuild for the browser, so
 * 'keras-regularizers' is its browser entry): functions on `window.suite`
 * that compute in the page and return plain numbers, which the Node side
 * (test/browser/backends.test.ts) checks against Keras's and cpu's.
 */
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import {
  backend,
  L1,
  L1L2,
  L2,
  layers,
  models,
  OrthogonalRegularizer,
  ops,
  Regularizer,
  regularizers,
  saving,
  ValueError,
} from 'keras-regularizers';
import { trainWithEveryRegularizer } from './training-steps.js';

/** A fixture case as the Node side sends it: the fields each kind needs. */
// biome-ignore lint/suspicious/noExplicitAny: fixture JSON, read per kind as the Node tests read it.
type Case = Record<string, any>;

/** The Keras page's plain-function regularizer. */
function my_l1_fn(weightMatrix: tf.Tensor): tf.Tensor {
  return ops.multiply(0.01, ops.sum(ops.absolute(weightMatrix)));
}

/** The Keras page's Regularizer subclass. */
class L2Regularizer extends Regularizer {
  l2: number;
  constructor({ l2 = 0 }: { l2?: number } = {}) {
    super();
    this.l2 = l2;
  }
  override apply(x: tf.Tensor): tf.Scalar {
    return ops.multiply(this.l2, ops.sum(ops.square(x))) as tf.Scalar;
  }
  override getConfig(): { l2: number } {
    return { l2: this.l2 };
  }
}

function decode(value: number | string): number {
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return value as number;
}

function tensorOf(input: { shape: number[]; values: (number | string)[] }): tf.Tensor {
  return tf.tensor(input.values.map(decode), input.shape, 'float32');
}

/** Numbers of `tensors`, which are then freed; NaN and the infinities as strings, which JSON keeps. */
function read(tensors: tf.Tensor[]): (number | string)[] {
  const out = tensors.flatMap((t) => Array.from(t.dataSync()));
  tf.dispose(tensors);
  return out.map((v) => (Number.isFinite(v) ? v : String(v)));
}

function regularizerOf(spec: { class_name: string; config: Record<string, unknown> }): regularizers.RegularizerLike {
  return regularizers.deserialize({
    module: 'keras.regularizers',
    registered_name: null,
    ...spec,
  }) as regularizers.RegularizerLike;
}

/** The four examples of the Keras page "Layer weight regularizers". */
function pageExamples() {
  const dense = new layers.Dense({
    units: 5,
    inputDim: 5,
    kernelInitializer: 'ones',
    kernelRegularizer: new L1(0.01),
    activityRegularizer: new L2(0.01),
  });
  tf.tidy(() => {
    dense.apply(tf.mul(tf.ones([5, 5]), 2));
  });
  const losses = dense.losses;
  const total = read([ops.sum(losses)]);
  const denseLosses = read(losses);
  const l2 = read([tf.tidy(() => new L2(2).apply(ops.ones([5, 5])))]);
  const withFunction = new layers.Dense({
    units: 5,
    inputDim: 5,
    kernelInitializer: 'ones',
    kernelRegularizer: my_l1_fn,
  });
  tf.tidy(() => {
    withFunction.apply(ops.ones([5, 5]));
  });
  const withSubclass = new layers.Dense({
    units: 5,
    inputDim: 5,
    kernelInitializer: 'ones',
    kernelRegularizer: new L2Regularizer({ l2: 0.5 }),
  });
  tf.tidy(() => {
    withSubclass.apply(ops.ones([5, 5]));
  });
  const result = {
    denseLosses,
    total,
    l2,
    functionLosses: read(withFunction.losses),
    subclassLosses: read(withSubclass.losses),
  };
  for (const layer of [dense, withFunction, withSubclass]) layer.dispose();
  return result;
}

/** The value of each `regularizer_call` case. */
function regularizerCalls(cases: Case[]) {
  return cases.map((c) =>
    read([tf.tidy(() => regularizers.computePenalty(regularizerOf(c.regularizer), tensorOf(c.input)))]),
  );
}

/** Value and gradient of each `gradient` case. */
function gradients(cases: Case[]) {
  return cases.map((c) => {
    const reg = regularizerOf(c.regularizer);
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => regularizers.computePenalty(reg, x))(tensorOf(c.input));
    return { value: read([value]), grad: read([grad]) };
  });
}

/** Output and losses of each `layer` case: the layer from its Keras config, with the fixture's weights. */
function layerCases(cases: Case[]) {
  return cases.map((c) => {
    try {
      return layerCase(c);
    } catch (error) {
      // Reported per case, so that one case's failure names it and the others still run.
      return { error: (error as Error).message, output: [], losses: [] };
    }
  });
}

function layerCase(c: Case) {
  {
    const layer = layers.deserialize(
      { module: 'keras.layers', class_name: c.layer_class, config: c.layer_config, registered_name: null },
      { customObjects: { my_l1_fn, L2Regularizer } },
    );
    layer.ensureBuilt(c.input.shape);
    layer.setWeights(c.weights.map((w: { values: (number | string)[] }) => w.values.map(decode)));
    const output = read([tf.tidy(() => layer.apply(tensorOf(c.input)) as tf.Tensor)]);
    const losses = read(layer.losses);
    layer.dispose();
    return { error: null, output, losses };
  }
}

/** Predictions of `model` on `x` in inference mode, and its penalties after that call (as test/saving.test.ts reads them). */
function probe(model: models.Model, x: tf.Tensor) {
  return tf.tidy(() => {
    const output = Array.from((model.apply(x, { training: false }) as tf.Tensor).dataSync());
    const losses = model.losses.map((l) => l.dataSync()[0] as number);
    return { output, losses };
  });
}

/**
 * A model saved to `.keras` bytes in the page and loaded back from each kind
 * of source a page has: bytes, ArrayBuffer, Blob, File, and a Response.
 */
async function roundTrip() {
  const model = regularizedModel();
  const bytes = (await saving.saveModelToBytes(model)) as Uint8Array<ArrayBuffer>;
  const sources: [string, saving.ByteSource][] = [
    ['Uint8Array', bytes],
    ['ArrayBuffer', bytes.slice().buffer],
    ['Blob', new Blob([bytes])],
    ['File', new File([bytes], 'model.keras')],
    ['Response', new Response(bytes)],
  ];
  const x = tf.tensor([0.5, -1, 2, 0.25, -0.75, 1.5, 0, 1], [2, 4]);
  const original = probe(model, x);
  const loaded: Record<string, ReturnType<typeof probe>> = {};
  for (const [kind, source] of sources) {
    const copy = await saving.loadModelFrom(source);
    loaded[kind] = probe(copy, x);
    copy.dispose();
  }
  x.dispose();
  model.dispose();
  return { bytes: bytes.length, original, loaded };
}

/** A small model with kernel, bias and activity regularizers. */
function regularizedModel(): models.Model {
  return new models.Sequential([
    layers.Input({ shape: [4] }),
    new layers.Dense({
      units: 3,
      activation: 'relu',
      kernelRegularizer: new L1L2({ l1: 0.01, l2: 0.02 }),
      biasRegularizer: new L2(0.1),
      activityRegularizer: new L1(0.01),
    }),
    new layers.Dense({ units: 2, kernelRegularizer: new OrthogonalRegularizer({ factor: 0.1 }) }),
  ]);
}

/** A `.keras` file written by real Keras, fetched over http: predictions and penalties. */
async function loadFetched(url: string, input: { shape: number[]; values: number[] }) {
  const model = await saving.loadModelFrom(await fetch(url));
  const x = tensorOf(input);
  const result = probe(model, x);
  x.dispose();
  model.dispose();
  return result;
}

/** What errors say, for the tests of bad input: message and argument. */
async function errorOf(body: () => unknown) {
  try {
    await body();
    return null;
  } catch (error) {
    return {
      name: (error as Error).name,
      message: (error as Error).message,
      argument: error instanceof ValueError ? error.argument : undefined,
    };
  }
}

/** The running wasm backend: its XNNPACK threads and whether its memory is shared (the threaded build). */
function wasmInfo() {
  const running = tf.findBackend('wasm') as unknown as { wasm: { wasmMemory?: WebAssembly.Memory } } | null;
  const memory = running?.wasm.wasmMemory;
  return {
    threads: getThreadsCount(),
    shared: typeof SharedArrayBuffer === 'function' && memory?.buffer instanceof SharedArrayBuffer,
    crossOriginIsolated: globalThis.crossOriginIsolated,
  };
}

/**
 * `saving.downloadModel` with the link's click caught: the file name and the
 * bytes the browser would have saved, loaded back to check them.
 */
async function downloaded() {
  const clicks: { name: string; href: string }[] = [];
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    clicks.push({ name: this.download, href: this.href });
  };
  const model = regularizedModel();
  try {
    await saving.downloadModel(model, 'regularized.keras');
  } finally {
    HTMLAnchorElement.prototype.click = click;
  }
  const [first] = clicks;
  if (first == null) throw new Error('no download');
  const copy = await saving.loadModelFrom(await fetch(first.href));
  const x = tf.ones([1, 4]);
  const same = JSON.stringify(probe(copy, x)) === JSON.stringify(probe(model, x));
  tf.dispose([x]);
  copy.dispose();
  model.dispose();
  return { clicks: clicks.length, name: first.name, same };
}

const suite = {
  wasmInfo,
  downloaded,
  regularizedModel,
  tf,
  backend,
  layers,
  saving,
  errorOf,
  pageExamples,
  regularizerCalls,
  gradients,
  layerCases,
  train: trainWithEveryRegularizer,
  roundTrip,
  loadFetched,
  numTensors: () => tf.memory().numTensors,
};

(globalThis as unknown as { suite: typeof suite }).suite = suite;
export type Suite = typeof suite;
