/**
 * Tracks whether a `layer.apply` is the outermost one. Keras clears the
 * losses recorded by the previous call only when a new outermost call
 * begins, so nested layers' losses from one forward pass stay together.
 */
let depth = 0;

/** Runs `body` as one level of layer call; `outermost` is true for the first level. */
export function inLayerCall<T>(body: (outermost: boolean) => T): T {
  const outermost = depth === 0;
  depth += 1;
  try {
    return body(outermost);
  } finally {
    depth -= 1;
  }
}
