/**
 * The gradient of 2D max pooling on `wasm`, computed in JavaScript.
 *
 * Why: tfjs's `MaxPoolGrad` kernel on `wasm` (4.22) starts each window's
 * search for the maximum at the smallest positive float, not at -Infinity,
 * so a window whose maximum is 0 or negative sends its gradient to the
 * wrong input or nowhere (and ties go to the last input, where TensorFlow
 * picks the first). test/shape-layers.test.ts found it: MaxPooling layers fed
 * by anything but a ReLU. Built from tfjs ops the gradient was correct but
 * slow (a pad, slices and a scatter per window offset: 170 ms for a 2x2 pool
 * of 32x26x26x3 against 4 ms for the kernel), data movement being slow on
 * `wasm`; this loop, the one tfjs's `cpu` backend runs, reads each input
 * once per window. Each window's gradient goes to the first input (row-major
 * in the window) greater than all before it, as in TensorFlow.
 */
import * as tf from '@tensorflow/tfjs-core';

export function maxPoolGradLoop(dy: tf.Tensor4D, x: tf.Tensor4D, attrs: tf.MaxPoolAttrs): tf.Tensor4D {
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const info = tf.backend_util.computePool2DInfo(x.shape, filterSize, strides, 1, pad, dimRoundingMode);
  const [batch, rows, cols, channels] = x.shape;
  const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const xs = x.dataSync() as Float32Array;
  const dys = dy.dataSync() as Float32Array;
  const dx = new Float32Array(x.size);
  const best = new Float32Array(channels);
  const at = new Int32Array(channels);
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        best.fill(Number.NEGATIVE_INFINITY);
        at.fill(-1);
        for (let i = 0; i < filterHeight; i++) {
          const r = oh * strideHeight - top + i;
          if (r < 0 || r >= rows) continue;
          for (let j = 0; j < filterWidth; j++) {
            const c = ow * strideWidth - left + j;
            if (c < 0 || c >= cols) continue;
            const base = ((b * rows + r) * cols + c) * channels;
            for (let ch = 0; ch < channels; ch++) {
              const v = xs[base + ch] as number;
              if (v > (best[ch] as number)) {
                best[ch] = v;
                at[ch] = base + ch;
              }
            }
          }
        }
        const out = ((b * outHeight + oh) * outWidth + ow) * channels;
        for (let ch = 0; ch < channels; ch++) {
          const position = at[ch] as number;
          if (position >= 0) dx[position] = (dx[position] as number) + (dys[out + ch] as number);
        }
      }
    }
  }
  return tf.tensor4d(dx, x.shape);
}
