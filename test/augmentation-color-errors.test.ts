/**
 * Bad options and inputs of the color augmentation layers: each error is
 * the library's ValueError (or TypeError for an unknown option) naming the
 * argument, what was expected and what was received, with Keras's words
 * where Keras has them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers, ValueError } from 'keras-regularizers';
import { expectValueError } from './helpers/errors.js';

/** Asserts a ValueError with exactly `message` and the given argument, expected and received fields. */
function expectArgumentError(
  body: () => unknown,
  message: string,
  argument: string,
  expected: string,
  received: string,
): void {
  expectValueError(body, message);
  try {
    body();
  } catch (error) {
    assert.ok(error instanceof ValueError);
    assert.equal(error.argument, argument);
    assert.equal(error.expected, expected);
    assert.equal(error.received, received);
  }
}

describe('color augmentation: bad options', () => {
  it("a factor outside Keras's bounds, as Keras words it", () => {
    expectArgumentError(
      () => new layers.RandomContrast({ factor: 1.5 }),
      'The `factor` argument should be a number (or a list of two numbers) in the range [0, 1]. Received: factor=1.5',
      'factor',
      'a number or a list of two numbers in [0, 1]',
      '1.5',
    );
    expectArgumentError(
      () => new layers.RandomBrightness({ factor: [0.1, 0.2, 0.3] }),
      'The `factor` argument should be a number (or a list of two numbers) in the range [-1, 1]. Received: factor=[0.1,0.2,0.3]',
      'factor',
      'a number or a list of two numbers in [-1, 1]',
      '[0.1,0.2,0.3]',
    );
    // A pair wholly below the lower bound; a missing factor; a string.
    expectValueError(() => new layers.RandomHue({ factor: [-0.5, -0.2] }), /Received: factor=\[-0\.5,-0\.2\]$/);
    expectValueError(() => new layers.RandomSharpness({} as never), /Received: factor=undefined$/);
    expectValueError(() => new layers.RandomSaturation({ factor: '0.5' as never }), /Received: factor="0.5"$/);
    expectArgumentError(
      () => new layers.RandomPosterization({ factor: 9 }),
      'The `factor` argument should be a number (or a list of two numbers) in the range [1, 8]. Received: factor=9',
      'factor',
      'a number or a list of two numbers in [1, 8]',
      '9',
    );
  });

  it('RandomGrayscale: a probability in [0, 1]', () => {
    expectArgumentError(
      () => new layers.RandomGrayscale({ factor: 2 }),
      'Invalid value for argument factor: expected a number in [0, 1]. Received: factor=2',
      'factor',
      'a number in [0, 1]',
      '2',
    );
  });

  it("Solarization's factors, each named", () => {
    expectArgumentError(
      () => new layers.Solarization({ thresholdFactor: [0.2, 1.5] }),
      'The `additionFactor` and `thresholdFactor` arguments should be a number (or a list of two numbers) in the range [0, 1]. Received: thresholdFactor=[0.2,1.5]',
      'thresholdFactor',
      'a number or a list of two numbers in [0, 1]',
      '[0.2,1.5]',
    );
    expectValueError(() => new layers.Solarization({ additionFactor: -0.1 }), /Received: additionFactor=-0.1$/);
  });

  it('valueRange: two numbers, increasing where Keras does not sort them', () => {
    expectArgumentError(
      () => new layers.RandomBrightness({ factor: 0.1, valueRange: [0, 1, 2] as never }),
      'The `valueRange` argument should be a list of two numbers. Received: valueRange=[0,1,2]',
      'valueRange',
      'a list of two numbers',
      '[0,1,2]',
    );
    expectValueError(() => new layers.AutoContrast({ valueRange: 255 as never }), /Received: valueRange=255$/);
    expectArgumentError(
      () => new layers.RandomContrast({ factor: 0.1, valueRange: [255, 0] }),
      'The `valueRange` argument should be a list of two increasing numbers [min, max]. Received: valueRange=[255,0]',
      'valueRange',
      'a list of two increasing numbers [min, max]',
      '[255,0]',
    );
    // Where Keras sorts the range, so do we.
    assert.deepEqual(new layers.Solarization({ valueRange: [1, 0] }).valueRange, [0, 1]);
  });

  it('bins, seed, dataFormat and boundingBoxFormat', () => {
    expectArgumentError(
      () => new layers.Equalization({ bins: 0 }),
      'Invalid value for argument bins: expected a positive integer. Received: bins=0',
      'bins',
      'a positive integer',
      '0',
    );
    expectValueError(
      () => new layers.RandomInvert({ seed: -1 }),
      /^Argument `seed` must be an integer in \[0, 2\*\*32\)\. Received: seed=-1$/,
    );
    expectValueError(() => new layers.AutoContrast({ dataFormat: 'nhwc' as never }), /Received: dataFormat="nhwc"$/);
    expectArgumentError(
      () => new layers.RandomContrast({ factor: 0.1, boundingBoxFormat: 'xyxy' as never }),
      'RandomContrast does not support bounding boxes here: only image tensors are augmented, so boundingBoxFormat must be null. Received: boundingBoxFormat="xyxy"',
      'boundingBoxFormat',
      'null',
      '"xyxy"',
    );
  });

  it('CLAHE: tileGridSize, clipLimit, and a grid the image cannot be padded to', () => {
    expectArgumentError(
      () => new layers.ContrastLimitedAdaptiveHistogramEqualization({ tileGridSize: [8, 0] }),
      'Invalid value for argument tileGridSize: expected a list of two positive integers. Received: tileGridSize=[8,0]',
      'tileGridSize',
      'a list of two positive integers',
      '[8,0]',
    );
    expectValueError(
      () => new layers.ContrastLimitedAdaptiveHistogramEqualization({ clipLimit: Number.NaN }),
      'Invalid value for argument clipLimit: expected a finite number. Received: clipLimit=NaN',
    );
    const x = tf.zeros([1, 3, 3, 1]);
    expectValueError(
      () => new layers.ContrastLimitedAdaptiveHistogramEqualization().apply(x),
      /^ContrastLimitedAdaptiveHistogramEqualization cannot pad images of 3x3 to a grid of 8x8 tiles .* tileGridSize=\[8, 8\]$/,
    );
    tf.dispose(x);
  });

  it('an unknown option is a TypeError naming it', () => {
    assert.throws(
      () => new layers.RandomBrightness({ factor: 0.1, value_range: [0, 1] } as never),
      (e: Error) =>
        e.name === 'TypeError' && /unexpected option "value_range".*Did you mean "valueRange"\?/.test(e.message),
    );
  });
});

