/**
 * Typed errors. Each carries the argument at fault, what was expected and
 * what was received, and its message is derived from those parts, so that
 * callers can branch on fields instead of parsing text.
 */
import { formatValue } from './utils/format.js';

/** Structured details shared by the library's errors. */
export interface ErrorDetails {
  /** The argument, field or key at fault, e.g. `l1` or `config.class_name`. */
  readonly argument?: string;
  /** What would have been accepted. */
  readonly expected?: string;
  /** What was received, already formatted for display. */
  readonly received?: string;
}

/**
 * Keras's `ValueError`: an argument has the right kind but a wrong value.
 * `argument`, `expected` and `received` say which and why.
 *
 * @example try { new L2(-1); } catch (e) { if (e instanceof ValueError) console.log(e.argument); } // "l2"
 */
export class ValueError extends Error {
  readonly argument: string | undefined;
  readonly expected: string | undefined;
  readonly received: string | undefined;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'ValueError';
    this.argument = details.argument;
    this.expected = details.expected;
    this.received = details.received;
  }
}

/**
 * The usual bad-argument error, its message built from its parts:
 * `Invalid value for argument NAME: expected WHAT. Received: NAME=VALUE`.
 * Returned, not thrown, so that callers write `throw invalidArgument(...)`
 * and the compiler sees the throw.
 */
export function invalidArgument(argument: string, expected: string, value: unknown): ValueError {
  const received = formatValue(value);
  return new ValueError(
    `Invalid value for argument ${argument}: expected ${expected}. Received: ${argument}=${received}`,
    {
      argument,
      expected,
      received,
    },
  );
}

/**
 * Keras's `TypeError`: an argument of the wrong kind, e.g. an unknown option
 * name. It extends the built-in `TypeError`, so `instanceof TypeError` holds.
 *
 * @example try { new L2({ l3: 1 } as never); } catch (e) { if (e instanceof KerasTypeError) console.log(e.message); }
 */
export class KerasTypeError extends TypeError {
  readonly argument: string | undefined;
  readonly expected: string | undefined;
  readonly received: string | undefined;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'TypeError';
    this.argument = details.argument;
    this.expected = details.expected;
    this.received = details.received;
  }
}

/**
 * Keras's `NotImplementedError`: a method a subclass must provide.
 *
 * @example new initializers.Initializer().apply([2]) // throws NotImplementedError
 */
export class NotImplementedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotImplementedError';
  }
}
