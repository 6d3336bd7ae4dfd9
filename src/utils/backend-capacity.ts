/**
 * What a backend can hold, checked before a weight is allocated. On `wasm`
 * every tensor lives in one WebAssembly heap of at most 4 GiB
 * (4,294,901,760 bytes, tfjs-backend-wasm's `getHeapMax`); an allocation
 * past it fails inside the module ("memory access out of bounds") and
 * leaves the engine wedged for the rest of the process, so a model whose
 * weights cannot fit must be refused before the first byte. On `cpu` a too
 * large allocation is an ordinary RangeError and the engine keeps working,
 * so there is no limit to check there.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';

/** tfjs-backend-wasm's maximum heap, in bytes. */
export const WASM_HEAP_MAX_BYTES = 4294901760;

/** The bytes the active backend can hold in all, or null when it has no hard limit. */
export function backendCapacityBytes(): number | null {
  return tf.getBackend() === 'wasm' ? WASM_HEAP_MAX_BYTES : null;
}

const GIB = 2 ** 30;
const gib = (bytes: number) => `${(bytes / GIB).toFixed(2)} GiB`;

/**
 * Throws a ValueError, allocating nothing, when a float32 weight of `count`
 * elements (described by `what`) would not fit the backend's memory beside
 * what is already allocated. The weight needs room twice while it is made
 * (its initial value, then the variable copied from it).
 */
export function checkBackendCapacity(count: number, what: string): void {
  const capacity = backendCapacityBytes();
  if (capacity == null) return;
  const inUse = tf.memory().numBytes;
  const needed = 2 * 4 * count;
  if (inUse + needed <= capacity) return;
  throw new ValueError(
    `${what} (${count} float32 elements, ${gib(4 * count)}) would not fit the ${tf.getBackend()} backend's memory: ${gib(inUse)} of its ${gib(capacity)} are in use and making the weight needs ${gib(needed)} more (the initial value and the variable). Refused before allocating; the engine keeps working. Use smaller layers, or the cpu backend (await backend.ready({ backend: 'cpu' })).`,
    {
      argument: what,
      expected: `at most ${Math.floor((capacity - inUse) / 8)} elements`,
      received: `${count} elements`,
    },
  );
}

/**
 * Runs `build` (synchronous) and, when it throws, disposes every variable
 * it registered before failing: the layers built before a refused weight
 * are unreachable, and their variables (gigabytes, for a model refused for
 * its size) would otherwise stay allocated.
 */
export function disposeVariablesOnFailure<T>(build: () => T): T {
  const engine = tf.engine();
  const before = new Set(Object.keys(engine.registeredVariables));
  try {
    return build();
  } catch (error) {
    for (const [name, variable] of Object.entries(engine.registeredVariables)) {
      if (!before.has(name)) variable.dispose();
    }
    throw error;
  }
}
