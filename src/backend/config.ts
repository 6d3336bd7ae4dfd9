/** Keras's `backend.epsilon()`: the fuzz factor used by `normalize`. */
export const EPSILON = 1e-7;

/** Keras's `backend.floatx()`: the only float type this library computes in. */
export const FLOATX = 'float32' as const;

/** Keras's `keras.backend.epsilon()`: the fuzz factor (1e-7) that keeps divisions and logs finite. */
export function epsilon(): number {
  return EPSILON;
}

/** Keras's `keras.backend.floatx()`: always `"float32"`, the only float type this library computes in. */
export function floatx(): 'float32' {
  return FLOATX;
}
