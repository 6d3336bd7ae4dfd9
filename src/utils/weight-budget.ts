/**
 * A budget on the weights a piece of code may create, counted in elements.
 *
 * A single weight is capped where it is created (`MAX_WEIGHT_SIZE`), but a
 * model of many weights under that cap can still ask for gigabytes: a 2 KB
 * config of eight 8192x8192 Dense layers does. On the wasm backend a failed
 * allocation wedges the engine, so a loader must refuse before it allocates.
 * `Layer.addWeight` charges each weight here before allocating it; a loader
 * runs the model's construction inside `withWeightBudget`. Outside any budget
 * charging is free.
 */
import { invalidArgument, ValueError } from '../errors.js';
import { checkBackendCapacity } from './backend-capacity.js';

interface Budget {
  readonly limit: number;
  /** Where the limit comes from, for the error: `maxWeights`. */
  readonly source: string;
  used: number;
}

/** The budgets in force, innermost last: a weight is charged to each. */
const budgets: Budget[] = [];

/**
 * Runs `body` (synchronously) with at most `maxElements` weight elements
 * allowed to be created by it, on top of what enclosing budgets allow;
 * `source` says where the number comes from, for the error.
 */
export function withWeightBudget<T>(maxElements: number, body: () => T, source = 'maxElements'): T {
  if (!Number.isSafeInteger(maxElements) || maxElements < 0) {
    throw invalidArgument('maxElements', 'a non-negative integer', maxElements);
  }
  const budget: Budget = { limit: maxElements, source, used: 0 };
  budgets.push(budget);
  try {
    const result = body();
    // A promise would outlive the scope and escape the budget.
    if (result instanceof Promise) {
      throw new ValueError('withWeightBudget() runs synchronous code only: the body returned a promise.', {
        argument: 'body',
        expected: 'a synchronous function',
        received: 'a promise',
      });
    }
    return result;
  } finally {
    budgets.splice(budgets.indexOf(budget), 1);
  }
}

/**
 * Charges `count` elements of the weight described by `what` (e.g.
 * `weight kernel of layer "dense"`) to every budget in force, and throws a
 * ValueError, charging nothing, when one of them would be exceeded.
 */
export function chargeWeights(count: number, what: string): void {
  // The backend's own limit holds with or without a budget (wasm wedges past it).
  checkBackendCapacity(count, what);
  if (budgets.length === 0) return;
  for (const budget of budgets) {
    if (budget.used + count > budget.limit) {
      const left = budget.limit - budget.used;
      throw new ValueError(
        `The model's weights are over the budget of ${budget.limit} elements (${budget.source}): ${what} would add ${count} elements to the ${budget.used} already created (${left} left). Refused before allocating.`,
        {
          argument: what,
          expected: `at most ${left} more elements (a budget of ${budget.limit} in all)`,
          received: `${count} elements`,
        },
      );
    }
  }
  for (const budget of budgets) budget.used += count;
}
