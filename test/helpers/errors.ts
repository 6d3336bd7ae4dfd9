import assert from 'node:assert/strict';
import { ValueError } from 'keras-regularizers';

/** Asserts that `body` throws the library's ValueError with exactly `message` (or matching it). */
export function expectValueError(body: () => unknown, message: string | RegExp): void {
  assert.throws(body, (error: Error) => {
    assert.ok(error instanceof ValueError, `expected ValueError, got ${error.name}: ${error.message}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}
