import assert from 'node:assert/strict';

/**
 * Deep equality for Keras configs where numbers may differ by float32
 * rounding: Keras writes L1 and Orthogonal factors float32-rounded
 * (0.009999999776482582 for 0.01), we write the exact number.
 */
export function assertConfigClose(actual: unknown, expected: unknown, path = 'config'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    assert.equal(Math.fround(actual), Math.fround(expected), `${path}: got ${actual}, expected ${expected}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${path}: length`);
    expected.forEach((item, i) => {
      assertConfigClose(actual[i], item, `${path}[${i}]`);
    });
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(
      actual !== null && typeof actual === 'object',
      `${path}: expected an object, got ${JSON.stringify(actual)}`,
    );
    assert.deepEqual(Object.keys(actual as object).sort(), Object.keys(expected).sort(), `${path}: keys`);
    for (const [key, value] of Object.entries(expected)) {
      assertConfigClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
    return;
  }
  assert.equal(actual, expected, `${path}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}
