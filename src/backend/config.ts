/** Keras's `backend.epsilon()`: the fuzz factor used by `normalize`. */
export const EPSILON = 1e-7;

/** Keras's `backend.floatx()`: the only float type this library computes in. */
export const FLOATX = 'float32' as const;

export function epsilon(): number {
  return EPSILON;
}

export function floatx(): 'float32' {
  return FLOATX;
}
