/**
 * Keras layers that carry Python code (Lambda, JaxLayer, FlaxLayer,
 * TorchModuleWrapper, TFSMLayer) are refused with Keras's own safe_mode
 * reason: by their constructors, in a layer config, and in a `.keras` file
 * (test/fixtures/keras-more-layers/lambda_model.keras, made by real Keras,
 * which refuses it too in safe mode); a user's own layer given for the
 * class name in customObjects is used instead.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers, saving, ValueError } from 'keras-regularizers';
import { FIXTURE, fileBytes } from './helpers/more-layers.js';

const REASON =
  'This carries a potential risk of arbitrary code execution and thus it is disallowed by default (Keras refuses it too unless `safe_mode=False`), and this library cannot run Python code at all: it is refused. Rebuild the model with layers this library provides, or pass your own layer for';

const CARRIES: Record<string, string> = {
  Lambda: 'a `Lambda` layer whose `function` is a Python lambda',
  JaxLayer: 'a `JaxLayer`, whose `call_fn` and `init_fn` are Python functions',
  FlaxLayer: 'a `FlaxLayer`, whose `module` is a Python Flax module',
  TorchModuleWrapper: 'a `torch.nn.Module` object via `torch.load()`',
  TFSMLayer: 'a `TFSMLayer`, which loads an external SavedModel',
};

function message(className: string): string {
  return `Requested the deserialization of ${CARRIES[className]}. ${REASON} "${className}" in customObjects. Received: class_name="${className}"`;
}

function expectRefused(body: () => unknown, className: string): void {
  assert.throws(body, (error: Error) => {
    assert.ok(error instanceof ValueError, `expected ValueError, got ${error.name}`);
    assert.equal(error.message, message(className));
    assert.equal((error as ValueError).argument, 'class_name');
    assert.equal((error as ValueError).received, className);
    return true;
  });
}

describe('layers that carry Python code are refused with Keras’s safe_mode reason', () => {
  const classes = {
    Lambda: layers.Lambda,
    JaxLayer: layers.JaxLayer,
    FlaxLayer: layers.FlaxLayer,
    TorchModuleWrapper: layers.TorchModuleWrapper,
    TFSMLayer: layers.TFSMLayer,
  };
  for (const [name, cls] of Object.entries(classes)) {
    it(`${name}: the class refuses to be made, and so does its config`, () => {
      expectRefused(() => new cls(), name);
      expectRefused(
        () => layers.deserialize({ module: 'keras.layers', class_name: name, config: { name: 'x' } }),
        name,
      );
    });
  }

  it('Keras states the same reason (its own safe_mode error for the Lambda file)', () => {
    assert.match(
      FIXTURE.meta.keras_lambda_error,
      /This carries a potential risk of arbitrary code execution and thus it is disallowed by default\./,
    );
  });

  it('a Keras .keras file with a Lambda layer is refused, naming the class', async () => {
    const before = tf.memory().numTensors;
    await assert.rejects(saving.loadModelFromBytes(fileBytes('lambda_model.keras')), (error: Error) => {
      assert.ok(error instanceof ValueError, `expected ValueError, got ${error.name}: ${error.message}`);
      assert.match(
        error.message,
        /Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda\./,
      );
      return true;
    });
    assert.equal(tf.memory().numTensors, before, 'nothing half-built is left');
  });

  it('a layer given for the class name in customObjects takes its place', async () => {
    class Double extends layers.Layer {
      static override readonly className = 'Lambda';
      constructor(config: Record<string, unknown> = {}) {
        super({ name: config.name as string | undefined });
      }
      override call(x: layers.LayerInputs) {
        return tf.mul(x as tf.Tensor, 2);
      }
    }
    const model = await saving.loadModelFromBytes(fileBytes('lambda_model.keras'), {
      customObjects: { Lambda: Double },
    });
    tf.tidy(() => {
      const y = model.apply(tf.ones([1, 3])) as tf.Tensor;
      assert.deepEqual(y.shape, [1, 2]);
    });
    model.dispose();
  });
});
