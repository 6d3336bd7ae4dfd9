/**
 * The activations the fused recurrence computes itself, on plain numbers,
 * as Keras defines them: each by a small code, so that the gate loops call
 * one monomorphic function (a switch V8 inlines) rather than closures.
 */
const CODES = new Map<string, number>([
  ['linear', 0],
  ['tanh', 1],
  ['sigmoid', 2],
  ['relu', 3],
  // Keras 3: relu6(x + 3) / 6.
  ['hard_sigmoid', 4],
  ['softsign', 5],
]);

/** The code of the activation Keras calls `name`, or null when the fused recurrence does not compute it. */
export function activationCode(name: string): number | null {
  return CODES.get(name) ?? null;
}

/** The activation of code `code` at `a`. */
export function activate(code: number, a: number): number {
  switch (code) {
    case 1:
      return Math.tanh(a);
    case 2:
      return 1 / (1 + Math.exp(-a));
    case 3:
      return Math.max(a, 0);
    case 4:
      return Math.min(Math.max(a + 3, 0), 6) / 6;
    case 5:
      return a / (1 + Math.abs(a));
    default:
      return a;
  }
}

/** Its derivative at `a`, where it took the value `y`. */
export function activationDerivative(code: number, a: number, y: number): number {
  switch (code) {
    case 1:
      return 1 - y * y;
    case 2:
      return y * (1 - y);
    case 3:
      return a > 0 ? 1 : 0;
    case 4:
      return a > -3 && a < 3 ? 1 / 6 : 0;
    case 5:
      return 1 / (1 + Math.abs(a)) ** 2;
    default:
      return 1;
  }
}
