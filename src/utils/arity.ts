/**
 * Extra positional arguments, refused. JavaScript drops an argument a
 * function does not declare without a word, so `model.trainOnBatch(x, y,
 * sw, cw, extra)` or `saveModel(model, path, { overwrite }, true)` would
 * silently ignore what the caller meant; Python raises a TypeError for it,
 * and so does each public entry here.
 */
import { KerasTypeError } from '../errors.js';

/**
 * Throws a KerasTypeError naming `method` and its parameters when it was
 * called with more than `params.length` arguments (`count`, the caller's
 * `arguments.length`).
 */
export function checkArity(method: string, count: number, params: readonly string[]): void {
  if (count <= params.length) return;
  const takes = params.length === 0 ? 'no arguments' : `at most ${params.length} (${params.join(', ')})`;
  throw new KerasTypeError(
    `${method}() takes ${takes}, but ${count} were given: the extra ${count - params.length === 1 ? 'one would be' : 'ones would be'} ignored.`,
    { argument: 'arguments', expected: takes, received: `${count} arguments` },
  );
}
