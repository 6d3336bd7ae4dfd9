/**
 * Bad inputs to the mixing augmentation layers and Pipeline: each refused
 * with the library's ValueError, whose message and fields name the
 * argument, what was expected and what was received. Where Keras has a
 * text (factor and scale ranges, kernel_size, the Pipeline config, an
 * image's rank) ours keeps its words, naming the argument it checks
 * (Keras says `factor=` for `scale` and `sigma` too).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers, ValueError } from 'keras-regularizers';
import { describeEachBackend } from './helpers/backends.js';

type Case = [label: string, body: () => unknown, argument: string, expected: string, received: string, message: string];

const CASES: Case[] = [
  [
    'RandomErasing factor 2 (Keras refuses it too)',
    () => new layers.RandomErasing({ factor: 2 }),
    'factor',
    'a number or a list of two numbers in [0, 1]',
    '2',
    'The `factor` argument should be a number (or a list of two numbers) in the range [0, 1]. Received: factor=2',
  ],
  [
    'RandomErasing factor of three numbers',
    () => new layers.RandomErasing({ factor: [0.1, 0.2, 0.3] }),
    'factor',
    'a number or a list of two numbers in [0, 1]',
    '[0.1,0.2,0.3]',
    'The `factor` argument should be a number (or a list of two numbers) in the range [0, 1]. Received: factor=[0.1,0.2,0.3]',
  ],
  [
    'RandomErasing scale 1.5',
    () => new layers.RandomErasing({ scale: 1.5 }),
    'scale',
    'a number or a list of two numbers in [0, 1]',
    '1.5',
    'The `scale` argument should be a number (or a list of two numbers) in the range [0, 1]. Received: scale=1.5',
  ],
  [
    'RandomErasing fillValue of two numbers',
    () => new layers.RandomErasing({ fillValue: [1, 2] }),
    'fillValue',
    'a number, a list of three numbers, or null',
    '[1,2]',
    'The `fillValue` argument should be a number (or a list of three numbers), or null for noise. Received: fillValue=[1,2]',
  ],
  [
    'RandomErasing valueRange decreasing',
    () => new layers.RandomErasing({ valueRange: [255, 0] }),
    'valueRange',
    'a list of two increasing numbers [min, max]',
    '[255,0]',
    'The `valueRange` argument should be a list of two increasing numbers [min, max]. Received: valueRange=[255,0]',
  ],
  [
    'RandomErasing per-channel fill on one-channel images',
    () => new layers.RandomErasing({ fillValue: [1, 2, 3] }).apply(tf.ones([1, 4, 4, 1]), { training: true }),
    'fillValue',
    'a number or 1 numbers',
    '[1,2,3]',
    "RandomErasing's fillValue has one number per channel (3), but the images have 1 channels. Received: fillValue=[1,2,3]",
  ],
  [
    'RandomErasing on a rank-2 input (Keras refuses it too)',
    () => new layers.RandomErasing().apply(tf.ones([3, 4]), { training: true }),
    'inputs',
    'a tensor of rank 3 or 4',
    'shape [3, 4]',
    'Expected image tensor to have rank 3 (single image) or 4 (batch of images). Received: data.shape=[3, 4]',
  ],
  [
    'RandomGaussianBlur kernelSize 4 (Keras: must be odd)',
    () => new layers.RandomGaussianBlur({ kernelSize: 4 }),
    'kernelSize',
    'an odd positive integer, or a list of two',
    '4',
    'kernelSize must be an odd positive integer or a list of two. Received: kernelSize=4',
  ],
  [
    'RandomGaussianBlur sigma 2 (Keras refuses it too)',
    () => new layers.RandomGaussianBlur({ sigma: 2 }),
    'sigma',
    'a number or a list of two numbers in [0, 1]',
    '2',
    'The `sigma` argument should be a number (or a list of two numbers) in the range [0, 1]. Received: sigma=2',
  ],
  [
    'CutMix factor -0.5 (Keras refuses it too)',
    () => new layers.CutMix({ factor: -0.5 }),
    'factor',
    'a number or a list of two numbers in [0, 1]',
    '-0.5',
    'The `factor` argument should be a number (or a list of two numbers) in the range [0, 1]. Received: factor=-0.5',
  ],
  [
    'CutMix seed -1',
    () => new layers.CutMix({ seed: -1 }),
    'seed',
    'an integer in [0, 2**32) or null',
    '-1',
    'Argument `seed` must be an integer in [0, 2**32). Received: seed=-1',
  ],
  [
    'MixUp alpha 0',
    () => new layers.MixUp({ alpha: 0 }),
    'alpha',
    'a positive number',
    '0',
    'Invalid value for argument alpha: expected a positive number. Received: alpha=0',
  ],
  [
    'MixUp mixBatch with labels for another batch',
    () => new layers.MixUp().mixBatch({ images: tf.ones([2, 3, 3, 1]), labels: tf.ones([3, 4]) }, { training: true }),
    'labels',
    'a tensor of shape [2, ...]',
    'shape [3, 4]',
    'MixUp.mixBatch takes one row of labels per image (2). Received: labels=shape [3, 4]',
  ],
  [
    'MaxNumBoundingBoxes maxNumber 0',
    () => new layers.MaxNumBoundingBoxes({ maxNumber: 0 }),
    'maxNumber',
    'a positive integer',
    '0',
    'Invalid value for argument maxNumber: expected a positive integer. Received: maxNumber=0',
  ],
  [
    'MaxNumBoundingBoxes boxes of 3 coordinates',
    () =>
      new layers.MaxNumBoundingBoxes({ maxNumber: 2 }).transformBoundingBoxes({
        boxes: tf.ones([1, 2, 3]),
        labels: tf.ones([1, 2]),
      }),
    'boxes',
    'a tensor of shape [batch, n, 4]',
    'shape [1, 2, 3]',
    'MaxNumBoundingBoxes takes boxes of shape [batch, n, 4]. Received: boxes=shape [1, 2, 3]',
  ],
  [
    'a bounding box format on a layer that augments images only',
    () => new layers.CutMix({ boundingBoxFormat: 'xyxy' as never }),
    'boundingBoxFormat',
    'null',
    '"xyxy"',
    'CutMix does not support bounding boxes here: only image tensors are augmented, so boundingBoxFormat must be null. Received: boundingBoxFormat="xyxy"',
  ],
  [
    'RandAugment numOps -1',
    () => new layers.RandAugment({ numOps: -1 }),
    'numOps',
    'a non-negative integer',
    '-1',
    'Invalid value for argument numOps: expected a non-negative integer. Received: numOps=-1',
  ],
  [
    'RandAugment factor 1.5 (Keras refuses it too)',
    () => new layers.RandAugment({ factor: 1.5 }),
    'factor',
    'a number or a list of two numbers in [0, 1]',
    '1.5',
    'The `factor` argument should be a number (or a list of two numbers) in the range [0, 1]. Received: factor=1.5',
  ],
  [
    'AugMix numChains 0',
    () => new layers.AugMix({ numChains: 0 }),
    'numChains',
    'a positive integer',
    '0',
    'Invalid value for argument numChains: expected a positive integer. Received: numChains=0',
  ],
  [
    'AugMix alpha -1',
    () => new layers.AugMix({ alpha: -1 }),
    'alpha',
    'a positive number',
    '-1',
    'Invalid value for argument alpha: expected a positive number. Received: alpha=-1',
  ],
  [
    'AugMix allOps "yes"',
    () => new layers.AugMix({ allOps: 'yes' as never }),
    'allOps',
    'a boolean',
    '"yes"',
    'Invalid value for argument allOps: expected a boolean. Received: allOps="yes"',
  ],
  [
    'Pipeline of something that is not a layer',
    () => new layers.Pipeline({ layers: [1 as never] }),
    'layers',
    'an array of Layer instances',
    '[1]',
    'Pipeline takes a list of layers. Received: layers=[1]',
  ],
  [
    'Pipeline config without layers (Keras refuses it too)',
    () =>
      layers.deserialize({
        module: 'keras.layers',
        class_name: 'Pipeline',
        config: { name: 'p' },
        registered_name: null,
      }),
    'layers',
    'a list of serialized layers',
    'undefined',
    '`Pipeline` config must contain a `layers` key mapping to a list of serialized layers. Received config with layers=undefined.',
  ],
];

describeEachBackend('mixing augmentation layers refuse bad inputs', () => {
  for (const [label, body, argument, expected, received, message] of CASES) {
    it(label, () => {
      assert.throws(body, (error: Error) => {
        assert.ok(error instanceof ValueError, `expected ValueError, got ${error.name}: ${error.message}`);
        assert.equal(error.message, message);
        assert.deepEqual([error.argument, error.expected, error.received], [argument, expected, received]);
        return true;
      });
    });
  }
});
