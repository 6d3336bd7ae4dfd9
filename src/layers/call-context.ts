/**
 * The state of the layer calls in progress. Keras clears the losses recorded
 * by the previous call only when a new outermost call begins, so nested
 * layers' losses from one forward pass stay together; a nested call
 * inherits the outer call's `training` flag unless given its own; and the
 * mask a call received is known to the calls it makes, so that a model
 * passing its own call options on to its layers does not hand them its mask.
 */
interface Frame {
  training: boolean;
  mask: unknown;
}

const stack: Frame[] = [];

/**
 * Runs `body` as one level of layer call. `outermost` is true for the first
 * level; `training` is the given flag, else the enclosing call's, else false.
 * `mask` is what this level's `call` receives as `options.mask`.
 */
export function inLayerCall<T>(
  training: boolean | undefined,
  mask: unknown,
  body: (context: { outermost: boolean; training: boolean }) => T,
): T {
  const outermost = stack.length === 0;
  const resolved = training ?? stack[stack.length - 1]?.training ?? false;
  stack.push({ training: resolved, mask });
  try {
    return body({ outermost, training: resolved });
  } finally {
    stack.pop();
  }
}

/**
 * Whether `mask`, given to a nested `apply`, is the one the enclosing call
 * received: passed along with that call's options, not chosen for this layer.
 */
export function isEnclosingMask(mask: unknown): boolean {
  const enclosing = stack[stack.length - 1];
  return enclosing != null && enclosing.mask === mask;
}

/** Weight paths as Keras's name scopes make them: `lstm/lstm_cell/kernel` for a cell its layer builds. */
const nameScope: string[] = [];

/** Runs `body` (a nested layer's build) with `name` prefixed to the paths of the weights it creates. */
export function inNameScope<T>(name: string, body: () => T): T {
  nameScope.push(name);
  try {
    return body();
  } finally {
    nameScope.pop();
  }
}

/** The path of weight `weight` of layer `layer` in the current name scope. */
export function weightPath(layer: string, weight: string): string {
  return [...nameScope, layer, weight].join('/');
}
