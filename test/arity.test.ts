/**
 * Extra positional arguments are refused with a KerasTypeError naming the
 * method and its parameters, at every public entry where JavaScript would
 * otherwise drop them without a word (Python raises a TypeError): the Model
 * methods, Layer.apply/setWeights and the saving functions. On today's main
 * each of these calls ran, ignoring the extra argument.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { KerasTypeError, layers, models, saving } from 'keras-regularizers';

function refused(body: () => unknown, method: string, max: number): void {
  assert.throws(body, (error: Error) => {
    assert.ok(error instanceof KerasTypeError, `${method}: ${error}`);
    assert.match(error.message, new RegExp(`^${method.replace('.', '\\.')}\\(\\) takes (at most ${max}|no arguments)`));
    assert.equal(error.argument, 'arguments');
    return true;
  });
}

async function refusedAsync(body: () => Promise<unknown>, method: string, max: number): Promise<void> {
  await assert.rejects(body, (error: Error) => {
    assert.ok(error instanceof KerasTypeError, `${method}: ${error}`);
    assert.match(error.message, new RegExp(`^${method.replace('.', '\\.')}\\(\\) takes (at most ${max}|no arguments)`));
    return true;
  });
}

// biome-ignore lint/suspicious/noExplicitAny: the calls below pass more arguments than the types allow, on purpose.
type Loose = any;

describe('extra positional arguments', () => {
  it('are refused by the Model methods, Layer.apply/setWeights and the saving functions, leaving no tensor', async () => {
    const model = new models.Sequential([layers.Input({ shape: [2] }), new layers.Dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.ones([2, 2]);
    const y = tf.ones([2, 1]);
    const sw = tf.ones([2]);
    const before = tf.memory().numTensors;
    const m = model as Loose;
    refused(() => m.trainOnBatch(x, y, sw, null, 'extra'), 'model.trainOnBatch', 4);
    refused(() => m.testOnBatch(x, y, sw, 'extra'), 'model.testOnBatch', 3);
    refused(() => m.evaluate(x, y, {}, 'extra'), 'model.evaluate', 3);
    refused(() => m.predict(x, {}, 'extra'), 'model.predict', 2);
    await refusedAsync(() => m.fit(x, y, { epochs: 1, verbose: 0 }, 'extra'), 'model.fit', 3);
    refused(() => m.compile({}, 'extra'), 'model.compile', 1);
    refused(() => m.getLayer('dense', 'extra'), 'model.getLayer', 1);
    refused(() => m.toJSON('extra'), 'model.toJSON', 0);
    refused(() => m.summary(() => {}, 'extra'), 'model.summary', 1);
    await refusedAsync(() => m.save('/tmp/never.keras', {}, 'extra'), 'model.save', 2);
    await refusedAsync(() => m.saveWeights('/tmp/never.weights.h5', {}, 'extra'), 'model.saveWeights', 2);
    await refusedAsync(() => m.loadWeights('/tmp/never.weights.h5', 'extra'), 'model.loadWeights', 1);
    const dense = model.layers[0] as Loose;
    refused(() => dense.apply(x, {}, 'extra'), 'layer.apply', 2);
    const weights = model.getWeights();
    refused(() => dense.setWeights(weights, 'extra'), 'layer.setWeights', 1);
    tf.dispose(weights);
    const s = saving as Loose;
    await refusedAsync(() => s.saveModel(model, '/tmp/never.keras', {}, true), 'saving.saveModel', 3);
    await refusedAsync(() => s.loadModel('/tmp/never.keras', {}, true), 'saving.loadModel', 2);
    await refusedAsync(() => s.saveModelToBytes(model, {}), 'saving.saveModelToBytes', 1);
    await refusedAsync(() => s.loadModelFromBytes(new Uint8Array(1), {}, true), 'saving.loadModelFromBytes', 2);
    await refusedAsync(() => s.saveWeightsToBytes(model, {}), 'saving.saveWeightsToBytes', 1);
    await refusedAsync(() => s.loadWeightsFromBytes(model, new Uint8Array(1), {}), 'saving.loadWeightsFromBytes', 2);
    await refusedAsync(() => s.saveWeights(model, '/tmp/never.weights.h5', {}, true), 'saving.saveWeights', 3);
    await refusedAsync(() => s.loadWeights(model, '/tmp/never.weights.h5', {}), 'saving.loadWeights', 2);
    assert.equal(tf.memory().numTensors, before);
    // The right counts still work.
    const logs = model.trainOnBatch(x, y, sw);
    assert.ok(Number.isFinite(logs.loss as number));
    tf.dispose([x, y, sw]);
    model.dispose();
  });
});