describe('color augmentation: bad inputs', () => {
  it('a rank other than 3 or 4, in training and inference', () => {
    const x = tf.zeros([4, 3]);
    for (const training of [true, false]) {
      expectArgumentError(
        () => new layers.RandomBrightness({ factor: 0.1 }).apply(x, { training }),
        'Expected image tensor to have rank 3 (single image) or 4 (batch of images). Received: data.shape=[4, 3]',
        'inputs',
        'a tensor of rank 3 or 4',
        'shape [4, 3]',
      );
    }
    tf.dispose(x);
  });

  it('layers that need RGB refuse other channel counts', () => {
    const x = tf.zeros([1, 2, 2, 4]);
    expectArgumentError(
      () => new layers.RandomHue({ factor: 0.1 }).apply(x, { training: true }),
      'RandomHue expects RGB images (3 channels). Received: images.shape=[1, 2, 2, 4]',
      'inputs',
      '3 channels',
      'shape [1, 2, 2, 4]',
    );
    expectValueError(
      () => new layers.RandomGrayscale({ factor: 1 }).apply(x, { training: true }),
      'Invalid channel size: expected 3 (RGB) or 1 (Grayscale). Received input with shape: images.shape=[1, 2, 2, 4]',
    );
    tf.dispose(x);
  });

  it('dict inputs (images with bounding boxes or labels) are refused by the layer call, naming the inputs', () => {
    const images = tf.zeros([1, 2, 2, 3]);
    expectValueError(
      () => new layers.RandomInvert().apply({ images } as never, { training: true }),
      /^Invalid inputs for layer random_invert\w*: expected a tensor or an array of tensors\. Received: \{"images":/,
    );
    tf.dispose(images);
  });
});
