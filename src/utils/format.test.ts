import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatShape, formatValue } from './format.js';

describe('formatValue', () => {
  it('shows each kind of value as a TypeScript user would write it', () => {
    assert.equal(formatValue(-1), '-1');
    assert.equal(formatValue(Number.NaN), 'NaN');
    assert.equal(formatValue('0.1'), '"0.1"');
    assert.equal(formatValue(null), 'null');
    assert.equal(formatValue(undefined), 'undefined');
    assert.equal(formatValue([0.1]), '[0.1]');
    assert.equal(formatValue({ a: 1 }), '{"a":1}');
    assert.equal(
      formatValue(function named() {}),
      '[function named]',
    );
    assert.equal(formatValue(new Map()), '[object Map]');
  });

  it('shortens long JSON and survives cycles', () => {
    assert.equal(formatValue({ text: 'x'.repeat(300) }).length, 200);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(formatValue(cyclic), '[object Object]');
  });

  it('prints shapes with spaces', () => {
    assert.equal(formatShape([2, 3]), '[2, 3]');
    assert.equal(formatShape([]), '[]');
  });
});
