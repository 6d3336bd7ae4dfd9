/**
 * The gradient of `MaxPool` on `wasm` for windows that do not overlap.
 *
 * Why: tfjs's `MaxPoolGrad` on `wasm` is scalar code: 20-26 ms for the 2x2
 * pool of a 32 x 24 x 24 x 64 batch, a sixth of a small CNN's training
 * step. With strides equal to the pool and 'valid' padding (Keras's
 * MaxPooling2D default), each input is in one window, and a fused SIMD pass
 * over the channels routes each window's gradient to the first input equal
 * to its max, as tfjs does. Other pools on `wasm` take a gradient computed
 * in JavaScript, tfjs's `wasm` kernel being wrong for windows whose maximum
 * is <= 0; other backends keep tfjs's gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelsActive, MAX_POOL_GRAD } from './fused-kernels.js';
import { maxPoolGradLoop } from './max-pool-gradient-loop.js';
import { registerOwnGradient } from './own-gradients.js';

function pair(value: number | [number, number]): [number, number] {
  return typeof value === 'number' ? [value, value] : value;
}

export function registerFastMaxPoolGradient(): void {
  const stock = tf.getGradient('MaxPool');
  if (stock == null) return;
  registerOwnGradient({
    kernelName: 'MaxPool',
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, y] = saved as [tf.Tensor4D, tf.Tensor4D];
      const { filterSize, strides, pad } = attrs as unknown as tf.MaxPoolAttrs;
      const [poolHeight, poolWidth] = pair(filterSize);
      const [strideHeight, strideWidth] = pair(strides);
      const fits =
        fusedKernelsActive(x) &&
        pad === 'valid' &&
        poolHeight === strideHeight &&
        poolWidth === strideWidth &&
        (x.shape[3] as number) % 4 === 0;
      if (!fits) {
        // wasm's own MaxPoolGrad is wrong for windows whose maximum is <= 0 (see max-pool-gradient-loop.ts).
        if (tf.getBackend() !== 'wasm') return stock.gradFunc(dy, saved, attrs);
        return { x: () => maxPoolGradLoop(dy as tf.Tensor4D, x, attrs as unknown as tf.MaxPoolAttrs) };
      }
      return {
        x: () =>
          tf
            .engine()
            .runKernel(MAX_POOL_GRAD, { x, y, dy: dy as tf.Tensor }, { poolHeight, poolWidth } as never) as tf.Tensor,
      };
    },
  });
}
