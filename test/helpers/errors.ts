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

const REGULARIZER_NAMES = [
  'Regularizer',
  'regularizer',
  'L1',
  'l1',
  'L2',
  'l2',
  'L1L2',
  'l1l2',
  'l1_l2',
  'OrthogonalRegularizer',
  'orthogonal_regularizer',
  'GroupLasso',
  'group_lasso',
  'SparseGroupLasso',
  'sparse_group_lasso',
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The message for an unknown regularizer name: what was received, a
 * suggestion when one is near (any), then every valid name.
 */
export function unknownRegularizerName(name: string): RegExp {
  const valid = REGULARIZER_NAMES.map((n) => JSON.stringify(n)).join(', ');
  return new RegExp(
    `^${escapeRegExp(`Could not interpret regularizer identifier: ${JSON.stringify(name)}.`)}( Did you mean "[^"]+"\\?)? ${escapeRegExp(`Valid names: ${valid}.`)}$`,
  );
}
