import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { camelToSnake, classNameToSnake, configToCamel, configToSnake, snakeToCamel } from './case.js';

describe('camelCase and snake_case at the Keras JSON boundary', () => {
  it('converts option names both ways', () => {
    for (const [camel, snake] of [
      ['kernelRegularizer', 'kernel_regularizer'],
      ['useBias', 'use_bias'],
      ['l1', 'l1'],
      ['inputAxes', 'input_axes'],
      ['beta1', 'beta_1'],
      ['learningRate', 'learning_rate'],
    ]) {
      assert.equal(camelToSnake(camel as string), snake);
      assert.equal(snakeToCamel(snake as string), camel);
    }
  });

  it('converts class names as Keras to_snake_case does', () => {
    assert.equal(classNameToSnake('Conv2D'), 'conv2d');
    assert.equal(classNameToSnake('Dense'), 'dense');
    assert.equal(classNameToSnake('OrthogonalRegularizer'), 'orthogonal_regularizer');
    assert.equal(classNameToSnake('L1L2'), 'l1l2');
    assert.equal(classNameToSnake('GlorotUniform'), 'glorot_uniform');
  });

  it('converts top-level config keys and the data_format values, leaving nested JSON alone', () => {
    const nested = { class_name: 'L2', config: { l2: 0.1 } };
    const camel = { dataFormat: 'channelsFirst', kernelRegularizer: nested };
    const snake = configToSnake(camel);
    assert.deepEqual(snake, { data_format: 'channels_first', kernel_regularizer: nested });
    assert.deepEqual(configToCamel(snake), camel);
  });
});
