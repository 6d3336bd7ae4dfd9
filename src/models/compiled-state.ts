/** The checks of a method that needs `compile()` first, with Keras's messages. */
import { ValueError } from '../errors.js';
import type { Compiled } from './compile.js';

/** The compiled state, or Keras's "You must call compile()" error. */
export function requireCompiled(compiled: Compiled | null, method: string): Compiled {
  if (compiled == null) {
    throw new ValueError(`You must call compile() before ${method}().`, {
      argument: 'model',
      expected: 'a compiled model',
    });
  }
  return compiled;
}

/** The compiled state of a method that updates the weights: it needs an optimizer. */
export function requireOptimizer(compiled: Compiled, method: string): Compiled {
  if (compiled.optimizer == null) {
    throw new ValueError(
      `${method}() needs an optimizer, but the model was compiled with optimizer null. Call compile() with an optimizer.`,
      { argument: 'optimizer', expected: 'an optimizer', received: 'null' },
    );
  }
  return compiled;
}
