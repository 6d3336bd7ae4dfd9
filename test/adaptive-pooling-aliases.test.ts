/**
 * Keras's layer aliases in the `layers` namespace (keras.layers.MaxPool2D is
 * keras.layers.MaxPooling2D, ...): each is the same class as its Keras name.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layers } from 'keras-regularizers';

const ALIASES: [string, string][] = [
  ['MaxPool1D', 'MaxPooling1D'],
  ['MaxPool2D', 'MaxPooling2D'],
  ['MaxPool3D', 'MaxPooling3D'],
  ['AvgPool1D', 'AveragePooling1D'],
  ['AvgPool2D', 'AveragePooling2D'],
  ['AvgPool3D', 'AveragePooling3D'],
  ['GlobalAvgPool1D', 'GlobalAveragePooling1D'],
  ['GlobalAvgPool2D', 'GlobalAveragePooling2D'],
  ['GlobalAvgPool3D', 'GlobalAveragePooling3D'],
  ['GlobalMaxPool1D', 'GlobalMaxPooling1D'],
  ['GlobalMaxPool2D', 'GlobalMaxPooling2D'],
  ['GlobalMaxPool3D', 'GlobalMaxPooling3D'],
  ['Convolution1D', 'Conv1D'],
  ['Convolution2D', 'Conv2D'],
  ['Convolution3D', 'Conv3D'],
  ['Convolution1DTranspose', 'Conv1DTranspose'],
  ['Convolution2DTranspose', 'Conv2DTranspose'],
  ['Convolution3DTranspose', 'Conv3DTranspose'],
  ['SeparableConvolution1D', 'SeparableConv1D'],
  ['SeparableConvolution2D', 'SeparableConv2D'],
  ['GroupQueryAttention', 'GroupedQueryAttention'],
];

describe("Keras's layer aliases", () => {
  for (const [alias, name] of ALIASES) {
    it(`layers.${alias} is layers.${name}`, () => {
      const namespace = layers as unknown as Record<string, unknown>;
      assert.equal(typeof namespace[name], 'function');
      assert.equal(namespace[alias], namespace[name]);
    });
  }

  it('a layer made through an alias saves under the Keras class name', () => {
    const pool = new layers.MaxPool2D({ poolSize: 2 });
    assert.equal(layers.serialize(pool).class_name, 'MaxPooling2D');
    const conv = new layers.Convolution1D({ filters: 2, kernelSize: 3 });
    assert.equal(layers.serialize(conv).class_name, 'Conv1D');
  });
});
