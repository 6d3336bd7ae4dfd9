/**
 * The state of the layer calls in progress. Keras clears the losses recorded
 * by the previous call only when a new outermost call begins, so nested
 * layers' losses from one forward pass stay together; and a nested call
 * inherits the outer call's `training` flag unless given its own.
 */
const trainingStack: boolean[] = [];

/**
 * Runs `body` as one level of layer call. `outermost` is true for the first
 * level; `training` is the given flag, else the enclosing call's, else false.
 */
export function inLayerCall<T>(
  training: boolean | undefined,
  body: (context: { outermost: boolean; training: boolean }) => T,
): T {
  const outermost = trainingStack.length === 0;
  const resolved = training ?? trainingStack[trainingStack.length - 1] ?? false;
  trainingStack.push(resolved);
  try {
    return body({ outermost, training: resolved });
  } finally {
    trainingStack.pop();
  }
}
